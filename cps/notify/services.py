"""Queuing citizens' notifications: by the channel they came by, unless they opted out."""

from sqlalchemy import select

from cps.complaints.models import Channel, Complaint
from cps.extensions import db
from cps.notify.models import OptOut, Outbox


def citizen_contact(complaint: Complaint) -> tuple[str, str] | None:
    """(medium, address) to reach the reporter, or None (no contact, no wish, or opted out)."""
    if complaint.channel == Channel.SMS and complaint.reporter_phone:
        medium, address = "sms", complaint.reporter_phone
    elif complaint.notify and complaint.reporter_email:
        medium, address = "email", complaint.reporter_email
    elif complaint.notify and complaint.reporter_phone:
        medium, address = "sms", complaint.reporter_phone
    else:
        return None
    if is_opted_out(complaint.city_id, address):
        return None
    return medium, address


def is_opted_out(city_id: int, contact: str) -> bool:
    """True when `contact` asked this city for no more notifications."""
    return db.session.scalar(select(OptOut.id).where(
        OptOut.city_id == city_id, OptOut.contact == contact)) is not None


def queue_state_change(complaint: Complaint, public_text: str | None) -> Outbox | None:
    """Queue the reporter's notice of a public state change; flushes, the caller commits."""
    contact = citizen_contact(complaint)
    if contact is None:
        return None
    row = Outbox(city_id=complaint.city_id, complaint_id=complaint.id, channel=contact[0],
                 recipient=contact[1], template="state_changed",
                 locale=complaint.reporter_locale, payload={"public_text": public_text or ""})
    db.session.add(row)
    db.session.flush()
    return row
