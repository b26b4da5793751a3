"""The staff queue: what a staff member sees, filtered, searched and sorted."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import or_, select

from cps.cities.models import Category
from cps.complaints.models import Channel, Complaint
from cps.complaints.references import normalize
from cps.complaints.states import CLOSED_STATES, State
from cps.db import row_id, utcnow
from cps.routing.models import District
from cps.staff.access import visible

FILTERS = ("state", "category", "district", "assignee", "channel", "from", "to", "q", "sort")


def read_filters(args) -> tuple[dict, list[str]]:
    """The queue's filters from a query string, checked; problems are translated."""
    out = {key: str(args.get(key, ""))[:100].strip() for key in FILTERS}
    problems = []
    if out["state"] not in ("", "open", "overdue", "closed", *[s.value for s in State]):
        problems.append(_("Unknown status."))
        out["state"] = ""
    if out["channel"] not in ("", *[c.value for c in Channel]):
        problems.append(_("Unknown channel."))
        out["channel"] = ""
    for key in ("from", "to"):
        if out[key]:
            try:
                date.fromisoformat(out[key])
            except ValueError:
                problems.append(_("Dates look like 2026-11-23."))
                out[key] = ""
    if out["sort"] not in ("", "age", "deadline"):
        out["sort"] = ""
    return out, problems


def queue(user, filters: dict, triage: bool = False):
    """A SELECT of the complaints `user` sees that match `filters`."""
    query = select(Complaint).where(*visible(user))
    if triage:
        query = query.where(Complaint.department_id.is_(None))
    query = _state(query, filters["state"])
    if filters["category"]:
        query = query.join(Category, Complaint.category_id == Category.id).where(
            Category.code == filters["category"])
    if filters["district"]:
        query = query.join(District, Complaint.district_id == District.id).where(
            District.code == filters["district"])
    query = _assignee(query, user, filters["assignee"])
    if filters["channel"]:
        query = query.where(Complaint.channel == Channel(filters["channel"]))
    query = _dates(query, user, filters)
    query = _search(query, user, filters["q"])
    if filters["sort"] == "deadline":
        return query.order_by(Complaint.deadline.is_(None), Complaint.deadline, Complaint.id)
    return query.order_by(Complaint.created_at, Complaint.id)


def _state(query, state: str):
    if state in ("open", "overdue"):
        query = query.where(Complaint.state.not_in(CLOSED_STATES))
    if state == "overdue":
        query = query.where(Complaint.deadline < utcnow())
    elif state == "closed":
        query = query.where(Complaint.state.in_(CLOSED_STATES))
    elif state and state != "open":
        query = query.where(Complaint.state == State(state))
    return query


def _assignee(query, user, assignee: str):
    if assignee == "me":
        return query.where(Complaint.assignee_id == user.id)
    if assignee == "none":
        return query.where(Complaint.assignee_id.is_(None))
    if row_id(assignee):
        return query.where(Complaint.assignee_id == row_id(assignee))
    return query


def _dates(query, user, filters: dict):
    tz = ZoneInfo(user.city.timezone)
    if filters["from"]:
        query = query.where(Complaint.created_at >= datetime.combine(
            date.fromisoformat(filters["from"]), time(), tz))
    if filters["to"]:
        query = query.where(Complaint.created_at < datetime.combine(
            date.fromisoformat(filters["to"]) + timedelta(days=1), time(), tz))
    return query


def _search(query, user, text: str):
    if not text:
        return query
    reference = normalize(text, user.city.reference_prefix)
    pattern = "%" + text.replace("\\", "").replace("%", "").replace("_", "") + "%"
    conditions = [Complaint.description.ilike(pattern), Complaint.address_text.ilike(pattern)]
    if reference:
        conditions.append(Complaint.reference == reference)
    return query.where(or_(*conditions))
