"""The intake service every channel calls, and the re-routing staff actions use.

Functions here flush; the caller (view, CLI command, job) commits or rolls back.
"""

import math
from datetime import timedelta

from flask_babel import gettext as _
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import Point
from sqlalchemy import func, select

from cps.cities import snapshots
from cps.cities.calendar import deadline_for
from cps.cities.models import City
from cps.complaints import validation
from cps.complaints.errors import UnknownCategory
from cps.complaints.keys import key_digest
from cps.complaints.models import Channel, Complaint, ComplaintEvent
from cps.complaints.references import new_reference
from cps.complaints.states import CLOSED_STATES
from cps.complaints.storage import attach
from cps.db import utcnow
from cps.extensions import db
from cps.notify.models import Outbox
from cps.routing.coordinates import checked
from cps.routing.index import distance_m
from cps.routing.locate import Location, locate, place_point
from cps.routing.services import route
from cps.settings import city_setting


def submit_complaint(city, channel: Channel, fields: dict) -> Complaint:
    """Validate, locate, route and save a complaint with its first event and outbox rows.

    `city` is the City or its per-process copy (cps.cities.snapshots.CityInfo); categories,
    holidays and departments are read from the copy either way.
    `fields["partial"]`: an unfinished report (an SMS conversation that expired) is saved as
    far as it goes, without a category if it has none, and waits in the triage queue.
    """
    partial = bool(fields.get("partial"))
    info = snapshots.city_info(city.id)
    category = (find_category(city, fields.get("category"))
                if fields.get("category") or not partial else None)
    complaint = Complaint(
        city_id=city.id, channel=Channel(channel), category_id=category and category.id,
        description=validation.description(fields.get("description")),
        answers=validation.answers(category, fields.get("answers")) if category else {},
        address_text=validation.clean_text(fields.get("address_text"), 500)[:500] or None,
        **_reporter(city, fields))
    photos = fields.get("photos") or []
    positions = [*(fields.get("photo_positions") or ()), *(p.position for p in photos)]
    location = locate(city, fields.get("lat"), fields.get("lon"), fields.get("location_text"),
                      positions)
    _place(complaint, location)
    complaint.department_id = None if partial else route(city, category.id,
                                                         complaint.district_id)
    complaint.created_at = complaint.updated_at = utcnow()
    complaint.deadline = category and deadline_for(city, complaint.created_at,
                                                   category.deadline_days, info.holiday_days)
    complaint.reference = _unique_reference(city)
    complaint.submission_key = fields.get("submission_key") or None
    if fields.get("owner_key"):
        complaint.owner_key_hash = key_digest(fields["owner_key"])
    db.session.add(complaint)
    db.session.flush()
    if photos:
        attach(complaint, photos)
    _record_intake(complaint, location, fields.get("actor_id"), fields.get("owner_key"), info)
    db.session.flush()
    return complaint


def find_category(city, code):
    """The active category of `city` with this code (a CategoryInfo); UnknownCategory
    otherwise."""
    info = snapshots.city_info(city.id)
    category = info.categories.get(str(code or "")) if info is not None else None
    if category is None:
        raise UnknownCategory(_("Please choose what kind of problem it is."), field="category")
    return category


def _reporter(city, fields: dict) -> dict:
    return {
        "reporter_name": validation.clean_text(fields.get("reporter_name"), 200)[:200] or None,
        "reporter_phone": validation.phone(fields.get("reporter_phone"), city.country_code),
        "reporter_email": validation.email(fields.get("reporter_email")),
        "reporter_locale": fields.get("reporter_locale") if fields.get("reporter_locale")
        in city.locales else city.default_locale,
        "notify": bool(fields.get("notify")),
        "show_name": bool(fields.get("show_name")),
    }


def _place(complaint: Complaint, location: Location) -> None:
    if location.found:
        complaint.point = from_shape(Point(location.lon, location.lat), srid=4326)
    else:
        complaint.point = None
    complaint.district_id = location.district_id
    if location.place_name and not complaint.address_text:
        complaint.address_text = location.place_name


def _unique_reference(city) -> str:
    length = city_setting(city, "REFERENCE_LENGTH")
    while True:
        reference = new_reference(city.reference_prefix, length)
        taken = db.session.scalar(select(Complaint.id).where(
            Complaint.city_id == city.id, Complaint.reference == reference))
        if taken is None:
            return reference


