"""The Open311 GeoReport v2 endpoints under /open311/v2/, in XML or JSON by their suffix.

Every answer, errors included, is in the format asked for and in the spec's shapes. POSTs need
an API key (in the body or the X-Api-Key header) and are limited per key; reads are limited
per client address."""

import secrets
import threading
import time

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select

from cps.complaints.errors import PhotoTooLarge
from cps.complaints.models import Channel, Complaint
from cps.complaints.photos import process_photo
from cps.complaints.services import file_complaint
from cps.complaints.storage import pending, stash
from cps.domain import DomainError
from cps.extensions import csrf, db, limiter
from cps.open311 import access, catalogue, intake, listing, updates
from cps.open311.errors import BadRequest, NotFound, Open311Error
from cps.open311.formats import respond
from cps.open311.models import ApiKey

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
csrf.exempt(bp)
FORMATS = ("xml", "json")


def _format() -> str:
    return "xml" if request.path.endswith(".xml") else "json"


def _split(name: str) -> tuple[str, str]:
    """"ABC.json" -> ("ABC", "json"); an unknown suffix is a 404 in JSON."""
    stem, _dot, fmt = name.rpartition(".")
    if fmt not in FORMATS or not stem:
        raise NotFound(_("Unknown format: use .xml or .json."))
    return stem, fmt


def _check(fmt: str) -> str:
    if fmt not in FORMATS:
        raise NotFound(_("Unknown format: use .xml or .json."))
    return fmt


@bp.errorhandler(Open311Error)
def _refused(error: Open311Error):
    db.session.rollback()
    return error.response(_format())


@bp.errorhandler(DomainError)
def _domain(error: DomainError):
    db.session.rollback()
    status = 413 if isinstance(error, PhotoTooLarge) else 400
    return Open311Error(status, error.message, getattr(error, "code", status)).response(
        _format())


def _read_limit() -> str:
    return current_app.config["OPEN311_READ_LIMIT"]


def _key_limit() -> str:
    row = access.key_row(access.presented_key())
    return (row.rate_limit if row is not None and row.rate_limit
            else current_app.config["OPEN311_KEY_LIMIT"])


def _key_identity() -> str:
    """Limits count per API key (its digest); without a key, per client address."""
    key = access.presented_key()
    return "open311-key:" + ApiKey.digest(key)[:32] if key else request.remote_addr or "-"


class _ShortCache:
    """A few answers kept for OPEN311_CACHE_SECONDS (0: never), the oldest dropped first."""

    SIZE = 64

    def __init__(self):
        self._items: dict = {}
        self._lock = threading.Lock()

    def get(self, key):
        seconds = current_app.config["OPEN311_CACHE_SECONDS"]
        with self._lock:
            found = self._items.get(key)
        if not seconds or found is None or time.monotonic() - found[0] > seconds:
            return None
        body, status, headers = found[1]
        return current_app.response_class(body, status=status, headers=headers)

    def put(self, key, response) -> None:
        if not current_app.config["OPEN311_CACHE_SECONDS"]:
            return
        with self._lock:
            if len(self._items) >= self.SIZE:
                self._items.pop(next(iter(self._items)))
            self._items[key] = (time.monotonic(), (response.get_data(), response.status_code,
                                                   dict(response.headers)))


_listing_cache = _ShortCache()
read_limit = limiter.limit(_read_limit, methods=["GET"])
key_limit = limiter.limit(_key_limit, key_func=_key_identity, methods=["POST"])


@bp.get("/discovery.<fmt>")
@read_limit
def discovery(fmt):
    _check(fmt)
    base = request.url_root.rstrip("/") + bp.url_prefix + "/"
    return respond(fmt, "discovery", {
        "changeset": access.CHANGESET,
        "contact": current_app.config["OPEN311_CONTACT"] or _(
            "The city's administrators, through its complaints office."),
        "key_service": _("API keys are issued by each city's administrators."),
        "endpoints": [{"specification": access.SPEC, "url": base,
                       "changeset": access.CHANGESET, "type": kind,
                       "formats": ["text/xml", "application/json"]}
                      for kind in ("production", "test")],
    })


@bp.get("/services.<fmt>")
@read_limit
def services(fmt):
    _check(fmt)
    city = access.jurisdiction(request.args)
    return respond(fmt, "services", catalogue.services(city, access.request_locale(city)))


@bp.get("/services/<path:name>")
@read_limit
def service_definition(name):
    code, fmt = _split(name)
    city = access.jurisdiction(request.args)
    return respond(fmt, "service_definition",
                   catalogue.service_definition(city, code, access.request_locale(city)))


