"""Keeping a city's fitted model in its CityClassifier row, and loading it once per process.

A model is a pickle, and unpickling runs code: CPS loads only bytes it wrote itself, from its
own table, signed with the install's secret key when they were written. A row whose signature
does not match (edited, or written under another key) or whose scikit-learn version differs
from this process's is treated as no model until the next training replaces it.
"""

import hashlib
import hmac
import io
import logging
from functools import cache

from flask import current_app
from sqlalchemy import select

from cps.classify.models import CityClassifier
from cps.extensions import db

log = logging.getLogger(__name__)
CACHE_KEY = "cps_classifiers"


@cache
def library_version() -> str:
    """The scikit-learn version of this process (read without importing it)."""
    from importlib.metadata import version

    return version("scikit-learn")


def save_model(row: CityClassifier, pipeline) -> None:
    """Put the fitted pipeline into `row`, signed, with the library version that wrote it."""
    import joblib

    buffer = io.BytesIO()
    joblib.dump(pipeline, buffer, compress=3)
    row.model = buffer.getvalue()
    row.signature = _sign(row.model)
    row.library_version = library_version()


def clear_model(row: CityClassifier) -> None:
    """No model for this city: suggest() answers None, the keywords work alone."""
    row.model = row.signature = row.library_version = None


def loaded_model(city_id: int):
    """The city's used model, loaded once per process and per training (city id and
    trained_at); None when the city has no used model."""
    head = db.session.execute(select(
        CityClassifier.trained_at, CityClassifier.used, CityClassifier.library_version).where(
        CityClassifier.city_id == city_id)).one_or_none()
    if head is None or not head.used or head.library_version != library_version():
        return None
    cache = current_app.extensions.setdefault(CACHE_KEY, {})
    hit = cache.get(city_id)
    if hit is not None and hit[0] == head.trained_at:
        return hit[1]
    model = _load(city_id)
    # One entry per city: a retrained model replaces the old one instead of piling up.
    cache[city_id] = (head.trained_at, model)
    return model


def _load(city_id: int):
    blob, signature = db.session.execute(select(
        CityClassifier.model, CityClassifier.signature).where(
        CityClassifier.city_id == city_id)).one()
    if not blob or not signature or not hmac.compare_digest(_sign(blob), signature):
        log.warning("classifier of city %s ignored: its signature does not match", city_id)
        return None
    import joblib

    try:
        return joblib.load(io.BytesIO(blob))
    except (AttributeError, ImportError) as error:  # it names code this version no longer has
        log.warning("classifier of city %s ignored: %s", city_id, error)
        return None


def _sign(blob: bytes) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, blob, hashlib.sha256).hexdigest()
