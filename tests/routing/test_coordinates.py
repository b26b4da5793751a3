"""Coordinates and Plus Codes from fields and free text."""

import pytest

from cps import create_app
from cps.routing.coordinates import checked, coordinates_in, decode_plus_code, plus_code_in
from cps.routing.errors import InvalidCoordinates, InvalidPlusCode
from tests.conftest import app_config


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """An app context for the translated messages: reading text needs no database, so these
    run once, not on each backend."""
    folder = tmp_path_factory.mktemp("coordinates")
    app = create_app(app_config(folder, f"sqlite:///{folder / 'unused.sqlite'}"))
    with app.app_context():
        yield app


@pytest.mark.parametrize("lat,lon", [(91, 120), (-90.5, 0), (16, 181), ("nan", 120),
                                     (16, "inf"), ("-inf", 1), ("abc", 1), (None, 1), ("", "")])
def test_bad_coordinates_are_refused(app, lat, lon):
    with pytest.raises(InvalidCoordinates):
        checked(lat, lon)


def test_coordinates_at_the_limits_are_accepted():
    assert checked("-90", "180") == (-90.0, 180.0)


# 14°38'49"N 121°03'03"E, the way map apps write Quezon Memorial Circle.
DMS = (14 + 38 / 60 + 49 / 3600, 121 + 3 / 60 + 3 / 3600)


@pytest.mark.parametrize("text,expected", [
    ("14.6, 121.0", (14.6, 121.0)),
    ("garbage at 16.6159 120.3166 please", (16.6159, 120.3166)),
    ("16.6159° N, 120.3166° E", (16.6159, 120.3166)),
    ("33.86 S 151.21 E", (-33.86, 151.21)),
    ("14.6470,121.0509", (14.647, 121.0509)),
    ("baha (14.6470, 121.0509) po", (14.647, 121.0509)),
    ("14.6470; 121.0509", (14.647, 121.0509)),
    ("14.6470° 121.0509°", (14.647, 121.0509)),
    ("16.6159, 120.3166 5 days na", (16.6159, 120.3166)),
    ("16.6159 120.3166 sa Poro", (16.6159, 120.3166)),
    ("Poro,16.6159,120.3166", (16.6159, 120.3166)),
    ("from 16.6159, 120.3166 to 16.62, 120.32", (16.6159, 120.3166)),
])
def test_decimal_pairs_are_read_from_text(app, text, expected):
    assert coordinates_in(text) == pytest.approx(expected)


@pytest.mark.parametrize("text,expected", [
    ("14°38'49\"N 121°03'03\"E", DMS),
    ("14°38′49″N 121°03′03″E", DMS),
    ("14°38’49”N 121°03’03”E", DMS),
    ("14°38'49''N 121°03'03''E", DMS),
    ("14º38'49\"N 121º3'3\"E", DMS),
    ("14°38'49\"N, 121°03'03\"E", DMS),
    ("14°38'49\"N121°03'03\"E", DMS),
    ("14°38'49 N 121°3'3 E", DMS),
    ("N 14°38'49\" E 121°3'3\"", DMS),
    ("14° 38' 49.5\" N, 121° 3' 3\" E", (14 + 38 / 60 + 49.5 / 3600, DMS[1])),
    ("14 38 49 N 121 3 3 E", DMS),
    ("N 14 38 49 E 121 3 3", DMS),
    ("14 38 N 121 3 E", (14 + 38 / 60, 121.05)),
    ("14°38.82'N 121°3.05'E", (14 + 38.82 / 60, 121 + 3.05 / 60)),
    ("14d38'49\"N 121d3'3\"E", DMS),
    ("14 deg 38' 49\" N, 121 deg 3' 3\" E", DMS),
    ("33°52'S 151°12'E", (-(33 + 52 / 60), 151.2)),
    ("14°N 121°E", (14.0, 121.0)),
    ("baha dito: 16°36'57\"N 120°19'0\"E po", (16 + 36 / 60 + 57 / 3600, 120 + 19 / 60)),
])
def test_degrees_minutes_and_seconds_are_read_in_any_spacing(app, text, expected):
    assert coordinates_in(text) == pytest.approx(expected)


@pytest.mark.parametrize("text,expected", [
    ("N14.6470 E121.0509", (14.647, 121.0509)),
    ("14.6470N, 121.0509E", (14.647, 121.0509)),
    ("14.6470n 121.0509e", (14.647, 121.0509)),
    ("S 33.86 E 151.21", (-33.86, 151.21)),
    ("14.6470 N 121.0509 W", (14.647, -121.0509)),
    ("E121.0509 N14.6470", (14.647, 121.0509)),
    ("14N 121E", (14.0, 121.0)),
    ("N 14,6470 E 121,0509", (14.647, 121.0509)),
])
def test_hemisphere_letters_before_or_after_give_sign_and_order(app, text, expected):
    assert coordinates_in(text) == pytest.approx(expected)


