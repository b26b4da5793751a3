"""Helpers for city pack tests: a writable copy of the demo pack and database snapshots."""

import json
import shutil
from pathlib import Path

import yaml
from sqlalchemy import select

from cps.extensions import db
from tests.conftest import DEMO_PACK


class PackCopy:
    """A copy of the demo pack in a temporary folder, with its two files editable."""

    def __init__(self, folder: Path):
        self.path = folder / "pack"
        shutil.copytree(DEMO_PACK, self.path)

    @property
    def settings(self) -> dict:
        return yaml.safe_load((self.path / "city.yaml").read_text(encoding="utf-8"))

    def save_settings(self, settings: dict) -> None:
        (self.path / "city.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True))

    def edit_settings(self, change) -> None:
        settings = self.settings
        change(settings)
        self.save_settings(settings)

    @property
    def geojson(self) -> dict:
        return json.loads((self.path / "districts.geojson").read_text(encoding="utf-8"))

    def edit_geojson(self, change) -> None:
        data = self.geojson
        change(data)
        (self.path / "districts.geojson").write_text(json.dumps(data))


def snapshot() -> dict:
    """Every row of every table, as text, to compare the database before and after."""
    db.session.expire_all()
    return {
        name: [tuple(str(v) for v in row) for row in db.session.execute(
            select(table).order_by(*table.primary_key.columns)).all()]
        for name, table in db.metadata.tables.items()
    }


def without_geometry(pack: PackCopy, codes) -> None:
    """Give the pack's districts with these codes `"geometry": null`, as some layers have."""
    def change(data):
        for feature in data["features"]:
            if str(feature["properties"]["adm4_psgc"]) in codes:
                feature["geometry"] = None

    pack.edit_geojson(change)
