"""Photos sent by MMS: fetched from the provider by a job (size-limited), stripped of metadata
and attached; their GPS places a complaint that has no place yet."""

import logging
from urllib.parse import urlsplit

import requests
from flask import current_app
from geoalchemy2.shape import from_shape
from shapely.geometry import Point

from cps.complaints.errors import PhotoError
from cps.complaints.models import Complaint
from cps.complaints.photos import process_photo
from cps.complaints.storage import attach, pending, stash
from cps.extensions import db
from cps.notify.channels import TASKS, Message, PermanentFailure, TemporaryFailure
from cps.routing.errors import LocationError
from cps.routing.locate import place_point

log = logging.getLogger(__name__)


def fetch_media(message: Message) -> str:
    """Download the message's media URLs and attach them to its complaint."""
    complaint = db.session.get(Complaint, message.complaint_id or 0)
    if complaint is None:
        raise PermanentFailure("the complaint of these photos no longer exists")
    room = max(0, current_app.config["MAX_PHOTOS"] - len(complaint.photos))
    urls = [u for u in message.payload.get("urls", []) if _allowed(u)][:room]
    photos = [p for p in (_photo(url) for url in urls) if p is not None]
    for photo in photos:
        attach(complaint, [pending(stash(photo))])
        if complaint.point is None and photo.position is not None:
            _place(complaint, photo.position)
    db.session.commit()
    return f"media-{len(photos)}"


def _allowed(url: str) -> bool:
    """Only the provider's own media hosts: a URL is never fetched just because it was given."""
    parts = urlsplit(str(url))
    hosts = set(current_app.config["SMS_MEDIA_HOSTS"])
    if current_app.config["TWILIO_API_URL"]:
        hosts.add(urlsplit(current_app.config["TWILIO_API_URL"]).hostname)
    return parts.scheme in ("https", "http") and parts.hostname in hosts


def _photo(url: str):
    data = _download(url)
    if data is None:
        return None
    try:
        return process_photo(data, "MMS")
    except PhotoError as error:
        log.info("MMS media skipped: %s", error.message)
        return None


def _download(url: str) -> bytes | None:
    config = current_app.config
    limit = config["SMS_MAX_MEDIA_BYTES"]
    try:
        with requests.get(url, auth=(config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"]),
                          timeout=config["PROVIDER_TIMEOUT"], stream=True) as response:
            if response.status_code >= 500 or response.status_code == 429:
                raise TemporaryFailure(f"media server answered HTTP {response.status_code}")
            if response.status_code >= 400:
                log.info("MMS media skipped: HTTP %s", response.status_code)
                return None
            data = b""
            for chunk in response.iter_content(64 * 1024):
                data += chunk
                if len(data) > limit:
                    log.info("MMS media skipped: larger than %s bytes", limit)
                    return None
            return data
    except requests.RequestException as exc:
        raise TemporaryFailure(f"media server unreachable: {type(exc).__name__}") from exc


def _place(complaint: Complaint, position) -> None:
    try:
        location = place_point(complaint.city, position[0], position[1], source="photo")
    except LocationError:
        return
    complaint.point = from_shape(Point(location.lon, location.lat), srid=4326)
    complaint.district_id = location.district_id


TASKS["fetch_media"] = fetch_media
