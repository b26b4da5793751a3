"""Reading a free-text SMS: what kind of problem it is, which language it is written in, and
how it answers a question (a number, a name, yes or no)."""

import re
import unicodedata
from functools import cache, lru_cache

from flask import current_app
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA
from sqlalchemy import select

from cps.cities.models import Category
from cps.classify.suggest import suggest
from cps.extensions import db
from cps.locales import ascii_digits
from cps.routing.spelling import fold
from cps.routing.words import everyday, function_words, word_forms

# A keyword is read through one typo from this length on; forms of a word and of a keyword meet
# on a stem of at least MIN_SHARED_STEM letters ("malinaw" and "ilaw" only share "law").
TYPO_MIN_LENGTH = 6
MIN_SHARED_STEM = 4
# An answer's word is a word of an offered name from this ratio, in words this long.
FUZZY_MIN, FUZZY_MIN_LENGTH = 85, 4
# How well a word names a keyword: itself, one of its forms ("binabaha" for "baha"), a typo
# (a letter off in a long keyword); a keyword that is also a common word never scores more than
# WEAK.
EXACT, STEM, WEAK = 100, 90, 60
# A guess needs SURE; a category within CLOSE of the best is offered beside it.
SURE, CLOSE = 85, 10
# Each further keyword of a category in the text (up to MAX_WORDS in all), and a refinement of
# a category the text names, add MORE to its score.
MORE, MAX_WORDS = 20, 3
# Short, frequent words that tell the languages of the shipped locales apart (folded on use).
STOPWORDS = {
    "en": {"the", "near", "in", "at", "is", "there", "a", "of", "on", "and", "my", "street",
           "not", "no", "since", "broken", "please"},
    "fil": {"sa", "ng", "ang", "po", "may", "na", "dito", "yung", "mga", "at", "hindi", "wala",
            "malapit", "tapat", "kanto", "ko", "namin", "pa", "kami", "ay", "nang"},
    "ilo": {"ti", "iti", "nga", "ken", "ditoy", "idiay", "adda", "awan", "daytoy", "dayta",
            "met", "ta", "ngem", "asideg", "kalsada", "saan", "diay", "ni"},
    "vi": {"ở", "gần", "không", "có", "của", "và", "là", "đã", "bị", "tại", "đường", "nhà",
           "này", "rất", "nhiều", "trước", "bên", "cạnh", "chưa", "được"},
    "id": {"di", "yang", "dan", "ada", "tidak", "dekat", "jalan", "sudah", "belum", "ini",
           "itu", "mohon", "rusak", "banyak", "depan", "sejak"},
    "es": {"el", "la", "de", "en", "que", "y", "hay", "cerca", "calle", "del", "los", "las",
           "por", "una", "un", "desde", "está", "frente"},
    "fr": {"le", "la", "les", "de", "des", "du", "est", "il", "y", "pas", "près", "rue", "une",
           "un", "dans", "et", "depuis", "devant"},
    "sw": {"na", "ya", "kwa", "katika", "karibu", "hapa", "kuna", "hakuna", "barabara", "wa",
           "cha", "tafadhali", "sana", "mtaa", "tangu"},
}
# Languages told by their script alone: any letter of it in the text is enough.
SCRIPTS = {"ko": ("HANGUL",), "ne": ("DEVANAGARI",), "ar": ("ARABIC",)}
# Letters only Vietnamese uses among the shipped Latin-script languages.
VIETNAMESE = re.compile("[ơưđăĂƠƯĐ\u1ea0-\u1ef9]")


def guess_category(city, text: str) -> Category | None:
    """The city's active category the text names clearly; None if unclear."""
    best = category_candidates(city, text)
    return best[0] if len(best) == 1 else None


def keyword_category(city, text: str) -> Category | None:
    """The category by the keywords alone: what the city's classifier must do better than."""
    best = keyword_candidates(city, text)
    return best[0] if len(best) == 1 else None


def category_candidates(city, text: str) -> list[Category]:
    """The categories the text names: the keywords' clear one; else the city's classifier's
    when it is confident and agrees with the keywords' tie, or they found none; else the tied
    ones ("dead dog": stray animals or a health hazard), or none."""
    found = keyword_candidates(city, text)
    if len(found) == 1:
        return found
    suggestion = suggest(city, text)
    if suggestion is not None and suggestion[1] >= current_app.config[
            "CLASSIFIER_MIN_CONFIDENCE"] and (not found or suggestion[0] in found):
        return [suggestion[0]]
    return found


