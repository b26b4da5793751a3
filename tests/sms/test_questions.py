"""The questions of an SMS report: which problem (a tie, then a menu), which place (a choice
kept after a wrong answer, yes or no for a single place), and never the same question twice."""

import re

import pytest
from sqlalchemy import select

from cps.cities.models import Category
from cps.complaints.models import Complaint
from cps.extensions import db
from cps.notify.segments import count_segments
from cps.sms.models import SmsConversation
from tests.places import district
from tests.sms.phone import Phone

REF = re.compile(r"SF-[0-9A-Z]{7}")


def complaint_of(phone) -> Complaint | None:
    return db.session.scalar(select(Complaint).where(
        Complaint.reporter_phone == phone.number).order_by(Complaint.id.desc()).limit(1))


def numbered(reply: str) -> dict[str, str]:
    """The options of a numbered question: {"1": "Stray animals", ...}."""
    parts = re.split(r"(?:^|\s)(\d+)\) ", reply)[1:]
    options = dict(zip(parts[::2], parts[1::2], strict=True))
    if options:
        last = max(options, key=int)
        options[last] = re.split(r"[.?](?:\s|$)", options[last])[0]
    return {n: name.strip() for n, name in options.items()}


# Which problem ----------------------------------------------------------------------------

def test_a_tie_between_problems_is_offered_as_a_numbered_choice(phone):
    reply = phone.text("dog carcass near Catbangen plaza")
    assert reply.startswith("Which problem is it?")
    assert numbered(reply) == {"1": "Stray animals", "2": "Health hazard"}
    phone.text("2")
    made = complaint_of(phone)
    assert made.category.code == "health-hazard" and made.district_id == district("Catbangen").id


@pytest.mark.parametrize("answer", ["Stray animals", "stray", "dog", "١"])
def test_a_tie_is_answered_by_a_name_a_keyword_or_a_number_in_any_digits(phone, answer):
    assert "1) Stray animals" in phone.text("dog carcass near Catbangen plaza")
    phone.text(answer)
    assert complaint_of(phone).category.code == "stray-animals"


def test_a_tie_is_asked_after_the_place(phone):
    assert "Where is it?" in phone.text("there is a dog carcass here")
    assert "2) Health hazard" in phone.text("Catbangen")
    phone.text("1")
    assert complaint_of(phone).category.code == "stray-animals"


def test_after_one_miss_the_problem_is_asked_as_a_menu_of_the_citys_problems(phone):
    assert "What is the problem?" in phone.text("Please come and look near Pindangan Ruins")
    menu = phone.text("it is terrible")
    options = numbered(menu)
    assert options["1"] == "Pothole or damaged road" and options["2"] == "Uncollected garbage"
    assert count_segments(menu).segments <= 2
    phone.text("2")
    made = complaint_of(phone)
    assert made.category.code == "garbage" and "terrible" in made.description


def test_the_menu_is_in_the_citizens_language(phone):
    phone.text("Pakitingnan po dito sa Catbangen")
    menu = phone.text("ewan ko po")
    assert numbered(menu)["1"] == "Lubak o sirang kalsada"


def test_a_missed_tie_is_followed_by_the_menu_not_the_same_choice(phone):
    first = phone.text("dog carcass near Catbangen plaza")
    menu = phone.text("I am not sure")
    assert menu != first and len(numbered(menu)) > 2
    phone.text("7")
    assert complaint_of(phone).category.code == "stray-animals"


def test_after_the_menu_is_missed_too_the_report_goes_to_the_desk(phone):
    replies = [phone.text("Please come and look near Pindangan Ruins"),
               phone.text("it is terrible"), phone.text("I told you already")]
    assert len(set(replies)) == 3  # never the same question twice in a row
    made = complaint_of(phone)
    assert made is not None and made.reference in replies[-1]
    assert made.category is None and made.department is None
    assert "I told you already" in made.description
    assert db.session.scalar(select(SmsConversation.closed_at).where(
        SmsConversation.phone == phone.number)) is not None
    assert count_segments(replies[-1]).segments <= 2


