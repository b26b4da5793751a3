"""Staff actions that change what a complaint is: merging duplicates, moderation, and filing
on behalf of a citizen who phoned or came to the counter. They flush; views commit."""

from flask_babel import gettext as _
from sqlalchemy import select

from cps.complaints.models import Channel, Complaint, ComplaintEvent, Photo, Supporter
from cps.complaints.references import normalize
from cps.complaints.services import submit_complaint
from cps.complaints.states import State
from cps.complaints.workflow import change_state
from cps.db import row_id
from cps.domain import DomainError
from cps.extensions import db
from cps.staff.access import visible
from cps.staff.services import _text, audit, check_version

ON_BEHALF = (Channel.PHONE, Channel.COUNTER)


def merge(duplicate: Complaint, actor, survivor_reference: str, version=None) -> Complaint:
    """Close `duplicate` into the complaint it repeats; its reporter and supporters follow the
    survivor from now on (and are told when it changes)."""
    check_version(duplicate, version)
    canonical = normalize(str(survivor_reference)[:40], duplicate.city.reference_prefix)
    survivor = canonical and db.session.scalar(select(Complaint).where(
        Complaint.reference == canonical, *visible(actor)))
    if not survivor or survivor.id == duplicate.id:
        raise DomainError(_("Please give the reference of another complaint you can see."))
    if not survivor.state.is_open:
        raise DomainError(_("A complaint can only be merged into an open one."))
    _follow(survivor, duplicate)
    duplicate.merged_into_id = survivor.id
    change_state(duplicate, State.DUPLICATE, actor_id=actor.id,
                 public_text=_("Merged into %(ref)s, which handles the same problem.",
                               ref=survivor.reference))
    db.session.add(ComplaintEvent(city_id=survivor.city_id, complaint_id=survivor.id,
                                  kind="merge", actor_id=actor.id,
                                  data={"merged": duplicate.reference}))
    audit(actor, "merge", duplicate, {"state": "open"}, {"merged_into": survivor.reference})
    db.session.flush()
    return survivor


def _follow(survivor: Complaint, duplicate: Complaint) -> None:
    followers = [(duplicate.channel, duplicate.reporter_name, duplicate.reporter_phone,
                  duplicate.reporter_email, duplicate.reporter_locale, duplicate.notify)]
    followers += [(s.channel, s.name, s.phone, s.email, s.locale, s.notify)
                  for s in duplicate.supporters]
    known = {c for s in survivor.supporters for c in (s.phone, s.email) if c}
    known |= {survivor.reporter_phone, survivor.reporter_email} - {None}
    for channel, name, phone, email, locale, notify in followers:
        if (phone or email) and not ({phone, email} - {None}) & known:
            db.session.add(Supporter(city_id=survivor.city_id, complaint_id=survivor.id,
                                     channel=channel, name=name, phone=phone, email=email,
                                     locale=locale, notify=notify))
            known |= {phone, email} - {None}
    db.session.flush()
    db.session.expire(survivor, ["supporters"])


def hide(complaint: Complaint, actor, hidden: bool, reason, version=None) -> None:
    """Hide a complaint from the public (with a reason), or show it again."""
    check_version(complaint, version)
    reason = _text(reason, _("the reason"), required=hidden)
    before = {"hidden": complaint.hidden}
    complaint.hidden, complaint.hidden_reason = hidden, reason if hidden else None
    db.session.add(ComplaintEvent(city_id=complaint.city_id, complaint_id=complaint.id,
                                  kind="moderation", actor_id=actor.id, internal_note=reason,
                                  data={"hidden": hidden}))
    audit(actor, "hide" if hidden else "unhide", complaint, before, {"hidden": hidden,
                                                                     "reason": reason})


def hide_photo(complaint: Complaint, actor, photo_id, reason, hidden=True) -> None:
    """Hide one photo of the complaint from the public, with a reason (or show it again)."""
    photo = db.session.scalar(select(Photo).where(Photo.complaint_id == complaint.id,
                                                  Photo.id == row_id(photo_id)))
    if photo is None:
        raise DomainError(_("This complaint has no such photo."))
    before = {"hidden": photo.hidden, "reason": photo.hidden_reason}
    photo.hidden = hidden
    photo.hidden_reason = _text(reason, _("the reason"), required=True) if hidden else None
    audit(actor, "hide_photo" if hidden else "unhide_photo", photo, before,
          {"hidden": hidden, "reason": photo.hidden_reason})


def edit_description(complaint: Complaint, actor, text, version=None) -> None:
    """Rewrite the public description (e.g. to remove personal data); the citizen's own words
    are kept for admins."""
    check_version(complaint, version)
    new = _text(text, _("the description"), required=True)
    if complaint.description_original is None:
        complaint.description_original = complaint.description
    audit(actor, "edit_description", complaint, {"description": complaint.description},
          {"description": new})
    complaint.description = new


def file_on_behalf(city, actor, channel, fields: dict) -> Complaint:
    """A complaint taken by phone or at the counter, through the same intake as every channel."""
    try:
        channel = Channel(channel)
    except ValueError:
        channel = None
    if channel not in ON_BEHALF:
        raise DomainError(_("Please say how the citizen reached you (phone or counter)."))
    complaint = submit_complaint(city, channel, {**fields, "actor_id": actor.id})
    audit(actor, "file", complaint, after={"channel": channel.value})
    return complaint
