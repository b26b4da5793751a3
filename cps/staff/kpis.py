"""How well a city (or one department) serves its citizens: the accountability figures.

Computed from the complaints of a period (by date of filing). Times are in hours; shares are
fractions from 0 to 1; None means "no data yet" (never a misleading zero).
"""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from cps.cities.formats import first_weekday
from cps.cities.models import Category, Department
from cps.complaints.models import Complaint, ComplaintEvent
from cps.complaints.states import CLOSED_STATES, State
from cps.db import utcnow
from cps.extensions import db
from cps.routing.models import District


@dataclass
class Figures:
    """The accountability figures of one set of complaints."""

    total: int = 0
    by_category: Counter = field(default_factory=Counter)
    by_district: Counter = field(default_factory=Counter)
    by_channel: Counter = field(default_factory=Counter)
    by_week: Counter = field(default_factory=Counter)  # by the date the week starts
    acknowledge_median_h: float | None = None
    acknowledge_p90_h: float | None = None
    resolve_median_h: float | None = None
    resolve_p90_h: float | None = None
    resolved: int = 0
    resolved_in_time_share: float | None = None
    overdue_now: int = 0
    reopened_share: float | None = None
    rating_average: float | None = None
    ratings: int = 0


def figures(city, start: datetime | None = None, end: datetime | None = None,
            department_id: int | None = None, public: bool = False) -> Figures:
    """The figures of the city's complaints filed in [start, end), for one department or all.

    `public`: leave out hidden complaints (the transparency page)."""
    rows = _rows(city, start, end, department_id, public)
    return _compute(rows, _names(city), _reopened_ids(city), _week_of(city))


def _rows(city, start, end, department_id, public) -> list[Complaint]:
    query = select(Complaint).where(Complaint.city_id == city.id)
    if department_id is not None:
        query = query.where(Complaint.department_id == department_id)
    if start is not None:
        query = query.where(Complaint.created_at >= start)
    if end is not None:
        query = query.where(Complaint.created_at < end)
    if public:
        query = query.where(Complaint.hidden.is_(False))
    return db.session.scalars(query).all()


def _week_of(city):
    """The first day (in the city's timezone and week) of the week a moment falls in."""
    zone, first = ZoneInfo(city.timezone), first_weekday(city)

    def week_of(moment: datetime) -> str:
        day = moment.astimezone(zone).date()
        return (day - timedelta(days=(day.weekday() - first) % 7)).isoformat()
    return week_of


def _compute(rows: list[Complaint], names: dict, reopened_ids: set[int], week_of) -> Figures:
    out = Figures(total=len(rows))
    for c in rows:
        out.by_category[names["category"].get(c.category_id, "—")] += 1
        out.by_district[names["district"].get(c.district_id, "—")] += 1
        out.by_channel[c.channel.value] += 1
        out.by_week[week_of(c.created_at)] += 1
    ack = [_hours(c.created_at, c.acknowledged_at) for c in rows if c.acknowledged_at]
    res = [_hours(c.created_at, c.resolved_at) for c in rows if c.resolved_at]
    out.acknowledge_median_h, out.acknowledge_p90_h = _median(ack), _p90(ack)
    out.resolve_median_h, out.resolve_p90_h = _median(res), _p90(res)
    timed = [c for c in rows if c.resolved_at and c.deadline]
    out.resolved = len(res)
    out.resolved_in_time_share = _share(sum(c.resolved_at <= c.deadline for c in timed),
                                        len(timed))
    now = utcnow()
    out.overdue_now = sum(1 for c in rows if c.state not in CLOSED_STATES and c.deadline
                          and c.deadline < now)
    out.reopened_share = _share(sum(c.id in reopened_ids for c in rows), len(res))
    ratings = [c.rating for c in rows if c.rating]
    out.ratings = len(ratings)
    out.rating_average = round(statistics.fmean(ratings), 2) if ratings else None
    return out


def _names(city) -> dict:
    return {"category": dict(db.session.execute(select(Category.id, Category.code).where(
                Category.city_id == city.id)).all()),
            "district": dict(db.session.execute(select(District.id, District.name).where(
                District.city_id == city.id)).all())}


def _reopened_ids(city) -> set[int]:
    """Ids of the city's complaints that were ever reopened (one query, not one per row)."""
    return set(db.session.scalars(select(ComplaintEvent.complaint_id).where(
        ComplaintEvent.city_id == city.id, ComplaintEvent.to_state == State.REOPENED)))


def _hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _p90(values: list[float]) -> float | None:
    """The 90th percentile (nearest rank): 90% of the values are at most this."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * 9 // 10))
    return round(ordered[rank - 1], 1)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def per_department(city, start=None, end=None, public: bool = False) -> list:
    """(department, figures) for every active department of the city, by code; the
    complaints are read once and grouped, not once per department."""
    departments = db.session.scalars(select(Department).where(
        Department.city_id == city.id, Department.active).order_by(Department.code)).all()
    groups = defaultdict(list)
    for complaint in _rows(city, start, end, None, public):
        groups[complaint.department_id].append(complaint)
    names, reopened = _names(city), _reopened_ids(city)
    week_of = _week_of(city)
    return [(d, _compute(groups[d.id], names, reopened, week_of)) for d in departments]
