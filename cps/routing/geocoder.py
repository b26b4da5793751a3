"""Optional online geocoding (Nominatim through geopy): off by default, never required."""

import logging

from flask import current_app

log = logging.getLogger(__name__)


def geocode(text: str, city) -> tuple[float, float] | None:
    """(lat, lon) for `text` in `city` from the configured geocoder, or None (off, down, none)."""
    if current_app.config["GEOCODER"] != "nominatim" or not text.strip():
        return None
    from geopy.exc import GeopyError
    from geopy.geocoders import Nominatim

    url = current_app.config["GEOCODER_URL"]
    scheme, _sep, domain = url.partition("://")
    geocoder = Nominatim(user_agent=current_app.config["GEOCODER_USER_AGENT"], domain=domain,
                         scheme=scheme, timeout=current_app.config["GEOCODER_TIMEOUT"])
    try:
        found = geocoder.geocode(text, country_codes=city.country_code.lower())
    except (GeopyError, OSError, ValueError) as exc:
        log.warning("geocoder unavailable: %s", type(exc).__name__)
        return None
    return (found.latitude, found.longitude) if found else None