def keyword_candidates(city, text: str) -> list[Category]:
    """The city's active categories the text's words name best: one when it is clear, the
    close ones when several score about the same, else none.

    A category scores its best keyword, then MORE for each further word of the text among its
    keywords ("dead dog ... smells": two words of a health hazard, one of stray animals), and
    MORE when its own name uses a keyword of another category the text names: illegal dumping
    is "pagtatapon ng basura", so "dumped garbage" is dumping rather than uncollected garbage,
    while "garbage" alone stays garbage."""
    locales = tuple(city.locales)
    folded = fold(text)
    words = [(w, _text_forms(w, locales)) for w in dict.fromkeys(folded.split())]
    common, is_everyday = _common(locales), everyday(locales)
    evidence = {}
    for category in active_categories(city):
        keywords = _keywords(category)
        hits = [max((_keyword_score(w, forms, k, k_forms, common, is_everyday)
                     for k, k_forms in keywords if " " not in k), default=0)
                for w, forms in words]
        hits += [EXACT for k, _forms in keywords if " " in k and f" {k} " in f" {folded} "]
        hits = sorted((h for h in hits if h), reverse=True)
        if hits:
            evidence[category] = hits
    named = [category for category, hits in evidence.items() if hits[0] >= SURE]
    scores = []
    for category, hits in evidence.items():
        more = sum(hit >= SURE for hit in hits[1:MAX_WORDS])
        more += any(other is not category and _refines(category, other, common)
                    for other in named)
        scores.append((hits[0] + MORE * more if hits[0] >= SURE else hits[0], category))
    top = max((score for score, _ in scores), default=0)
    if top < SURE:
        return []
    # A close second is asked about, never silently passed over.
    return [category for score, category in sorted(scores, key=lambda sc: -sc[0])
            if score > top - CLOSE]


def _refines(category: Category, other: Category, common) -> bool:
    """Whether the category's name, in any language, uses one of the other's keywords (as a
    word or one of its forms): illegal dumping, "pagtatapon ng basura", refines garbage."""
    topic = _topic_words(category)
    return any(k in topic or k_forms & topic for k, k_forms in _keywords(other)
               if " " not in k and k not in common)


def _topic_words(category: Category) -> frozenset:
    """The folded words of a category's names in every language, with their forms."""
    words = set()
    for locale, name in (category.names or {}).items():
        for word in fold(name or "").split():
            words.add(word)
            words |= _forms(word, locale)
    return frozenset(words)


def active_categories(city) -> list[Category]:
    """The city's active categories, in the order it lists them."""
    return db.session.scalars(select(Category).where(
        Category.city_id == city.id, Category.active).order_by(Category.position)).all()


def _keywords(category: Category) -> list[tuple[str, frozenset]]:
    """Each folded keyword with its own word forms, in the keyword's language."""
    return [(fold(k), _forms(fold(k), locale))
            for locale, keys in (category.keywords or {}).items() for k in keys if fold(k)]


@lru_cache(maxsize=8192)  # bounded: citizens' words pass through here too
def _forms(word: str, locale: str) -> frozenset:
    return frozenset(word_forms(word, locale))


@lru_cache(maxsize=8192)
def _text_forms(word: str, locales: tuple[str, ...]) -> frozenset:
    """A citizen's word may be written in any of the city's languages."""
    return frozenset().union(*(_forms(word, locale) for locale in locales))


@cache
def _common(locales: tuple[str, ...]) -> frozenset:
    """Words so frequent in messages that, as keywords, they say where more than what ("on the
    road", "sa kalsada")."""
    return function_words(locales) | frozenset().union(*(_stopwords(locale) for locale in locales))


def _keyword_score(word: str, forms, keyword: str, keyword_forms, common, is_everyday) -> float:
    if word == keyword:
        score = EXACT
    elif keyword in forms or word in keyword_forms or any(
            len(stem) >= MIN_SHARED_STEM for stem in forms & keyword_forms):
        score = STEM
    else:
        score = _typo(word, keyword, is_everyday)
    return min(score, WEAK) if keyword in common else score


def _typo(word: str, keyword: str, is_everyday) -> float:
    """A keyword misspelt by one letter; never a short one ("flood" is not "food"), nor from a
    word in everyday use ("bahay", a house, is not "baha", a flood)."""
    if len(keyword) < TYPO_MIN_LENGTH or abs(len(word) - len(keyword)) > 1 or is_everyday(word):
        return 0
    if OSA.distance(word, keyword, score_cutoff=1) > 1:
        return 0
    return 100 - 100 / len(keyword)


