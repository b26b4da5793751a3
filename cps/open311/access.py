"""Who an Open311 request is for and from: the jurisdiction, the client's API key, and the
locale it asks for. An argument given empty counts as absent."""

from datetime import timedelta

from flask import g, request
from flask_babel import gettext as _
from sqlalchemy import or_, select

from cps.cities.models import City
from cps.db import utcnow
from cps.extensions import db
from cps.open311.errors import BadRequest, Forbidden, NotFound
from cps.open311.models import ApiKey

SPEC = "http://wiki.open311.org/GeoReport_v2"
# When this API last changed (discovery's changeset).
CHANGESET = "2026-11-23T00:00:00Z"


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


def request_locale(city: City) -> str:
    """The locale asked for (locale=, else Accept-Language) among the city's, else its default."""
    wanted = arg(request.args, "locale") or arg(request.form, "locale")
    if wanted:
        wanted = wanted.replace("-", "_")
        for code in city.locales:
            if code.lower() == wanted.lower() or code.lower() == wanted.split("_")[0].lower():
                return code
    return request.accept_languages.best_match(city.locales) or city.default_locale
