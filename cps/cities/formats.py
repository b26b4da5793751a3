"""A city's own way of writing dates, times and numbers, and the first day of its week.

Each locale has CLDR's conventions; a city may replace them (City.formats), for instance to
write dates 23/11/2026 whatever the language, to use a 24-hour clock, or the South Asian digit
grouping 12,34,567, or to show dates in the Bikram Sambat calendar of Nepal. Dates are always
shown in the city's timezone (Flask-Babel's selector).
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel import Locale, dates, numbers
from babel.dates import DateTimePattern, parse_pattern
from babel.numbers import parse_pattern as parse_number_pattern
from flask import current_app, g
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _

from cps.cities import bikram_sambat
from cps.domain import DomainError

# The keys of City.formats; every one is optional (absent: the locale's own convention).
FORMAT_KEYS = ("calendar", "date_pattern", "time_pattern", "number_pattern", "first_weekday")
# The calendars dates can be shown in; absent means Gregorian.
CALENDARS = ("gregorian", "bikram_sambat")
# Named widths that a city's date and time patterns replace; "long" and "full" spell the month
# and weekday out in the reader's language and stay the locale's.
COMPACT = ("short", "medium")
WIDTHS = ("short", "medium", "long", "full")


class FormatError(DomainError):
    """A date, time or number pattern that cannot be used."""


def _city(city):
    return city if city is not None else getattr(g, "city", None)


def _formats(city) -> dict:
    city = _city(city)
    return (getattr(city, "formats", None) or {}) if city is not None else {}


def _locale() -> Locale:
    return get_locale() or Locale.parse(current_app.config["DEFAULT_LOCALE"])


def _local(value: datetime, city) -> datetime:
    """`value` (UTC when naive) in the city's timezone, else in the request's."""
    city = _city(city)
    zone = ZoneInfo(city.timezone) if city is not None else get_timezone()
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone)


def _bikram_sambat(formats: dict) -> bool:
    return formats.get("calendar") == "bikram_sambat"


def format_date(value, format: str = "medium", city=None) -> str:  # noqa: A002  (Babel's name)
    """A date (of a moment: in the city's timezone), in the city's calendar and, for compact
    widths, its pattern."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value, city).date()
    formats = _formats(city)
    return format_day(value, format, _locale(), formats)


def format_day(day: date, format: str, locale: Locale, formats: dict) -> str:  # noqa: A002
    """`day` in `locale` with a city's `formats`, outside any request (deadlines in Open311)."""
    pattern = formats.get("date_pattern") if format in COMPACT else None
    if _bikram_sambat(formats):
        text = bikram_sambat.format_date(day, pattern or format, locale)
        if text is not None:
            return text
    return dates.format_date(day, pattern or format, locale=locale)


def format_datetime(value, format: str = "medium", city=None) -> str:  # noqa: A002
    """A moment in the city's timezone, in its calendar, with its date and time patterns if it
    has them."""
    if value is None:
        return ""
    formats, locale = _formats(city), _locale()
    local = _local(value, city)
    if _bikram_sambat(formats) and format in WIDTHS:
        text = _bikram_sambat_datetime(local, format, formats, locale)
        if text is not None:
            return text
    date_pattern, time_pattern = formats.get("date_pattern"), formats.get("time_pattern")
    if format in COMPACT and (date_pattern or time_pattern):
        date_pattern = date_pattern or locale.date_formats[format].pattern
        time_pattern = time_pattern or locale.time_formats[format].pattern
        format = f"{date_pattern} {time_pattern}"  # noqa: A001
    return dates.format_datetime(local, format, tzinfo=local.tzinfo, locale=locale)


def _bikram_sambat_datetime(local: datetime, width: str, formats: dict, locale) -> str | None:
    """The B.S. date and the time, joined as the locale joins them (or with a space when the
    city has its own patterns); None outside the conversion table."""
    own = width in COMPACT and (formats.get("date_pattern") or formats.get("time_pattern"))
    day = bikram_sambat.format_date(
        local.date(), (formats.get("date_pattern") if own else None) or width, locale)
    if day is None:
        return None
    time = dates.format_time(local, (formats.get("time_pattern") if own else None) or width,
                             tzinfo=local.tzinfo, locale=locale)
    joined = (f"{day} {time}" if own else dates.get_datetime_format(width, locale=locale)
              .replace("'", "").replace("{0}", time).replace("{1}", day))
    return bikram_sambat.digits(joined, locale)


def gregorian_date(value, format: str = "long", city=None) -> str:  # noqa: A002
    """The Gregorian date, beside a date shown in a city's other calendar ("" when the city
    shows Gregorian dates anyway)."""
    if value is None or not _bikram_sambat(_formats(city)):
        return ""
    if isinstance(value, datetime):
        value = _local(value, city).date()
    return dates.format_date(value, format, locale=_locale())


def calendar_hint(first=None, last=None, city=None) -> str:
    """For a city that shows another calendar, the note beside date fields (browsers pick
    Gregorian dates), with the period chosen in the city's calendar; "" for other cities."""
    if not _bikram_sambat(_formats(city)):
        return ""
    days = [_as_date(value) for value in (first, last)]
    if all(days):
        return _("Dates are picked in the Gregorian calendar; this period is %(first)s to "
                 "%(last)s.", first=format_date(days[0], "long", city),
                 last=format_date(days[1], "long", city))
    return _("Dates are picked in the Gregorian calendar.")


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or ""))
    except ValueError:
        return None


