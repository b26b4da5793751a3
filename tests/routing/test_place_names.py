"""Place names in citizens' words: a place is taken only when a whole name is clearly there."""

import pytest

from cps.routing.errors import AmbiguousPlace, PlaceNotFound
from cps.routing.gazetteer import Gazetteer, Place
from cps.routing.locate import locate_text
from cps.routing.spelling import fold, variants
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
    ("payog", "Pay-og"), ("pay og", None), ("sa Commonweath ave", "Commonwealth"),
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


def test_a_ward_is_found_by_its_number_in_devanagari(pokhara):
    one = locate_text(pokhara, "वडा नं. ५ मा फोहोर")
    two = locate_text(pokhara, "ward no 5 ma fohor")
    assert one.district_id == two.district_id is not None
    with pytest.raises((PlaceNotFound, AmbiguousPlace)):
        locate_text(pokhara, "५ दिन देखि फोहोर उठेको छैन")


@pytest.mark.parametrize("text,expected", [
    ("17 नं. वडा मा फोहोर", "17"), ("12 no ward ma pani", "12"), ("wrd 24 ma batti chaina", "24"),
    ("Wrad 32 ko sadak", "32"), ("ward no. 5", "5"), ("वडा नं. ५ मा", "5"),
])
def test_ward_numbers_as_nepal_writes_them(wards, text, expected):
    assert wards.search(text).winner.name == f"Ward {expected}"


@pytest.mark.parametrize("text", ["ward 8 ra 9 ko bich ma nali jam", "वडा ८ र ९ को सिमानामा",
                                  "wards 8, 9 and 10", "ward 8 and 9"])
def test_two_ward_numbers_are_two_places_asked_about(wards, text):
    match = wards.search(text)
    assert match.winner is None and {"Ward 8", "Ward 9"} <= {c.place.name for c in
                                                            match.candidates}


@pytest.fixture(scope="module")
def wards() -> Gazetteer:
    places = [(Place("district", n, f"Ward {n}", 84.0 + n / 100, 28.2),
               variants(f"वडा नं. {n}", [f"Ward {n}"], district=True)) for n in range(1, 34)]
    return Gazetteer(places, function_words(("ne", "en")))


@pytest.mark.parametrize("text,expected", [
    ("baha sa Sebilya", "Sevilla"), ("walang ilaw sa Pakpako", "Pacpaco"),
    ("garbage at Dalangayan Este", "Dallangayan Este"), ("Phewa dam", "Fewa Dam"),
    ("Chorepatan ma pani", "Chhorepatan"), ("sa Kabaroan", "Cabaroan"),
])
def test_names_spelled_as_they_sound(sounds, text, expected):
    assert sounds.search(text).winner.name == expected


@pytest.fixture(scope="module")
def sounds() -> Gazetteer:
    names = ["Sevilla", "Pacpaco", "Dallangayan Este", "Dallangayan Oeste", "Fewa Dam",
             "Chhorepatan", "Cabaroan", "Baca"]
    places = [(Place("district", i, name, 120.0 + i / 100, 16.6), variants(name))
              for i, name in enumerate(names)]
    return Gazetteer(places, function_words(("en", "fil", "ne")), everyday={"baka"}.__contains__)


@pytest.mark.parametrize("text", ["may baka sa kalsada", "baka po bukas pa"])
def test_an_everyday_word_is_not_taken_for_a_name_it_sounds_like(sounds, text):
    assert sounds.search(text).candidates == []


def test_a_name_that_is_an_everyday_word_is_asked_about_or_needs_a_prefix():
    places = [(Place("district", 1, "Bato", 120.0, 16.6), variants("Bato")),
              (Place("district", 2, "Catbangen", 120.1, 16.6), variants("Catbangen"))]
    layer = Gazetteer(places, function_words(("fil",)), everyday={"bato"}.__contains__)
    assert layer.search("may malaking bato na gumuho sa kalsada").candidates == []
    assert layer.search("baha sa Bato").winner is None
    assert layer.search("baha sa Brgy. Bato").winner.name == "Bato"
    assert layer.search("Bato", whole=True).winner.name == "Bato"
    assert layer.search("baha sa Catbangen").winner.name == "Catbangen"


def test_a_short_name_is_found_by_its_sound_not_by_a_typo():
    places = [(Place("district", 1, "Pias", 120.0, 16.6), variants("Pias")),
              (Place("district", 2, "Fewa", 120.1, 16.6), variants("Fewa"))]
    layer = Gazetteer(places, function_words(("fil",)))
    assert layer.search("sa Phewa").winner.name == "Fewa"
    assert layer.search("sa Pies").candidates == []
    assert layer.search("sa Piaz").winner.name == "Pias"


def test_one_misspelt_word_alone_is_asked_about_unless_a_place_is_announced():
    places = [(Place("district", 1, "Cadaclan", 120.0, 16.6), variants("Cadaclan"))]
    layer = Gazetteer(places, function_words(("ilo",)))
    match = layer.search("Ti kadaklan a silaw iti kalsada ket naiddep")
    assert match.winner is None and [c.place.name for c in match.candidates] == ["Cadaclan"]
    assert layer.search("naiddep ti silaw idiay Kadaklan").winner.name == "Cadaclan"
    assert layer.search("Kadaklan", whole=True).winner.name == "Cadaclan"


def test_a_bare_number_is_no_place_even_in_a_place_field(layer):
    assert layer.search("3", whole=True).winner is None
    assert layer.search("²", whole=True).winner is None
