"""The intake service every channel calls, and the re-routing staff actions use.

Functions here flush; the caller (view, CLI command, job) commits or rolls back.
"""

import math
import struct
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from geoalchemy2.elements import WKBElement
from geoalchemy2.shape import to_shape
from sqlalchemy import func, select
from sqlalchemy.orm import make_transient_to_detached

from cps.cities import snapshots
from cps.cities.calendar import deadline_for
from cps.cities.models import City
from cps.complaints import validation, writes
from cps.complaints.errors import UnknownCategory
from cps.complaints.keys import key_digest
from cps.complaints.models import Channel, Complaint, ComplaintEvent
from cps.complaints.references import new_reference
from cps.complaints.states import CLOSED_STATES
from cps.complaints.storage import attach
from cps.db import utcnow
from cps.extensions import db
from cps.jobs import hooks as jobs_hooks
from cps.notify.models import Outbox
from cps.notify.services import is_opted_out
from cps.routing.coordinates import checked
from cps.routing.index import distance_m
from cps.routing.locate import Location, locate, place_point
from cps.routing.services import route
from cps.settings import city_setting

# EWKB geometry type of a point with an SRID (wkbPoint | the SRID flag).
EWKB_POINT_WITH_SRID = 0x20000001


def submit_complaint(city, channel: Channel, fields: dict) -> Complaint:
    """Validate, locate, route and save a complaint with its first event and outbox rows;
    the complaint's ORM object, as if loaded (reading it costs no query). See file_complaint.
    """
    filed = file_complaint(city, channel, fields)
    complaint = Complaint(id=filed.id, **writes.every_column(Complaint.__table__, filed.row))
    # Persistent, with every column known: the next flush writes nothing for it.
    make_transient_to_detached(complaint)
    db.session.add(complaint)
    return complaint


@dataclass(frozen=True)
class Filed:
    """A complaint just written: what a channel answers with, and the columns of its row."""

    id: int
    city_id: int
    reference: str
    deadline: datetime | None
    row: dict


def file_complaint(city, channel: Channel, fields: dict) -> Filed:
    """submit_complaint() without the ORM object, for a caller that answers at once (Open311).

    `city` is the City or its per-process copy (cps.cities.snapshots.CityInfo); categories,
    holidays and departments are read from the copy either way.
    `fields["partial"]`: an unfinished report (an SMS conversation that expired) is saved as
    far as it goes, without a category if it has none, and waits in the triage queue.
    `fields["columns"]`: more Complaint columns a channel sets (Open311: its client's key and
    ids), saved with the rest.
    """
    partial = bool(fields.get("partial"))
    info = snapshots.city_info(city.id)
    category = (find_category(city, fields.get("category"))
                if fields.get("category") or not partial else None)
    values = {
        "city_id": city.id, "channel": Channel(channel), "category_id": category and category.id,
        "description": validation.description(fields.get("description")),
        "answers": validation.answers(category, fields.get("answers")) if category else {},
        "address_text": validation.clean_text(fields.get("address_text"), 500)[:500] or None,
        **_reporter(city, fields)}
    photos = fields.get("photos") or []
    positions = [*(fields.get("photo_positions") or ()), *(p.position for p in photos)]
    location = locate(city, fields.get("lat"), fields.get("lon"), fields.get("location_text"),
                      positions)
    values.update(_place(location, values["address_text"]))
    values["department_id"] = None if partial else route(city, category.id,
                                                         values["district_id"])
    values["created_at"] = values["updated_at"] = utcnow()
    values["deadline"] = category and deadline_for(city, values["created_at"],
                                                   category.deadline_days, info.holiday_days)
    values["submission_key"] = fields.get("submission_key") or None
    if fields.get("owner_key"):
        values["owner_key_hash"] = key_digest(fields["owner_key"])
    values.update(fields.get("columns") or {})
    filed = _save(city, info, values, location, fields.get("actor_id"),
                  fields.get("owner_key"))
    if photos:
        attach(filed, photos)
    return filed


def find_category(city, code):
    """The active category of `city` with this code (a CategoryInfo); UnknownCategory
    otherwise."""
    category = snapshots.category(city, str(code or ""))
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


