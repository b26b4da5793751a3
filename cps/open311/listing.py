"""GET requests: the filters of the spec and of its common extensions, and each request as
clients read it (never a citizen's name, e-mail or phone)."""

import math
import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from flask_babel import gettext as _
from geoalchemy2.shape import to_shape
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from cps.cities.models import Category, City
from cps.complaints.models import Complaint, ComplaintEvent
from cps.complaints.states import CLOSED_STATES
from cps.db import utcnow
from cps.extensions import db
from cps.open311.access import arg
from cps.open311.errors import BadRequest
from cps.routing.coordinates import checked

MAX_ID_LIST = 100


def _moment(city: City, name: str, value: str, end_of_day=False) -> datetime:
    """A W3C datetime; a date alone is the start (or end) of that day in the city's timezone,
    and a time without a zone is the city's local time."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = datetime.fromisoformat(value).date()
            moment = datetime.combine(day, time.max if end_of_day else time.min)
        else:
            moment = datetime.fromisoformat(value.replace(" ", "+", 1) if "T" in value
                                            and " " in value else value)
    except ValueError:
        raise BadRequest(_("%(name)s must be a W3C datetime such as "
                           "2026-11-23T08:30:00+08:00.", name=name)) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(city.timezone))
    return moment.astimezone(UTC)


def window(city, source, first: str, last: str, default: bool):
    """A (start, end) range of at most OPEN311_MAX_DAYS, or (None, None) when not asked for."""
    start = arg(source, first)
    end = arg(source, last)
    if start is None and end is None and not default:
        return None, None
    span = timedelta(days=current_app.config["OPEN311_MAX_DAYS"])
    end_at = _moment(city, last, end, end_of_day=True) if end else None
    start_at = _moment(city, first, start) if start else None
    if end_at is None:
        end_at = utcnow()
    if start_at is None:
        start_at = end_at - span
    if start_at > end_at:
        raise BadRequest(_("%(first)s must come before %(last)s.", first=first, last=last))
    if end_at - start_at > span:
        raise BadRequest(_("The date range must not be longer than %(n)d days.",
                           n=span.days))
    return start_at, end_at


def _int_arg(source, name: str, default: int, low: int, high: int) -> int:
    value = arg(source, name)
    if value is None:
        return default
    if not re.fullmatch(r"\d{1,9}", value) or not low <= int(value) <= high:
        raise BadRequest(_("%(name)s must be a whole number from %(low)d to %(high)d.",
                           name=name, low=low, high=high))
    return int(value)


def _floats(value: str, name: str, count: int) -> list[float]:
    parts = value.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) != count or not all(math.isfinite(n) for n in numbers):
        raise BadRequest(_("%(name)s must be %(n)d numbers separated by commas.", name=name,
                           n=count))
    return numbers


def query(city: City, source) -> tuple:
    """The SELECT of GET requests and its page (page, page_size) from the arguments."""
    conditions = [Complaint.city_id == city.id, Complaint.hidden.is_(False)]
    ids = arg(source, "service_request_id")
    limit = current_app.config["OPEN311_MAX_REQUESTS"]
    page = _int_arg(source, "page", 1, 1, 1_000_000)
    size = _int_arg(source, "page_size", limit, 1, limit)
    if ids is not None:
        wanted = [i.strip().upper() for i in ids.split(",") if i.strip()][:MAX_ID_LIST]
        return select(Complaint).where(*conditions, Complaint.reference.in_(wanted)), 1, size
    codes = arg(source, "service_code")
    if codes is not None:
        wanted = [c.strip() for c in codes.split(",") if c.strip()]
        found = dict(db.session.execute(select(Category.code, Category.id).where(
            Category.city_id == city.id, Category.code.in_(wanted))).all())
        unknown = sorted(set(wanted) - set(found))
        if unknown:
            raise BadRequest(_("Unknown service_code: %(codes)s.", codes=", ".join(unknown)))
        conditions.append(Complaint.category_id.in_(found.values()))
    statuses = arg(source, "status")
    if statuses is not None:
        wanted = {s.strip().lower() for s in statuses.split(",") if s.strip()}
        if not wanted or wanted - {"open", "closed"}:
            raise BadRequest(_("status must be open, closed, or both separated by a comma."))
        if wanted == {"open"}:
            conditions.append(Complaint.state.not_in(CLOSED_STATES))
        elif wanted == {"closed"}:
            conditions.append(Complaint.state.in_(CLOSED_STATES))
    updated = window(city, source, "updated_after", "updated_before", default=False)
    if updated[0] is not None:
        conditions.append(Complaint.updated_at.between(*updated))
    start, end = window(city, source, "start_date", "end_date",
                         default=updated[0] is None)
    if start is not None:
        conditions.append(Complaint.created_at.between(start, end))
    conditions += _area(source)
    return (select(Complaint).where(*conditions).order_by(
        Complaint.created_at.desc(), Complaint.id.desc()), page, size)


def _area(source) -> list:
    """bbox=min_long,min_lat,max_long,max_lat, or lat/long with radius (metres)."""
    out = []
    bbox = arg(source, "bbox")
    if bbox is not None:
        west, south, east, north = _floats(bbox, "bbox", 4)
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise BadRequest(_("bbox must be min_long,min_lat,max_long,max_lat."))
        x, y = func.ST_X(Complaint.point), func.ST_Y(Complaint.point)
        out += [Complaint.point.is_not(None), x.between(west, east), y.between(south, north)]
    lat, lon = arg(source, "lat"), arg(source, "long")
    if lat is not None or lon is not None:
        if lat is None or lon is None:
            raise BadRequest(_("lat and long go together."))
        la, lo = checked(lat, lon)
        radius = _int_arg(source, "radius", 1000, 1, 50_000)
        dlat = radius / 111_320
        scale = math.cos(math.radians(la))
        dlon = radius / (111_320 * max(0.01, scale))
        x, y = func.ST_X(Complaint.point), func.ST_Y(Complaint.point)
        dx, dy = (x - lo) * scale * 111_320, (y - la) * 111_320
        out += [Complaint.point.is_not(None), x.between(lo - dlon, lo + dlon),
                y.between(la - dlat, la + dlat), dx * dx + dy * dy <= radius * radius]
    return out


# What describe() reads of a complaint, loaded with it: its city (which its category and
# department name themselves in), category, department and photos.
DESCRIBED = (joinedload(Complaint.city), joinedload(Complaint.category),
             joinedload(Complaint.department), selectinload(Complaint.photos))


def find(city: City, source) -> list[Complaint]:
    statement, page, size = query(city, source)
    return db.session.scalars(statement.options(*DESCRIBED).limit(size).offset(
        (page - 1) * size)).unique().all()


def public_events(complaints: list[Complaint]) -> dict[int, list[ComplaintEvent]]:
    """The public history of each complaint: state changes and public texts, oldest first."""
    if not complaints:
        return {}
    rows = db.session.scalars(select(ComplaintEvent).where(
        ComplaintEvent.complaint_id.in_([c.id for c in complaints]),
        or_(ComplaintEvent.to_state.is_not(None), ComplaintEvent.public_text.is_not(None)))
        .order_by(ComplaintEvent.id)).all()
    out: dict[int, list] = {}
    for row in rows:
        out.setdefault(row.complaint_id, []).append(row)
    return out


def when(moment: datetime | None, city: City) -> str | None:
    """A W3C datetime with the city's offset."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(city.timezone)).isoformat(timespec="seconds")


