"""Coordinates and Plus Codes, from form fields or from free text."""

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from urllib.parse import unquote

from flask_babel import gettext as _
from openlocationcode import openlocationcode as olc

from cps.locales import ascii_digits
from cps.routing.errors import InvalidCoordinates, InvalidPlusCode

PLUS_RE = re.compile(r"(?<!\w)([23456789CFGHJMPQRVWX]{2,8}\+[23456789CFGHJMPQRVWX]{0,3})(?!\w)",
                     re.IGNORECASE)

# Pieces of the coordinate patterns below (all compiled with re.VERBOSE).
# A coordinate starts outside any word or number: not in "v1.2", "P1,500.50" or "12.03.2026".
START = r"(?<![A-Za-z0-9_.])(?<![0-9],)"
# ... and ends where its number does ("12.03" is not a coordinate of "12.03.2026").
END = r"(?![0-9])(?!\.[0-9])"
NUMBER = r"[0-9]{1,3}(?:[.,][0-9]+)?"
INTEGER = r"[0-9]{1,3}"
SIGNED = r"[-+]?[0-9]{1,3}(?:\.[0-9]+)?"
HEMISPHERE = r"[NSEWnsew](?![A-Za-z])"
DEGREE_SIGN = r"(?:°|º|˚|deg(?:rees?)?(?![A-Za-z])|d(?![A-Za-z]))"
MINUTE_SIGN = r"(?:'|′|’|‘|´)"
# Two apostrophes or primes come before one: 49'' is 49 seconds, not 49 minutes and a stray '.
SECOND_SIGN = r"""(?:''|′′|’’|´´|"|″|”|“)"""
# Labels in the languages of the shipped locales (English, Spanish, French, Swahili,
# Indonesian, Korean, Vietnamese, Nepali, Arabic), longest first.
LAT_WORDS = r"(?:latitude|latitud|latitudo|lat|lintang|위도|vĩ\s*độ|अक्षांश|خط\s*العرض)"
LON_WORDS = (r"(?:longitude|longitud|longitudo|long|lon|lng|bujur|경도|kinh\s*độ|देशान्तर"
             r"|خط\s*الطول)")
LAT_LABEL_RE = re.compile(LAT_WORDS, re.IGNORECASE)
# Minus signs, and the Arabic decimal separator and comma, as they are in ASCII.
ASCII_SIGNS = str.maketrans({"−": "-", "﹣": "-", "－": "-", "٫": ".", "،": ","})


def _angle_pattern(p: str) -> str:
    """One coordinate, its groups named with prefix `p`: 14.6470, -33.86, N14.6470,
    14.6470° N, 14°N, 14°38.82', 14°38'49"N. Minutes need a minute sign after them; seconds
    a second sign or a hemisphere letter."""
    return rf"""
        (?:(?P<{p}pre>{HEMISPHERE})\s*)?
        (?P<{p}sign>[-+])?
        (?P<{p}deg>{NUMBER}){END}
        (?:\s*(?P<{p}mark>{DEGREE_SIGN})
            (?:\s*(?P<{p}min>{NUMBER}){END}\s*{MINUTE_SIGN}
                (?:\s*(?P<{p}sec>{NUMBER}){END}\s*(?:{SECOND_SIGN}|(?=\s*{HEMISPHERE})))?
            )?
        )?
        (?({p}pre)|(?:\s*(?P<{p}post>{HEMISPHERE}))?)   # one letter, before or after
    """


def _spaced_pattern(p: str) -> str:
    """Degrees, minutes and seconds apart (14 38 49 N): only with a hemisphere letter, before
    or after, as otherwise this is how phone numbers look ("0917 555 1234")."""
    return rf"""
        (?:(?P<{p}pre>{HEMISPHERE})\s*)?
        (?P<{p}deg>{INTEGER}){END}
        \s+(?P<{p}min>{NUMBER}){END}
        (?:\s+(?P<{p}sec>{NUMBER}){END})?
        (?({p}pre)|\s*(?P<{p}post>{HEMISPHERE}))
    """