def format_decimal(value, city=None) -> str:
    """A number with the city's digit grouping when it has one, else the locale's."""
    if value is None:
        return ""
    return numbers.format_decimal(value, _formats(city).get("number_pattern"), locale=_locale())


def first_weekday(city=None) -> int:
    """The first day of the city's week, 0 = Monday ... 6 = Sunday (else the locale's)."""
    value = _formats(city).get("first_weekday")
    if isinstance(value, int) and 0 <= value <= 6:
        return value
    return _locale().first_week_day


def clean_formats(raw: dict) -> dict:
    """Check a city's formats (from its pack or the admin form); FormatError names the key."""
    if not isinstance(raw, dict):
        raise FormatError(_("Formats must be a mapping."), field="formats")
    unknown = sorted(set(raw) - set(FORMAT_KEYS))
    if unknown:
        raise FormatError(_("%(key)s is not a format setting.", key=unknown[0]), field=unknown[0])
    out = {}
    calendar = str(raw.get("calendar") or "").strip()
    if calendar and calendar not in CALENDARS:
        raise FormatError(_("Please choose the Gregorian or the Bikram Sambat calendar."),
                          field="calendar")
    if calendar and calendar != "gregorian":
        out["calendar"] = calendar
    for key in ("date_pattern", "time_pattern"):
        value = str(raw.get(key) or "").strip()
        if value:
            out[key] = _date_pattern(key, value)
    number = str(raw.get("number_pattern") or "").strip()
    if number:
        try:
            parse_number_pattern(number)
        except ValueError:
            number = ""
        if not number or "#" not in number and "0" not in number or len(number) > 40:
            raise FormatError(_("Please give a number pattern such as #,##0.##."),
                              field="number_pattern")
        out["number_pattern"] = number
    weekday = raw.get("first_weekday")
    if weekday not in (None, ""):
        try:
            weekday = int(weekday)
        except (TypeError, ValueError):
            weekday = -1
        if not 0 <= weekday <= 6:
            raise FormatError(_("The first day of the week must be a day from Monday to Sunday."),
                              field="first_weekday")
        out["first_weekday"] = weekday
    return out


DATE_FIELDS = {"date_pattern": set("yMdEGLc"), "time_pattern": set("HhKkmsaB")}


def _date_pattern(key: str, value: str) -> str:
    wanted = DATE_FIELDS[key]
    try:
        pattern = parse_pattern(value)
    except (ValueError, TypeError, KeyError):
        pattern = None
    fields = ({ch for ch in _unquoted(value) if ch.isalpha()}
              if isinstance(pattern, DateTimePattern) else set())
    if len(value) > 40 or not fields or not fields <= wanted or not fields & wanted:
        message = (_("Please give a date pattern such as dd/MM/yyyy.") if key == "date_pattern"
                   else _("Please give a time pattern such as HH:mm or h:mm a."))
        raise FormatError(message, field=key)
    return value


def _unquoted(text: str) -> str:
    out, quoted = [], False
    for ch in text:
        if ch == "'":
            quoted = not quoted
        elif not quoted:
            out.append(ch)
    return "".join(out)
