"""Place names in citizens' words: a place is taken only when a whole name is clearly there."""

import pytest

from cps import PROJECT_ROOT
from cps.cities.packs.service import load_pack
from cps.routing.errors import AmbiguousPlace, PlaceNotFound
from cps.routing.gazetteer import Gazetteer, Place, fold, variants
from cps.routing.locate import locate_text
from cps.routing.words import function_words
from tests.places import district

# Real barangay names of Quezon City and other Philippine towns, where names hold each other.
NAMES = ["E. Rodriguez", "Bagong Silangan", "Silangan", "North Fairview", "Fairview",
         "San Isidro Labrador", "San Isidro", "Bahay Toro", "Amihan", "Biday", "Abut",
         "New Era", "Del Monte", "Apo Kalaw", "Pay-og", "Santo Niño", "Sta. Cruz", "Poblacion",
         "Barangay 3", "Don Manuel", "Pansol", "Pasong Tamo", "Holy Spirit", "Commonwealth"]
PROBLEM_WORDS = {"baha", "basura", "abut", "ilaw", "poste", "kalsada", "garbage", "flood"}


@pytest.fixture(scope="module")
def layer() -> Gazetteer:
    places = [(Place("district", i, name, 121.0 + i / 100, 14.6), variants(name, district=True))
              for i, name in enumerate(NAMES)]
    return Gazetteer(places, function_words(("en", "fil", "ilo")) | PROBLEM_WORDS)


def winner(layer, text):
    found = layer.search(text).winner
    return found.name if found else None


@pytest.mark.parametrize("text", [
    "Basura po e, hindi kinukuha 3 araw na", "san po pwede magreklamo? baha na naman",
    "new poste pls, patay ang ilaw", "tubig del sur walang dumadaloy", "apo ko nadapa sa abut",
    "adda pay abut ditoy kalsada", "e di wow, wala pa ring ilaw", "may baha dito sa amin",
    "idiay kalsada adda abut", "basura 3 araw na", "Holy week na, wala pa rin",
])
def test_ordinary_and_short_words_never_take_a_place(layer, text):
    assert winner(layer, text) is None


@pytest.mark.parametrize("text", ["baha sa amin", "idiay", "abut", "po e", "san", "new", "3"])
def test_ordinary_words_are_not_even_asked_about(layer, text):
    assert layer.search(text).candidates == []


@pytest.mark.parametrize("text,expected", [
    ("baha sa Bagong Silangan", "Bagong Silangan"), ("baha sa Silangan", "Silangan"),
    ("walang ilaw sa North Fairview", "North Fairview"), ("sa Fairview po", "Fairview"),
    ("San Isidro Labrador, basura", "San Isidro Labrador"), ("sa San Isidro", "San Isidro"),
    ("brgy. e. rodriguez", "E. Rodriguez"), ("Sto. Nino", "Santo Niño"),
    ("santa cruz", "Sta. Cruz"), ("Brgy. Abut, may abut", "Abut"), ("bgy 3", "Barangay 3"),
    ("sa may Bahay Toro", "Bahay Toro"), ("bagong silangn", "Bagong Silangan"),
    ("payog", "Pay-og"), ("pay og", None), ("Commonweath ave", "Commonwealth"),
])
def test_the_longer_name_matched_in_full_wins(layer, text, expected):
    assert winner(layer, text) == expected


@pytest.mark.parametrize("text,expected", [
    ("pay og", "Pay-og"), ("sa Abut po", "Abut"), ("Amihan", "Amihan"), ("Poblacion", "Poblacion"),
    ("idiay Abut", "Abut"), ("Barangay 3", "Barangay 3"),
])
def test_a_place_field_that_is_a_name_of_ordinary_words_is_that_place(layer, text, expected):
    assert layer.search(text, whole=True).winner.name == expected


@pytest.mark.parametrize("text,expected", [
    ("Rodriguez", {"E. Rodriguez"}), ("kalaw", {"Apo Kalaw"}), ("nahulog sa abut", {"Abut"}),
])
def test_part_of_a_name_is_asked_about_never_taken(layer, text, expected):
    match = layer.search(text)
    assert match.winner is None and {c.place.name for c in match.candidates} == expected


def test_two_places_in_one_message_are_asked_about(layer):
    match = layer.search("from Pansol to Holy Spirit")
    assert match.winner is None
    assert {c.place.name for c in match.candidates} >= {"Pansol", "Holy Spirit"}


def test_digits_of_every_script_and_roman_numerals_fold_alike():
    assert fold("वडा नं. ५") == fold("वडा नं 5") and fold("Poblacion IV") == "poblacion 4"


@pytest.mark.parametrize("text", ["Adda abut iti kalsada", "dakkel nga abut ditoy",
                                  "may abut sa kalsada namin"])
def test_a_problem_word_that_is_a_barangay_is_no_place(city, text):
    with pytest.raises((PlaceNotFound, AmbiguousPlace)):
        locate_text(city, text)


def test_a_problem_word_after_a_district_prefix_is_the_barangay(city):
    assert locate_text(city, "adda abut ditoy Brgy. Abut").district_id == district("Abut").id


def test_a_ward_is_found_by_its_number_in_devanagari(app):
    pokhara, _changes, _warnings = load_pack(PROJECT_ROOT / "cities" / "pokhara")
    one = locate_text(pokhara, "वडा नं. ५ मा फोहोर")
    two = locate_text(pokhara, "ward no 5 ma fohor")
    assert one.district_id == two.district_id is not None
    with pytest.raises((PlaceNotFound, AmbiguousPlace)):
        locate_text(pokhara, "५ दिन देखि फोहोर उठेको छैन")