def _labelled_pattern(p: str) -> str:
    """A coordinate after its label: lat 14.6470, lng: 121.0509, "latitude"=14.6470."""
    return rf"""(?P<{p}label>{LAT_WORDS}|{LON_WORDS})(?![A-Za-z])["']?\s*[:=]?\s*
                {_angle_pattern(p)}"""


# Two coordinates apart: a comma, semicolon, slash or space, or nothing after a letter or sign.
SEPARATOR = r"(?P<sep>\s*[,;/]\s*|\s+|(?<=[^\s0-9]))"
PAIR_RE = re.compile(
    rf"{START} {_angle_pattern('a_')} {SEPARATOR} {_angle_pattern('b_')} (?![A-Za-z0-9])",
    re.VERBOSE)
SPACED_RE = re.compile(
    rf"{START} {_spaced_pattern('a_')} {SEPARATOR} {_spaced_pattern('b_')} (?![A-Za-z0-9])",
    re.VERBOSE)
LABELLED_RE = re.compile(
    rf"""(?<![A-Za-z]) {_labelled_pattern('a_')} \s*[,;/&]?\s*["']? {_labelled_pattern('b_')}
         (?![A-Za-z0-9])""", re.VERBOSE | re.IGNORECASE)
# Map links: a Google Maps place pin (!3d lat !4d lon) is the place itself, where the
# @lat,lon of the same link is only the centre of the view, so pins are read first.
PIN_RE = re.compile(rf"!3d(?P<lat>{SIGNED}){END}!4d(?P<lon>{SIGNED}){END}")
LINK_RE = re.compile(rf"""
    (?: @ | \bgeo: | \#map=[0-9]{{1,2}}/                        # Google @, geo: URIs, OSM
      | [?&](?:q|ll|sll|query|center|destination|daddr|saddr)=(?:loc:)? )
    (?P<lat>{SIGNED}){END} \s*[,/]\s* (?P<lon>{SIGNED}){END}
""", re.VERBOSE)


@dataclass(frozen=True)
class Angle:
    """One coordinate read from text: degrees, its axis from a letter or label (None: not
    said), whether a letter or degree sign marks it, and its degrees as written."""

    value: float
    axis: str | None
    marked: bool
    written: str


def checked(lat, lon) -> tuple[float, float]:
    """(lat, lon) as floats within WGS84 ranges; InvalidCoordinates otherwise (NaN included).

    Numbers out of range are kept in the error's details (lat, lon): swapped, they may be
    the place meant."""
    try:
        lat_f, lon_f = float(str(lat).strip()), float(str(lon).strip())
    except (TypeError, ValueError):
        raise InvalidCoordinates(_("Latitude and longitude must be numbers.")) from None
    if not (math.isfinite(lat_f) and math.isfinite(lon_f)):
        raise InvalidCoordinates(_("Latitude and longitude must be numbers."))
    if not (-90 <= lat_f <= 90 and -180 <= lon_f <= 180):
        raise InvalidCoordinates(_("Latitude must be between -90 and 90 and longitude between "
                                   "-180 and 180."), lat=lat_f, lon=lon_f)
    return lat_f, lon_f


def coordinates_in(text: str) -> tuple[float, float] | None:
    """The first pair of coordinates written in `text`, as people copy them: decimal
    ("16.61, 120.31", "14,6470 121,0509"), with letters ("N14.64 E121.05", "16.61° N"),
    in degrees, minutes and seconds (14°38'49"N), labelled ("lat 14.64 lng 121.05") or in a
    map link (geo:, Google Maps, OpenStreetMap). InvalidCoordinates when out of range."""
    text = _normalized(text or "")
    for readers in READERS:
        pair = _first_pair(text, readers)
        if pair is not None:
            return checked(*pair)
    return None


def _normalized(text: str) -> str:
    """Digits of every script as 0-9, signs in ASCII, a link's %2C and %C2%B0 decoded."""
    text = unicodedata.normalize("NFC", ascii_digits(text)).translate(ASCII_SIGNS)
    return unquote(text) if "%" in text else text