@bp.get("/requests.<fmt>")
@read_limit
def requests(fmt):
    """Requests in a window, newest first. The same question within OPEN311_CACHE_SECONDS
    gets the same answer from this process's memory: clients poll, and a list of 1,000
    requests costs far more to build than to send."""
    _check(fmt)
    city = access.jurisdiction(request.args)
    locale = access.request_locale(city)
    key = (city.id, city.geo_version, fmt, locale, request.query_string)
    cached = _listing_cache.get(key)
    if cached is not None:
        return cached
    found = listing.find(city, request.args)
    extensions = (access.arg(request.args, "extensions") or "").lower() == "true"
    events = listing.public_events(found)
    response = respond(fmt, "service_requests", [
        listing.describe(c, city, locale, events.get(c.id, []), extensions) for c in found])
    _listing_cache.put(key, response)
    return response


@bp.post("/requests.<fmt>")
@key_limit
def create_request(fmt):
    """File a complaint through the intake every channel uses; answer its id and token."""
    _check(fmt)
    form = request.form
    city = access.jurisdiction(form)
    key = access.authenticate(city)
    locale = access.request_locale(city)
    fields = intake.intake_fields(city, form, locale)
    client = intake.client_fields(form)
    token = secrets.token_urlsafe(18)
    complaint = file_complaint(city, Channel.OPEN311, {
        **fields, "submission_key": token, "photos": _uploads(),
        "columns": {"api_key_id": key.id, **client}})
    db.session.commit()
    return respond(fmt, "service_requests", [{
        "service_request_id": complaint.reference, "token": token,
        "service_notice": intake.notice(complaint, city, locale),
        "account_id": client["account_id"]}], 201)


def _uploads() -> list:
    """Photos sent as multipart "media" (or "media[]") files."""
    files = [f for name in ("media", "media[]") for f in request.files.getlist(name)
             if f and f.filename]
    if len(files) > current_app.config["MAX_PHOTOS"]:
        raise BadRequest(_("At most %(n)d photos, please.", n=current_app.config["MAX_PHOTOS"]))
    photos = []
    for upload in files:
        photos.append(pending(stash(process_photo(upload.read(), upload.filename))))
    return photos


@bp.get("/requests/<path:name>")
@read_limit
def one_request(name):
    reference, fmt = _split(name)
    city = access.jurisdiction(request.args)
    complaint = db.session.scalar(select(Complaint).where(
        Complaint.city_id == city.id, Complaint.reference == reference.upper()[:24],
        Complaint.hidden.is_(False)).options(*listing.DESCRIBED))
    if complaint is None:
        raise NotFound(_("Unknown service_request_id."))
    extensions = (access.arg(request.args, "extensions") or "").lower() == "true"
    events = listing.public_events([complaint])
    return respond(fmt, "service_requests", [listing.describe(
        complaint, city, access.request_locale(city), events.get(complaint.id, []), extensions)])


@bp.get("/tokens/<path:name>")
@read_limit
def token(name):
    token_id, fmt = _split(name)
    city = access.jurisdiction(request.args)
    reference = db.session.scalar(select(Complaint.reference).where(
        Complaint.city_id == city.id, Complaint.submission_key == token_id[:64],
        Complaint.channel == Channel.OPEN311, Complaint.hidden.is_(False)))
    if reference is None:
        raise NotFound(_("Unknown token."))
    return respond(fmt, "service_requests", [{"service_request_id": reference,
                                              "token": token_id}])


@bp.get("/servicerequestupdates.<fmt>")
@read_limit
def request_updates(fmt):
    """mySociety's extension: public updates of requests in a window, oldest first."""
    _check(fmt)
    city = access.jurisdiction(request.args)
    return respond(fmt, "service_request_updates", updates.updates(city, request.args))


@bp.post("/servicerequestupdates.<fmt>")
@key_limit
def post_request_update(fmt):
    """mySociety's extension: a citizen's update from a client such as FixMyStreet."""
    _check(fmt)
    city = access.jurisdiction(request.form)
    key = access.authenticate(city)
    event = updates.post_update(city, key, request.form)
    db.session.commit()
    return respond(fmt, "service_request_updates", [{"update_id": str(event.id)}], 201)


@bp.get("/openapi.json")
def openapi():
    """This API described in OpenAPI 3."""
    from cps.open311.openapi import document

    return jsonify(document(request.url_root.rstrip("/") + bp.url_prefix))
