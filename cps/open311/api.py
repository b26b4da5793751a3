"""What the Open311 endpoints do, apart from formats: find the jurisdiction, check keys, list
services, file requests through the common intake, and read requests and their updates."""

import math
import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import current_app, g, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from cps.cities.models import Category, City
from cps.complaints.models import Complaint, ComplaintEvent
from cps.complaints.states import CLOSED_STATES, State
from cps.db import utcnow
from cps.extensions import db
from cps.open311.errors import BadRequest, Forbidden, NotFound
from cps.open311.models import ApiKey
from cps.routing.models import District, Landmark

SPEC = "http://wiki.open311.org/GeoReport_v2"
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
MAX_ID_LIST = 100
TEXT_MAX = 100


def arg(source, name: str) -> str | None:
    """An argument; given empty, it is as if it were absent."""
    value = source.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


# Jurisdiction and keys -----------------------------------------------------------------------

def jurisdiction(source) -> City:
    """The city the request is for: jurisdiction_id (slug or domain), required when this
    install serves several cities."""
    given = arg(source, "jurisdiction_id")
    if given is None:
        cities = db.session.scalars(select(City).limit(2)).all()
        if len(cities) != 1:
            raise BadRequest(_("jurisdiction_id is required: this server serves several "
                               "cities."))
        return cities[0]
    city = db.session.scalar(select(City).where(or_(City.slug == given[:255],
                                                    City.domain == given[:255])))
    if city is None:
        raise NotFound(_("Unknown jurisdiction_id."))
    return city


def presented_key(source=None) -> str | None:
    """The API key a client sent: in the body (api_key) or the X-Api-Key header."""
    source = source if source is not None else request.form
    return arg(source, "api_key") or arg(request.headers, "X-Api-Key")


def key_row(key: str | None) -> ApiKey | None:
    """The active key row for `key`, looked up once per request."""
    if not key:
        return None
    if "open311_key" not in g:
        g.open311_key = db.session.scalar(select(ApiKey).where(
            ApiKey.key_hash == ApiKey.digest(key[:200]), ApiKey.revoked_at.is_(None)))
    return g.open311_key


def authenticate(city: City, source=None) -> ApiKey:
    """The client's key for `city`; 403 when missing, wrong, revoked or another city's."""
    key = presented_key(source)
    if key is None:
        raise Forbidden(_("api_key is required."))
    row = key_row(key)
    if row is None or row.city_id != city.id:
        raise Forbidden(_("The api_key is not valid for this jurisdiction."))
    now = utcnow()
    # At most once a minute: concurrent requests of one client must not queue on its row.
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
        row.last_used_at = now
    return row


# Services ------------------------------------------------------------------------------------

def request_locale(city: City) -> str:
    """The locale asked for (locale=, else Accept-Language) among the city's, else its default."""
    wanted = arg(request.args, "locale") or arg(request.form, "locale")
    if wanted:
        wanted = wanted.replace("-", "_")
        for code in city.locales:
            if code.lower() == wanted.lower() or code.lower() == wanted.split("_")[0].lower():
                return code
    return request.accept_languages.best_match(city.locales) or city.default_locale


def _categories(city: City) -> list[Category]:
    return db.session.scalars(select(Category).where(
        Category.city_id == city.id, Category.active).order_by(
            Category.position, Category.code)).all()


def services(city: City, locale: str) -> list[dict]:
    return [{
        "service_code": c.code, "service_name": c.name(locale),
        "description": c.description(locale) or None, "metadata": bool(c.questions),
        "type": "realtime",
        "keywords": ",".join((c.keywords or {}).get(locale) or (c.keywords or {}).get(
            city.default_locale) or []) or None,
        "group": c.group} for c in _categories(city)]


def service_definition(city: City, code: str, locale: str) -> dict:
    category = db.session.scalar(select(Category).where(
        Category.city_id == city.id, Category.code == code[:64], Category.active))
    if category is None:
        raise NotFound(_("Unknown service_code."))
    return {"service_code": category.code, "attributes": [{
        "variable": True, "code": q["code"], "datatype": q["datatype"],
        "required": bool(q.get("required")),
        "datatype_description": _datatype_description(q["datatype"]),
        "order": i + 1, "description": _pick(q.get("names"), locale, city),
        "values": [{"key": v["key"], "name": _pick(v.get("names"), locale, city)}
                   for v in q.get("values") or []],
    } for i, q in enumerate(category.questions or [])]}


def _pick(texts, locale, city) -> str:
    from cps.i18n import pick_text

    return pick_text(texts, locale, city.default_locale)


def _datatype_description(datatype: str) -> str | None:
    return {"number": _("A number, e.g. 3 or 2.5"),
            "datetime": _("A date and time in ISO 8601, e.g. 2026-11-23T08:30:00+08:00"),
            "singlevaluelist": _("One of the keys of values"),
            "multivaluelist": _("One or more of the keys of values")}.get(datatype)


# Filing a request ----------------------------------------------------------------------------

URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)


