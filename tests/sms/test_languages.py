"""SMS in a city's languages: Vietnamese conversations, and the city's own wording of replies."""

import pytest
from sqlalchemy import select

from cps.cities.models import Category, City
from cps.complaints.models import Complaint
from cps.extensions import db
from cps.notify.models import Outbox
from tests.complaints.web import hidden
from tests.sms.phone import Phone
from tests.staff.people import Role, sign_in, staff


def test_a_vietnamese_conversation_by_sms(client, city, twilio):
    city.locales = ["en", "fil", "vi"]
    garbage = db.session.scalar(select(Category).where(
        Category.city_id == city.id, Category.code == "garbage"))
    garbage.keywords = {**garbage.keywords, "vi": ["rác", "rac"]}
    db.session.commit()
    phone = Phone(client, "+639170000101")
    reply = phone.text("Rác chưa được thu gom ở Catbangen")
    made = db.session.scalar(select(Complaint).where(Complaint.reporter_phone == phone.number))
    assert made.reporter_locale == "vi" and made.category.code == "garbage"
    assert made.reference in reply and "Thank you" not in reply
    status = phone.text(f"TRACUU {made.reference}")
    assert status.startswith(made.reference) and "Đã tiếp nhận" in status
    assert "nhắn" in phone.text("trogiup").lower() or "STATUS" in phone.text("trogiup")
    assert phone.text("DỪNG") and db.session.scalar(select(Outbox.id).limit(1)) is not None


def test_a_city_rewords_an_sms_and_citizens_receive_its_wording(client, city, twilio):
    admin = staff(city, Role.ADMIN)
    sign_in(client, admin)
    page = client.get("/staff/admin/messages").get_data(as_text=True)
    token = hidden(page, "csrf_token")
    too_long = "%(ref)s " + "x" * 600
    for text in ("Salamat po, %(name)s", "%(ref)s 100% done", too_long, "No reference here"):
        refused = client.post("/staff/admin/messages",
                              data={"csrf_token": token, "sms.received:fil": text})
        assert refused.status_code == 400, text
    db.session.expire_all()
    assert not db.session.get(City, city.id).messages
    wording = "Natanggap ang %(ref)s. Pupunta ang %(department)s bago %(date)s."
    saved = client.post("/staff/admin/messages",
                        data={"csrf_token": token, "sms.received:fil": wording})
    assert saved.status_code == 302
    reply = Phone(client).text("baha sa Poro")
    assert reply.startswith("Natanggap ang SF-") and "Salamat" not in reply
    # English keeps the shipped wording.
    assert Phone(client, "+639181112233").text("garbage near Catbangen plaza").startswith(
        "Thank you.")




def test_a_command_word_of_another_language_needs_its_argument():
    from cps.sms.commands import parse_command

    # A reference may have no digit at all: the city's prefix tells it.
    assert parse_command("KALAGAYAN SF-VXHVJYK", ["en", "fil"], "SF")[:2] == ("STATUS", "fil")
    assert parse_command("kalagayan sf vxhvjyk", ["en", "fil"], "SF")[0] == "STATUS"
    assert parse_command("MARKA SF-ABCDEFG 4", ["en", "fil"], "SF")[0] == "RATE"
    assert parse_command("WIKA fil", ["en", "fil"], "SF")[0] == "LANG"
    # Ordinary sentences that start with such a word are reports.
    assert parse_command("Hali ya barabara ni mbaya", ["en", "sw"], "SF") is None
    assert parse_command("kalagayan ng kalsada sa Poro", ["en", "fil"], "SF") is None
    # A word two languages share is read in the city's.
    assert parse_command("ESTADO SF-ABCDEFG", ["en", "es"], "SF")[1] == "es"
    assert parse_command("ESTADO SF-ABCDEFG", ["en", "fil"], "SF")[1] == "fil"