@pytest.mark.parametrize("text,expected", [
    ("lat 14.6470 long 121.0509", (14.647, 121.0509)),
    ("lat: 14.6470, lng: 121.0509", (14.647, 121.0509)),
    ("latitude=14.6470 longitude=121.0509", (14.647, 121.0509)),
    ("Lat 14.6470 Lon 121.0509", (14.647, 121.0509)),
    ("LAT:14.6470 LONG:121.0509", (14.647, 121.0509)),
    ("lng 121.05 lat 14.64", (14.64, 121.05)),
    ("lat 14 lon 121", (14.0, 121.0)),
    ("lat -33.86, lon 151.21", (-33.86, 151.21)),
    ('{"lat": 14.6470, "lng": 121.0509}', (14.647, 121.0509)),
    ("?lat=16.6159&lon=120.3166", (16.6159, 120.3166)),
    ("latitud 14.6470 longitud 121.0509", (14.647, 121.0509)),
    ("위도 37.5665 경도 126.9780", (37.5665, 126.978)),
    ("vĩ độ 21.0285, kinh độ 105.8542", (21.0285, 105.8542)),
    ("अक्षांश २८.२०९६ देशान्तर ८३.९८५६", (28.2096, 83.9856)),
    ("خط العرض 24.7136 خط الطول 46.6753", (24.7136, 46.6753)),
])
def test_labelled_coordinates_are_read_in_either_order(app, text, expected):
    assert coordinates_in(text) == pytest.approx(expected)


@pytest.mark.parametrize("text,expected", [
    ("https://www.google.com/maps/@14.6470,121.0509,17z", (14.647, 121.0509)),
    ("https://maps.google.com/?q=14.6470,121.0509", (14.647, 121.0509)),
    ("https://maps.google.com/maps?ll=16.6159,120.3166&z=15", (16.6159, 120.3166)),
    ("https://www.google.com/maps/search/?api=1&query=14.6470%2C121.0509", (14.647, 121.0509)),
    ("geo:14.6470,121.0509", (14.647, 121.0509)),
    ("geo:14.6470,121.0509?z=17", (14.647, 121.0509)),
    ("https://www.openstreetmap.org/#map=17/14.6470/121.0509", (14.647, 121.0509)),
    ("https://www.google.com/maps/place/Quezon+Memorial+Circle/@14.6514,121.0493,17z/"
     "data=!3m1!4b1!4m6!3m5!8m2!3d14.6470!4d121.0509", (14.647, 121.0509)),
    ("https://www.google.com/maps/place/14%C2%B038'49.2%22N+121%C2%B003'03.2%22E",
     (14 + 38 / 60 + 49.2 / 3600, 121 + 3 / 60 + 3.2 / 3600)),
])
def test_map_links_are_read(app, text, expected):
    assert coordinates_in(text) == pytest.approx(expected)


@pytest.mark.parametrize("text,expected", [
    ("14,6470 121,0509", (14.647, 121.0509)),
    ("14,6470; 121,0509", (14.647, 121.0509)),
    ("-33.86, 151.21", (-33.86, 151.21)),
    ("−33.8688, 151.2093", (-33.8688, 151.2093)),
    ("lat −33.86 lon 151.21", (-33.86, 151.21)),
    ("२८.२०९६, ८३.९८५६", (28.2096, 83.9856)),
    ("٢٤٫٧١٣٦، ٤٦٫٦٧٥٣", (24.7136, 46.6753)),
])
def test_decimal_commas_and_minus_signs_are_read(app, text, expected):
    assert coordinates_in(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", [
    "call 0917 555 1234", "room 12, floor 3", "version 1.2", "P1,500.50",
    "paid P1,500.50 and P2,000.75", "₱1,500.50, 2,000.25", "1,500 2,000 pesos",
    "12.03.2026", "since 12.03.2026 10:30", "10:30", "at 10:30, 11:45", "2026-03-12 10:30",
    "14 121", "14, 121", "14.6, 121", "+63 917 555 1234", "09175551234", "lot 5 block 12",
    "from 8 to 10", "1.2.3", "14 38 49 121 3 3", "ward 5, 2 days", "12.5 kg",
    "12.5kg 3.5km", "a long 2.5 km road", "14.6470", "14,6470,121,0509", "14,64 121,05",
    "14.6 N 121.0 N", "14.6470 E 121.0509 W", "lat 14.6 lat 121.0", "2.5-3.5 meters",
    "14.5°30' N 121°E", "",
])
def test_text_without_coordinates_gives_none(app, text):
    assert coordinates_in(text) is None


@pytest.mark.parametrize("text", [
    "14°38'75\"N 121°3'3\"E", "14°61'N 121°3'E", "14 38 60 N 121 3 3 E", "95.5N 121.0E",
    "lat 95 lon 121", "14.6470, 181.0509", "geo:91.0,121.0",
])
def test_coordinates_out_of_range_are_refused(app, text):
    with pytest.raises(InvalidCoordinates):
        coordinates_in(text)


def test_an_out_of_range_pair_keeps_its_values_for_a_swap(app):
    with pytest.raises(InvalidCoordinates) as caught:
        coordinates_in("120.3166, 16.6159")
    assert (caught.value.details["lat"], caught.value.details["lon"]) == (120.3166, 16.6159)


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
