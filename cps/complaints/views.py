"""Citizen web pages of a city."""

from flask import Blueprint, g, render_template
from sqlalchemy import func, select

from cps.cities.models import Category
from cps.complaints.models import Complaint
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
