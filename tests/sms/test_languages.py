"""SMS in a city's languages: Vietnamese conversations, and the city's own wording of replies."""

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
    # A digit that is not a decimal one ("²") is no choice, but a place name not found.
    other = Phone(client, "+639170000304")
    assert "1) Narra" in other.text("pothole in Narra")
    assert "“²”" in other.text("²")
    assert db.session.scalar(select(Complaint).where(
        Complaint.reporter_phone == other.number)) is None
