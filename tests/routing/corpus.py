"""The labelled corpus of citizens' messages (corpus.yaml), for the tests and the benchmarks."""

from pathlib import Path

import yaml

CORPUS = Path(__file__).with_name("corpus.yaml")
CITIES = ("san-fernando-la-union", "pokhara")
LANGUAGES = ("en", "fil", "ilo", "vi", "ne", "ne-Latn")
REQUIRED = ("text", "city", "lang", "place", "category")
OPTIONAL = ("ambiguous",)


class CorpusError(ValueError):
    """An entry of the corpus file is malformed."""


def load_corpus(city: str | None = None, path: Path = CORPUS) -> list[dict]:
    """The corpus' entries (of `city` only, if given), each with every field filled in.

    An entry is {text, city, lang, place, category, ambiguous}: `place` and `category` are None
    when the message names no place or no clear problem, `ambiguous` is False unless given.
    """
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(entries, list):
        raise CorpusError(f"{path.name}: expected a list of entries")
    checked = [_checked(number, entry) for number, entry in enumerate(entries, 1)]
    return [entry for entry in checked if city is None or entry["city"] == city]


def _checked(number: int, entry) -> dict:
    if not isinstance(entry, dict):
        raise CorpusError(f"entry {number}: expected a mapping")
    missing = [key for key in REQUIRED if key not in entry]
    unknown = sorted(set(entry) - set(REQUIRED) - set(OPTIONAL))
    if missing or unknown:
        raise CorpusError(f"entry {number}: missing {missing}, unknown {unknown}")
    problems = [
        not isinstance(entry["text"], str) or not entry["text"].strip(),
        entry["city"] not in CITIES,
        entry["lang"] not in LANGUAGES,
        not isinstance(entry["place"], str | None),
        not isinstance(entry["category"], str | None),
        not isinstance(entry.get("ambiguous", False), bool),
    ]
    if any(problems):
        raise CorpusError(f"entry {number}: bad value in {entry!r}")
    return {**{key: entry[key] for key in REQUIRED}, "ambiguous": entry.get("ambiguous", False)}
