"""Applies a validated city pack to the database: create or update, never losing complaints."""

from collections import Counter

from geoalchemy2.shape import from_shape, to_shape
from shapely import unary_union
from shapely.geometry import MultiPolygon
from sqlalchemy import select

from cps.cities.models import Category, City, Department, Holiday
from cps.cities.packs.reader import Pack
from cps.complaints.models import Complaint
from cps.extensions import db
from cps.routing.models import District, Landmark, RoutingRule

CITY_FIELDS = ("names", "reference_prefix", "default_locale", "locales", "timezone",
               "country_code", "working_days", "settings", "domain",
               "sms_number", "formats", "messages")


class Changes(Counter):
    """How many rows the import created, updated, retired or deleted, per kind."""

    def note(self, kind: str, what: str) -> None:
        self[f"{kind} {what}"] += 1

    @property
    def any(self) -> bool:
        return any(self.values())


def import_pack(pack: Pack) -> tuple[City, Changes]:
    """Create or update the pack's city and everything in it; flushes, the caller commits."""
    changes = Changes()
    city = db.session.scalar(select(City).where(City.slug == pack.slug))
    fields = {k: pack.settings[k] for k in CITY_FIELDS}
    if city is None:
        city = City(slug=pack.slug, **fields)
        db.session.add(city)
        changes.note("city", "created")
    elif _assign(city, fields):
        changes.note("city", "updated")
    db.session.flush()
    _sync_holidays(city, pack.settings["holidays"], changes)
    departments = _sync_departments(city, pack.settings["departments"], changes)
    categories = _sync_categories(city, pack.settings["categories"], changes)
    districts = _sync_districts(city, pack, changes)
    _sync_landmarks(city, pack, changes)
    _sync_rules(city, pack.settings, departments, categories, districts, changes)
    if changes["city created"] == 0 and any(
            key.startswith(("district", "landmark", "routing", "categor", "city"))
            and "kept" not in key
            for key in changes):
        city.geo_version += 1
    db.session.flush()
    return city, changes


def _assign(obj, values: dict) -> bool:
    """Set only the attributes that differ, so an unchanged row is not touched at all."""
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def _upsert(model, city: City, code: str, values: dict, kind: str, changes: Changes):
    row = db.session.scalar(select(model).where(model.city_id == city.id, model.code == code))
    if row is None:
        row = model(city_id=city.id, code=code, **values)
        db.session.add(row)
        changes.note(kind, "created")
    elif _assign(row, values):
        changes.note(kind, "updated")
    return row


def _sync_holidays(city: City, holidays: list[dict], changes: Changes) -> None:
    wanted = {h["date"]: h["names"] for h in holidays}
    for holiday in list(city.holidays):
        if holiday.day not in wanted:
            city.holidays.remove(holiday)
            changes.note("holiday", "deleted")
        elif _assign(holiday, {"names": wanted.pop(holiday.day)}):
            changes.note("holiday", "updated")
    for day, names in wanted.items():
        city.holidays.append(Holiday(day=day, names=names))
        changes.note("holiday", "created")


def _retire_missing(model, city: City, codes: set, kind: str, changes: Changes) -> None:
    """Deactivate rows the pack no longer lists: complaints may still point to them."""
    for row in db.session.scalars(select(model).where(model.city_id == city.id)):
        if row.code not in codes and row.active:
            row.active = False
            changes.note(kind, "retired")


def _sync_departments(city, items, changes) -> dict[str, Department]:
    rows = {d["code"]: _upsert(Department, city, d["code"], {
        "names": d["names"], "email": d["email"], "phone": d["phone"], "active": True,
    }, "department", changes) for d in items}
    _retire_missing(Department, city, set(rows), "department", changes)
    db.session.flush()
    return rows


def _sync_categories(city, items, changes) -> dict[str, Category]:
    rows = {}
    for position, c in enumerate(items):
        values = {k: c[k] for k in ("names", "descriptions", "keywords", "group", "icon",
                                    "deadline_days", "questions")}
        values.update(position=position, active=True)
        rows[c["code"]] = _upsert(Category, city, c["code"], values, "category", changes)
    _retire_missing(Category, city, set(rows), "category", changes)
    db.session.flush()
    return rows


