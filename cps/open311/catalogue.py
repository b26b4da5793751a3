"""The city's categories as Open311 services and service definitions."""

from flask_babel import gettext as _
from sqlalchemy import select

from cps.cities.models import Category, City
from cps.extensions import db
from cps.i18n import pick_text
from cps.open311.errors import NotFound


def _categories(city: City) -> list[Category]:
    return db.session.scalars(select(Category).where(
        Category.city_id == city.id, Category.active).order_by(
            Category.position, Category.code)).all()


def services(city: City, locale: str) -> list[dict]:
    return [{
        "service_code": c.code, "service_name": c.name(locale),
        "description": c.description(locale) or None, "metadata": bool(c.questions),
        "type": "realtime",
        "keywords": ",".join((c.keywords or {}).get(locale) or (c.keywords or {}).get(
            city.default_locale) or []) or None,
        "group": c.group} for c in _categories(city)]


def service_definition(city: City, code: str, locale: str) -> dict:
    category = db.session.scalar(select(Category).where(
        Category.city_id == city.id, Category.code == code[:64], Category.active))
    if category is None:
        raise NotFound(_("Unknown service_code."))
    return {"service_code": category.code, "attributes": [{
        "variable": True, "code": q["code"], "datatype": q["datatype"],
        "required": bool(q.get("required")),
        "datatype_description": _datatype_description(q["datatype"]),
        "order": i + 1, "description": _pick(q.get("names"), locale, city),
        "values": [{"key": v["key"], "name": _pick(v.get("names"), locale, city)}
                   for v in q.get("values") or []],
    } for i, q in enumerate(category.questions or [])]}


def _pick(texts, locale, city) -> str:
    return pick_text(texts, locale, city.default_locale)


def _datatype_description(datatype: str) -> str | None:
    return {"number": _("A number, e.g. 3 or 2.5"),
            "datetime": _("A date and time in ISO 8601, e.g. 2026-11-23T08:30:00+08:00"),
            "singlevaluelist": _("One of the keys of values"),
            "multivaluelist": _("One or more of the keys of values")}.get(datatype)
