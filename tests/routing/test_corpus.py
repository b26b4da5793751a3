"""Citizens' messages of the corpus (corpus.yaml): no place is ever taken silently wrong, and the
category guessed from a message is rarely wrong."""

import json

import pytest
import yaml
from geoalchemy2.shape import to_shape
from sqlalchemy import select

from cps import PROJECT_ROOT
from cps.extensions import db
from cps.routing.errors import AmbiguousPlace, LocationError
from cps.routing.locate import locate_text
from cps.routing.models import District, Landmark
from cps.sms.understand import guess_category
from tests.routing.corpus import CITIES, load_corpus

# Share of the labelled messages whose category may be guessed wrong (a guess for a message with
# no clear problem is wrong too): a wrong guess files a complaint with the wrong department.
MAX_WRONG_GUESSES = 0.05


@pytest.fixture
def cities(city, pokhara):
    """Both demo cities, imported: San Fernando and Pokhara."""
    return {city.slug: city, pokhara.slug: pokhara}


def test_every_label_names_a_place_and_a_category_of_its_city():
    bad = []
    for slug in CITIES:
        places, categories = _pack_labels(slug)
        bad += [entry for entry in load_corpus(slug)
                if entry["place"] not in places | {None}
                or entry["category"] not in categories | {None}]
    assert not bad, "labels unknown to the city pack:\n" + "\n".join(map(repr, bad))


@pytest.mark.parametrize("slug", CITIES)
def test_no_message_is_placed_silently_in_a_wrong_place(cities, slug, record_property):
    city = cities[slug]
    expected_district, district_name = _districts_of_places(city)
    entries = load_corpus(slug)
    outcomes = {"right": 0, "asked": 0, "none": 0}
    wrong = []
    for entry in entries:
        got = _district_taken(city, entry["text"])
        expected = expected_district.get(entry["place"])
        if got in outcomes:
            outcomes[got] += 1
        elif got == expected:
            outcomes["right"] += 1
        else:
            wrong.append(f"{entry['text']!r}: expected {entry['place']!r}, "
                         f"got {district_name.get(got, got)!r}")
    record_property("place_outcomes", {**outcomes, "silently_wrong": len(wrong)})
    if wrong:
        named = sum(entry["place"] is not None for entry in entries)
        pytest.fail(f"{slug}: {len(wrong)} silent misplacements in {len(entries)} messages "
                    f"(placed right {outcomes['right']} of the {named} that name a place, asked "
                    f"{outcomes['asked']}, no place {outcomes['none']}):\n"
                    + "\n".join(wrong), pytrace=False)


@pytest.mark.parametrize("slug", CITIES)
def test_category_guesses_are_rarely_wrong(cities, slug, record_property):
    city = cities[slug]
    entries = load_corpus(slug)
    labelled = [entry for entry in entries if entry["category"] is not None]
    wrong, right = [], 0
    for entry in entries:
        guess = guess_category(city, entry["text"])
        code = guess.code if guess is not None else None
        if code is not None and code == entry["category"]:
            right += 1
        elif code is not None:
            wrong.append(f"{entry['text']!r}: expected {entry['category']}, guessed {code}")
    accuracy = right / len(labelled)
    record_property("category_outcomes", {"labelled": len(labelled), "right": right,
                                          "wrong": len(wrong), "accuracy": round(accuracy, 3)})
    if len(wrong) > MAX_WRONG_GUESSES * len(labelled):
        pytest.fail(f"{slug}: {len(wrong)} wrong guesses for {len(labelled)} labelled messages "
                    f"(at most {MAX_WRONG_GUESSES:.0%}); accuracy {right}/{len(labelled)} = "
                    f"{accuracy:.1%}:\n" + "\n".join(wrong), pytrace=False)


def _district_taken(city, text: str) -> int | str:
    """The id of the district CPS takes for `text`, or "asked" or "none"."""
    try:
        location = locate_text(city, text)
    except AmbiguousPlace:
        return "asked"
    except LocationError:
        return "none"
    return location.district_id if location.found else "none"


def _districts_of_places(city) -> tuple[dict, dict]:
    """{place label: district id} for the city's districts and landmarks, {id: district name}."""
    districts = db.session.scalars(
        select(District).where(District.city_id == city.id).order_by(District.code)).all()
    shapes = [(district.id, to_shape(district.geom)) for district in districts
              if district.geom is not None]
    places = {district.name: district.id for district in districts}
    for landmark in db.session.scalars(select(Landmark).where(Landmark.city_id == city.id)):
        point = to_shape(landmark.point)
        places[landmark.name] = next((id_ for id_, shape in shapes if shape.covers(point)), None)
    return places, {district.id: district.name for district in districts}


def _pack_labels(slug: str) -> tuple[set, set]:
    """The place names (districts and landmarks) and category codes of a city pack's files."""
    folder = PROJECT_ROOT / "cities" / slug
    pack = yaml.safe_load((folder / "city.yaml").read_text(encoding="utf-8"))

    def names(file: str, key: str) -> set:
        features = json.loads((folder / file).read_text(encoding="utf-8"))["features"]
        return {feature["properties"][key] for feature in features}

    places = names(pack["districts"]["file"], pack["districts"]["name_property"])
    places |= names(pack["landmarks"], "name")
    return places, {category["code"] for category in pack["categories"]}
