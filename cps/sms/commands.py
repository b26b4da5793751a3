"""SMS command words per locale, with aliases; English words work in every city."""

import re

from cps.routing.gazetteer import fold

ALIASES = {
    "STATUS": {"en": ["STATUS", "TRACK"], "fil": ["KALAGAYAN", "ESTADO"]},
    "REOPEN": {"en": ["REOPEN"], "fil": ["BUKSAN", "IBALIK"]},
    "RATE": {"en": ["RATE", "RATING"], "fil": ["MARKA", "GRADO"]},
    "STOP": {"en": ["STOP", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"], "fil": ["TIGIL", "HINTO"]},
    "START": {"en": ["START", "UNSTOP"], "fil": ["SIMULA", "UMPISA"]},
    "HELP": {"en": ["HELP", "INFO"], "fil": ["TULONG"]},
    "LANG": {"en": ["LANG", "LANGUAGE"], "fil": ["WIKA"]},
}
# These act only when they are the whole message: "Stop the flooding in Poro" is a complaint.
ALONE = {"STOP", "START", "HELP"}
WORD = re.compile(r"^\s*([^\s.,;:!?]+)[\s.,;:!?]*(.*)$", re.S)


def _table() -> dict[str, tuple[str, str]]:
    return {fold(word).upper(): (command, locale)
            for command, by_locale in ALIASES.items()
            for locale, words in by_locale.items() for word in words}


TABLE = _table()


def parse_command(text: str) -> tuple[str, str, str] | None:
    """(command, locale of the word used, the rest of the message), or None if not a command."""
    match = WORD.match(text or "")
    if match is None:
        return None
    found = TABLE.get(fold(match.group(1)).upper())
    if found is None:
        return None
    rest = match.group(2).strip()
    if found[0] in ALONE and rest:
        return None
    return found[0], found[1], rest
