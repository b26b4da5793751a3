"""Coordinates and Plus Codes, from form fields or from free text."""

import math
import re

from flask_babel import gettext as _
from openlocationcode import openlocationcode as olc

from cps.routing.errors import InvalidCoordinates, InvalidPlusCode

_NUMBER = r"[-+]?\d{1,3}(?:[.,]\d+)?"
COORDS_RE = re.compile(
    rf"(?<![\w.])({_NUMBER})\s*°?\s*([NSns])?\s*[,;/ ]\s*({_NUMBER})\s*°?\s*([EWew])?(?![\w.])")
PLUS_RE = re.compile(r"(?<!\w)([23456789CFGHJMPQRVWX]{2,8}\+[23456789CFGHJMPQRVWX]{0,3})(?!\w)",
                     re.IGNORECASE)


def checked(lat, lon) -> tuple[float, float]:
    """(lat, lon) as floats within WGS84 ranges; InvalidCoordinates otherwise (NaN included)."""
    try:
        lat_f, lon_f = float(str(lat).strip()), float(str(lon).strip())
    except (TypeError, ValueError):
        raise InvalidCoordinates(_("Latitude and longitude must be numbers.")) from None
    if not (math.isfinite(lat_f) and math.isfinite(lon_f)):
        raise InvalidCoordinates(_("Latitude and longitude must be numbers."))
    if not (-90 <= lat_f <= 90 and -180 <= lon_f <= 180):
        raise InvalidCoordinates(_("Latitude must be between -90 and 90 and longitude between "
                                   "-180 and 180."))
    return lat_f, lon_f


def coordinates_in(text: str) -> tuple[float, float] | None:
    """The first "lat, lon" pair written in `text` ("16.61, 120.31", "16.61° N 120.31° E")."""
    match = COORDS_RE.search(text or "")
    if match is None or "." not in match.group(1) + match.group(3):
        return None
    lat = float(match.group(1).replace(",", "."))
    lon = float(match.group(3).replace(",", "."))
    lat = -abs(lat) if (match.group(2) or "").upper() == "S" else lat
    lon = -abs(lon) if (match.group(4) or "").upper() == "W" else lon
    return checked(lat, lon)


def plus_code_in(text: str) -> tuple[str, str] | None:
    """The Plus Code written in `text`, and the rest of the text (a locality, perhaps)."""
    match = PLUS_RE.search(text or "")
    if match is None:
        return None
    rest = " ".join((text[:match.start()] + " " + text[match.end():]).replace(",", " ").split())
    return match.group(1).upper(), rest


def decode_plus_code(code: str, near: tuple[float, float] | None) -> tuple[float, float]:
    """The centre (lat, lon) of a full code, or of a short one recovered near `near`."""
    if not olc.isValid(code):
        raise InvalidPlusCode(_("%(code)s is not a valid Plus Code.", code=code))
    if olc.isShort(code):
        if near is None or len(code.split("+")[0]) < 4:
            raise InvalidPlusCode(_("The Plus Code %(code)s is too short: add the town or "
                                    "barangay after it, or give the full code.", code=code))
        code = olc.recoverNearest(code, near[0], near[1])
    area = olc.decode(code)
    return checked(area.latitudeCenter, area.longitudeCenter)
