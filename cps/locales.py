"""Locale data for the languages a city needs that the Unicode CLDR (Babel's data) lacks.

Ilocano (ilo), the everyday language of La Union, has no CLDR data, so Babel cannot format a date
in it or even parse its code. Each entry here starts from a close locale's data (its calendar,
number and date patterns) and replaces what differs: the language's own name, months and days.
A city needing another such language adds an entry; nothing else changes.
"""

import copy
import unicodedata

from babel import localedata

EXTRA_LOCALES = {
    "ilo": {
        "base": "fil",
        "languages": {"ilo": "Ilokano", "en": "Ingles", "fil": "Filipino"},
        "months": {
            "wide": ["Enero", "Pebrero", "Marso", "Abril", "Mayo", "Hunio", "Hulio", "Agosto",
                     "Septiembre", "Oktubre", "Nobiembre", "Disiembre"],
            "abbreviated": ["Ene", "Peb", "Mar", "Abr", "May", "Hun", "Hul", "Ago", "Sep", "Okt",
                            "Nob", "Dis"],
        },
        # Monday first, as Babel numbers them.
        "days": {
            "wide": ["Lunes", "Martes", "Miyerkoles", "Huebes", "Biernes", "Sabado", "Domingo"],
            "abbreviated": ["Lun", "Mar", "Miy", "Hue", "Bie", "Sab", "Dom"],
        },
    },
}


def _locale_data(spec: dict) -> dict:
    data = copy.deepcopy(dict(localedata.load(spec["base"])))
    data["languages"] = {**data.get("languages", {}), **spec["languages"]}
    data["plural_form"] = localedata.load(spec.get("plurals_like", "en"))["plural_form"]
    for key, count in (("months", 12), ("days", 7)):
        for width, names in spec[key].items():
            assert len(names) == count, (key, width)
            first = 1 if key == "months" else 0
            numbered = {i + first: name for i, name in enumerate(names)}
            for context in ("format", "stand-alone"):
                data[key].setdefault(context, {})[width] = numbered
    return data


def register_extra_locales() -> None:
    """Teach Babel the locales of EXTRA_LOCALES that its own data does not have (idempotent)."""
    for code, spec in EXTRA_LOCALES.items():
        if code in localedata._cache or _has_cldr_data(code):  # noqa: SLF001
            continue
        localedata._cache[code] = _locale_data(spec)  # noqa: SLF001  (Babel's only hook)


def _has_cldr_data(code: str) -> bool:
    return code in localedata.locale_identifiers()


def ascii_digits(text: str) -> str:
    """`text` with the decimal digits of every script (Devanagari ५, Arabic-Indic ٥, Bengali ৫
    ...) written 0-9: citizens type numbers and references on their own keyboards."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)
