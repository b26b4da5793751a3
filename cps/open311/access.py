"""Who an Open311 request is for and from: the jurisdiction, the client's API key, and the
locale it asks for. An argument given empty counts as absent."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, g, request
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from cps import caching
from cps.cities import snapshots
from cps.cities.snapshots import CityInfo
from cps.db import utcnow
from cps.extensions import db
from cps.open311.errors import BadRequest, Forbidden, NotFound
from cps.open311.models import ApiKey

SPEC = "http://wiki.open311.org/GeoReport_v2"
# When this API last changed (discovery's changeset).
CHANGESET = "2026-11-23T00:00:00Z"
# How often, at most, a key's last use is written.
USED_EVERY = timedelta(minutes=1)

caching.watch(ApiKey)


def arg(source, name: str) -> str | None:
    """An argument; given empty, it is as if it were absent."""
    value = source.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


# Jurisdiction and keys -----------------------------------------------------------------------

def jurisdiction(source) -> CityInfo:
    """The city the request is for: jurisdiction_id (slug or domain), required when this
    install serves several cities. A per-process copy (cps.cities.snapshots)."""
    given = arg(source, "jurisdiction_id")
    cities = snapshots.directory()
    if given is None:
        if len(cities.ids) != 1:
            raise BadRequest(_("jurisdiction_id is required: this server serves several "
                               "cities."))
        city_id = cities.ids[0]
    else:
        city_id = _city_id(cities, given[:255])
        if city_id is None:   # not in this worker's copy: it may have been imported since
            city_id = _city_id(snapshots.directory(fresh=True), given[:255])
    city = snapshots.city_info(city_id) if city_id is not None else None
    if city is None:
        raise NotFound(_("Unknown jurisdiction_id."))
    return city


def _city_id(cities, given: str) -> int | None:
    return cities.by_slug.get(given) or cities.by_domain.get(given)


def presented_key(source=None) -> str | None:
    """The API key a client sent: in the body (api_key) or the X-Api-Key header."""
    source = source if source is not None else request.form
    return arg(source, "api_key") or arg(request.headers, "X-Api-Key")


@dataclass(frozen=True)
class KeyInfo:
    """An active API key as requests read it (a per-process copy of its row)."""

    id: int
    city_id: int
    name: str
    rate_limit: str | None


def key_row(key: str | None) -> KeyInfo | None:
    """The active key for `key`, looked up once per request and kept per process for
    REFERENCE_CACHE_SECONDS; an unknown or revoked key is looked up again each time."""
    if not key:
        return None
    if "open311_key" not in g:
        digest = ApiKey.digest(key[:200])
        g.open311_key = caching.cached("api_key", digest, lambda: _read_key(digest))
    return g.open311_key


def _read_key(digest: str) -> KeyInfo | None:
    row = db.session.execute(select(ApiKey.id, ApiKey.city_id, ApiKey.name, ApiKey.rate_limit)
                             .where(ApiKey.key_hash == digest,
                                    ApiKey.revoked_at.is_(None))).one_or_none()
    return KeyInfo(*row) if row is not None else None


def authenticate(city, source=None) -> KeyInfo:
    """The client's key for `city`; 403 when missing, wrong, revoked or another city's."""
    key = presented_key(source)
    if key is None:
        raise Forbidden(_("api_key is required."))
    row = key_row(key)
    if row is None or row.city_id != city.id:
        raise Forbidden(_("The api_key is not valid for this jurisdiction."))
    _mark_used(row)
    return row


def _mark_used(row: KeyInfo) -> None:
    """Write when the key was last used, at most once a minute: concurrent requests of one
    client must not queue on its row. Each process remembers when it last wrote; the UPDATE
    skips the row when another process wrote it within the minute."""
    now = utcnow()
    written = current_app.extensions.setdefault("cps_key_used", {})
    if row.id in written and now - written[row.id] < USED_EVERY:
        return
    written[row.id] = now
    # On the table, not the model: the cached copies do not hold the last use, and must not
    # be dropped for it (cps.caching drops them on ORM updates of the model).
    table = ApiKey.__table__
    db.session.execute(update(table).where(
        table.c.id == row.id, or_(table.c.last_used_at.is_(None),
                                  table.c.last_used_at < now - USED_EVERY),
    ).values(last_used_at=now))


def request_locale(city) -> str:
    """The locale asked for (locale=, else Accept-Language) among the city's, else its default."""
    wanted = arg(request.args, "locale") or arg(request.form, "locale")
    if wanted:
        wanted = wanted.replace("-", "_")
        for code in city.locales:
            if code.lower() == wanted.lower() or code.lower() == wanted.split("_")[0].lower():
                return code
    return request.accept_languages.best_match(city.locales) or city.default_locale
