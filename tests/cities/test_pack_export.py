"""Exporting a city writes a pack that imports back to the very same city."""

from cps.cities.packs.service import load_pack
from tests.cities.packs import snapshot


def test_export_then_import_changes_nothing(runner, city, tmp_path):
    result = runner.invoke(args=["cps", "city", "export", city.slug, str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "city.yaml").is_file()
    before = snapshot()
    _city, changes, _warnings = load_pack(tmp_path / "out")
    assert not changes.any, changes
    assert snapshot() == before


def test_exporting_an_unknown_city_fails_clearly(runner, app):
    result = runner.invoke(args=["cps", "city", "export", "atlantis"])
    assert result.exit_code == 1 and "atlantis" in result.output
