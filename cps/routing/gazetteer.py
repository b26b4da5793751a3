"""Place names of a city (districts and landmarks) found in free text, from a town to a nation.

Names and aliases are folded once (cps/routing/spelling.py) and their district prefixes
("Brgy.", "Barangay", "Ward No.") set apart. An inverted index maps each word of a name to the
names that hold it; a deletion index finds the names' words within one or two typos of a text's
word. A place is taken only when the text's words cover a whole name or alias and it clearly
stands out; a longer name matched in full beats the shorter name inside it. A name made only of
ordinary words (function words, the city's problem words, short words, numbers) counts only
after a district prefix ("Brgy. Abut"). A word that starts a longer name ("Narra" of Narra Este
and Narra Oeste) offers those names as candidates, never a winner; one short or common word
offers nothing.
"""

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import OSA

from cps.routing.spelling import (
    PREFIX_FOLLOWERS,
    PREFIXES,
    core,
    sound,
    spellings,
    words_of,
)

# Words that put a place after them: a name of ordinary words after one of these is asked
# about, never taken ("nahulog sa abut" is a hole, "sa Abut" may be the barangay).
# Not "at" nor "di": Filipino's "and" and "not".
LOCATIVES = frozenset({"sa", "idiay", "iti", "in", "near", "malapit", "asideg", "ở", "tại", "gần",
                       "ma", "मा"})
# Words after a place that say it is one, in Nepali: "Bagar ma", "Lakeside najik".
POSTPOSITIONS = frozenset({"ma", "मा", "ko", "को", "nera", "नेर", "najik", "नजिक", "tira", "तिर",
                           "chheu", "छेउ"})
# Words between two numbers that make them two places: "ward 8 ra 9", "वडा ८ र ९".
JOINERS = frozenset({"and", "at", "ra", "र", "ken", "y", "o", "or", "va", "và", "to", "hanggang"})
# A winner needs this score (0-1) and this lead over the next full match.
WIN, LEAD = 0.88, 0.06
# A word shared by more places than this offers no candidates on its own.
PARTIAL_MAX = 6
PARTIAL_CONFIDENCE = 0.6
# Places kept for a name many places share: enough to show it is ambiguous.
GROUP_MAX = 9
MAX_WORDS = 120



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


@dataclass(frozen=True)
class _Hit:
    place: int
    start: int
    end: int
    score: float
    full: bool


