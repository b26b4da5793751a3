"""Following a complaint: the tracking page, and what a citizen may do there."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from cps.complaints import citizen
from cps.complaints.forms import RateForm, ReopenForm, SupportForm
from cps.complaints.keys import holds_key
from cps.complaints.models import Channel, ComplaintEvent
from cps.complaints.references import normalize
from cps.complaints.views import bp
from cps.complaints.views.common import browser_key, limit, public_complaint, remember_key
from cps.domain import DomainError
from cps.extensions import db, limiter

PUBLIC_KINDS = ("created", "state")


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
    """A complaint's public page: state, public history, department, expected date, photos."""
    complaint, canonical = public_complaint(reference)
    key = request.args.get("key")
    if key is not None:
        if holds_key(complaint, key):
            remember_key(complaint, key)
        else:
            flash(_("This private link is not valid for this complaint."), "error")
        return redirect(url_for("complaints.track", reference=canonical))
    if canonical != reference:
        return redirect(url_for("complaints.track", reference=canonical))
    return _page(complaint)


def _page(complaint, status: int = 200, errors: dict | None = None, forms: dict | None = None):
    updates = db.session.scalars(select(ComplaintEvent).where(
        ComplaintEvent.complaint_id == complaint.id,
        ComplaintEvent.kind.in_(PUBLIC_KINDS)).order_by(ComplaintEvent.id)).all()
    forms = {"support": SupportForm(formdata=None), "reopen": ReopenForm(formdata=None),
             "rate": RateForm(formdata=None), **(forms or {})}
    owner = browser_key(complaint) is not None
    return render_template(
        "complaints/track.html", complaint=complaint, updates=updates, owner=owner,
        can_reopen=owner and citizen.can_reopen(complaint),
        can_rate=owner and complaint.rating is None and complaint.state in citizen.RATEABLE,
        supporters=citizen.supporter_count(complaint),
        photos=[p for p in complaint.photos if not p.hidden], forms=forms,
        errors=errors or {}), status


@bp.route("/track/<reference>/support", methods=["POST"])
@limiter.limit(limit("RATE_LIMIT_CITIZEN_ACTION"))
def support(reference):
    """ "This is my problem too": the citizen joins the complaint instead of filing a new one."""
    complaint, _canonical = public_complaint(reference)
    form = SupportForm()
    fields = {"name": form.name.data, "phone": form.phone.data, "email": form.email.data,
              "notify": form.notify.data, "submission_key": form.submission_key.data,
              "locale": str(get_locale())}
    try:
        citizen.add_supporter(complaint, Channel.WEB, fields)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same form twice at once: the first one counted
    except DomainError as error:
        db.session.rollback()
        return _page(complaint, error.status, {error.details.get("field", "support"):
                                               error.message}, {"support": form})
    flash(_("Thank you. You were added to this complaint; the city sees that more people "
            "have this problem."), "success")
    return redirect(url_for("complaints.track", reference=complaint.reference))


@bp.route("/track/<reference>/reopen", methods=["POST"])
@limiter.limit(limit("RATE_LIMIT_CITIZEN_ACTION"))
def reopen(reference):
    """The reporter says the problem is still there."""
    complaint, _canonical = public_complaint(reference)
    form = ReopenForm()
    return _owner_action(complaint, "reopen", form,
                         lambda: citizen.reopen(complaint, form.reason.data),
                         _("Your complaint was reopened and sent back to the department."))


@bp.route("/track/<reference>/rate", methods=["POST"])
@limiter.limit(limit("RATE_LIMIT_CITIZEN_ACTION"))
def rate(reference):
    """The reporter rates how the complaint was handled, once."""
    complaint, _canonical = public_complaint(reference)
    form = RateForm()
    return _owner_action(complaint, "rate", form,
                         lambda: citizen.rate(complaint, form.rating.data, form.comment.data),
                         _("Thank you for your rating."))


def _owner_action(complaint, name: str, form, action, done: str):
    if browser_key(complaint) is None:
        return _page(complaint, 403, {name: _("Only the person who reported this complaint "
                                              "can do this, from the private link they were "
                                              "given.")}, {name: form})
    try:
        action()
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _page(complaint, error.status, {name: error.message}, {name: form})
    flash(done, "success")
    return redirect(url_for("complaints.track", reference=complaint.reference))
