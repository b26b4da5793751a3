"""Bad city packs: the import stops, names the file, place and problem, and changes nothing."""

import json

import pytest
from sqlalchemy import select

from cps.cities.models import City
from cps.extensions import db
from tests.cities.packs import PackCopy, snapshot

BOWTIE = {"type": "Polygon", "coordinates": [[[120.30, 16.60], [120.31, 16.61], [120.31, 16.60],
                                              [120.30, 16.61], [120.30, 16.60]]]}
EMPTY_MULTI = {"type": "MultiPolygon", "coordinates": []}


def _feature0(change):
    return lambda g: change(g["features"][0])


def _category0(key, value):
    return lambda s: s["categories"][0].__setitem__(key, value)


def _write(name: str, text: str):
    return lambda pack: (pack.path / name).write_text(text)


CASES = {
    "missing city.yaml": (lambda p: (p.path / "city.yaml").unlink(),
                          "city.yaml: file not found"),
    "missing districts": (lambda p: (p.path / "districts.geojson").unlink(),
                          "districts.geojson: file not found"),
    "invalid YAML": (_write("city.yaml", "slug: [unclosed\nnames: x\n"),
                     "city.yaml: line 2: invalid YAML"),
    "invalid JSON": (_write("districts.geojson", '{"type": "FeatureCollection",'),
                     "districts.geojson: line 1: invalid JSON"),
    "NaN in JSON": (_write("districts.geojson", '{"type": "FeatureCollection", "features": '
                                                '[{"x": NaN}]}'), "NaN is not a number"),
    "not a collection": (_write("districts.geojson", '{"type": "Feature"}'),
                         "must be a GeoJSON FeatureCollection"),
    "no geometry": ("geo", _feature0(lambda f: f.update(geometry=None)),
                    "districts.geojson: features without geometry (1): 103314001 Abut; add "
                    "their polygons, or import with --allow-missing-geometry"),
    "geometry member absent": ("geo", _feature0(lambda f: f.pop("geometry")),
                               "features without geometry (1): 103314001 Abut"),
    "empty MultiPolygon": ("geo", _feature0(lambda f: f.update(geometry=EMPTY_MULTI)),
                           "districts.geojson: feature 0 (Abut): has an empty MultiPolygon: its "
                           "coordinates list is empty"),
    "empty Polygon": ("geo", _feature0(lambda f: f.update(geometry={"type": "Polygon",
                                                                   "coordinates": []})),
                      "feature 0 (Abut): has an empty Polygon: its coordinates list is empty"),
    "self-intersecting": ("geo", _feature0(lambda f: f.update(geometry=BOWTIE)),
                          "feature 0 (Abut): invalid polygon (Self-intersection"),
    "outside WGS84": ("geo", _feature0(lambda f: f["geometry"]["coordinates"][0][0].__setitem__(
        1, 96.5)), "outside WGS84"),
    "duplicate district": ("geo", lambda g: g["features"][1]["properties"].update(
        adm4_psgc=g["features"][0]["properties"]["adm4_psgc"]),
        "feature 1 (Apaleng): duplicate district code 103314001"),
    "unknown department": ("yaml", _category0("department", "roads"),
                           "city.yaml: categories[0].department: unknown department roads"),
    "unknown locale": ("yaml", lambda s: s["locales"].append("xx-nowhere"),
                       "city.yaml: locales: unknown locale xx-nowhere"),
    "unknown timezone": ("yaml", lambda s: s.update(timezone="Asia/Atlantis"),
                         "city.yaml: timezone: unknown timezone Asia/Atlantis"),
    "duplicate department": ("yaml", lambda s: s["departments"].append(s["departments"][0]),
                             "city.yaml: departments[8].code: duplicate code engineering"),
    "rule to unknown district": ("yaml", lambda s: s["routing"]["rules"][0].update(
        district="999"), "city.yaml: routing.rules[0].district: unknown district 999"),
    "default locale not offered": ("yaml", lambda s: s.update(default_locale="vi"),
                                   "city.yaml: default_locale: must be one of the pack's"),
    "bad deadline": ("yaml", _category0("deadline_days", 0), "categories[0].deadline_days"),
    "missing name": ("yaml", lambda s: s["departments"][0]["names"].pop("en"),
                     "city.yaml: departments[0].names.en: is required"),
}


def apply_case(pack: PackCopy, case) -> str:
    if len(case) == 2:
        change, expected = case
        change(pack)
    else:
        kind, change, expected = case
        (pack.edit_geojson if kind == "geo" else pack.edit_settings)(change)
    return expected


@pytest.mark.parametrize("name", list(CASES))
def test_bad_pack_on_an_existing_city_changes_nothing(name, city, runner, tmp_path):
    pack = PackCopy(tmp_path)
    pack.edit_settings(lambda s: s["names"].update(en="Renamed"))
    expected = apply_case(pack, CASES[name])
    before = snapshot()
    result = runner.invoke(args=["cps", "city", "import", str(pack.path)])
    assert result.exit_code == 1
    assert "nothing was changed" in result.output and expected in result.output, result.output
    assert snapshot() == before


def test_bad_pack_creates_no_city(runner, tmp_path, app):
    pack = PackCopy(tmp_path)
    apply_case(pack, CASES["unknown department"])
    result = runner.invoke(args=["cps", "city", "import", str(pack.path)])
    assert result.exit_code == 1
    assert db.session.scalar(select(City)) is None


def test_repair_flag_repairs_an_invalid_polygon_with_a_warning(runner, tmp_path, app):
    pack = PackCopy(tmp_path)
    apply_case(pack, CASES["self-intersecting"])
    result = runner.invoke(args=["cps", "city", "import", "--repair", str(pack.path)])
    assert result.exit_code == 0, result.output
    assert "repaired an invalid polygon" in result.output


def test_the_error_is_translated(runner, tmp_path, app, monkeypatch):
    monkeypatch.setitem(app.config, "DEFAULT_LOCALE", "fil")
    pack = PackCopy(tmp_path)
    apply_case(pack, CASES["unknown timezone"])
    result = runner.invoke(args=["cps", "city", "import", str(pack.path)])
    assert result.exit_code == 1
    assert "Asia/Atlantis" in result.output and "nothing was changed" not in result.output


def test_a_folder_that_does_not_exist_is_refused(runner, tmp_path, app):
    result = runner.invoke(args=["cps", "city", "import", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "is not a folder" in result.output


def test_feature_collection_json_is_what_the_pack_ships(tmp_path):
    data = json.loads(PackCopy(tmp_path).path.joinpath("districts.geojson").read_text())
    assert len(data["features"]) == 59
