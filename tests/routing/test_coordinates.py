"""Coordinates and Plus Codes from fields and free text."""

import pytest

from cps.routing.coordinates import checked, coordinates_in, decode_plus_code, plus_code_in
from cps.routing.errors import InvalidCoordinates, InvalidPlusCode


@pytest.mark.parametrize("lat,lon", [(91, 120), (-90.5, 0), (16, 181), ("nan", 120),
                                     (16, "inf"), ("-inf", 1), ("abc", 1), (None, 1), ("", "")])
def test_bad_coordinates_are_refused(app, lat, lon):
    with pytest.raises(InvalidCoordinates):
        checked(lat, lon)


def test_coordinates_at_the_limits_are_accepted():
    assert checked("-90", "180") == (-90.0, 180.0)


@pytest.mark.parametrize("text,expected", [
    ("14.6, 121.0", (14.6, 121.0)),
    ("garbage at 16.6159 120.3166 please", (16.6159, 120.3166)),
    ("16.6159° N, 120.3166° E", (16.6159, 120.3166)),
    ("33.86 S 151.21 E", (-33.86, 151.21)),
])
def test_coordinates_are_read_from_text(app, text, expected):
    assert coordinates_in(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["call 0917 555 1234", "room 12, floor 3", "version 1.2"])
def test_text_without_coordinates_gives_none(app, text):
    assert coordinates_in(text) is None


def test_a_plus_code_is_found_in_text_with_its_locality():
    assert plus_code_in("flood at 8FWR+9P San Fernando") == ("8FWR+9P", "flood at San Fernando")


def test_a_full_plus_code_decodes_to_its_centre(app):
    lat, lon = decode_plus_code("7Q82J88C+2G", None)
    assert lat == pytest.approx(16.6151, abs=1e-3) and lon == pytest.approx(120.3213, abs=1e-3)


def test_a_short_plus_code_is_recovered_near_a_reference(app):
    lat, lon = decode_plus_code("J88C+2G", (16.6, 120.3))
    assert lat == pytest.approx(16.6151, abs=1e-3) and lon == pytest.approx(120.3213, abs=1e-3)


@pytest.mark.parametrize("code,near", [("J88C+2G", None), ("8C+2G", (16.6, 120.3)),
                                       ("7Q82J88C+2I", None), ("ZZZZ+ZZ", None)])
def test_invalid_or_too_short_plus_codes_are_refused(app, code, near):
    with pytest.raises(InvalidPlusCode):
        decode_plus_code(code, near)
