"""mySociety's servicerequestupdates: public updates out, citizens' updates in."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select

from cps.cities.models import City
from cps.complaints.citizen import can_reopen, reopen
from cps.complaints.models import Complaint, ComplaintEvent
from cps.complaints.states import State
from cps.db import utcnow
from cps.extensions import db
from cps.open311.access import arg
from cps.open311.errors import BadRequest, NotFound
from cps.open311.intake import client_fields
from cps.open311.listing import when, window
from cps.open311.models import ApiKey

UPDATE_STATUS = {
    State.RECEIVED: "OPEN", State.ACKNOWLEDGED: "INVESTIGATING",
    State.IN_PROGRESS: "IN_PROGRESS", State.RESOLVED: "FIXED", State.CLOSED: "CLOSED",
    State.REJECTED: "NO_FURTHER_ACTION", State.DUPLICATE: "DUPLICATE", State.REOPENED: "OPEN",
}


def updates(city: City, source) -> list[dict]:
    """Public updates of the city's requests in a window (state changes and public texts)."""
    start, end = window(city, source, "start_date", "end_date", default=True)
    limit = current_app.config["OPEN311_MAX_REQUESTS"]
    rows = db.session.execute(select(ComplaintEvent, Complaint).join(
        Complaint, Complaint.id == ComplaintEvent.complaint_id).where(
            ComplaintEvent.city_id == city.id, Complaint.hidden.is_(False),
            ComplaintEvent.created_at.between(start, end),
            ComplaintEvent.kind != "created",
            or_(ComplaintEvent.to_state.is_not(None), ComplaintEvent.public_text.is_not(None)))
        .order_by(ComplaintEvent.created_at, ComplaintEvent.id).limit(limit)).all()
    return [{"update_id": str(event.id), "service_request_id": complaint.reference,
             "status": UPDATE_STATUS[event.to_state or complaint.state],
             "updated_datetime": when(event.created_at, city),
             "description": event.public_text or "", "media_url": None}
            for event, complaint in rows]


def post_update(city: City, key: ApiKey, form) -> ComplaintEvent:
    """A citizen's update sent by a client (FixMyStreet): kept for staff; "OPEN" on a
    resolved or closed complaint reopens it, as the citizen says it is not fixed."""
    reference = arg(form, "service_request_id")
    if reference is None:
        raise BadRequest(_("service_request_id is required."))
    complaint = db.session.scalar(select(Complaint).where(
        Complaint.city_id == city.id, Complaint.reference == reference.upper()[:24]))
    if complaint is None:
        raise NotFound(_("Unknown service_request_id."))
    text = arg(form, "description")
    if text is None:
        raise BadRequest(_("description is required."))
    if len(text) > current_app.config["MAX_DESCRIPTION_LENGTH"]:
        raise BadRequest(_("description is too long (at most %(max)d characters).",
                           max=current_app.config["MAX_DESCRIPTION_LENGTH"]))
    status = (arg(form, "status") or "OPEN").upper()
    if status not in ("OPEN", "CLOSED"):
        raise BadRequest(_("status must be OPEN or CLOSED."))
    client = client_fields(form)
    data = {"client": key.name, "client_update_id": (arg(form, "update_id") or "")[:100],
            "status": status, "media_url": client["media_url"]}
    if status == "OPEN" and can_reopen(complaint):
        reopen(complaint, text[:1000], actor_label="open311")
    event = ComplaintEvent(city_id=city.id, complaint_id=complaint.id, kind="citizen_update",
                           actor_label="open311", internal_note=text, data=data)
    db.session.add(event)
    complaint.updated_at = utcnow()
    db.session.flush()
    return event
