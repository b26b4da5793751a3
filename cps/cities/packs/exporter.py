"""Writes a city from the database back out as a pack folder that imports to the same city."""

import json
from pathlib import Path

import yaml
from geoalchemy2.shape import to_shape
from shapely.geometry import mapping
from sqlalchemy import select

from cps.cities.models import City
from cps.cities.packs.settings import SETTINGS_FILE
from cps.extensions import db
from cps.routing.models import District, Landmark, RoutingRule

DISTRICTS_FILE = "districts.geojson"
LANDMARKS_FILE = "landmarks.geojson"


def export_pack(city: City, folder: Path) -> list[Path]:
    """Write city.yaml and districts.geojson for `city` into `folder`; return the files."""
    folder.mkdir(parents=True, exist_ok=True)
    districts = db.session.scalars(
        select(District).where(District.city_id == city.id).order_by(District.code)).all()
    settings_path, geo_path = folder / SETTINGS_FILE, folder / DISTRICTS_FILE
    settings_path.write_text(
        yaml.safe_dump(city_settings(city, districts), allow_unicode=True, sort_keys=False),
        encoding="utf-8")
    geo_path.write_text(json.dumps(_feature_collection(districts), ensure_ascii=False),
                        encoding="utf-8")
    written = [settings_path, geo_path]
    landmarks = _landmarks(city)
    if landmarks:
        written.append(folder / LANDMARKS_FILE)
        written[-1].write_text(json.dumps(landmarks, ensure_ascii=False), encoding="utf-8")
    return written


def city_settings(city: City, districts: list[District]) -> dict:
    """The city.yaml mapping for `city`."""
    out = {
        "slug": city.slug, "names": city.names, "reference_prefix": city.reference_prefix,
        "domain": city.domain, "sms_number": city.sms_number,
        "country_code": city.country_code, "timezone": city.timezone,
        "default_locale": city.default_locale, "locales": city.locales,
        "working_days": city.working_days, "settings": city.settings,
        "formats": city.formats, "messages": city.messages,
        "holidays": [{"date": h.day, "names": h.names} for h in city.holidays],
        "departments": [_department(d) for d in city.departments if d.active],
    }
    out["categories"] = [_category(c) for c in city.categories if c.active]
    out["routing"] = _routing(city, out["categories"])
    out["districts"] = {
        "file": DISTRICTS_FILE, "code_property": "code", "name_property": "name",
        "aliases": {d.code: d.aliases for d in districts if d.aliases},
        "names": {d.code: d.names for d in districts if d.names},
    }
    if db.session.scalar(select(Landmark.id).where(Landmark.city_id == city.id).limit(1)):
        out["landmarks"] = LANDMARKS_FILE
    return {k: v for k, v in out.items() if v not in (None, {}, [])}


def _landmarks(city: City) -> dict | None:
    rows = db.session.scalars(
        select(Landmark).where(Landmark.city_id == city.id).order_by(Landmark.code)).all()
    if not rows:
        return None
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": mapping(to_shape(m.point)),
         "properties": {"code": m.code, "name": m.name, "aliases": m.aliases}} for m in rows]}


def _department(d) -> dict:
    out = {"code": d.code, "names": d.names, "email": d.email, "phone": d.phone}
    return {k: v for k, v in out.items() if v is not None}


def _category(c) -> dict:
    out = {"code": c.code, "names": c.names, "descriptions": c.descriptions,
           "deadline_days": c.deadline_days, "group": c.group, "icon": c.icon,
           "keywords": c.keywords, "questions": c.questions}
    return {k: v for k, v in out.items() if v not in (None, {}, [])}


def _routing(city: City, categories: list[dict]) -> dict:
    rules = db.session.scalars(
        select(RoutingRule).where(RoutingRule.city_id == city.id).order_by(RoutingRule.id)).all()
    by_code = {c["code"]: c for c in categories}
    out: dict = {"rules": []}
    for rule in rules:
        dept = rule.department.code
        if rule.category_id is None and rule.district_id is None:
            out["default_department"] = dept
        elif rule.district_id is None and rule.priority == 0 and rule.category.code in by_code:
            by_code[rule.category.code]["department"] = dept
        else:
            entry = {"category": rule.category.code if rule.category else None,
                     "district": rule.district.code if rule.district else None,
                     "department": dept, "priority": rule.priority or None}
            out["rules"].append({k: v for k, v in entry.items() if v is not None})
    return out


def _feature_collection(districts: list[District]) -> dict:
    """The districts as GeoJSON; a name-only district's geometry is null, as it came in."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": d.code, "name": d.name},
         "geometry": None if d.geom is None else mapping(to_shape(d.geom))}
        for d in districts]}
