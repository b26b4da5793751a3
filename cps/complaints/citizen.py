"""What a citizen may do with a complaint after filing it: support, reopen, rate.

Functions flush; the caller commits. The channel decides who may act: on the web, whoever holds
the complaint's private key (cps.complaints.keys); by SMS, the reporter's phone number.
"""

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select

from cps.cities.calendar import deadline_for
from cps.complaints import validation
from cps.complaints.errors import AlreadyDone, ComplaintError, NotAllowed
from cps.complaints.models import Channel, Complaint, ComplaintEvent, Supporter
from cps.complaints.states import State
from cps.complaints.workflow import change_state
from cps.db import utcnow
from cps.extensions import db
from cps.settings import city_setting

RATEABLE = (State.RESOLVED, State.CLOSED)
MAX_REASON = 1000


def add_supporter(complaint: Complaint, channel: Channel, fields: dict) -> Supporter:
    """Add a citizen who has the same problem; the same contact twice is added once."""
    if not complaint.state.is_open or complaint.hidden:
        raise NotAllowed(_("This complaint is closed. Please report the problem again."))
    phone = validation.phone(fields.get("phone"), complaint.city.country_code, field="phone")
    email = validation.email(fields.get("email"), field="email")
    existing = _existing_supporter(complaint, phone, email, fields.get("submission_key"))
    if existing is not None:
        return existing
    supporter = Supporter(
        city_id=complaint.city_id, complaint_id=complaint.id, channel=Channel(channel),
        name=validation.clean_text(fields.get("name"), 200)[:200] or None, phone=phone,
        email=email, locale=fields.get("locale") if fields.get("locale") in complaint.city.locales
        else complaint.city.default_locale,
        notify=bool(fields.get("notify")) and bool(phone or email),
        submission_key=(fields.get("submission_key") or None))
    db.session.add(supporter)
    db.session.add(ComplaintEvent(city_id=complaint.city_id, complaint_id=complaint.id,
                                  kind="support", actor_label=str(channel)))
    db.session.flush()
    return supporter


def _existing_supporter(complaint, phone, email, submission_key) -> Supporter | None:
    matches = [Supporter.phone == phone] if phone else []
    matches += [Supporter.email == email] if email else []
    found = db.session.scalar(select(Supporter).where(
        Supporter.complaint_id == complaint.id, or_(*matches))) if matches else None
    if found is None and submission_key:
        found = db.session.scalar(select(Supporter).where(
            Supporter.city_id == complaint.city_id, Supporter.submission_key == submission_key))
    return found


def supporter_count(complaint: Complaint) -> int:
    """How many citizens said "this is my problem too"."""
    return len(complaint.supporters)


def can_reopen(complaint: Complaint) -> bool:
    """True while the citizen may still reopen the complaint (resolved, within the window)."""
    since = complaint.resolved_at or complaint.closed_at
    if complaint.state not in RATEABLE or since is None:
        return False
    window = timedelta(days=city_setting(complaint.city, "REOPEN_WINDOW_DAYS"))
    return utcnow() <= since + window


def reopen(complaint: Complaint, reason: str, actor_label: str = "citizen") -> ComplaintEvent:
    """The citizen says the problem is still there: back to the department with a new deadline."""
    if not can_reopen(complaint):
        raise NotAllowed(_("This complaint can no longer be reopened. Please report the "
                           "problem again."))
    reason = validation.clean_text(reason, MAX_REASON)
    if not reason:
        raise ComplaintError(_("Please say why the problem is not solved."), field="reason")
    if len(reason) > MAX_REASON:
        raise ComplaintError(_("The reason is too long (at most %(max)d characters).",
                               max=MAX_REASON), field="reason")
    event = change_state(complaint, State.REOPENED, actor_label=actor_label, internal_note=reason)
    days = complaint.category.deadline_days if complaint.category else 5
    complaint.deadline = deadline_for(complaint.city, utcnow(), days)
    complaint.escalation_level = 0
    return event


def rate(complaint: Complaint, rating, comment: str | None = None,
         actor_label: str = "citizen") -> ComplaintEvent:
    """Record the citizen's 1-5 satisfaction with how the complaint was handled; once only."""
    if complaint.state not in RATEABLE:
        raise NotAllowed(_("You can rate a complaint once it is resolved."))
    if complaint.rating is not None:
        raise AlreadyDone(_("This complaint was already rated. Thank you!"))
    try:
        value = int(str(rating).strip())
    except ValueError:
        value = 0
    if not 1 <= value <= 5:
        raise ComplaintError(_("Please choose a rating from 1 to 5."), field="rating")
    text = validation.clean_text(comment, MAX_REASON)
    if len(text) > MAX_REASON:
        raise ComplaintError(_("The comment is too long (at most %(max)d characters).",
                               max=MAX_REASON), field="comment")
    complaint.rating, complaint.rating_comment, complaint.rated_at = value, text or None, utcnow()
    event = ComplaintEvent(city_id=complaint.city_id, complaint_id=complaint.id, kind="rating",
                           actor_label=actor_label, data={"rating": value})
    db.session.add(event)
    db.session.flush()
    return event