def test_a_city_rewords_the_other_sms_replies_and_state_names(client, city, twilio):
    city.messages = {
        "sms.no_complaint": {"en": "No complaint from this number yet."},
        "sms.not_found": {"en": "%(ref)s? Not ours. Check it."},
        "sms.language_usage": {"en": "LANG + %(codes)s"},
        "sms.status": {"en": "%(ref)s - %(state)s (due %(date)s)"},
        "state.received": {"en": "Logged"},
    }
    db.session.commit()
    phone = Phone(client, "+639170000202")
    assert phone.text("STATUS") == "No complaint from this number yet."
    assert phone.text("STATUS SF-ZZZZ999") == "SF-ZZZZ999? Not ours. Check it."
    assert phone.text("LANG xx") == "LANG + en, fil, ilo"
    filed = phone.text("garbage near Catbangen plaza")
    made = db.session.scalar(select(Complaint).where(Complaint.reporter_phone == phone.number))
    assert made.reference in filed
    assert phone.text(f"STATUS {made.reference}").startswith(f"{made.reference} - Logged (due ")


DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")


def test_numbers_and_references_in_the_citizens_own_digits(client, city, twilio):
    """Nepali and Arabic phones type ० to ९ and ٠ to ٩: ratings, references and choices read."""
    from cps.complaints.references import check_character
    from cps.complaints.states import State
    from cps.complaints.workflow import change_state

    city.locales = ["en", "ne", "ar"]
    db.session.commit()
    phone = Phone(client, "+639170000202")
    phone.text("garbage near Catbangen plaza")
    phone.text("pothole near Pindangan Ruins")
    first, second = db.session.scalars(select(Complaint).where(
        Complaint.reporter_phone == phone.number).order_by(Complaint.id)).all()
    first.reference = f"SF-4K7Q2X{check_character('4K7Q2X')}"  # digits to write in Devanagari
    db.session.commit()
    typed = first.reference.translate(DEVANAGARI)
    # Without its reference read, STATUS would answer for the latest complaint, the second.
    assert phone.text(f"स्थिति {typed}").startswith(first.reference)
    change_state(first, State.RESOLVED)
    db.session.commit()
    phone.text(f"मूल्याङ्कन {typed} ४")
    db.session.expire_all()
    assert db.session.get(Complaint, first.id).rating == 4
    change_state(db.session.get(Complaint, second.id), State.RESOLVED)
    db.session.commit()
    phone.text("٥")  # a bare rating after the resolution notice, in Arabic-Indic digits
    db.session.expire_all()
    assert db.session.get(Complaint, second.id).rating == 5


def test_a_choice_of_place_in_other_digits_or_no_number_at_all(client, city, twilio):
    phone = Phone(client, "+639170000303")
    assert "1) Narra" in phone.text("pothole in Narra")
    reply = phone.text("२")
    made = db.session.scalar(select(Complaint).where(Complaint.reporter_phone == phone.number))
    assert made is not None and made.reference in reply and made.district.name.startswith("Narra")
    # A digit that is not a decimal one ("²") is no choice: the same places are offered again.
    other = Phone(client, "+639170000304")
    assert "1) Narra" in other.text("pothole in Narra")
    assert other.text("²").startswith("Reply with the number: 1) Narra")
    assert db.session.scalar(select(Complaint).where(
        Complaint.reporter_phone == other.number)) is None


# Word forms of problem keywords -----------------------------------------------------------

def reported(phone, body: str, **kwargs) -> Complaint | None:
    """The complaint `body` filed at once, or None when the city asked a question instead."""
    phone.text(body, **kwargs)
    return db.session.scalar(select(Complaint).where(
        Complaint.reporter_phone == phone.number).order_by(Complaint.id.desc()).limit(1))


def test_filipino_and_ilocano_verb_forms_name_the_problem(client, city, twilio):
    """Affixes, infixes, reduplication and the linker: "binabaha" is "baha" (flood)."""
    cases = [("binabaha sa Poro", "flooding"), ("bumabaha na naman dito sa Poro", "flooding"),
             ("nagbaha sa Poro kagabi", "flooding"), ("aglaylayus ditoy Lingsat", "flooding"),
             ("nasira ang semento sa Catbangen", "pothole"),
             # An exact keyword outweighs a word form: "sirang" (broken) is not the problem.
             ("sirang ilaw sa Catbangen", "streetlight")]
    for n, (body, code) in enumerate(cases):
        made = reported(Phone(client, f"+63917000{n:04d}"), body)
        assert made is not None and made.category.code == code, body


