"""How a complaint's text is read before its character n-grams are counted.

Stored models refer to `normalise` by name: renaming it makes them unloadable (they are then
ignored until the next daily training).
"""

import re
import unicodedata

DIGITS = re.compile(r"\d")


def normalise(text: str) -> str:
    """Case-folded, without the accents of Latin letters, every digit written 0."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    # Citizens type Vietnamese, Spanish or Filipino with or without accents on the same words;
    # the marks of other scripts (Devanagari vowel signs) are letters of their word and stay.
    plain = "".join(ch for ch in decomposed if not _latin_accent(ch))
    plain = unicodedata.normalize("NFC", plain).casefold().replace("đ", "d")
    # House and phone numbers say nothing of the problem, and a model should not keep them.
    return DIGITS.sub("0", plain)


def _latin_accent(ch: str) -> bool:
    return "\u0300" <= ch <= "\u036f" or "\u1ab0" <= ch <= "\u1aff" or "\u1dc0" <= ch <= "\u1dff"
