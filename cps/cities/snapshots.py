"""Read-only copies of what every intake reads of a city: the city's own columns, its active
categories, its holidays and its departments' addresses. Each worker keeps them for
REFERENCE_CACHE_SECONDS (see cps.caching), instead of reading them on every request.

They stand in for the ORM rows where only these values are read: a CityInfo has the City
attributes the intake uses (id, settings, locales, timezone, geo_version, name() ...)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from cps import caching
from cps.cities.models import Category, City, Department, Holiday
from cps.extensions import db
from cps.i18n import pick_text

caching.watch(City, Category, Department, Holiday)


@dataclass(frozen=True)
class CategoryInfo:
    """An active category as the intake reads it."""

    id: int
    code: str
    names: dict
    deadline_days: int
    questions: list
    city_default_locale: str

    def name(self, locale: str | None = None) -> str:
        return pick_text(self.names, locale, self.city_default_locale)


@dataclass(frozen=True)
class DepartmentInfo:
    """Where a department is told of new complaints."""

    id: int
    email: str | None


@dataclass(frozen=True)
class CityInfo:
    """A city's columns, with its active categories, holidays and departments."""

    id: int
    slug: str
    domain: str | None
    names: dict
    reference_prefix: str
    default_locale: str
    locales: tuple
    timezone: str
    country_code: str
    working_days: tuple
    geo_version: int
    settings: dict
    formats: dict
    holiday_days: frozenset[date]
    categories: dict[str, CategoryInfo]
    departments: dict[int, DepartmentInfo]

    def name(self, locale: str | None = None) -> str:
        return pick_text(self.names, locale, self.default_locale)


@dataclass(frozen=True)
class Directory:
    """Which cities this install serves, by slug and by domain."""

    ids: tuple
    by_slug: dict[str, int]
    by_domain: dict[str, int]


def directory(fresh: bool = False) -> Directory:
    """The cities; `fresh`: read again (a city missing from the copy may be new)."""
    if fresh:
        return caching.refresh("cities", None, _read_directory)
    return caching.cached("cities", None, _read_directory)


def city_info(city_id: int) -> CityInfo | None:
    return caching.cached("city", city_id, lambda: _read_city(city_id))


def category(city, code: str) -> CategoryInfo | None:
    """The city's active category with this code. One missing from the worker's copy is
    looked up in the database: it may have been made moments ago in another worker."""
    info = city_info(city.id)
    found = info.categories.get(code) if info is not None else None
    if found is not None or info is None:
        return found
    row = db.session.execute(select(*_CATEGORY_COLUMNS).where(
        Category.city_id == city.id, Category.code == code, Category.active)).one_or_none()
    return _category(row, info.default_locale) if row is not None else None


_CATEGORY_COLUMNS = (Category.id, Category.code, Category.names, Category.deadline_days,
                     Category.questions)


def _category(row, default_locale: str) -> CategoryInfo:
    return CategoryInfo(row.id, row.code, row.names or {}, row.deadline_days,
                        row.questions or [], default_locale)


def _read_directory() -> Directory:
    rows = db.session.execute(select(City.id, City.slug, City.domain).order_by(City.id)).all()
    return Directory(tuple(r.id for r in rows), {r.slug: r.id for r in rows},
                     {r.domain: r.id for r in rows if r.domain})


def _read_city(city_id: int) -> CityInfo | None:
    # Columns, not entities: a query flushes pending changes first (and so marks them for
    # cps.caching), where session.get() could answer from an unflushed object.
    city = db.session.execute(select(
        City.id, City.slug, City.domain, City.names, City.reference_prefix, City.default_locale,
        City.locales, City.timezone, City.country_code, City.working_days, City.geo_version,
        City.settings, City.formats).where(City.id == city_id)).one_or_none()
    if city is None:
        return None
    categories = db.session.execute(select(*_CATEGORY_COLUMNS).where(
        Category.city_id == city_id, Category.active))
    holidays = db.session.scalars(select(Holiday.day).where(Holiday.city_id == city_id))
    departments = db.session.execute(select(Department.id, Department.email).where(
        Department.city_id == city_id))
    return CityInfo(
        id=city.id, slug=city.slug, domain=city.domain, names=city.names or {},
        reference_prefix=city.reference_prefix, default_locale=city.default_locale,
        locales=tuple(city.locales or ()), timezone=city.timezone,
        country_code=city.country_code, working_days=tuple(city.working_days or ()),
        geo_version=city.geo_version, settings=city.settings or {},
        formats=city.formats or {}, holiday_days=frozenset(holidays),
        categories={c.code: _category(c, city.default_locale) for c in categories},
        departments={d.id: DepartmentInfo(d.id, d.email) for d in departments})