def _fuzzy(word: str, name_word: str) -> bool:
    """Whether a word of an answer is a word of an offered name, give or take a typo."""
    return (len(word) >= FUZZY_MIN_LENGTH and len(name_word) >= FUZZY_MIN_LENGTH
            and fuzz.ratio(word, name_word) >= FUZZY_MIN)


def guess_locale(city, text: str) -> str | None:
    """The city locale the text seems written in, when the evidence is clear; else None."""
    for locale, scripts in SCRIPTS.items():
        if locale in city.locales and any(
                unicodedata.name(ch, "").startswith(scripts) for ch in text if ch.isalpha()):
            return locale
    if "vi" in city.locales and VIETNAMESE.search(text or ""):
        return "vi"
    words = fold(text).split()
    counts = {locale: sum(w in _stopwords(locale) for w in words) for locale in city.locales}
    counts = {locale: n for locale, n in counts.items() if n}
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


@cache
def _stopwords(locale: str) -> frozenset:
    return frozenset(fold(w) for w in STOPWORDS.get(locale, ()))


def examples(city, locale: str, count: int = 5) -> list[str]:
    """A word for each of the first categories, to show a citizen what they may write."""
    out = []
    for category in active_categories(city):
        words = (category.keywords or {}).get(locale) or (category.keywords or {}).get(
            city.default_locale) or []
        if words and words[0] not in out:
            out.append(words[0])
    return out[:count]


# Answers to the questions of a conversation ------------------------------------------------

# Yes and no in each shipped language, as people text them (folded on use).
YES_NO = {
    "en": ("yes y yeah yep ok okay", "no n nope"),
    "fil": ("oo opo oho", "hindi hinde di"),
    "ilo": ("wen", "saan haan"),
    "ne": ("हो हजुर ho ha hajur", "होइन हैन hoina haina"),
    "vi": ("có vâng co", "không khong"),
    "id": ("ya iya", "tidak tdk"),
    "es": ("sí si", "no"),
    "fr": ("oui", "non"),
    "sw": ("ndiyo ndio", "hapana"),
    "ko": ("네 예 응", "아니요 아니오 아니"),
    "ar": ("نعم ايوه", "لا"),
}
NUMBER = re.compile(r"#?([0-9]{1,3})[.)]?")


def choice_number(text: str) -> int | None:
    """The number an answer is, in any script's digits ("2", "२", "2."), or None."""
    match = NUMBER.fullmatch(ascii_digits(text or "").strip())
    return int(match.group(1)) if match else None


def pick_option(city, text: str, options: list[list[str]]) -> int | None:
    """The index of the numbered option (known by one or more names) an answer picks: by its
    number, or by naming it ("yung Oeste po" for Narra Oeste); None if it picks none."""
    number = choice_number(text)
    if number is not None:
        return number - 1 if 1 <= number <= len(options) else None
    words = set(fold(text).split()) - function_words(tuple(city.locales))
    if not words:
        return None
    covered = [max((_coverage(words, fold(name).split()) for name in names), default=0)
               for names in options]
    best = max(covered, default=0)
    return covered.index(best) if best and covered.count(best) == 1 else None


def _coverage(words: set[str], name: list[str]) -> float:
    """How much of a name the answer's words are, if they all belong to it; a typo counts half
    a word, so that "oeste" picks Narra Oeste over Narra Este."""
    matches = [max((1 if w == n else 0.5 if _fuzzy(w, n) else 0 for n in name), default=0)
               for w in words]
    return sum(matches) / len(name) if name and all(matches) else 0


def yes_or_no(city, text: str) -> bool | None:
    """True for yes, False for no (its first word, in English or a language of the city)."""
    words = fold(text).split()
    if not words:
        return None
    for locale in ("en", *city.locales):
        yes, no = _yes_no(locale)
        if words[0] in yes or words[0] in no:
            return words[0] in yes
    return None


@cache
def _yes_no(locale: str) -> tuple[frozenset, frozenset]:
    yes, no = YES_NO.get(locale, ("", ""))
    return frozenset(fold(yes).split()), frozenset(fold(no).split())


def answer_category(city, text: str, offered: list[str]) -> list[Category]:
    """The categories an answer about the problem names: the offered one its number or name
    picks, else the ones its words name best (among those offered, when some of them are)."""
    by_code = {category.code: category for category in active_categories(city)}
    options = [by_code.get(code) for code in offered]  # one made inactive keeps its number
    index = pick_option(city, text, [list((c.names or {}).values()) if c else []
                                     for c in options])
    if index is not None and options[index] is not None:
        return [options[index]]
    if choice_number(text) is not None:
        return []
    best = category_candidates(city, text)
    return [c for c in best if c in options] or best
