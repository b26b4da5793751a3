"""Dates in the Bikram Sambat calendar (B.S.), the official calendar of Nepal.

Nepal's offices, notices and citizens date things in B.S.: 3 December 2026 is 17 Mangsir 2083.
A city whose formats say `calendar: bikram_sambat` shows every date that way; moments stay
stored in UTC, and machine output (Open311, CSV, ISO `datetime` attributes) stays Gregorian.

B.S. months have no rule: their lengths (29 to 32 days) are fixed each year by the calendar
committee. The conversion uses the published table of the `nepali-datetime` package, which
covers 1975 to 2100 B.S. (13 April 1918 to 12 April 2044); a date outside it is shown in the
Gregorian calendar rather than guessed.
"""

from datetime import date

from babel import Locale
from babel import dates as babel_dates
from babel.dates import tokenize_pattern

# Month names: in Nepali, and the usual romanisation for every other language.
MONTHS = {
    "ne": ("वैशाख", "जेठ", "असार", "साउन", "भदौ", "असोज", "कात्तिक", "मंसिर", "पुस", "माघ",
           "फागुन", "चैत"),
    "en": ("Baisakh", "Jestha", "Asar", "Shrawan", "Bhadra", "Asoj", "Kartik", "Mangsir",
           "Poush", "Magh", "Falgun", "Chaitra"),
}
# The era as it is written after (or, in Nepali, before) a B.S. date.
ERA = {"ne": "वि.सं.", "en": "BS"}
DEVANAGARI_DIGITS = str.maketrans("0123456789", "०१२३४५६७८९")

# The pattern of each named width, per language (Nepali puts the year first). The medium width,
# used in SMS, leaves the era out to stay short.
PATTERNS = {
    "ne": {"short": "y/MM/dd", "medium": "y MMMM d", "long": "G y MMMM d",
           "full": "G y MMMM d, EEEE"},
    "en": {"short": "y/MM/dd", "medium": "d MMMM y", "long": "d MMMM y G",
           "full": "EEEE, d MMMM y G"},
}


def to_bs(day: date) -> tuple[int, int, int] | None:
    """(year, month, day) in B.S. of a Gregorian `day`, or None outside the known table."""
    import nepali_datetime  # reads its table on first use only

    try:
        bs = nepali_datetime.date.from_datetime_date(day)
    except (OverflowError, ValueError, AssertionError):
        return None
    return bs.year, bs.month, bs.day


def _language(locale: Locale) -> str:
    return "ne" if locale.language == "ne" else "en"


def digits(text: str, locale: Locale) -> str:
    """Nepali writes B.S. dates (and the time beside them) in Devanagari digits."""
    return text.translate(DEVANAGARI_DIGITS) if _language(locale) == "ne" else text


def format_date(day: date, format: str, locale: Locale) -> str | None:  # noqa: A002
    """`day` in B.S., by a named width ("short" ... "full") or a CLDR pattern whose y, M/L and d
    count in B.S. (E, c: the weekday, which both calendars share). None outside the table."""
    bs = to_bs(day)
    if bs is None:
        return None
    pattern = PATTERNS[_language(locale)].get(format, format)
    text = "".join(value if kind == "chars" else _field(*value, bs, day, locale)
                   for kind, value in tokenize_pattern(pattern))
    return digits(text, locale)


def _field(char: str, count: int, bs: tuple[int, int, int], day: date, locale: Locale) -> str:
    year, month, dom = bs
    if char == "y":
        return f"{year % 100:02d}" if count == 2 else f"{year:0{count}d}"
    if char in "ML":
        return MONTHS[_language(locale)][month - 1] if count >= 3 else f"{month:0{count}d}"
    if char == "d":
        return f"{dom:0{count}d}"
    if char == "G":
        return ERA[_language(locale)]
    # The weekday, and any field the two calendars share.
    return babel_dates.format_date(day, char * count, locale=locale)
