"""Where a photo was taken, from its EXIF GPS tags (read before the metadata is stripped)."""

import io

from PIL import Image, UnidentifiedImageError

from cps.routing.coordinates import checked
from cps.routing.errors import InvalidCoordinates

GPS_IFD = 0x8825
LAT_REF, LAT, LON_REF, LON = 1, 2, 3, 4


def photo_position(data: bytes) -> tuple[float, float] | None:
    """(lat, lon) from a JPEG/PNG/WebP's EXIF GPS tags, or None when it has none or is broken."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            gps = image.getexif().get_ifd(GPS_IFD)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    if not all(k in gps for k in (LAT, LON)):
        return None
    try:
        lat = _degrees(gps[LAT]) * (-1 if gps.get(LAT_REF) in ("S", b"S") else 1)
        lon = _degrees(gps[LON]) * (-1 if gps.get(LON_REF) in ("W", b"W") else 1)
        return checked(lat, lon)
    except (TypeError, ValueError, ZeroDivisionError, InvalidCoordinates):
        return None


def _degrees(dms) -> float:
    d, m, s = (float(x) for x in dms)
    return d + m / 60 + s / 3600
