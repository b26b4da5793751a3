"""An Open311 POST read into the fields of submit_complaint, the intake of every channel;
the checks the intake makes itself (coordinates, description, answers, contacts) stay there."""

import re
from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from flask_babel import gettext as _
from sqlalchemy import select

from cps.cities import snapshots
from cps.cities.formats import format_day
from cps.cities.snapshots import CategoryInfo, CityInfo
from cps.extensions import db
from cps.open311.access import arg
from cps.open311.errors import BadRequest
from cps.routing.models import District, Landmark

TEXT_MAX = 100


URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)


def intake_fields(city: CityInfo, form, locale: str) -> dict:
    """The fields of submit_complaint from an Open311 POST; BadRequest for what is wrong."""
    code = arg(form, "service_code")
    if code is None:
        raise BadRequest(_("service_code is required."))
    category = snapshots.category(city, code[:64])
    if category is None:
        raise BadRequest(_("Unknown service_code."))
    lat, lon = arg(form, "lat"), arg(form, "long")
    address, address_id = arg(form, "address_string"), arg(form, "address_id")
    if (lat is None) != (lon is None):
        raise BadRequest(_("lat and long go together."))
    if lat is None and address is None and address_id is None:
        raise BadRequest(_("A location is required: lat and long, address_string or "
                           "address_id."))
    if lat is None and address is None:
        address = _address_of(city, address_id)
    description = arg(form, "description")
    names = [arg(form, "first_name"), arg(form, "last_name")]
    return {
        "category": category.code, "description": description or category.name(locale),
        "lat": lat, "lon": lon, "location_text": address,
        "address_text": address if lat is not None else None,
        "answers": attributes(form, category),
        "reporter_name": " ".join(n for n in names if n) or None,
        "reporter_email": arg(form, "email"), "reporter_phone": arg(form, "phone"),
        # A client passes on the citizen's contact for the city to reach them: the receipt and
        # the changes go there (by e-mail, else by SMS), unless that contact opted out.
        "notify": bool(arg(form, "email") or arg(form, "phone")),
        "reporter_locale": locale,
    }


def _address_of(city: CityInfo, address_id: str) -> str:
    """address_id names a landmark or a district of the city by its code."""
    for model in (Landmark, District):
        name = db.session.scalar(select(model.name).where(model.city_id == city.id,
                                                           model.code == address_id[:64]))
        if name:
            return name
    raise BadRequest(_("Unknown address_id."))


def attributes(form, category: CategoryInfo) -> dict:
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


def notice(complaint, city: CityInfo, locale: str) -> str:
    """What the city will do: the reference, and when it expects to be done (`complaint`:
    a Complaint or the Filed of a new one)."""
    if complaint.deadline is None:
        return _("Received as %(ref)s.", ref=complaint.reference)
    return _("Received as %(ref)s; expected to be dealt with by %(date)s.",
             ref=complaint.reference,
             date=_long_date(complaint.deadline.astimezone(ZoneInfo(city.timezone)).date(),
                             locale, city.formats.get("calendar")))


@lru_cache(maxsize=512)
def _long_date(day: date, locale: str, calendar: str | None) -> str:
    """`day` written out in `locale` and the city's calendar: Babel takes a while, and deadlines
    fall on few days."""
    return format_day(day, "long", Locale.parse(locale), {"calendar": calendar})
