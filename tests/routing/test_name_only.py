"""A district known by name only (no polygon): found by name, routed by its rules, never by a
point, and every page of a complaint filed there works."""

import pytest
from sqlalchemy import select

from cps.cities.models import Department
from cps.cities.packs.service import load_pack
from cps.complaints.models import Channel, Complaint
from cps.complaints.services import submit_complaint
from cps.extensions import db
from cps.routing.errors import OutsideCity
from cps.routing.index import geo_index
from cps.routing.locate import locate, locate_text
from cps.staff.models import Role
from tests.cities.packs import PackCopy, without_geometry
from tests.complaints.web import CITY, complaint_of, report
from tests.places import district, inside
from tests.staff.people import sign_in, staff

PORO = "103314047"


@pytest.fixture
def poro_point(city) -> tuple[float, float]:
    """A point that was inside Poro while it had its polygon."""
    return inside("Poro")


@pytest.fixture
def name_only(city, poro_point, tmp_path):
    """The demo city with Poro imported again without its polygon."""
    pack = PackCopy(tmp_path)
    without_geometry(pack, {PORO})
    load_pack(pack.path, allow_missing_geometry=True)
    db.session.expire_all()
    return city


def department_id(city, code: str) -> int:
    return db.session.scalar(select(Department.id).where(
        Department.city_id == city.id, Department.code == code))


def test_found_by_name_it_gives_the_district_without_a_point(name_only):
    location = locate_text(name_only, "Poro", whole=True)
    assert (location.district_id, location.source) == (district("Poro").id, "district")
    assert (location.lat, location.lon, location.place_name) == (None, None, "Poro")


def test_found_in_a_message(name_only):
    location = locate_text(name_only, "baha sa Brgy. Poro tapos")
    assert location.district_id == district("Poro").id and location.lat is None


def test_a_point_never_falls_in_it(name_only, poro_point):
    lat, lon = poro_point
    assert geo_index(name_only).district_at(lon, lat) is None
    with pytest.raises(OutsideCity):
        locate(name_only, lat, lon)


def test_the_map_outlines_leave_it_out(name_only, client):
    codes = [f["properties"]["code"] for f in
             client.get(f"{CITY}/districts.geojson").get_json()["features"]]
    assert PORO not in codes and len(codes) == 58


def test_place_suggestions_offer_it_without_a_point(name_only, client):
    places = client.get(f"{CITY}/places?q=Poro").get_json()["places"]
    poro = next(p for p in places if p["name"] == "Poro")
    assert (poro["lat"], poro["lon"], poro["kind"]) == (None, None, "district")


def test_a_complaint_filed_there_follows_the_district_rule(name_only):
    filed = submit_complaint(name_only, Channel.WEB, {
        "category": "flooding", "description": "Baha", "location_text": "Poro"})
    complaint = db.session.get(Complaint, filed.id)
    assert complaint.district_id == district("Poro").id and complaint.point is None
    assert complaint.department_id == department_id(name_only, "drrm")


def test_the_web_form_files_it_there(name_only, client):
    complaint = complaint_of(report(client, "flooding", description="Baha sa kalsada",
                                    location_text="Poro"))
    assert complaint.district_id == district("Poro").id and complaint.point is None
    assert complaint.department_id == department_id(name_only, "drrm")


def test_chosen_among_candidates_it_is_found_by_name(name_only, client):
    page = report(client, "flooding", description="Baha", location_text="Poro",
                  place_choice="name:Poro")
    assert complaint_of(page).district_id == district("Poro").id


@pytest.fixture
def filed(name_only):
    made = submit_complaint(name_only, Channel.WEB, {
        "category": "flooding", "description": "Baha", "location_text": "Poro"})
    db.session.commit()
    return made


PUBLIC_PAGES = ["/track/{ref}", "/complaints", "/complaints.geojson", "/transparency",
                "/open-data/complaints.csv", "/open-data/complaints.geojson"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_show_it(filed, client, path):
    response = client.get(CITY + path.format(ref=filed.reference))
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]


STAFF_PAGES = ["/staff/complaints/{ref}", "/staff/queue", "/staff/triage", "/staff/dashboard",
               "/staff/export.csv", "/staff/export.geojson", "/staff/complaints.geojson",
               "/staff/admin/districts"]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_show_it(filed, name_only, client, path):
    sign_in(client, staff(name_only, Role.ADMIN, can_triage=True))
    response = client.get(path.format(ref=filed.reference))
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]


def test_the_admin_list_says_it_has_no_boundary(filed, name_only, client):
    sign_in(client, staff(name_only, Role.ADMIN))
    page = client.get("/staff/admin/districts").get_data(as_text=True)
    assert page.count("no boundary: found by name only") == 1


def test_open311_lists_it(filed, client):
    response = client.get("/open311/v2/requests.json")
    assert response.status_code == 200
    assert filed.reference in response.get_data(as_text=True)