def describe(complaint: Complaint, city: City, locale: str, events: list,
             extensions: bool) -> dict:
    """One request as GET requests answers it: never a name, an e-mail or a phone."""
    point = to_shape(complaint.point) if complaint.point is not None else None
    notes = [e.public_text for e in events if e.public_text]
    photos = [p for p in complaint.photos if not p.hidden]
    media = (url_for("complaints.photo", city=city.slug, photo_id=photos[0].id, _external=True)
             if photos else complaint.media_url)
    out = {
        "service_request_id": complaint.reference,
        "status": "open" if complaint.state.is_open else "closed",
        "status_notes": notes[-1] if notes else None,
        "service_name": complaint.category.name(locale) if complaint.category else None,
        "service_code": complaint.category.code if complaint.category else None,
        "description": complaint.description,
        "agency_responsible": complaint.department.name(locale) if complaint.department
        else None,
        "service_notice": None,
        "requested_datetime": when(complaint.created_at, city),
        "updated_datetime": when(complaint.updated_at, city),
        "expected_datetime": when(complaint.deadline, city),
        "address": complaint.address_text,
        "address_id": None, "zipcode": None,
        "lat": round(point.y, 6) if point else None,
        "long": round(point.x, 6) if point else None,
        "media_url": media,
    }
    if extensions:
        out["extended_attributes"] = {
            "state": complaint.state.value, "state_title": str(complaint.state.title),
            "channel": complaint.channel.value,
            "district": complaint.district.display_name(locale) if complaint.district else None,
            "group": complaint.category.group if complaint.category else None,
            "supporters": len(complaint.supporters),
            "attributes": [{"code": k, "value": v} for k, v in (complaint.answers or {}).items()],
        }
        out["notes"] = [{"datetime": when(e.created_at, city), "type": "update",
                         "status": e.to_state.value if e.to_state else None,
                         "description": e.public_text} for e in events]
    return out
