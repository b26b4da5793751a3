"""What admins set for their city as a whole: names, languages, calendar, formats, the rules of
the city, and the wording of the messages citizens receive. Every change is audited."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from cps.cities.formats import FORMAT_KEYS, FormatError, clean_formats
from cps.cities.models import City
from cps.extensions import db
from cps.notify.wording import GROUPS, WORDINGS, clean_messages
from cps.staff.admin import fields as f
from cps.staff.admin.fields import Invalid
from cps.staff.admin.services import _audited, _set

CITY_FIELDS = ("names", "locales", "default_locale", "timezone", "working_days", "sms_number",
               "settings", "formats")
# What an admin may set for each per-city setting: its title and the range that keeps it sane.
CITY_SETTINGS = {
    "DUPLICATE_RADIUS_M": (_l("Distance within which a report is offered as the same problem "
                              "(metres)"), 0, 5000),
    "DUPLICATE_MAX_AGE_DAYS": (_l("Age up to which an open complaint is offered as the same "
                                  "problem (days)"), 0, 3650),
    "REOPEN_WINDOW_DAYS": (_l("Days during which a citizen may reopen a resolved complaint"),
                           0, 3650),
    "RETENTION_DAYS": (_l("Days after closing before the citizen's contact details are erased"),
                       1, 36500),
    "REFERENCE_LENGTH": (_l("Characters in new complaint references"), 4, 12),
    "ESCALATE_TO_ADMIN_AFTER_DAYS": (_l("Working days overdue before the city's administrators "
                                        "are alerted"), 0, 365),
}


def save_city(actor, form) -> City:
    """Names, languages, timezone, working week, SMS number and the per-city settings."""
    city = actor.city
    supported = current_app.config["SUPPORTED_LOCALES"]
    locales = [code for code in supported if code in form.getlist("locales")]
    if not locales:
        raise Invalid(_("Please choose at least one language."), "locales")
    default = f.choice(form, "default_locale", locales, _("Main language"))
    timezone = str(form.get("timezone", "")).strip()
    try:
        if timezone not in available_timezones():
            raise ZoneInfoNotFoundError
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(_("Please give a timezone such as Asia/Manila."), "timezone") from None
    days = sorted({int(d) for d in form.getlist("working_days") if d in list("1234567")})
    if not days:
        raise Invalid(_("Please choose at least one working day."), "working_days")
    sms_number = f.phone(form, "sms_number", city.country_code, _("SMS number"))
    if sms_number and db.session.scalar(select(City.id).where(
            City.sms_number == sms_number, City.id != city.id)) is not None:
        raise Invalid(_("Another city already uses this SMS number."), "sms_number")
    settings = {}
    for key in current_app.config["CITY_SETTING_KEYS"]:
        title, low, high = CITY_SETTINGS[key]
        value = f.optional_integer(form, f"setting-{key}", str(title), low, high)
        if value is not None:
            settings[key] = value
    values = {"names": f.names(form, "name", locales, default, _("Name")),
              "locales": locales, "default_locale": default, "timezone": timezone,
              "working_days": days, "sms_number": sms_number, "settings": settings,
              "formats": _formats(form)}
    _audited(actor, "city.update", city, CITY_FIELDS, lambda: _set(city, values))
    # Its languages' function words are never place names: the place index follows them.
    city.geo_version = (city.geo_version or 0) + 1
    return city


def _formats(form) -> dict:
    try:
        return clean_formats({key: form.get(key, "") for key in FORMAT_KEYS})
    except FormatError as error:
        raise Invalid(error.message, error.details.get("field") or "date_pattern") from None


# The wording of citizens' messages ----------------------------------------------------------

def wording_rows(city: City) -> list[dict]:
    """Each text with, per city language, the shipped text and the city's own (if any), in
    groups: [{"title", "key", "rows"}]."""
    groups = {key: {"key": key, "title": title, "rows": []} for key, title in GROUPS.items()}
    for key, wording in WORDINGS.items():
        texts = []
        for locale in city.locales:
            with force_locale(locale):
                shipped = str(wording.default)
            texts.append({"locale": locale, "shipped": shipped,
                          "custom": ((city.messages or {}).get(key) or {}).get(locale, "")})
        groups[wording.group]["rows"].append({
            "key": key, "title": wording.title, "placeholders": wording.placeholders,
            "max_segments": wording.max_segments, "max_chars": wording.max_chars,
            "multiline": not wording.one_line, "texts": texts})
    return list(groups.values())


def save_wording(actor, form) -> City:
    """The city's own wording, per message and language; an empty field keeps the shipped text."""
    city = actor.city
    raw = {key: {locale: str(form.get(f"{key}:{locale}", ""))[:2000] for locale in city.locales}
           for key in WORDINGS}
    try:
        messages = clean_messages(raw, city.locales)
    except ValueError as error:
        key, locale, problem = error.args
        raise Invalid(problem, f"{key}:{locale}") from None
    _audited(actor, "city.wording", city, ("messages",), lambda: _set(city, {"messages": messages}))
    return city
