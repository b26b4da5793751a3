"""Districts without geometry: refused by default, imported by name only when allowed."""

import json

import pytest
from sqlalchemy import func, select

from cps.cities.models import City
from cps.cities.packs.exporter import export_pack
from cps.cities.packs.service import PackFailure, load_pack
from cps.extensions import db
from cps.routing.models import District
from tests.cities.packs import PackCopy, snapshot, without_geometry
from tests.conftest import DEMO_PACK

PORO, ABUT = "103314047", "103314001"


@pytest.fixture
def pack(tmp_path) -> PackCopy:
    made = PackCopy(tmp_path)
    without_geometry(made, {PORO})
    return made


def district(code: str) -> District:
    return db.session.scalar(select(District).where(District.code == code))


def test_without_the_flag_the_error_names_the_features_and_the_flag(runner, pack, app):
    result = runner.invoke(args=["cps", "city", "import", str(pack.path)])
    assert result.exit_code == 1
    assert "features without geometry (1): 103314047 Poro" in result.output
    assert "--allow-missing-geometry" in result.output
    assert db.session.scalar(select(City)) is None


def test_with_the_flag_they_are_imported_by_name_only_with_one_warning(runner, pack, app):
    result = runner.invoke(args=["cps", "city", "import", "--allow-missing-geometry",
                                 str(pack.path)])
    assert result.exit_code == 0, result.output
    assert result.output.count("Warning:") == 1
    assert "1 districts imported by name only" in result.output
    assert "103314047 Poro" in result.output
    assert district(PORO).geom is None and district(ABUT).geom is not None
    assert "59 district created" in result.output


def test_the_warning_lists_twenty_and_counts_the_rest(pack, app):
    without_geometry(pack, {f"1033140{n:02d}" for n in range(1, 26)})
    _city, _changes, warnings = load_pack(pack.path, allow_missing_geometry=True)
    assert len(warnings) == 1
    assert "26 districts imported by name only" in warnings[0]
    assert "103314001 Abut" in warnings[0] and "and 6 more" in warnings[0]
    assert "103314047 Poro" not in warnings[0]


def test_an_empty_multipolygon_is_refused_even_with_the_flag(pack, app):
    pack.edit_geojson(lambda g: g["features"][0].update(
        geometry={"type": "MultiPolygon", "coordinates": []}))
    with pytest.raises(PackFailure, match="feature 0 \\(Abut\\): has an empty MultiPolygon: "
                                          "its coordinates list is empty"):
        load_pack(pack.path, allow_missing_geometry=True)


def test_importing_twice_changes_nothing(pack, app):
    load_pack(pack.path, allow_missing_geometry=True)
    before = snapshot()
    _city, changes, _warnings = load_pack(pack.path, allow_missing_geometry=True)
    assert not changes.any, changes
    assert snapshot() == before


def test_a_district_losing_or_regaining_its_polygon_is_updated(city, pack):
    version = city.geo_version
    _city, changes, _w = load_pack(pack.path, allow_missing_geometry=True)
    assert changes["district updated"] == 1 and district(PORO).geom is None
    assert city.geo_version == version + 1
    _city, changes, _w = load_pack(DEMO_PACK)
    assert changes["district updated"] == 1 and district(PORO).geom is not None


def test_the_city_boundary_leaves_them_out(city, pack):
    def area():
        return db.session.scalar(select(func.ST_Area(City.boundary)).where(City.id == city.id))

    whole = area()
    load_pack(pack.path, allow_missing_geometry=True)
    assert 0 < area() < whole


def test_export_writes_null_geometry_and_imports_back_the_same(pack, app, tmp_path):
    city, _changes, _warnings = load_pack(pack.path, allow_missing_geometry=True)
    export_pack(city, tmp_path / "out")
    features = json.loads((tmp_path / "out" / "districts.geojson").read_text())["features"]
    poro = next(f for f in features if f["properties"]["code"] == PORO)
    assert poro["geometry"] is None
    before = snapshot()
    _city, changes, _warnings = load_pack(tmp_path / "out", allow_missing_geometry=True)
    assert not changes.any, changes
    assert snapshot() == before