class Gazetteer:
    """The place names of one city (or a nation), ready to search."""

    def __init__(self, places_with_variants, ignore=frozenset(), everyday=None):
        """`places_with_variants`: (Place, folded names); `ignore`: folded words that are never
        evidence of a place by themselves (function words, the city's problem words);
        `everyday(word)`: whether a word is in everyday use in the city's languages ("bato",
        stone): a name of one such word is read as one of ordinary words, and such a word of a
        message is never taken for a name it merely resembles."""
        self.ignore = frozenset(ignore)
        self.everyday = everyday or (lambda _word: False)
        self.places: list[Place] = []
        # Each spelling once, with the places it names (a town's name repeats across a nation).
        self.groups: dict[tuple[str, ...], list[int]] = {}
        for place, names in places_with_variants:
            self.places.append(place)
            for words in spellings(names):
                self.groups.setdefault(words, []).append(len(self.places) - 1)
        self._build()

    def _build(self) -> None:
        holders: dict[str, set[int]] = {}
        for words, places in self.groups.items():
            for w in words:
                holders.setdefault(w, set()).update(places)
        self.df = {w: len(p) for w, p in holders.items()}
        self.anchors: dict[str, list[tuple[str, ...]]] = {}
        self.plain: set[tuple[str, ...]] = set()
        for words in self.groups:
            strong = [w for w in words if not self.weak(w)]
            if strong and not (len(words) == 1 and self.everyday(words[0])):
                self.anchors.setdefault(min(strong, key=self.df.__getitem__), []).append(words)
            else:
                self.plain.add(words)
        self.holders = {w: tuple(sorted(p)) for w, p in holders.items()
                        if len(p) <= PARTIAL_MAX and not self.ordinary(w)
                        and (w,) not in self.plain}
        self.deletions: dict[str, list[str]] = {}
        for w in self.df:
            if len(w) >= 4 and not self.weak(w):
                for d in _deletions(sound(w)) if len(w) >= 5 else {sound(w)}:
                    self.deletions.setdefault(d, []).append(w)
        self.sorted_names = sorted((" ".join(words), places[0])
                                   for words, places in self.groups.items())
        self._similar = lru_cache(maxsize=20000)(self._similar_uncached)

    def _hits(self, words, start: int, score: float, full: bool) -> list[_Hit]:
        """A hit per place a spelling names; past a handful the name is ambiguous anyway."""
        return [_Hit(p, start, start + len(words), score, full)
                for p in self.groups[words][:GROUP_MAX]]

    def ordinary(self, word: str) -> bool:
        """A word that says nothing of a place: a function or problem word, a number, a prefix
        or a word of one or two letters."""
        return word in self.ignore or len(word) < 3 or word.isdigit() or word in PREFIXES

    def weak(self, word: str) -> bool:
        """A word that cannot name a place alone: an ordinary word, or three Latin letters."""
        return self.ordinary(word) or (len(word) == 3 and word.isascii())

    def search(self, text: str, limit: int = 5, whole: bool = False) -> Match:
        """Find the places named in `text`; a winner only when one clearly stands out.

        `whole`: the text is all a place (a form's place field, the answer to "Where is it?"),
        so a name of ordinary words that makes it up is taken too."""
        words = words_of(text)[:MAX_WORDS]
        options = [self._options(w) for w in words]
        hits = self._full_hits(words, options, whole) + self._plain_hits(words)
        if whole:
            hits += self._whole_hits(words)
        hits = _best_per_place(hits)
        full = _drop_contained(self._prefer_landmarks([h for h in hits if h.full]))
        taken = {h.place for h in hits}
        partial = self._fold_landmarks(
            [h for h in self._partial_hits(options) if h.place not in taken])
        ranked = sorted(full, key=lambda h: -h.score) + sorted(
            _best_per_place(partial) + [h for h in hits if not h.full], key=lambda h: -h.score)
        candidates = [Candidate(self.places[h.place], round(h.score, 3)) for h in ranked[:limit]]
        return Match(self._winner(full), candidates)

    def suggest(self, text: str, limit: int = 8) -> list[Candidate]:
        """Places whose names start with what is being typed, then what `search` finds."""
        typed = " ".join(core(words_of(text)))
        out: dict[Place, float] = {}
        i = bisect_left(self.sorted_names, (typed, -1))
        while (typed and i < len(self.sorted_names) and len(out) < limit
               and self.sorted_names[i][0].startswith(typed)):
            out.setdefault(self.places[self.sorted_names[i][1]], 1.0)
            i += 1
        for candidate in self.search(text, limit).candidates:
            out.setdefault(candidate.place, candidate.confidence)
        return [Candidate(place, score) for place, score in list(out.items())[:limit]]

    # Reading the text ------------------------------------------------------------------------

    def _options(self, word: str) -> dict[str, float]:
        """The names' words this text word may be, with a similarity from 0 to 1."""
        if word in self.df:
            return {word: 1.0}
        if self.weak(word) or len(word) < 4:
            return {}
        return self._similar(word)

    def _similar_uncached(self, word: str) -> dict[str, float]:
        """Names' words one typo away (two in a long word), in spelling or in sound; never for
        a word in everyday use, which means itself."""
        if self.everyday(word):
            return {}
        allowed = 0 if len(word) < 5 else 1 if len(word) < 9 else 2
        heard = sound(word)
        found = {}
        for d in _deletions(heard, allowed):
            for w in self.deletions.get(d, ()):
                if w not in found:
                    spelt = OSA.distance(word, w, score_cutoff=allowed + 1)
                    heard_as = OSA.distance(heard, sound(w), score_cutoff=allowed + 1)
                    if min(spelt, heard_as) <= allowed:
                        # Sounding alike costs a little less than a typo.
                        found[w] = 1 - min(spelt, heard_as + 0.4) / max(len(word), len(w))
        return found

    def _full_hits(self, words, options, whole: bool) -> list[_Hit]:
        hits = []
        for i, opts in enumerate(options):
            for w in opts:
                for name in self.anchors.get(w, ()):
                    start = i - name.index(w)
                    score = _aligned(name, start, options)
                    if score is not None:
                        # One word misspelt, or spelt as it sounds, is a guess unless the text
                        # says a place comes ("sa Sebilya") or is all a place.
                        full = score == 1.0 or len(name) > 1 or whole or _cued(words, start, i)
                        hits += self._hits(name, start, score, full)
        return hits

    def _plain_hits(self, words) -> list[_Hit]:
        """Names of ordinary words: taken next to a district prefix ("Brgy. 3", "12 no. ward"),
        asked about after a locative ("sa", "idiay", "near")."""
        hits = []
        for i, word in enumerate(words):
            if word in PREFIXES:
                hits += self._after_prefix(words, i) + self._before_prefix(words, i)
            elif word in LOCATIVES:
                hits += self._names_at(words, i + 1, PARTIAL_CONFIDENCE, False)
        return hits

    def _names_at(self, words, start: int, score: float, full: bool) -> list[_Hit]:
        hits = []
        for size in range(1, 5):
            name = tuple(words[start:start + size])
            if len(name) == size and name in self.plain:
                hits += self._hits(name, start, score, full)
        return hits

    def _after_prefix(self, words, i: int) -> list[_Hit]:
        start = i + 1
        while start < len(words) and words[start] in PREFIX_FOLLOWERS:
            start += 1
        hits = self._names_at(words, start, 1.0, True)
        # "ward 8 ra 9", "wards 8, 9": a number joined to the first is a second place.
        after = start + 1 + (start + 1 < len(words) and words[start + 1] in JOINERS)
        if start < len(words) and words[start].isdigit() and after < len(words) and (
                words[after].isdigit()):
            hits += self._names_at(words[:after + 1], after, 1.0, True)
        return hits

    def _before_prefix(self, words, i: int) -> list[_Hit]:
        """The number written before the prefix, as Nepali does: "१७ नं. वडा", "12 no ward"."""
        j = i - 1
        while j >= 0 and words[j] in PREFIX_FOLLOWERS:
            j -= 1
        if j < 0 or not words[j].isdigit():
            return []
        return self._names_at(words[:j + 1], j, 1.0, True)

    def _whole_hits(self, words) -> list[_Hit]:
        """A name of ordinary words that is all the text says, but for a locative before it
        and courtesy words after it ("sa Pay-og po")."""
        start = 0
        while start < len(words) and words[start] in LOCATIVES | PREFIXES | PREFIX_FOLLOWERS:
            start += 1
        for end in range(len(words), start, -1):
            name = tuple(words[start:end])
            if name in self.plain and not all(w.isdigit() for w in name):
                return self._hits(name, start, 1.0, True)
            if words[end - 1] not in self.ignore:
                break
        return []

    def _partial_hits(self, options) -> list[_Hit]:
        """A distinctive word of a longer name: its few holders are candidates, never winners."""
        hits = []
        for i, opts in enumerate(options):
            for w, similarity in opts.items():
                for place in self.holders.get(w, ()):
                    hits.append(_Hit(place, i, i + 1, PARTIAL_CONFIDENCE * similarity, False))
        return hits

    def _prefer_landmarks(self, hits: list[_Hit]) -> list[_Hit]:
        """A landmark inside a district, named about as well, is more precise than it."""
        marks = {self.places[h.place].district_id: h.score for h in hits
                 if self.places[h.place].kind == "landmark"}
        return [h for h in hits if not (self.places[h.place].kind == "district"
                                        and marks.get(self.places[h.place].id, -9) >= h.score
                                        - 0.05)]

    def _fold_landmarks(self, hits: list[_Hit]) -> list[_Hit]:
        """A landmark that only shares a word with its district's name ("Otong" of Siboan-Otong
        and its barangay hall) is not offered beside the district."""
        districts = {self.places[h.place].id: h.score for h in hits
                     if self.places[h.place].kind == "district"}
        return [h for h in hits if not (self.places[h.place].kind == "landmark" and districts.get(
            self.places[h.place].district_id, -9) >= h.score)]

    def _winner(self, full: list[_Hit]) -> Place | None:
        ranked = sorted(full, key=lambda h: -h.score)
        if not ranked or ranked[0].score < WIN:
            return None
        if len(ranked) > 1 and ranked[0].score - ranked[1].score < LEAD:
            return None
        return self.places[ranked[0].place]