def test_english_plurals_and_verb_forms_name_the_problem(client, city, twilio):
    made = reported(Phone(client, "+639170001001"), "flooded street in Poro since Monday")
    assert made is not None and made.category.code == "flooding"
    made = reported(Phone(client, "+639170001002"), "clogging again in Poro")
    assert made is not None and made.category.code == "flooding"


def test_nepali_postpositions_glued_to_the_problem(client, pokhara, twilio):
    number = pokhara.sms_number
    for n, body in enumerate(["Lakeside नजिक सडकमा फोहोरको थैला", "Lakeside ko batoma fohorharu",
                              "Lakeside najik fohor-le bato thunyo"]):
        made = reported(Phone(client, f"+9779800000{n:03d}"), body, to=number)
        assert made is not None and made.category.code == "garbage", body


@pytest.mark.parametrize(("word", "locale", "stem"), [
    ("binabaha", "fil", "baha"), ("bumabaha", "fil", "baha"), ("nagbaha", "fil", "baha"),
    ("bahaan", "fil", "baha"), ("tinapon", "fil", "tapon"), ("itinatapon", "fil", "tapon"),
    ("tapunan", "fil", "tapon"), ("sirang", "fil", "sira"), ("nasira", "fil", "sira"),
    ("aglaylayus", "ilo", "layus"), ("nalayus", "ilo", "layus"),
    ("फोहोरमा", "ne", "फोहोर"), ("फोहोरको", "ne", "फोहोर"), ("fohorma", "ne", "fohor"),
    ("batoma", "ne", "bato"), ("potholes", "en", "pothole"), ("flooding", "en", "flood"),
    ("dumped", "en", "dump"), ("clogged", "en", "clog"), ("puddles", "en", "puddle"),
    ("baha", None, "baha"),
])
def test_word_forms(word, locale, stem):
    from cps.routing.spelling import fold
    from cps.routing.words import word_forms

    forms = word_forms(fold(word), locale) | {fold(word)}
    assert fold(stem) in forms


@pytest.mark.parametrize(("word", "locale"), [("ilaw", "fil"), ("mama", "fil"), ("sing", "en"),
                                               ("baha", "fil"), ("ma", "ne"), ("kama", "ne")])
def test_word_forms_never_go_below_three_letters(word, locale):
    from cps.routing.words import word_forms

    assert all(len(form) >= 3 for form in word_forms(word, locale))


# Several words of a message weigh together ------------------------------------------------

@pytest.mark.parametrize(("body", "code"), [
    # A category whose name uses another's keyword refines it: illegal dumping is
    # "pagtatapon ng basura", so garbage that was dumped is dumping, in any of the languages.
    ("Someone dumped garbage on the vacant lot in Catbangen", "illegal-dumping"),
    ("may nagtapon ng basura sa Catbangen", "illegal-dumping"),
    ("Adda nangibelleng iti basura idiay Catbangen", "illegal-dumping"),
    # ... while garbage alone stays garbage.
    ("garbage not collected in Catbangen", "garbage"),
    ("ang basura sa Catbangen hindi kinukuha", "garbage"),
    # Two words of one category outweigh one word of another.
    ("dead dog in Catbangen, it smells", "health-hazard"),
    ("street lights in Catbangen are all dead, so dark at night", "streetlight"),
    ("Catbangen garbage bins overflowing", "garbage"),
])
def test_the_words_of_a_message_weigh_together(client, city, twilio, body, code):
    made = reported(Phone(client, "+639170002001"), body)
    assert made is not None and made.category is not None, body
    assert made.category.code == code, body


@pytest.mark.parametrize("body", [
    # One word of each, and neither names the other: asked, never picked.
    "dog carcass near Catbangen plaza",
    "Catbangen: the canal is full of garbage",
])
def test_one_word_each_is_still_a_question(client, city, twilio, body):
    reply = Phone(client, "+639170002002").text(body)
    assert reply.startswith("Which problem is it?"), reply


def test_a_refinement_needs_the_refining_categorys_own_word(app, city):
    """Illegal dumping names garbage, but "garbage" alone never makes it dumping: the
    refinement only adds to a category the message names by its own words."""
    from cps.sms.understand import keyword_candidates

    codes = [c.code for c in keyword_candidates(city, "basura sa kanto")]
    assert codes == ["garbage"]
