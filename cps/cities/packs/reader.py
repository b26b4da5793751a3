"""Reads a city pack folder into a validated Pack, before anything touches the database."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask_babel import gettext as _

from cps.cities.packs.districts import PackDistrict, read_districts
from cps.cities.packs.errors import PackError
from cps.cities.packs.landmarks import PackLandmark, read_landmarks
from cps.cities.packs.settings import SETTINGS_FILE, validate_settings


@dataclass
class Pack:
    """A validated city pack: the settings mapping and the district boundaries."""

    path: Path
    settings: dict
    districts: list[PackDistrict]
    landmarks: list[PackLandmark] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.settings["slug"]


def read_pack(path, supported_locales, repair=False, progress=None,
              allow_missing_geometry=False) -> Pack:
    """Read and validate the pack at `path`; raise PackError on the first problem found."""
    path = Path(path)
    if not path.is_dir():
        raise PackError(str(path), "", _("is not a folder"))
    settings = validate_settings(load_yaml(path / SETTINGS_FILE), supported_locales)
    spec = settings["districts"]
    warnings: list[str] = []
    districts = read_districts(path / spec["file"], spec, repair, warnings, progress,
                               allow_missing_geometry)
    _check_district_references(settings, {d.code for d in districts})
    file = settings["landmarks"]
    landmarks = read_landmarks(path / file) if file else []
    return Pack(path, settings, districts, landmarks, warnings)


def load_yaml(file: Path) -> dict:
    """Parse a YAML mapping, naming the file and the line of any syntax error."""
    if not file.is_file():
        raise PackError(file.name, "", _("file not found"))
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise PackError(file.name, "", _("is not UTF-8 text")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("line %(line)d", line=mark.line + 1) if mark else ""
        problem = _("invalid YAML: %(error)s", error=_yaml_problem(exc))
        raise PackError(file.name, where, problem) from None
    if not isinstance(data, dict):
        raise PackError(file.name, "", _("must be a mapping of settings"))
    return data


def _yaml_problem(exc: yaml.YAMLError) -> str:
    return str(getattr(exc, "problem", None) or exc)


def _check_district_references(settings: dict, codes: set[str]) -> None:
    names = settings["districts"].get("names", {})
    for key, where in ((settings["districts"].get("aliases", {}), "districts.aliases"),
                       (names, "districts.names")):
        for code in key:
            if code not in codes:
                raise PackError(SETTINGS_FILE, f"{where}.{code}", _("unknown district code"))
    for i, rule in enumerate(settings["routing"]["rules"]):
        district = rule.get("district")
        if district is not None and district not in codes:
            raise PackError(
                SETTINGS_FILE, f"routing.rules[{i}].district",
                _("unknown district %(code)s", code=district),
            )