def test_the_menu_is_trimmed_to_two_segments_and_its_numbers_still_answer(phone, city):
    categories = db.session.scalars(select(Category).where(
        Category.city_id == city.id).order_by(Category.position)).all()
    for category in categories:
        category.names = {"en": f"{category.code} problems of the streets and public places"}
    db.session.commit()
    phone.text("Please come and look near Pindangan Ruins")
    menu = phone.text("it is terrible")
    options = numbered(menu)
    assert 2 <= len(options) < len(categories) and count_segments(menu).segments <= 2
    last = str(len(options))
    phone.text(last)
    assert complaint_of(phone).category.code == categories[int(last) - 1].code


# Which place ------------------------------------------------------------------------------

def test_a_single_place_is_a_yes_or_no_question(phone):
    reply = phone.text("garbage near Otong")
    assert reply == "Did you mean Siboan-Otong? Reply YES or NO."
    phone.text("yes")
    assert complaint_of(phone).district_id == district("Siboan-Otong").id


YES_NO = [("en", "Y", "n"), ("fil", "oo po", "hindi po"), ("fil", "opo", "di"),
          ("ilo", "wen", "haan"), ("ne", "हो", "होइन"), ("ne", "hajur", "hoina"),
          ("vi", "Có", "không"), ("id", "ya", "tidak"), ("es", "sí", "no"),
          ("fr", "oui", "non"), ("sw", "ndiyo", "hapana"), ("ko", "네", "아니요"),
          ("ar", "نعم", "لا")]


@pytest.mark.parametrize(("locale", "yes", "no"), YES_NO)
def test_yes_and_no_in_each_language(client, city, twilio, locale, yes, no):
    city.locales = sorted({"en", locale})
    db.session.commit()
    agrees, refuses = Phone(client, "+639170005551"), Phone(client, "+639170005552")
    agrees.text("garbage near Otong")
    agrees.text(yes)
    assert complaint_of(agrees).district_id == district("Siboan-Otong").id
    refuses.text("garbage near Otong")
    refuses.text(no)
    assert complaint_of(refuses) is None
    assert db.session.scalar(select(SmsConversation.step).where(
        SmsConversation.phone == refuses.number)) == "awaiting_location"


def test_no_asks_where_it_is(phone):
    phone.text("garbage near Otong")
    assert phone.text("no") == "Where is it? Reply with the barangay or a landmark."
    phone.text("Catbangen")
    assert complaint_of(phone).district_id == district("Catbangen").id


def test_the_single_place_may_be_confirmed_by_its_name(phone):
    phone.text("garbage near Otong")
    phone.text("Siboan-Otong")
    assert complaint_of(phone).district_id == district("Siboan-Otong").id


def test_a_place_of_ordinary_words_answers_where_is_it(phone):
    assert phone.text("Dakkel nga abut ditoy kalsada").startswith("Sadino ti ayanna?")
    phone.text("Abut")
    assert complaint_of(phone).district_id == district("Abut").id


def test_the_places_offered_are_kept_after_a_wrong_answer(phone):
    first = numbered(phone.text("pothole in Narra"))
    again = phone.text("not sure which one")
    assert again.startswith("Reply with the number") and numbered(again) == first
    phone.text("2")
    assert complaint_of(phone).district.name == first["2"].removesuffix(" Barangay Hall")


def test_a_place_offered_may_be_typed_out(phone):
    options = numbered(phone.text("pothole in Narra"))
    assert "Narra Oeste" in options.values()
    phone.text("yung Oeste po")
    assert complaint_of(phone).district.name == "Narra Oeste"


def test_after_a_second_wrong_answer_where_is_it_is_asked(phone):
    asked = phone.text("pothole in Narra")
    again = phone.text("not sure which one")
    where = phone.text("I really do not know")
    assert numbered(again) == numbered(asked) and again != asked
    assert where == "Where is it? Reply with the barangay or a landmark."
    phone.text("Catbangen")
    assert complaint_of(phone).district_id == district("Catbangen").id


def test_a_choice_out_of_range_is_a_wrong_answer(phone):
    first = numbered(phone.text("pothole in Narra"))
    assert numbered(phone.text("9")) == first
    assert complaint_of(phone) is None