def _aligned(name: tuple[str, ...], start: int, options) -> float | None:
    """The mean similarity of the text's words from `start` to the name's words, or None when
    one of them is not there."""
    if start < 0 or start + len(name) > len(options):
        return None
    total = 0.0
    for j, w in enumerate(name):
        similarity = options[start + j].get(w)
        if similarity is None:
            return None
        total += similarity
    return total / len(name)


def _cued(words: list[str], start: int, end: int) -> bool:
    """Whether the words around words[start:end + 1] say it is a place: a locative or prefix
    before it, a postposition after it ("Bagar ma")."""
    return ((start > 0 and words[start - 1] in LOCATIVES | PREFIXES | PREFIX_FOLLOWERS)
            or (end + 1 < len(words) and words[end + 1] in POSTPOSITIONS))


def _best_per_place(hits: list[_Hit]) -> list[_Hit]:
    best: dict[int, _Hit] = {}
    for h in hits:
        kept = best.get(h.place)
        if kept is None or (h.full, h.score, h.end - h.start) > (kept.full, kept.score,
                                                                  kept.end - kept.start):
            best[h.place] = h
    return list(best.values())


def _drop_contained(hits: list[_Hit]) -> list[_Hit]:
    """A name matched inside a longer name's match is part of it ("Silangan" of "Bagong
    Silangan"): the longer one stands."""
    spans = {(h.start, h.end) for h in hits}
    inner = {(s, e) for s, e in spans
             if any(o <= s and e <= p and p - o > e - s for o, p in spans)}
    return [h for h in hits if (h.start, h.end) not in inner]


def _deletions(word: str, depth: int = 1) -> set[str]:
    """`word` and every string made from it by deleting up to `depth` characters."""
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w)) if len(w) > 3}
        out |= frontier
    return out

