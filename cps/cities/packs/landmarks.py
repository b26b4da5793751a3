"""Reads a pack's optional landmarks file: named points citizens give as locations."""

from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from shapely.geometry import Point

from cps.cities.packs.districts import check_ranges, feature_label, load_features
from cps.cities.packs.errors import PackError, require
from cps.cities.packs.settings import CODE_RE


@dataclass
class PackLandmark:
    """One landmark of a pack, validated."""

    code: str
    name: str
    aliases: list[str]
    point: Point


def read_landmarks(file: Path) -> list[PackLandmark]:
    """Every Point feature of `file` (properties code, name, aliases) as a PackLandmark."""
    landmarks, seen = [], set()
    for i, feature in enumerate(load_features(file)):
        landmark = _landmark(file.name, i, feature)
        if landmark.code in seen:
            raise PackError(file.name, feature_label(i, landmark.name),
                            _("duplicate code %(code)s", code=landmark.code))
        seen.add(landmark.code)
        landmarks.append(landmark)
    return landmarks


def _landmark(fname: str, i: int, feature) -> PackLandmark:
    require(isinstance(feature, dict) and feature.get("type") == "Feature", fname,
            feature_label(i, None), _("is not a GeoJSON Feature"))
    props = feature.get("properties") or {}
    name, code = props.get("name"), str(props.get("code") or "")
    label = feature_label(i, name)
    require(isinstance(name, str) and bool(name.strip()), fname, label,
            _("has no %(prop)s property", prop="name"))
    require(bool(CODE_RE.match(code)), fname, label,
            _("must be a short code of lower-case letters, digits, '-', '_' or '.'"))
    aliases = props.get("aliases") or []
    require(isinstance(aliases, list) and all(isinstance(a, str) for a in aliases), fname,
            label, _("must be a list of names"))
    geometry = feature.get("geometry")
    require(isinstance(geometry, dict), fname, label, _("has no geometry"))
    require(geometry.get("type") == "Point", fname, label,
            _("geometry must be a Point, not %(type)s", type=geometry.get("type")))
    check_ranges(fname, label, geometry.get("coordinates"))
    lon, lat = geometry["coordinates"][:2]
    return PackLandmark(code, name.strip(), [a.strip() for a in aliases if a.strip()],
                        Point(float(lon), float(lat)))