def _record_intake(complaint: Complaint, location: Location, actor_id, owner_key,
                   info) -> None:
    db.session.add(ComplaintEvent(
        city_id=complaint.city_id, complaint_id=complaint.id, kind="created",
        actor_id=actor_id, actor_label=complaint.channel.value, to_state=complaint.state,
        data={"location_source": location.source, "department_id": complaint.department_id}))
    tell_department(complaint, info.departments.get(complaint.department_id),
                    info.default_locale)
    if complaint.notify and complaint.reporter_email and complaint.channel != Channel.SMS:
        db.session.add(Outbox(city_id=complaint.city_id, complaint_id=complaint.id,
                              channel="email", recipient=complaint.reporter_email,
                              template="received", locale=complaint.reporter_locale,
                              payload={"owner_key": owner_key} if owner_key else {}))


def tell_department(complaint: Complaint, department, locale: str | None = None) -> None:
    """Queue the e-mail that tells `department` (if it has an address) of a new complaint,
    in `locale` (by default the city's)."""
    if department is not None and department.email:
        db.session.add(Outbox(city_id=complaint.city_id, complaint_id=complaint.id,
                              channel="email", recipient=department.email,
                              template="department_new",
                              locale=locale or complaint.city.default_locale))


def find_submission(city: City, key: str | None) -> Complaint | None:
    """The complaint already made from the form with this one-time key, if any."""
    if not key:
        return None
    return db.session.scalar(select(Complaint).where(
        Complaint.city_id == city.id, Complaint.submission_key == str(key)[:64]))


def find_duplicates(city: City, category_id: int, lat: float, lon: float,
                    exclude_id: int | None = None) -> list[tuple[Complaint, float]]:
    """Open complaints of the category near the point and recent enough, nearest first."""
    radius = city_setting(city, "DUPLICATE_RADIUS_M")
    since = utcnow() - timedelta(days=city_setting(city, "DUPLICATE_MAX_AGE_DAYS"))
    dlat = radius / 111_320
    dlon = radius / (111_320 * max(0.01, math.cos(math.radians(lat))))
    rows = db.session.scalars(select(Complaint).where(
        Complaint.city_id == city.id, Complaint.category_id == category_id,
        Complaint.state.not_in(CLOSED_STATES), Complaint.created_at >= since,
        Complaint.hidden.is_(False), Complaint.point.is_not(None),
        func.ST_Y(Complaint.point).between(lat - dlat, lat + dlat),
        func.ST_X(Complaint.point).between(lon - dlon, lon + dlon))).all()
    found = [(c, distance_m(lat, lon, *_latlon(c))) for c in rows if c.id != exclude_id]
    return sorted([(c, d) for c, d in found if d <= radius], key=lambda cd: cd[1])


def _latlon(complaint: Complaint) -> tuple[float, float]:
    point = to_shape(complaint.point)
    return point.y, point.x


def reroute(complaint: Complaint, actor_id: int | None, category_code=None, lat=None, lon=None,
            department_id: int | None = None, note: str | None = None,
            location_text: str | None = None) -> ComplaintEvent:
    """Change category and/or location; the department follows the rules unless staff pick it.

    The location is a point (`lat`, `lon`) or what a citizen could type (`location_text`: a
    place, a landmark, coordinates, a Plus Code)."""
    city = complaint.city
    before = {"category_id": complaint.category_id, "district_id": complaint.district_id,
              "department_id": complaint.department_id}
    if category_code is not None:
        category = find_category(city, category_code)
        complaint.category_id = category.id
        complaint.deadline = deadline_for(city, complaint.created_at, category.deadline_days)
    if lat is not None or lon is not None:
        _place(complaint, place_point(city, *checked(lat, lon), source="staff"))
    elif location_text:
        location = locate(city, text=location_text)
        complaint.address_text = location.place_name or location_text[:500]
        _place(complaint, location)
    complaint.department_id = department_id or route(city, complaint.category_id,
                                                     complaint.district_id)
    after = {k: getattr(complaint, k) for k in before}
    event = ComplaintEvent(city_id=city.id, complaint_id=complaint.id, kind="reroute",
                           actor_id=actor_id, internal_note=note,
                           data={"before": before, "after": after})
    db.session.add(event)
    db.session.flush()
    db.session.expire(complaint, ["category", "district", "department"])
    return event
