"""Importing the demo city pack: content, idempotence, and updates that keep complaints."""

from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import func, select

from cps.cities.models import Category, City, Department
from cps.cities.packs.service import load_pack
from cps.complaints.models import Channel, Complaint
from cps.extensions import db
from cps.routing.models import District, RoutingRule
from cps.routing.services import route
from tests.cities.packs import PackCopy, snapshot
from tests.conftest import DEMO_PACK


def count(model, city) -> int:
    return db.session.scalar(select(func.count()).select_from(model)
                             .where(model.city_id == city.id))


def test_cli_imports_the_demo_city(runner):
    result = runner.invoke(args=["cps", "city", "import", str(DEMO_PACK)])
    assert result.exit_code == 0, result.output
    assert "59 district created" in result.output
    city = db.session.scalar(select(City).where(City.slug == "san-fernando-la-union"))
    assert city.name("fil") == "Lungsod ng San Fernando, La Union"
    assert (city.timezone, city.country_code, city.locales) == (
        "Asia/Manila", "PH", ["en", "fil", "ilo"])
    assert count(District, city) == 59 and count(Department, city) == 8
    assert count(Category, city) == 11 and len(city.holidays) == 32


def test_districts_keep_their_official_codes_and_aliases(city):
    poblacion = db.session.scalar(select(District).where(District.code == "103314006"))
    assert poblacion.name == "Barangay I" and "Poblacion I" in poblacion.aliases


def test_the_city_boundary_covers_its_districts(city):
    inside = db.session.scalar(select(func.ST_Contains(City.boundary, from_shape(
        Point(120.3170, 16.6160), srid=4326))).where(City.id == city.id))
    assert inside in (True, 1)


def test_routing_rules_follow_the_pack(city):
    cat = {c.code: c.id for c in city.categories}
    dept = {d.code: d.id for d in city.departments}
    poro = db.session.scalar(select(District.id).where(District.name == "Poro"))
    abut = db.session.scalar(select(District.id).where(District.name == "Abut"))
    assert route(city, cat["flooding"], poro) == dept["drrm"]
    assert route(city, cat["flooding"], abut) == dept["engineering"]
    assert route(city, cat["other"], abut) == dept["barangay-affairs"]


def test_importing_twice_changes_nothing(app, city):
    before = snapshot()
    _city, changes, _warnings = load_pack(DEMO_PACK)
    assert not changes.any, changes
    assert snapshot() == before


def test_cli_reports_no_changes_on_reimport(runner, city):
    result = runner.invoke(args=["cps", "city", "import", str(DEMO_PACK)])
    assert result.exit_code == 0 and "no changes" in result.output


def _complaint_in(city, district_name: str) -> Complaint:
    district = db.session.scalar(select(District).where(District.name == district_name))
    complaint = Complaint(city_id=city.id, reference="SF-TEST0", channel=Channel.WEB,
                          category_id=city.categories[0].id, district_id=district.id,
                          description="test")
    db.session.add(complaint)
    db.session.flush()
    return complaint


def test_an_edited_pack_updates_the_city_and_keeps_complaints(app, city, tmp_path):
    complaint = _complaint_in(city, "Abut")
    pack = PackCopy(tmp_path)

    def edit(s):
        s["categories"][0]["deadline_days"] = 4
        s["categories"] = [c for c in s["categories"] if c["code"] != "traffic"]
        s["departments"] = [d for d in s["departments"] if d["code"] != "traffic"]
        s["names"]["en"] = "City of San Fernando"
    pack.edit_settings(edit)
    pack.edit_geojson(lambda g: g.update(features=[
        f for f in g["features"] if f["properties"]["adm4_en"] != "Abut"]))
    _city, changes, _ = load_pack(pack.path)
    assert changes["district kept (has complaints)"] == 1
    assert changes["department retired"] == 1 and changes["category retired"] == 1
    db.session.expire_all()
    assert city.name("en") == "City of San Fernando"
    assert db.session.get(Complaint, complaint.id).district.name == "Abut"
    traffic = db.session.scalar(select(Department).where(Department.code == "traffic"))
    assert traffic.active is False
    assert db.session.scalar(select(Category.deadline_days).where(
        Category.code == city.categories[0].code)) == 4


def test_a_dropped_district_without_complaints_is_deleted(app, city, tmp_path):
    pack = PackCopy(tmp_path)
    pack.edit_geojson(lambda g: g.update(features=[
        f for f in g["features"] if f["properties"]["adm4_en"] != "Bato"]))
    _city, changes, _ = load_pack(pack.path)
    assert changes["district deleted"] == 1
    assert db.session.scalar(select(District).where(District.name == "Bato")) is None
    assert count(RoutingRule, city) == 17
