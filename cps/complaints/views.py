"""Citizen web pages of a city."""

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from sqlalchemy import func, select

from cps.cities.models import Category
from cps.complaints.models import Complaint, ComplaintEvent
from cps.complaints.references import normalize
from cps.complaints.states import State
from cps.extensions import db

bp = Blueprint("complaints", __name__, template_folder="templates", url_prefix="/<city>")

RECENT_COUNT = 10


@bp.route("/")
def home():
    """The city's home page: what can be reported, and what was reported lately."""
    city = g.city
    categories = db.session.scalars(
        select(Category)
        .where(Category.city_id == city.id, Category.active)
        .order_by(Category.position, Category.code)
    ).all()
    recent = db.session.scalars(
        select(Complaint)
        .where(Complaint.city_id == city.id, Complaint.hidden.is_(False))
        .order_by(Complaint.created_at.desc())
        .limit(RECENT_COUNT)
    ).all()
    counts = dict(
        db.session.execute(
            select(Complaint.state, func.count())
            .where(Complaint.city_id == city.id, Complaint.hidden.is_(False))
            .group_by(Complaint.state)
        ).all()
    )
    open_count = sum(n for state, n in counts.items() if State(state).is_open)
    resolved = counts.get(State.RESOLVED, 0) + counts.get(State.CLOSED, 0)
    return render_template(
        "complaints/home.html", categories=categories, recent=recent,
        open_count=open_count, resolved_count=resolved,
    )


@bp.route("/track")
def track_form():
    """Find a complaint by the reference the citizen typed (spaces, dashes, case all fine)."""
    typed = request.args.get("ref", "")
    reference = normalize(typed[:40], g.city.reference_prefix)
    if reference is None:
        return render_template("complaints/track_form.html", typed=typed,
                               invalid=bool(typed)), 404 if typed else 200
    return redirect(url_for("complaints.track", reference=reference))


@bp.route("/track/<reference>")
def track(reference):
    """A complaint's public page: state, public history, department, expected date."""
    canonical = normalize(reference[:40], g.city.reference_prefix)
    complaint = canonical and db.session.scalar(select(Complaint).where(
        Complaint.city_id == g.city.id, Complaint.reference == canonical,
        Complaint.hidden.is_(False)))
    if not complaint:
        abort(404)
    if canonical != reference:
        return redirect(url_for("complaints.track", reference=canonical))
    updates = db.session.scalars(select(ComplaintEvent).where(
        ComplaintEvent.complaint_id == complaint.id,
        ComplaintEvent.kind.in_(("created", "state"))).order_by(ComplaintEvent.id)).all()
    return render_template("complaints/track.html", complaint=complaint, updates=updates)