def _sync_districts(city: City, pack: Pack, changes: Changes) -> dict[str, District]:
    existing = {d.code: d for d in db.session.scalars(
        select(District).where(District.city_id == city.id))}
    rows, geometry_changed = {}, False
    for d in pack.districts:
        row = existing.pop(d.code, None)
        if row is None:
            row = District(city_id=city.id, code=d.code, name=d.name, names=d.names,
                           aliases=d.aliases, geom=_stored(d.geom))
            db.session.add(row)
            changes.note("district", "created")
            geometry_changed = True
        else:
            moved = not _same_shape(row.geom, d.geom)
            values = {"name": d.name, "names": d.names, "aliases": d.aliases}
            if moved:
                values["geom"] = _stored(d.geom)
            geometry_changed |= moved
            if _assign(row, values):
                changes.note("district", "updated")
        rows[d.code] = row
    geometry_changed |= _drop_districts(existing.values(), changes)
    if geometry_changed or city.boundary is None:
        city.boundary = _stored(_outline([d.geom for d in pack.districts]))
    db.session.flush()
    return rows


def _stored(geom):
    """A Shapely geometry as a column value; None (a name-only district) stays NULL."""
    return None if geom is None else from_shape(geom, srid=4326)


def _same_shape(column, geom) -> bool:
    """Whether a stored boundary (or NULL) equals the pack's (or None)."""
    if column is None or geom is None:
        return column is None and geom is None
    return to_shape(column).equals_exact(geom, 1e-9)


def _sync_landmarks(city: City, pack: Pack, changes: Changes) -> None:
    existing = {m.code: m for m in db.session.scalars(
        select(Landmark).where(Landmark.city_id == city.id))}
    for mark in pack.landmarks:
        row = existing.pop(mark.code, None)
        values = {"name": mark.name, "aliases": mark.aliases}
        if row is None:
            db.session.add(Landmark(city_id=city.id, code=mark.code,
                                    point=from_shape(mark.point, srid=4326), **values))
            changes.note("landmark", "created")
            continue
        if not to_shape(row.point).equals_exact(mark.point, 1e-9):
            values["point"] = from_shape(mark.point, srid=4326)
        if _assign(row, values):
            changes.note("landmark", "updated")
    for row in existing.values():
        db.session.delete(row)
        changes.note("landmark", "deleted")


def _drop_districts(leftovers, changes: Changes) -> bool:
    """Delete districts the pack dropped, unless complaints point to them."""
    dropped = False
    for row in leftovers:
        used = db.session.scalar(select(Complaint.id).where(Complaint.district_id == row.id)
                                 .limit(1))
        if used is None:
            db.session.delete(row)
            changes.note("district", "deleted")
            dropped = True
        else:
            changes.note("district", "kept (has complaints)")
    return dropped


def _outline(geoms) -> MultiPolygon | None:
    """The union of the districts that have a boundary; None when none has one."""
    union = unary_union([g for g in geoms if g is not None])
    if union.is_empty:
        return None
    return union if isinstance(union, MultiPolygon) else MultiPolygon([union])


def _wanted_rules(settings, departments, categories, districts) -> dict:
    wanted = {}
    for c in settings["categories"]:
        if c["department"]:
            wanted[(categories[c["code"]].id, None)] = (departments[c["department"]].id, 0)
    for rule in settings["routing"]["rules"]:
        category = categories[rule["category"]].id if rule.get("category") else None
        district = districts[rule["district"]].id if rule.get("district") else None
        wanted[(category, district)] = (departments[rule["department"]].id,
                                        int(rule.get("priority", 0)))
    default = settings["routing"]["default_department"]
    if default:
        wanted[(None, None)] = (departments[default].id, 0)
    return wanted


def _sync_rules(city, settings, departments, categories, districts, changes) -> None:
    wanted = _wanted_rules(settings, departments, categories, districts)
    for rule in db.session.scalars(select(RoutingRule).where(RoutingRule.city_id == city.id)):
        key = (rule.category_id, rule.district_id)
        if key not in wanted:
            db.session.delete(rule)
            changes.note("routing rule", "deleted")
            continue
        department_id, priority = wanted.pop(key)
        if _assign(rule, {"department_id": department_id, "priority": priority}):
            changes.note("routing rule", "updated")
    for (category_id, district_id), (department_id, priority) in wanted.items():
        db.session.add(RoutingRule(city_id=city.id, category_id=category_id,
                                   district_id=district_id, department_id=department_id,
                                   priority=priority))
        changes.note("routing rule", "created")
