"""Locating complaints in the demo city by every method, and the errors of each."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import shapely
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import Point
from sqlalchemy import func, select

from cps.extensions import db
from cps.routing.errors import (
    AmbiguousPlace,
    InvalidCoordinates,
    InvalidPlusCode,
    LocationError,
    OutsideCity,
    PlaceNotFound,
)
from cps.routing.index import geo_index
from cps.routing.locate import describe, locate
from cps.routing.models import District
from cps.routing.photos import photo_position
from tests.images import jpeg_with_gps, plain_jpeg
from tests.places import district, inside


def test_coordinates_find_their_district(city):
    lat, lon = inside("Catbangen")
    where = locate(city, lat=lat, lon=lon)
    assert where.district_id == district("Catbangen").id and where.source == "coordinates"


def test_coordinates_in_text_find_their_district(city):
    lat, lon = inside("Poro")
    assert locate(city, text=f"baha dito {lat:.6f}, {lon:.6f}").district_id == district("Poro").id


@pytest.mark.parametrize("text,expected", [
    ("garbage near Catbangen plaza", "Catbangen"), ("baha sa Poro", "Poro"),
    ("Brgy. Canaoay", "Canaoay"), ("bgy 3", "Barangay III"), ("Poblacion IV", "Barangay IV"),
    ("catbanggen", "Catbangen"), ("SEVÍLLA", "Sevilla"), ("Dallangayan West", "Dallangayan Oeste"),
    ("siboan otong", "Siboan-Otong"),
])
def test_place_names_find_their_district(city, text, expected):
    assert locate(city, text=text).district_id == district(expected).id


def test_a_landmark_places_the_complaint_at_the_landmark(city):
    where = locate(city, text="sa tabi ng Pindangan Ruins")
    assert where.source == "landmark" and where.place_name == "Pindangan Ruins"
    assert where.district_id == district("Parian").id


@pytest.mark.parametrize("text,names", [("Narra", {"Narra Este", "Narra Oeste"}),
                                        ("pao", {"Pao Norte", "Pao Sur"}),
                                        ("Catbangen or Canaoay", {"Catbangen", "Canaoay"})])
def test_ambiguous_places_give_candidates_not_a_guess(city, text, names):
    with pytest.raises(AmbiguousPlace) as caught:
        locate(city, text=text)
    found = {c.place.name for c in caught.value.details["candidates"]}
    assert names <= found
    assert all(0 < c.confidence <= 1 for c in caught.value.details["candidates"])


def test_unknown_places_are_not_found(city):
    with pytest.raises(PlaceNotFound):
        locate(city, text="somewhere over the rainbow")


def test_a_point_outside_every_district_is_refused(city):
    with pytest.raises(OutsideCity):
        locate(city, lat=14.5995, lon=120.9842)


def test_a_full_plus_code_is_located(city):
    assert locate(city, text="7Q82J88C+2G").district_id is not None


def test_a_short_plus_code_uses_the_locality_or_the_city(city):
    assert locate(city, text="J88C+2G San Fernando").source == "plus_code"
    assert locate(city, text="J88C+2G").source == "plus_code"


def test_a_plus_code_that_is_too_short_is_refused(city):
    with pytest.raises(InvalidPlusCode):
        locate(city, text="8C+2G")


@pytest.mark.parametrize("lat,lon", [(91, 120), ("nan", 120), (16.6, "inf")])
def test_bad_coordinates_are_refused(city, lat, lon):
    with pytest.raises(InvalidCoordinates):
        locate(city, lat=lat, lon=lon)


def test_five_thousand_characters_of_place_text_are_refused(city):
    with pytest.raises(LocationError):
        locate(city, text="Catbangen " * 500)


def test_nothing_given_means_no_location(city):
    assert not locate(city, text="   ").found


def test_a_photo_gps_places_the_complaint_when_nothing_else_was_given(city):
    lat, lon = inside("Lingsat")
    position = photo_position(jpeg_with_gps(lat, lon))
    assert position == pytest.approx((lat, lon), abs=1e-5)
    where = locate(city, photo_positions=[None, position])
    assert where.source == "photo" and where.district_id == district("Lingsat").id


def test_a_given_location_wins_over_the_photo(city):
    where = locate(city, text="Poro", photo_positions=[inside("Lingsat")])
    assert where.district_id == district("Poro").id


@pytest.mark.parametrize("data", [b"not an image", b"", b"\xff\xd8\xff", plain_jpeg()])
def test_photos_without_gps_give_no_position(data):
    assert photo_position(data) is None


def shared_border_point(city) -> Point:
    """A vertex that two districts of the city share exactly (the data's borders meet)."""
    rows = db.session.scalars(
        select(District).where(District.city_id == city.id).order_by(District.code)).all()
    vertices = [set(map(tuple, shapely.get_coordinates(to_shape(d.geom)))) for d in rows]
    for i, a in enumerate(vertices):
        for b in vertices[i + 1:]:
            common = a & b
            if common:
                return Point(sorted(common)[0])
    raise AssertionError("no two districts share a vertex")


def test_a_point_on_a_shared_border_goes_to_the_lowest_code(city):
    point = shared_border_point(city)
    found = [geo_index(city).district_at(point.x, point.y) for _ in range(3)]
    covering = db.session.scalars(select(District.code).where(
        District.city_id == city.id,
        func.ST_Intersects(District.geom, from_shape(point, srid=4326)))).all()
    assert len(covering) >= 2
    assert {d.code for d in found} == {min(covering)}


def test_the_index_agrees_with_the_database(city):
    index = geo_index(city)
    for d in db.session.scalars(select(District).where(District.city_id == city.id)).all()[:20]:
        inner = to_shape(d.geom).representative_point()
        assert index.district_at(inner.x, inner.y).id == d.id
        db_hit = db.session.scalar(select(District.id).where(
            District.city_id == city.id,
            func.ST_Contains(District.geom, from_shape(Point(inner.x, inner.y), srid=4326))))
        assert db_hit == d.id


def test_the_index_is_rebuilt_when_the_geography_changes(city):
    before = geo_index(city)
    city.geo_version += 1
    assert geo_index(city) is not before


def test_reverse_lookup_names_district_and_nearest_landmark(city):
    lat, lon = inside("Parian")
    found = describe(city, lat, lon)
    assert found["district"] == "Parian"
    assert found["landmark"] and found["landmark_distance_m"] <= 1000


class FakeNominatim(BaseHTTPRequestHandler):
    """Answers /search like Nominatim, with a point in Tanqui for any query."""

    point = (0.0, 0.0)

    def do_GET(self):  # noqa: N802 (the handler's name is fixed by http.server)
        body = json.dumps([{"lat": str(self.point[0]), "lon": str(self.point[1]),
                            "display_name": "Quezon Avenue"}]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def nominatim(app, monkeypatch):
    server = HTTPServer(("127.0.0.1", 0), FakeNominatim)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setitem(app.config, "GEOCODER", "nominatim")
    monkeypatch.setitem(app.config, "GEOCODER_URL", f"http://127.0.0.1:{server.server_port}")
    yield server
    server.shutdown()
    server.server_close()


def test_the_online_geocoder_is_off_by_default(city):
    with pytest.raises(PlaceNotFound):
        locate(city, text="123 Quezon Avenue")


def test_the_online_geocoder_finds_addresses_when_on(city, nominatim):
    FakeNominatim.point = inside("Tanqui")
    where = locate(city, text="123 Quezon Avenue")
    assert where.source == "geocoder" and where.district_id == district("Tanqui").id


def test_a_geocoder_that_is_down_leaves_the_offline_path_working(app, city, monkeypatch):
    monkeypatch.setitem(app.config, "GEOCODER", "nominatim")
    monkeypatch.setitem(app.config, "GEOCODER_URL", "http://127.0.0.1:9")
    assert locate(city, text="Poro").district_id == district("Poro").id
    with pytest.raises(PlaceNotFound):
        locate(city, text="123 Quezon Avenue")


# A pair given the wrong way round: (lon, lat) instead of (lat, lon). --------------------------

def swap_offered(city, **given):
    """The one candidate of the "did you mean" that locating `given` raises, and its message."""
    with pytest.raises(AmbiguousPlace) as caught:
        locate(city, **given)
    [candidate] = caught.value.details["candidates"]
    return candidate, str(caught.value.message)


@pytest.mark.parametrize("given", ["fields", "text"])
def test_a_swapped_pair_out_of_range_is_offered_the_right_way_round(city, given):
    lat, lon = (round(x, 6) for x in inside("Catbangen"))
    fields = ({"lat": lon, "lon": lat} if given == "fields"
              else {"text": f"baha dito {lon}, {lat}"})
    candidate, message = swap_offered(city, **fields)
    assert (candidate.place.lat, candidate.place.lon) == pytest.approx((lat, lon))
    assert candidate.place.district_id == district("Catbangen").id
    assert candidate.place.name == f"{lat}, {lon} (Catbangen)"
    assert 0 < candidate.confidence <= 1
    assert message == (f"{lon}, {lat} is outside City of San Fernando, La Union; "
                       f"did you mean {lat}, {lon} (Catbangen)?")


@pytest.mark.parametrize("given", ["fields", "text"])
def test_a_swapped_pair_in_range_is_offered_the_right_way_round(pokhara, given):
    lat, lon = pokhara_point(pokhara)
    fields = ({"lat": lon, "lon": lat} if given == "fields" else {"text": f"{lon} {lat}"})
    candidate, message = swap_offered(pokhara, **fields)
    assert (candidate.place.lat, candidate.place.lon) == pytest.approx((lat, lon))
    ward = geo_index(pokhara).district_at(lon, lat)
    assert candidate.place.district_id == ward.id
    assert message == (f"{lon}, {lat} is outside Pokhara Metropolitan City; "
                       f"did you mean {lat}, {lon} ({ward.name})?")


def pokhara_point(pokhara) -> tuple[float, float]:
    district_ = db.session.scalars(select(District).where(District.city_id == pokhara.id)).first()
    point = to_shape(district_.geom).representative_point()
    return round(point.y, 6), round(point.x, 6)


def test_the_offered_point_is_located_when_picked(city):
    lat, lon = inside("Catbangen")
    candidate, _message = swap_offered(city, text=f"{lon:.6f} {lat:.6f}")
    where = locate(city, lat=candidate.place.lat, lon=candidate.place.lon)
    assert where.district_id == district("Catbangen").id and where.source == "coordinates"


def test_a_pair_outside_the_city_either_way_is_refused(city):
    with pytest.raises(InvalidCoordinates):
        locate(city, text="120.9842, 14.5995")
    with pytest.raises(InvalidCoordinates):
        locate(city, lat=120.9842, lon=14.5995)
    with pytest.raises(OutsideCity):
        locate(city, text="14.5995, 120.9842")


def test_only_coordinates_given_are_offered_swapped(pokhara):
    lat, lon = pokhara_point(pokhara)
    with pytest.raises(OutsideCity):
        locate(pokhara, photo_positions=[(lon, lat)])


def test_outside_the_city_names_it_in_the_language_of_the_request(city):
    from flask_babel import force_locale

    with force_locale("fil"), pytest.raises(OutsideCity) as caught:
        locate(city, lat=14.5995, lon=120.9842)
    assert "Lungsod ng San Fernando, La Union" in str(caught.value.message)
