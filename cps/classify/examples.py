"""What the classifier learns from: a city's complaints whose category staff confirmed or changed.

A complaint is an example when all of these hold:

- it belongs to the city, has a category and a description that is not blank;
- a staff member (an event with an `actor_id`, so never the system, a channel or the citizen)
  either moved it to acknowledged, in progress or resolved (working on it under its category
  confirms that category), or saved the "change the category or the place" form on it (a
  `reroute` event by staff: they saw the category there and chose or kept it);
- it is not rejected: a rejected complaint is often no real problem of any category.

Its label is the category it has now, so a complaint staff re-classified teaches the category
they chose, not the one the citizen or the keywords gave it.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, or_, select

from cps.cities.models import Category
from cps.complaints.models import Complaint, ComplaintEvent
from cps.complaints.states import State
from cps.extensions import db

# States a staff member moves a complaint to only once they take it as what it says it is.
WORKED_STATES = (State.ACKNOWLEDGED, State.IN_PROGRESS, State.RESOLVED)


@dataclass(frozen=True)
class Example:
    """One complaint's words and the category staff confirmed for it."""

    complaint_id: int
    text: str
    # The category's code: the model's labels are strings (see cps.classify.training).
    category: str
    created_at: datetime


def confirmed_examples(city_id: int, limit: int) -> list[Example]:
    """The city's newest `limit` staff-confirmed complaints (see the module), oldest first."""
    rows = db.session.execute(select(
        Complaint.id, Complaint.description, Category.code, Complaint.created_at)
        .join(Category, Complaint.category_id == Category.id).where(
        Complaint.city_id == city_id, Complaint.state != State.REJECTED,
        exists(_staff_confirmed()))
        .order_by(Complaint.created_at.desc(), Complaint.id.desc()).limit(limit)).all()
    return [Example(r.id, r.description.strip(), r.code, r.created_at)
            for r in reversed(rows) if r.description and r.description.strip()]


def _staff_confirmed():
    """Correlated condition: a staff event on the complaint that confirms its category."""
    return select(ComplaintEvent.id).where(
        ComplaintEvent.complaint_id == Complaint.id, ComplaintEvent.actor_id.is_not(None),
        or_(ComplaintEvent.kind == "reroute",
            and_(ComplaintEvent.kind == "state", ComplaintEvent.to_state.in_(WORKED_STATES))))
