"""Changing a complaint's state: the same rules, history and notices for every caller."""

from flask_babel import gettext as _

from cps.complaints.errors import TransitionNotAllowed
from cps.complaints.models import Complaint, ComplaintEvent
from cps.complaints.states import State, can_transition
from cps.db import utcnow
from cps.extensions import db
from cps.notify.services import queue_state_change

STAMPS = {State.ACKNOWLEDGED: "acknowledged_at", State.RESOLVED: "resolved_at",
          State.CLOSED: "closed_at", State.REJECTED: "closed_at", State.DUPLICATE: "closed_at"}


def change_state(complaint: Complaint, to_state: State, actor_id: int | None = None,
                 public_text: str | None = None, internal_note: str | None = None,
                 actor_label: str | None = None) -> ComplaintEvent:
    """Move the complaint to `to_state`, record the event, and queue the citizen's notice."""
    to_state = State(to_state)
    if not can_transition(complaint.state, to_state):
        raise TransitionNotAllowed(_("A complaint cannot go from “%(from)s” to “%(to)s”.",
                                     **{"from": complaint.state.title, "to": to_state.title}))
    event = ComplaintEvent(
        city_id=complaint.city_id, complaint_id=complaint.id, kind="state", actor_id=actor_id,
        actor_label=actor_label, from_state=complaint.state, to_state=to_state,
        public_text=(public_text or "").strip() or None,
        internal_note=(internal_note or "").strip() or None)
    complaint.state = to_state
    if to_state in STAMPS:
        setattr(complaint, STAMPS[to_state], utcnow())
    if to_state == State.REOPENED:
        complaint.resolved_at = complaint.closed_at = None
    db.session.add(event)
    queue_state_change(complaint, event.public_text)
    db.session.flush()
    return event
