"""Reads and checks a pack's district boundaries (GeoJSON) into Shapely multipolygons.

A feature whose geometry is null or absent is a district known by name only: refused unless
the import allows missing geometry, then listed in one warning."""

import json
import math
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from shapely import make_valid
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.validation import explain_validity

from cps.cities.packs.errors import PackError, require

POLYGON_TYPES = {"Polygon", "MultiPolygon"}
# Districts named in the message about missing geometry; the rest are counted.
MISSING_LISTED = 20


@dataclass
class PackDistrict:
    """One district of a pack, validated."""

    code: str
    name: str
    names: dict
    aliases: list[str]
    geom: MultiPolygon | None


def read_districts(file: Path, spec: dict, repair: bool, warnings: list, progress=None,
                   allow_missing_geometry: bool = False):
    """Every feature of `file` as a PackDistrict; PackError names the feature of any problem.

    `progress(total)`, when given, returns a context manager whose value has update(n).
    `allow_missing_geometry`: features without geometry become name-only districts (geom None).
    """
    features = load_features(file)
    with progress(len(features)) if progress else nullcontext() as bar:
        districts = list(_each_district(file.name, features, spec, repair, warnings, bar))
    _check_missing(file.name, [d for d in districts if d.geom is None], allow_missing_geometry,
                   warnings)
    return districts


def _check_missing(fname: str, missing: list, allowed: bool, warnings: list) -> None:
    """Refuse name-only districts unless allowed; then say which they are, once."""
    if not missing:
        return
    listed = _listing(missing)
    if not allowed:
        raise PackError(fname, "", _(
            "features without geometry (%(count)d): %(features)s; add their polygons, or import "
            "with --allow-missing-geometry to import them by name only",
            count=len(missing), features=listed))
    warnings.append(_("%(file)s: %(count)d districts imported by name only, without geometry "
                      "(points cannot be routed to them): %(features)s",
                      file=fname, count=len(missing), features=listed))


def _listing(districts: list) -> str:
    """Code and name of the first districts, and how many more there are."""
    shown = ", ".join(f"{d.code} {d.name}" for d in districts[:MISSING_LISTED])
    rest = len(districts) - MISSING_LISTED
    return shown if rest <= 0 else _("%(listed)s and %(count)d more", listed=shown, count=rest)


def _each_district(fname, features, spec, repair, warnings, bar):
    seen = {}
    for i, feature in enumerate(features):
        district = _district(fname, i, feature, spec, repair, warnings)
        if district.code in seen:
            raise PackError(fname, feature_label(i, district.name),
                            _("duplicate district code %(code)s (also feature %(other)d)",
                              code=district.code, other=seen[district.code]))
        seen[district.code] = i
        if bar is not None:
            bar.update(1)
        yield district


def load_features(file: Path) -> list:
    if not file.is_file():
        raise PackError(file.name, "", _("file not found"))
    try:
        data = json.loads(file.read_text(encoding="utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise PackError(file.name, "", _("is not UTF-8 text")) from None
    except json.JSONDecodeError as exc:
        raise PackError(file.name, _("line %(line)d", line=exc.lineno),
                        _("invalid JSON: %(error)s", error=exc.msg)) from None
    except ValueError as exc:
        raise PackError(file.name, "", str(exc)) from None
    require(isinstance(data, dict) and data.get("type") == "FeatureCollection", file.name, "",
            _("must be a GeoJSON FeatureCollection"))
    features = data.get("features")
    require(isinstance(features, list) and bool(features), file.name, "features",
            _("must be a non-empty list"))
    return features


def _reject_constant(name: str):
    raise ValueError(_("invalid JSON: %(value)s is not a number", value=name))


def feature_label(i: int, name) -> str:
    return _("feature %(num)d (%(name)s)", num=i, name=name) if name else \
        _("feature %(num)d", num=i)


def _district(fname, i, feature, spec, repair, warnings) -> PackDistrict:
    require(isinstance(feature, dict) and feature.get("type") == "Feature", fname,
            feature_label(i, None), _("is not a GeoJSON Feature"))
    props = feature.get("properties") or {}
    code, name = props.get(spec["code_property"]), props.get(spec["name_property"])
    label = feature_label(i, name)
    require(code not in (None, ""), fname, label,
            _("has no %(prop)s property", prop=spec["code_property"]))
    require(isinstance(name, str) and bool(name.strip()), fname, label,
            _("has no %(prop)s property", prop=spec["name_property"]))
    code = str(code)
    aliases = spec["aliases"].get(code, [])
    require(isinstance(aliases, list) and all(isinstance(a, str) for a in aliases), "city.yaml",
            f"districts.aliases.{code}", _("must be a list of names"))
    names = spec["names"].get(code, {})
    require(isinstance(names, dict), "city.yaml", f"districts.names.{code}",
            _("must map locale codes to texts"))
    geom = _geometry(fname, label, feature.get("geometry"), repair, warnings)
    return PackDistrict(code, name.strip(), dict(names), list(aliases), geom)


def _geometry(fname, label, geometry, repair, warnings) -> MultiPolygon | None:
    """The feature's boundary, or None when it has none (the caller decides if that is fine)."""
    if geometry is None:
        return None
    require(isinstance(geometry, dict), fname, label, _("has no geometry"))
    kind = geometry.get("type")
    require(kind in POLYGON_TYPES, fname, label,
            _("geometry must be a Polygon or MultiPolygon, not %(type)s", type=kind))
    # Missing data is null; an empty list is a broken export, refused even when null is allowed.
    require(geometry.get("coordinates") != [], fname, label,
            _("has an empty %(type)s: its coordinates list is empty", type=kind))
    check_ranges(fname, label, geometry.get("coordinates"))
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        raise PackError(fname, label, _("malformed geometry: %(error)s", error=exc)) from None
    require(not geom.is_empty, fname, label, _("has an empty geometry"))
    if not geom.is_valid:
        geom = _repair(fname, label, geom, repair, warnings)
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon([geom])


def check_ranges(fname, label, coords) -> None:
    for lon, lat in _positions(fname, label, coords):
        ok = math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90
        require(ok, fname, label, _("coordinate %(lon)s, %(lat)s is outside WGS84 longitude/"
                                    "latitude ranges", lon=lon, lat=lat))


def _positions(fname, label, coords):
    if isinstance(coords, list) and coords and all(isinstance(c, int | float) for c in coords):
        require(len(coords) >= 2, fname, label, _("a position needs longitude and latitude"))
        yield float(coords[0]), float(coords[1])
        return
    require(isinstance(coords, list) and bool(coords), fname, label,
            _("malformed geometry: coordinates must be nested lists of numbers"))
    for item in coords:
        yield from _positions(fname, label, item)


def _repair(fname, label, geom, repair: bool, warnings: list):
    problem = explain_validity(geom)
    if not repair:
        raise PackError(fname, label, _("invalid polygon (%(problem)s); fix it, or import with "
                                        "--repair to repair it", problem=problem))
    polygons = list(_polygons(make_valid(geom)))
    require(bool(polygons), fname, label, _("invalid polygon (%(problem)s) that cannot be "
                                            "repaired", problem=problem))
    warnings.append(_("%(file)s: %(where)s: repaired an invalid polygon (%(problem)s)",
                      file=fname, where=label, problem=problem))
    return MultiPolygon(polygons)


def _polygons(geom):
    """The polygons inside any geometry (make_valid may return collections with lines)."""
    if isinstance(geom, Polygon):
        yield geom
    for part in getattr(geom, "geoms", []):
        yield from _polygons(part)