def _place(location: Location, address_text: str | None) -> dict:
    """The point, district and address columns of a complaint at `location`."""
    return {
        "point": _point(location.lon, location.lat) if location.found else None,
        "district_id": location.district_id,
        "address_text": address_text or location.place_name or None}


def _save(city, info, values: dict, location: Location, actor_id, owner_key) -> Filed:
    """Write the complaint with its first event and outbox rows, under a new random
    reference (another one while the one drawn is taken)."""
    row = writes.new_row(Complaint.__table__, values)
    event = writes.new_row(ComplaintEvent.__table__, {
        "city_id": row["city_id"], "kind": "created", "actor_id": actor_id,
        "actor_label": row["channel"].value, "to_state": row["state"],
        "data": {"location_source": location.source, "department_id": row["department_id"]}})
    # Their complaint_id is filled in when written.
    messages = [department_notice(row["city_id"], None,
                                  info.departments.get(row["department_id"]),
                                  info.default_locale)]
    messages.append(_receipt(row, owner_key))
    messages = [writes.new_row(Outbox.__table__, m) for m in messages if m is not None]
    length = city_setting(city, "REFERENCE_LENGTH")
    while True:
        row["reference"] = new_reference(city.reference_prefix, length)
        written = writes.write(row, event, messages)
        if written is not None:
            break
    complaint_id, outbox_ids = written
    jobs_hooks.created(db.session, outbox_ids)
    return Filed(complaint_id, row["city_id"], row["reference"], row["deadline"], row)


def _receipt(row: dict, owner_key: str | None) -> dict | None:
    """The receipt of a reporter who asked to be told: by e-mail, else by SMS to the phone
    they gave (web, Open311, the counter); an SMS reporter has theirs as the reply."""
    if not row["notify"] or row["channel"] == Channel.SMS:
        return None
    if row["reporter_email"]:
        return _email(row["city_id"], None, row["reporter_email"], "received",
                      row["reporter_locale"], {"owner_key": owner_key} if owner_key else {})
    if row["reporter_phone"] and not is_opted_out(row["city_id"], row["reporter_phone"]):
        return {"city_id": row["city_id"], "complaint_id": None, "channel": "sms",
                "recipient": row["reporter_phone"], "template": "received",
                "locale": row["reporter_locale"], "payload": {}}
    return None


def _email(city_id: int, complaint_id, recipient: str, template: str, locale: str,
           payload=None) -> dict:
    """The columns of an outbox row: an e-mail about a complaint."""
    return {"city_id": city_id, "complaint_id": complaint_id, "channel": "email",
            "recipient": recipient, "template": template, "locale": locale,
            "payload": payload or {}}


def department_notice(city_id: int, complaint_id, department, locale: str) -> dict | None:
    """The columns of the outbox row of the e-mail that tells `department` (if it has an
    address) of a new complaint, in `locale`."""
    if department is None or not department.email:
        return None
    return _email(city_id, complaint_id, department.email, "department_new", locale)


def tell_department(complaint: Complaint, department) -> None:
    """Queue the e-mail that tells `department` (if it has an address) of a new complaint."""
    row = department_notice(complaint.city_id, complaint.id, department,
                            complaint.city.default_locale)
    if row is not None:
        db.session.add(Outbox(**row))


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


def _point(lon: float, lat: float) -> WKBElement:
    """A point as EWKB (little-endian, with SRID 4326), which PostGIS reads as it is: the
    WKB from_shape() makes is turned into text through Shapely on every INSERT."""
    return WKBElement(struct.pack("<BIIdd", 1, EWKB_POINT_WITH_SRID, 4326, lon, lat),
                      srid=4326, extended=True)


def _move(complaint: Complaint, location: Location) -> None:
    for name, value in _place(location, complaint.address_text).items():
        setattr(complaint, name, value)


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
        _move(complaint, place_point(city, *checked(lat, lon), source="staff"))
    elif location_text:
        location = locate(city, text=location_text)
        complaint.address_text = location.place_name or location_text[:500]
        _move(complaint, location)
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