def _first_pair(text: str, readers) -> tuple[float, float] | None:
    """The pair that starts first in `text` (at one place, the first reader's): a match that
    is no pair must not hide one starting inside it, nor a later part of one be taken."""
    for position in range(len(text)):
        for pattern, reader in readers:
            match = pattern.match(text, position)
            pair = reader(match) if match else None
            if pair is not None:
                return pair
    return None


def _from_link(match) -> tuple[float, float]:
    return float(match["lat"]), float(match["lon"])


def _from_labels(match) -> tuple[float, float] | None:
    """The pair of a labelled match, in the order its labels say."""
    angles = [_labelled(match, p) for p in ("a_", "b_")]
    return None if None in angles else _ordered(*angles)


def _labelled(match, p: str) -> Angle | None:
    angle = _angle(match, p)
    axis = "lat" if LAT_LABEL_RE.fullmatch(match[p + "label"]) else "lon"
    if angle is None or angle.axis not in (None, axis):
        return None
    return replace(angle, axis=axis)


def _from_pair(match) -> tuple[float, float] | None:
    """The pair of an unlabelled match: each coordinate is marked or plainly a decimal."""
    angles = [_angle(match, p) for p in ("a_", "b_")]
    if any(a is None or not (a.marked or _decimal(a.written, match["sep"])) for a in angles):
        return None
    return _ordered(*angles)


def _decimal(number: str, separator: str) -> bool:
    """Whether an unmarked number is a coordinate: it has decimals, and a decimal comma only
    where it is neither the pair's own comma nor a thousands separator ("1,500"): coordinates
    people copy have four decimals or more."""
    if "." in number:
        return True
    return "," in number and len(number.split(",")[1]) >= 4 and "," not in separator


def _angle(match, p: str) -> Angle | None:
    """The coordinate whose groups are named with prefix `p`; None when it is no angle."""
    group = match.groupdict()
    degrees = _degrees(group[p + "deg"], group[p + "min"], group[p + "sec"])
    if degrees is None:
        return None
    letter = (group[p + "pre"] or group[p + "post"] or "").upper()
    if letter:
        degrees = -abs(degrees) if letter in "SW" else abs(degrees)
    elif group.get(p + "sign") == "-":
        degrees = -degrees
    axis = {"N": "lat", "S": "lat", "E": "lon", "W": "lon"}.get(letter)
    return Angle(degrees, axis, bool(letter or group.get(p + "mark")), group[p + "deg"])


def _degrees(degrees: str, minutes: str | None, seconds: str | None) -> float | None:
    """Decimal degrees; only the last part written may have decimals (14°38.82', not 14.6°38')."""
    if (minutes and not degrees.isdigit()) or (seconds and not minutes.isdigit()):
        return None
    minutes_f, seconds_f = _float(minutes or "0"), _float(seconds or "0")
    if minutes_f >= 60 or seconds_f >= 60:
        raise InvalidCoordinates(_("Minutes and seconds of a coordinate must be less than 60."))
    return _float(degrees) + minutes_f / 60 + seconds_f / 3600


def _float(number: str) -> float:
    return float(number.replace(",", "."))


def _ordered(a: Angle, b: Angle) -> tuple[float, float] | None:
    """(lat, lon): in the order written, unless letters or labels say otherwise; None when
    both are said to be on the same axis ("14.6 N 121.0 N")."""
    if a.axis is not None and a.axis == b.axis:
        return None
    if a.axis == "lon" or b.axis == "lat":
        return b.value, a.value
    return a.value, b.value


# Most explicit first: a map pin, then a link or labels that say which number is which, then
# pairs as written (spaced degrees, minutes and seconds before the decimals they contain).
READERS = (((PIN_RE, _from_link),), ((LINK_RE, _from_link), (LABELLED_RE, _from_labels)),
           ((SPACED_RE, _from_pair), (PAIR_RE, _from_pair)))


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
