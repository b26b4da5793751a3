"""How place names and citizens' words are written, folded so that spellings of one name meet:
case, accents, punctuation, digits of every script, Roman numerals, the usual abbreviations,
district prefixes ("Brgy.", "Ward No.") set apart, and the sound of romanised words."""

import re
import unicodedata
from functools import lru_cache

from cps.locales import ascii_digits

PREFIXES = frozenset({"barangay", "brgy", "bgy", "brg", "bgry", "baranggay", "brangay", "bar",
                      "ward", "wards", "wrd", "wrad", "wada", "wodo", "वडा", "वार्ड"})
# Words that may follow a prefix before the name itself: "Ward No. 3", "वडा नं. ३".
PREFIX_FOLLOWERS = frozenset({"no", "nos", "num", "number", "नं", "नम्बर", "न"})
ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7",
         "viii": "8", "ix": "9", "x": "10"}
# Written short in names and in messages alike.
ABBREVIATIONS = {"sto": "santo", "sta": "santa", "pob": "poblacion", "gen": "general",
                 "hts": "heights", "subd": "subdivision", "ext": "extension"}
# Spellings that sound alike in the Philippines' and Nepal's romanised names, ordered: Sevilla
# and Sebilya, Pacpaco and Pakpako, Phewa and Fewa, Chhorepatan and Chorepatan.
SOUNDS = [(re.compile(a), b) for a, b in (
    (r"ph", "f"), (r"f", "p"), (r"v", "b"), (r"([bcdgjkpst])h+", r"\1"), (r"qu", "k"),
    (r"c(?=[eiy])", "s"), (r"c", "k"), (r"z", "s"), (r"ll", "ly"), (r"ny", "n"),
    (r"ee", "i"), (r"oo", "u"), (r"(.)\1", r"\1"))]
_ASCII_PUNCTUATION = {c: " " for c in range(128) if not chr(c).isalnum()}


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free words, ASCII digits, Roman numerals as digits."""
    text = text or ""
    if text.isascii():
        words = text.lower().translate(_ASCII_PUNCTUATION).split()
        return " ".join(ROMAN.get(w, w) for w in words)
    decomposed = unicodedata.normalize("NFKD", ascii_digits(text or ""))
    plain = "".join(ch for ch in decomposed if not _accent(ch)).casefold().replace("đ", "d")
    # Marks of other scripts (Devanagari vowel signs) belong to their word; \w lacks them.
    words = "".join(ch if ch.isalnum() or _mark(ch) else " " for ch in plain).split()
    return " ".join(ROMAN.get(w, w) for w in words)


def sound(word: str) -> str:
    """A folded Latin word as it sounds, so that spellings of one name meet."""
    if not word.isascii():
        return word
    for pattern, replacement in SOUNDS:
        word = pattern.sub(replacement, word)
    return word


def _accent(ch: str) -> bool:
    """A combining accent of Latin, Greek or Cyrillic letters (é, ư, ñ lose theirs)."""
    return "\u0300" <= ch <= "\u036f" or "\u1ab0" <= ch <= "\u1aff" or "\u1dc0" <= ch <= "\u1dff"


def _mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def words_of(text: str) -> list[str]:
    """The folded words of `text` with abbreviations written out, as names are indexed."""
    return [ABBREVIATIONS.get(w, w) for w in fold(text).split()]


@lru_cache(maxsize=65536)
def _name_words(name: str) -> tuple[str, ...]:
    """A name's words without its prefix; names repeat across a nation's towns."""
    return core(words_of(name))


def variants(name: str, aliases=(), district: bool = False) -> set[str]:
    """Folded spellings of a name and its aliases (prefixes are handled by the index)."""
    return {v for v in (fold(n) for n in (name, *aliases)) if v}


def core(words: list[str]) -> tuple[str, ...]:
    """A name's words without the district prefix it may start with ("Brgy. 3" -> "3")."""
    i = 0
    while i < len(words) - 1 and words[i] in PREFIXES:
        i += 1
        while i < len(words) - 1 and words[i] in PREFIX_FOLLOWERS:
            i += 1
    return tuple(words[i:])


def spellings(names) -> set[tuple[str, ...]]:
    """The words of each name without its prefix, and a name of several words written as one
    ("Pay-og" as "payog", "Siboan-Otong" as "siboanotong")."""
    out = {_name_words(v) for v in names} - {()}
    out |= {("".join(words),) for words in out if len(words) > 1 and len("".join(words)) >= 5}
    return out
