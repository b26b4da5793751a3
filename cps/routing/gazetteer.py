"""Place names of a city (districts and landmarks) matched in free text, fuzzily.

Matching folds accents and case, knows the usual barangay prefixes and Roman numerals, and
compares every run of words in the text with every name variant (rapidfuzz). Only a clear winner
is accepted; otherwise the ranked candidates are returned for the citizen or staff to choose.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

PREFIXES = ("barangay", "brgy", "bgy", "brg", "bgry", "baranggay")
ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7",
         "viii": "8", "ix": "9", "x": "10"}
# A candidate needs this score (0-100); a winner needs WIN and a lead of LEAD over the next.
ACCEPT, WIN, LEAD = 80, 88, 6
# Runs of text shorter than this only match exactly (short words match too much by chance).
MIN_FUZZY_CHARS = 4


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free words, Roman numerals as digits."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not _accent(ch)).casefold().replace("đ", "d")
    # Marks of other scripts (Devanagari vowel signs) belong to their word; \w lacks them.
    words = "".join(ch if ch.isalnum() or _mark(ch) else " " for ch in plain).split()
    return " ".join(ROMAN.get(w, w) for w in words)


def _accent(ch: str) -> bool:
    """A combining accent of Latin, Greek or Cyrillic letters (é, ư, ñ lose theirs)."""
    return "\u0300" <= ch <= "\u036f" or "\u1ab0" <= ch <= "\u1aff" or "\u1dc0" <= ch <= "\u1dff"


def _mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


@dataclass(frozen=True)
class Place:
    """A named place: a district (with its id) or a landmark (with its id and district)."""

    kind: str
    id: int
    name: str
    lon: float
    lat: float
    district_id: int | None = None


@dataclass
class Candidate:
    """A place that may be meant, with a confidence from 0 to 1."""

    place: Place
    confidence: float


@dataclass
class Match:
    """The outcome of a search: the winner (if clear) and the ranked candidates."""

    winner: Place | None
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def ambiguous(self) -> bool:
        return self.winner is None and bool(self.candidates)


def variants(name: str, aliases=(), district: bool = False) -> set[str]:
    """Folded spellings of a name: itself, its aliases, and with or without a barangay prefix."""
    out = {fold(n) for n in (name, *aliases) if fold(n)}
    if district:
        for v in list(out):
            bare = _strip_prefix(v)
            if len(bare) >= MIN_FUZZY_CHARS and not bare.isdigit():
                out.add(bare)
            out.update(f"{p} {bare}" for p in PREFIXES)
    return out


def _strip_prefix(folded: str) -> str:
    words = folded.split()
    return " ".join(words[1:]) if len(words) > 1 and words[0] in PREFIXES else folded


class Gazetteer:
    """The place names of one city, ready to search."""

    def __init__(self, places_with_variants):
        self.entries = [(place, v, v.split()) for place, vs in places_with_variants for v in vs]

    def search(self, text: str, limit: int = 5) -> Match:
        """Find the places named in `text`; a winner only when one clearly stands out."""
        words = fold(text).split()
        scores: dict[Place, float] = {}
        for place, variant, vwords in self.entries:
            score = _best_window(words, variant, vwords)
            if score >= ACCEPT and score > scores.get(place, 0):
                scores[place] = score
        ranked = sorted(_prefer_landmarks(scores).items(), key=lambda kv: (-kv[1], kv[0].name))
        candidates = [Candidate(p, round(s / 100, 3)) for p, s in ranked[:limit]]
        return Match(_winner(ranked), candidates)


def _best_window(words: list[str], variant: str, vwords: list[str]) -> float:
    best = 0.0
    size = len(vwords)
    for n in {size, size - 1, size + 1} - {0}:
        for i in range(len(words) - n + 1):
            best = max(best, _score(" ".join(words[i:i + n]), variant, vwords, n))
            if best == 100:
                return best
    return best


def _score(window: str, variant: str, vwords: list[str], n: int) -> float:
    if window == variant:
        return 100.0
    if n < len(vwords):
        # The text gives the start of a longer name ("Narra" for "Narra Este").
        start = vwords[:n]
        if all(w in PREFIXES for w in start):
            return 0.0
        if len(window) < MIN_FUZZY_CHARS:
            return 90.0 if window == " ".join(start) else 0.0
        return 0.9 * fuzz.ratio(window, " ".join(start))
    if len(window) < MIN_FUZZY_CHARS or _numbers(window) != _numbers(variant):
        return 0.0
    return fuzz.ratio(window, variant)


def _numbers(text: str) -> list[str]:
    """Numbers never match fuzzily: Barangay 4 is not Barangay 1."""
    return re.findall(r"\d+", text)


def _prefer_landmarks(scores: dict) -> dict:
    """A landmark inside a district, named about as well, is more precise than the district."""
    districts_with_landmark = {p.district_id: s for p, s in scores.items() if p.kind == "landmark"}
    return {p: s for p, s in scores.items()
            if not (p.kind == "district" and districts_with_landmark.get(p.id, -99) >= s - 5)}


def _winner(ranked: list) -> Place | None:
    if not ranked or ranked[0][1] < WIN:
        return None
    if len(ranked) > 1 and ranked[0][1] == 100 and ranked[1][1] < 100:
        return ranked[0][0]
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < LEAD:
        return None
    return ranked[0][0]