def intake_fields(city: City, form, locale: str) -> dict:
    """The fields of submit_complaint from an Open311 POST; BadRequest for what is wrong."""
    code = arg(form, "service_code")
    if code is None:
        raise BadRequest(_("service_code is required."))
    category = db.session.scalar(select(Category).where(
        Category.city_id == city.id, Category.code == code[:64], Category.active))
    if category is None:
        raise BadRequest(_("Unknown service_code."))
    lat, lon = arg(form, "lat"), arg(form, "long")
    address, address_id = arg(form, "address_string"), arg(form, "address_id")
    if (lat is None) != (lon is None):
        raise BadRequest(_("lat and long go together."))
    if lat is None and address is None and address_id is None:
        raise BadRequest(_("A location is required: lat and long, address_string or "
                           "address_id."))
    if lat is not None:
        _coordinates(lat, lon)
    if lat is None and address is None:
        address = _address_of(city, address_id)
    description = arg(form, "description")
    if description and len(description) > current_app.config["MAX_DESCRIPTION_LENGTH"]:
        raise BadRequest(_("description is too long (at most %(max)d characters).",
                           max=current_app.config["MAX_DESCRIPTION_LENGTH"]))
    names = [arg(form, "first_name"), arg(form, "last_name")]
    return {
        "category": category.code, "description": description or category.name(locale),
        "lat": lat, "lon": lon, "location_text": address,
        "address_text": address if lat is not None else None,
        "answers": attributes(form, category),
        "reporter_name": " ".join(n for n in names if n) or None,
        "reporter_email": arg(form, "email"), "reporter_phone": arg(form, "phone"),
        "reporter_locale": locale,
    }


def _coordinates(lat: str, lon: str) -> None:
    try:
        la, lo = float(lat), float(lon)
    except ValueError:
        raise BadRequest(_("lat and long must be numbers.")) from None
    if not (math.isfinite(la) and math.isfinite(lo) and -90 <= la <= 90 and -180 <= lo <= 180):
        raise BadRequest(_("lat must be from -90 to 90 and long from -180 to 180."))


def _address_of(city: City, address_id: str) -> str:
    """address_id names a landmark or a district of the city by its code."""
    for model in (Landmark, District):
        name = db.session.scalar(select(model.name).where(model.city_id == city.id,
                                                           model.code == address_id[:64]))
        if name:
            return name
    raise BadRequest(_("Unknown address_id."))


def attributes(form, category: Category) -> dict:
    """attribute[CODE] and attribute[CODE][] (several values) as the category's answers."""
    answers = {}
    for question in category.questions or []:
        name = f"attribute[{question['code']}]"
        many = [v for v in form.getlist(name + "[]") if str(v).strip()]
        if question["datatype"] == "multivaluelist":
            many += [v for v in form.getlist(name) if str(v).strip()]
            if many:
                answers[question["code"]] = many
        else:
            value = arg(form, name)
            if value is not None:
                answers[question["code"]] = value
    return answers


def client_fields(form) -> dict:
    """device_id, account_id and media_url as the complaint keeps them."""
    out = {}
    for name in ("device_id", "account_id"):
        value = arg(form, name)
        if value is not None and len(value) > TEXT_MAX:
            raise BadRequest(_("%(name)s is too long (at most %(max)d characters).", name=name,
                               max=TEXT_MAX))
        out[name] = value
    media = arg(form, "media_url")
    if media is not None and (len(media) > 1000 or not URL.match(media)):
        raise BadRequest(_("media_url must be an http or https URL."))
    out["media_url"] = media
    return out


def notice(complaint: Complaint, locale: str) -> str:
    """What the city will do: the reference, and when it expects to be done."""
    if complaint.deadline is None:
        return _("Received as %(ref)s.", ref=complaint.reference)
    return _("Received as %(ref)s; expected to be dealt with by %(date)s.",
             ref=complaint.reference,
             date=format_date(complaint.deadline.astimezone(
                 ZoneInfo(complaint.city.timezone)).date(), "long", locale=locale))


# Reading requests ----------------------------------------------------------------------------

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


def _window(city, source, first: str, last: str, default: bool):
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
    updated = _window(city, source, "updated_after", "updated_before", default=False)
    if updated[0] is not None:
        conditions.append(Complaint.updated_at.between(*updated))
    start, end = _window(city, source, "start_date", "end_date",
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
        _coordinates(lat, lon)
        la, lo = float(lat), float(lon)
        radius = _int_arg(source, "radius", 1000, 1, 50_000)
        dlat = radius / 111_320
        scale = math.cos(math.radians(la))
        dlon = radius / (111_320 * max(0.01, scale))
        x, y = func.ST_X(Complaint.point), func.ST_Y(Complaint.point)
        dx, dy = (x - lo) * scale * 111_320, (y - la) * 111_320
        out += [Complaint.point.is_not(None), x.between(lo - dlon, lo + dlon),
                y.between(la - dlat, la + dlat), dx * dx + dy * dy <= radius * radius]
    return out


def find(city: City, source) -> list[Complaint]:
    statement, page, size = query(city, source)
    return db.session.scalars(statement.options(
        joinedload(Complaint.category), joinedload(Complaint.department),
        selectinload(Complaint.photos)).limit(size).offset((page - 1) * size)).unique().all()


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
    from geoalchemy2.shape import to_shape

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


# mySociety's servicerequestupdates -----------------------------------------------------------

UPDATE_STATUS = {
    State.RECEIVED: "OPEN", State.ACKNOWLEDGED: "INVESTIGATING",
    State.IN_PROGRESS: "IN_PROGRESS", State.RESOLVED: "FIXED", State.CLOSED: "CLOSED",
    State.REJECTED: "NO_FURTHER_ACTION", State.DUPLICATE: "DUPLICATE", State.REOPENED: "OPEN",
}


def updates(city: City, source) -> list[dict]:
    """Public updates of the city's requests in a window (state changes and public texts)."""
    start, end = _window(city, source, "start_date", "end_date", default=True)
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
    from cps.complaints.citizen import can_reopen, reopen

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
