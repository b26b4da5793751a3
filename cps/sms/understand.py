"""Reading a free-text SMS: what kind of problem it is, and which language it is written in."""

import re
import unicodedata
from functools import cache

from rapidfuzz import fuzz
from sqlalchemy import select

from cps.cities.models import Category
from cps.extensions import db
from cps.routing.gazetteer import fold

FUZZY_MIN = 85
FUZZY_MIN_LENGTH = 4
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
    """The city's active category whose keywords the text names best; None if unclear."""
    words = fold(text).split()
    scores = []
    for category in _categories(city):
        score = max((_word_score(w, k) for w in words for k in _keywords(category)), default=0)
        if score:
            scores.append((score, category))
    scores.sort(key=lambda sc: -sc[0])
    if not scores or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return scores[0][1]


def _categories(city) -> list[Category]:
    return db.session.scalars(select(Category).where(
        Category.city_id == city.id, Category.active).order_by(Category.position)).all()


def _keywords(category: Category) -> set[str]:
    words = {fold(k) for keys in (category.keywords or {}).values() for k in keys}
    return {w for w in words if w}


def _word_score(word: str, keyword: str) -> float:
    if word == keyword:
        return 100
    if len(word) >= FUZZY_MIN_LENGTH and len(keyword) >= FUZZY_MIN_LENGTH:
        score = fuzz.ratio(word, keyword)
        return score if score >= FUZZY_MIN else 0
    return 0


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
    for category in _categories(city):
        words = (category.keywords or {}).get(locale) or (category.keywords or {}).get(
            city.default_locale) or []
        if words and words[0] not in out:
            out.append(words[0])
    return out[:count]
