"""Queuing citizens' notifications: by the channel they came by, unless they opted out."""

from sqlalchemy import select

from cps.complaints.models import Channel, Complaint, Supporter
from cps.extensions import db
from cps.notify.models import OptOut, Outbox


def citizen_contact(complaint: Complaint) -> tuple[str, str] | None:
    """(medium, address) to reach the reporter, or None (no contact, no wish, or opted out)."""
    return _contact(complaint.city_id, complaint.channel, complaint.notify,
                    complaint.reporter_phone, complaint.reporter_email)


def supporter_contact(supporter: Supporter) -> tuple[str, str] | None:
    """(medium, address) to reach a supporter who asked to be told, or None."""
    return _contact(supporter.city_id, supporter.channel, supporter.notify, supporter.phone,
                    supporter.email)


def _contact(city_id: int, channel, notify: bool, phone, email) -> tuple[str, str] | None:
    """Who came by SMS hears by SMS; who asked on the web hears by e-mail, else by SMS."""
    if channel == Channel.SMS and phone:
        medium, address = "sms", phone
    elif notify and email:
        medium, address = "email", email
    elif notify and phone:
        medium, address = "sms", phone
    else:
        return None
    if is_opted_out(city_id, address):
        return None
    return medium, address


def is_opted_out(city_id: int, contact: str) -> bool:
    """True when `contact` asked this city for no more notifications."""
    return db.session.scalar(select(OptOut.id).where(
        OptOut.city_id == city_id, OptOut.contact == contact)) is not None


def queue_state_change(complaint: Complaint, public_text: str | None) -> list[Outbox]:
    """Queue the notices of a public state change to the reporter and the supporters who asked.

    Flushes; the caller commits. Each address is told once.
    """
    targets = [(citizen_contact(complaint), complaint.reporter_locale)]
    targets += [(supporter_contact(s), s.locale) for s in complaint.supporters]
    rows, seen = [], set()
    for contact, locale in targets:
        if contact is None or contact[1] in seen:
            continue
        seen.add(contact[1])
        rows.append(Outbox(city_id=complaint.city_id, complaint_id=complaint.id,
                           channel=contact[0], recipient=contact[1], template="state_changed",
                           locale=locale, payload={"public_text": public_text or ""}))
    db.session.add_all(rows)
    db.session.flush()
    return rows
