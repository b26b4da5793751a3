"""Locale helpers shared by every package: picking the request locale and translated data."""

import io
import time
from contextlib import contextmanager
from pathlib import Path

from babel import support
from flask import current_app, g, has_app_context, has_request_context, request, session
from flask_babel import Domain, get_locale


def pick_text(texts: dict | None, locale: str | None, fallback_locale: str | None = None) -> str:
    """Return the text for `locale` from a {locale: text} mapping, else the fallback's, else any."""
    if not texts:
        return ""
    for key in (locale, fallback_locale, (locale or "").split("_")[0]):
        if key and texts.get(key):
            return texts[key]
    return next((t for t in texts.values() if t), "")


def staff_page() -> bool:
    """Whether this request is for a staff page (whose language is the account's own)."""
    return has_request_context() and request.path.startswith("/staff/")


def available_locales() -> list[str]:
    """Locales offered on this request: every one the install ships on staff pages, else the
    current city's enabled ones, else the install's."""
    city = getattr(g, "city", None)
    supported = current_app.config["SUPPORTED_LOCALES"]
    if city is not None and not staff_page():
        return [loc for loc in city.locales if loc in supported] or [city.default_locale]
    return list(supported)


def select_locale() -> str:
    """Flask-Babel locale selector: the user's choice, then the browser, then the city's default.

    On staff pages a signed-in account's own language comes before the session's choice.
    Outside a request (CLI commands, jobs) it is the install's default locale.
    """
    if not has_request_context():
        return current_app.config["DEFAULT_LOCALE"]
    offered = available_locales()
    for chosen in (request.args.get("lang"), _account_locale(), session.get("lang")):
        if chosen in offered:
            return chosen
    browser = request.accept_languages.best_match(offered)
    if browser:
        return browser
    city = getattr(g, "city", None)
    return city.default_locale if city is not None else current_app.config["DEFAULT_LOCALE"]


def _account_locale() -> str | None:
    if not staff_page():
        return None
    from flask_login import current_user

    return getattr(current_user, "locale", None) if current_user.is_authenticated else None


def select_timezone() -> str:
    """Flask-Babel timezone selector: the current city's timezone."""
    city = getattr(g, "city", None)
    return city.timezone if city is not None else current_app.config["DEFAULT_TIMEZONE"]


RTL_LOCALES = frozenset({"ar", "fa", "he", "ur", "ps", "dv", "ckb", "yi"})


def locale_name(code: str) -> str:
    """A locale's name in its own language (e.g. "Filipino"), for language switchers."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(code).get_display_name(code)
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:] if name else code


def register_template_helpers(app) -> None:
    """Expose the locale helpers to every template."""
    from cps.cities.formats import (
        calendar_hint,
        first_weekday,
        format_date,
        format_datetime,
        format_decimal,
        gregorian_date,
    )
    from cps.notify.wording import say

    app.jinja_env.globals.update(
        say=say, sentence=lambda text: str(text)[:1].upper() + str(text)[1:],
        RTL_LOCALES=RTL_LOCALES, locale_name=locale_name, get_locale=get_locale,
        pick_text=pick_text,
        format_date=format_date, format_datetime=format_datetime, format_decimal=format_decimal,
        gregorian_date=gregorian_date, calendar_hint=calendar_hint,
        first_weekday=first_weekday, available_locales=available_locales, staff_page=staff_page,
    )


# Translations: shipped catalogs, then the install's, then the city's (later ones win) ---------

def translation_directories(city=None, app=None) -> list[Path]:
    """Catalog folders for a page of `city`: the shipped one first, the city's own last.

    An instance may override any shipped message without touching the project:
    `<instance>/translations/` for the whole install and `<instance>/cities/<slug>/translations/`
    for one city, each holding `<locale>/LC_MESSAGES/messages.po` (or `.mo`) with only the
    messages it changes.
    """
    from cps import PROJECT_ROOT

    app = app or current_app
    dirs = [PROJECT_ROOT / "translations"]
    dirs += [Path(app.root_path, d).resolve() for d in app.config["EXTRA_TRANSLATION_DIRS"]]
    dirs.append(Path(app.instance_path) / "translations")
    if city is not None:
        dirs.append(Path(app.instance_path) / "cities" / city.slug / "translations")
    return dirs


def _catalog_file(directory: Path, locale: str) -> Path | None:
    """The folder's catalog for `locale`: its .mo, unless the .po was edited after it."""
    folder = directory / locale / "LC_MESSAGES"
    found = [p for p in (folder / "messages.mo", folder / "messages.po") if p.is_file()]
    return max(found, key=lambda p: p.stat().st_mtime_ns) if found else None


def _load_catalog(path: Path) -> support.Translations:
    if path.suffix == ".mo":
        with path.open("rb") as f:
            return support.Translations(f)
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return support.Translations(buffer)


class CityDomain(Domain):
    """Flask-Babel's domain, with the current city's overrides merged over the shipped catalogs.

    Merged catalogs are kept per (city, locale) and rebuilt when a catalog file changes, so an
    override dropped into the instance folder is used without a restart. The files are looked
    at again at most every TRANSLATIONS_RECHECK_SECONDS, not on every request.
    """

    def __init__(self):
        super().__init__()
        self._merged: dict = {}

    def get_translations(self):
        if not has_app_context():
            return support.NullTranslations()
        locale = str(get_locale() or current_app.config["DEFAULT_LOCALE"])
        city = getattr(g, "city", None)
        # Apps with other instance folders (and so other overrides) may share this domain.
        key = (locale, city.slug if city is not None else "", current_app.instance_path)
        # Once per request (or job) and key: gettext runs this for every message.
        seen = g.setdefault("_cps_translations", {})
        if key not in seen:
            seen[key] = self._merged_catalog(key, city)
        return seen[key]

    def _merged_catalog(self, key, city):
        cached = self._merged.get(key)
        now = time.monotonic()
        if cached is not None and now - cached[2] < current_app.config[
                "TRANSLATIONS_RECHECK_SECONDS"]:
            return cached[1]
        files = [p for d in translation_directories(city) if (p := _catalog_file(d, key[0]))]
        stamp = tuple((str(p), p.stat().st_mtime_ns) for p in files)
        if cached is not None and cached[0] == stamp:
            self._merged[key] = (stamp, cached[1], now)
            return cached[1]
        merged = support.Translations()
        for path in files:
            catalog = _load_catalog(path)
            merged.merge(catalog)
            if hasattr(catalog, "plural"):  # merge() keeps only the messages
                merged.plural = catalog.plural
        self._merged[key] = (stamp, merged, now)
        return merged


@contextmanager
def city_context(city):
    """Use `city`'s formats and catalog overrides outside its pages (jobs, SMS replies)."""
    before = g.get("city")
    g.city = city
    try:
        yield
    finally:
        g.city = before
