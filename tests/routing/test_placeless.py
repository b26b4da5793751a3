"""Sentences that name no place take none: one word of a longer name, or a common noun, is not
a place ("San" of San Isidro, "E" of E. Rodriguez, "Bagong", "Poblacion", a number, "bahay")."""

import unicodedata

import pytest
from sqlalchemy import select

from cps.extensions import db
from cps.routing.index import geo_index, ordinary_words
from cps.routing.models import District, Landmark
from cps.routing.spelling import PREFIXES, core, words_of
from tests.routing.national import NEPALI_SENTENCES, NOUNS, SENTENCES, national_gazetteer
from tests.routing.national import ordinary_words as national_ordinary_words

NATIONAL_SIZE = 5000


def folded(text: str) -> str:
    """A text's words as the index reads them, joined."""
    return " ".join(words_of(text))


def split_words(name: str) -> list[str]:
    """The words of a name as written ("E. Rodriguez" -> E, Rodriguez; "Pay-og" -> Pay, og)."""
    spaced = "".join(ch if ch.isalnum() or _mark(ch) else " " for ch in name)
    return spaced.split()


def _mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def probe_words(names: list[list[str]]) -> dict[str, tuple[str, str]]:
    """Each word of the places' names (each place: name and aliases) that is no whole name, and
    each common noun that is none: its spelling, and where it comes from."""
    whole = {folded(n) for spellings in names for n in spellings}
    words: dict[str, tuple[str, str]] = {}
    for spellings in names:
        for name in spellings:
            for w in split_words(name):
                if folded(w) not in whole:
                    words.setdefault(folded(w), (w, f"{w!r} of {name!r}"))
    for noun in NOUNS:
        if folded(noun) not in whole:
            words.setdefault(folded(noun), (noun, f"noun {noun!r}"))
    return words


def name_sequences(names: list[list[str]], ordinary=frozenset()) -> set[tuple[str, ...]]:
    """Every whole name as the index reads it (its words, with and without a prefix); a name of
    only ordinary words (numbers, function and problem words) counts only after a prefix."""
    spellings = [words_of(n) for each in names for n in each]
    sequences = {tuple(w) for w in spellings} | {core(w) for w in spellings}
    plain = {s for s in sequences if all(_ordinary(w, ordinary) for w in s)}
    return (sequences - plain) | {(p, *s) for s in plain for p in PREFIXES}


def _ordinary(word: str, ordinary) -> bool:
    return word in ordinary or word in PREFIXES or word.isdigit() or len(word) < 3


def names_a_place(text: str, sequences: set[tuple[str, ...]]) -> bool:
    """Whether the text's words hold a whole name ("adda abut Hall" holds "Abut Hall")."""
    words = words_of(text)
    return any(tuple(words[i:j]) in sequences
               for i in range(len(words)) for j in range(i + 1, min(len(words), i + 6) + 1))


def placeless_failures(gazetteer, names, ordinary, sentences=SENTENCES) -> tuple[int, list[str]]:
    """How many sentences were tried, and a line for each word that took a place."""
    tried, failures = 0, []
    sequences = name_sequences(names, ordinary)
    for spelled, origin in probe_words(names).values():
        taken = []
        for sentence in sentences:
            text = sentence.format(w=spelled)
            if names_a_place(text, sequences):
                continue
            tried += 1
            winner = gazetteer.search(text).winner
            if winner is not None:
                taken.append(f"{text!r} -> {winner.name}")
        if taken:
            failures.append(f"{origin}: {len(taken)} sentences, e.g. {taken[0]}")
    return tried, failures


def assert_placeless(gazetteer, names, ordinary, sentences=SENTENCES) -> None:
    """No sentence built on a part of a name or a common noun takes a place."""
    tried, failures = placeless_failures(gazetteer, names, ordinary, sentences)
    assert not failures, (f"{len(failures)} words took a place ({tried} sentences):\n"
                          + "\n".join(failures))


def city_names(city) -> list[list[str]]:
    """The spellings of each district and landmark of a city, as stored."""
    districts = db.session.scalars(select(District).where(District.city_id == city.id))
    marks = db.session.scalars(select(Landmark).where(Landmark.city_id == city.id))
    return ([[d.name, *(d.aliases or []), *(d.names or {}).values()] for d in districts]
            + [[m.name, *(m.aliases or [])] for m in marks])


@pytest.fixture(scope="module")
def national():
    layer, gazetteer = national_gazetteer(NATIONAL_SIZE)
    return [[d["name"], *d["aliases"]] for d in layer], gazetteer


def test_the_demo_city_takes_no_place_from_part_of_a_name(city):
    assert_placeless(geo_index(city).gazetteer, city_names(city), ordinary_words(city.id))


def test_pokhara_takes_no_place_from_part_of_a_name(pokhara):
    assert_placeless(geo_index(pokhara).gazetteer, city_names(pokhara),
                     ordinary_words(pokhara.id), SENTENCES + NEPALI_SENTENCES)


def test_a_national_layer_takes_no_place_from_part_of_a_name(national):
    names, gazetteer = national
    assert_placeless(gazetteer, names, national_ordinary_words())


def test_the_probes_are_parts_and_nouns_never_whole_names():
    words = probe_words([["San Isidro"], ["Sto. Niño", "Santo Niño"], ["E. Rodriguez"],
                         ["Bahay Toro"], ["Poblacion I", "Poblacion 1"], ["Bato"]])
    assert {"san", "isidro", "santo", "nino", "e", "rodriguez", "poblacion", "1",
            "bahay", "toro"} <= set(words)
    assert "bato" not in words and words["bahay"] == ("Bahay", "'Bahay' of 'Bahay Toro'")


def test_a_sentence_holding_a_whole_name_is_no_probe():
    sequences = name_sequences([["Abut Barangay Hall", "Brgy. Abut Hall"], ["Bato"], ["Abut"],
                                ["Barangay 3"]], ordinary=frozenset({"abut"}))
    assert names_a_place("adda abut Hall kalsada", sequences)
    assert names_a_place("Basura po Bato, hindi kinukuha", sequences)
    assert names_a_place("Basura po sa Brgy. Abut", sequences)
    assert not names_a_place("adda abut Barangay kalsada", sequences)
    assert not names_a_place("hindi kinukuha 3 araw na", sequences)
