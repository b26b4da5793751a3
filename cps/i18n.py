"""Locale helpers shared by every package: picking the request locale and translated data."""

from flask import current_app, g, has_request_context, request, session


def pick_text(texts: dict | None, locale: str | None, fallback_locale: str | None = None) -> str:
    """Return the text for `locale` from a {locale: text} mapping, else the fallback's, else any."""
    if not texts:
        return ""
    for key in (locale, fallback_locale, (locale or "").split("_")[0]):
        if key and texts.get(key):
            return texts[key]
    return next((t for t in texts.values() if t), "")


def available_locales() -> list[str]:
    """Locales offered on this request: the current city's enabled ones, else the install's."""
    city = getattr(g, "city", None)
    supported = current_app.config["SUPPORTED_LOCALES"]
    if city is not None:
        return [loc for loc in city.locales if loc in supported] or [city.default_locale]
    return list(supported)


def select_locale() -> str:
    """Flask-Babel locale selector: the user's choice, then the browser, then the city's default.

    Outside a request (CLI commands, jobs) it is the install's default locale.
    """
    if not has_request_context():
        return current_app.config["DEFAULT_LOCALE"]
    offered = available_locales()
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in offered:
        return chosen
    browser = request.accept_languages.best_match(offered)
    if browser:
        return browser
    city = getattr(g, "city", None)
    return city.default_locale if city is not None else current_app.config["DEFAULT_LOCALE"]


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
    from flask_babel import format_date, format_datetime, format_decimal, get_locale

    app.jinja_env.globals.update(
        RTL_LOCALES=RTL_LOCALES, locale_name=locale_name, get_locale=get_locale,
        pick_text=pick_text,
        format_date=format_date, format_datetime=format_datetime, format_decimal=format_decimal,
    )
