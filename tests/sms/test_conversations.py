"""Whole SMS conversations in English and Filipino: file, complete, track, reopen, rate, stop."""

import re

from sqlalchemy import select

from cps.complaints.models import Channel, Complaint
from cps.complaints.states import State
from cps.complaints.workflow import change_state
from cps.extensions import db
from cps.notify.models import OptOut
from cps.notify.segments import count_segments
from cps.notify.services import queue_state_change
from tests.places import district

REF = re.compile(r"SF-[0-9A-Z]{7}")


def complaint_in(reply: str) -> Complaint:
    reference = REF.search(reply).group()
    return db.session.scalar(select(Complaint).where(Complaint.reference == reference))


def test_a_full_report_in_english_is_filed_at_once(phone):
    reply = phone.text("garbage near Catbangen plaza")
    complaint = complaint_in(reply)
    assert complaint.channel == Channel.SMS and complaint.category.code == "garbage"
    assert complaint.district_id == district("Catbangen").id
    assert complaint.reporter_phone == phone.number and complaint.reporter_locale == "en"
    assert "City Environment and Natural Resources Office" in reply
    assert f"STATUS {complaint.reference}" in reply
    assert count_segments(reply).segments <= 3


def test_a_full_report_in_filipino_is_answered_in_filipino(phone):
    reply = phone.text("baha sa Poro")
    complaint = complaint_in(reply)
    assert complaint.category.code == "flooding" and complaint.reporter_locale == "fil"
    assert complaint.department.name("fil") in reply and "Salamat" in reply


def test_a_missing_place_is_asked_for_then_filed(phone):
    assert "Saan" in phone.text("may basura dito, hindi nakolekta")
    complaint = complaint_in(phone.text("Catbangen"))
    assert complaint.district_id == district("Catbangen").id
    assert complaint.category.code == "garbage"


def test_an_ambiguous_place_is_asked_then_picked(phone):
    reply = phone.text("pothole in Narra")
    assert "1) Narra" in reply and "2) Narra" in reply
    name = re.search(r"2\) (Narra \w+)", reply).group(1)
    complaint = complaint_in(phone.text("2"))
    assert complaint.district.name == name


def test_a_missing_category_is_asked_then_filed(phone):
    reply = phone.text("Please come and look near Pindangan Ruins")
    assert "What is the problem?" in reply and "garbage" in reply
    complaint = complaint_in(phone.text("garbage"))
    assert complaint.category.code == "garbage" and "Pindangan" in complaint.description


def test_a_place_outside_the_city_is_explained_in_the_conversation(phone):
    phone.text("garbage everywhere")
    reply = phone.text("14.5995, 120.9842")
    assert "outside" in reply and "Where is it?" in reply


def test_status_of_a_reference_and_of_the_latest(phone, neighbour):
    complaint = complaint_in(phone.text("garbage near Catbangen plaza"))
    assert phone.text(f"STATUS {complaint.reference}").startswith(
        f"{complaint.reference}: Received")
    assert phone.text("status").startswith(complaint.reference)
    assert phone.text(f"status {complaint.reference.lower().replace('-', ' ')}").startswith(
        complaint.reference)
    other = neighbour.text(f"STATUS {complaint.reference}")  # public state only
    assert other.startswith(complaint.reference) and phone.number not in other


def test_status_of_unknown_and_other_city_references(phone):
    assert "no complaint" in phone.text("STATUS SF-0000000")
    assert "no complaint" in phone.text("STATUS XY-4K7Q2XB")
    assert "no complaint yet" in phone.text("STATUS")


def test_reopen_and_rate_only_by_the_reporter(phone, neighbour):
    complaint = complaint_in(phone.text("garbage near Catbangen plaza"))
    change_state(complaint, State.RESOLVED, public_text="Nakolekta na.")
    db.session.commit()
    assert "Only the person" in neighbour.text(f"REOPEN {complaint.reference} still here")
    assert "Only the person" in neighbour.text(f"RATE {complaint.reference} 1")
    assert "Please say why" in phone.text(f"REOPEN {complaint.reference}")
    assert "reopened" in phone.text(f"REOPEN {complaint.reference} it is still there")
    db.session.expire_all()
    assert complaint.state == State.REOPENED


def test_rating_by_command_or_by_a_bare_number(phone):
    first = complaint_in(phone.text("garbage near Catbangen plaza"))
    change_state(first, State.RESOLVED)
    db.session.commit()
    assert "1 (bad) to 5" in phone.text(f"RATE {first.reference} great")
    assert "Thank you for rating" in phone.text(f"RATE {first.reference} 4")
    assert "already rated" in phone.text(f"RATE {first.reference} 2")
    second = complaint_in(phone.text("pothole near Pindangan Ruins"))
    change_state(second, State.RESOLVED)
    db.session.commit()
    assert "Thank you for rating" in phone.text("5")
    db.session.expire_all()
    assert (first.rating, second.rating) == (4, 5)


def test_resolution_notice_by_sms_asks_for_a_rating(phone):
    complaint = complaint_in(phone.text("garbage near Catbangen plaza"))
    change_state(complaint, State.RESOLVED, public_text="Collected.")
    from cps.notify.messages import render
    from cps.notify.models import Outbox

    row = db.session.scalars(select(Outbox).where(
        Outbox.complaint_id == complaint.id, Outbox.channel == "sms")).all()[-1]
    assert f"RATE {complaint.reference}" in render(row)[1]


def test_stop_and_start(phone):
    complaint = complaint_in(phone.text("garbage near Catbangen plaza"))
    assert "no more messages" in phone.text("STOP")
    assert db.session.scalar(select(OptOut).where(OptOut.contact == phone.number))
    assert queue_state_change(complaint, "done") == []
    assert "again" in phone.text("start")
    assert len(queue_state_change(complaint, "done")) == 1


def test_stop_inside_a_sentence_is_a_complaint(phone):
    reply = phone.text("Stop the flooding in Poro please")
    assert complaint_in(reply).category.code == "flooding"
    assert db.session.scalar(select(OptOut)) is None


def test_lang_sets_the_reply_language(phone):
    assert "Filipino" in phone.text("LANG fil")
    assert "Salamat" in phone.text("garbage near Catbangen plaza")
    assert "en, fil" in phone.text("LANG xx")
    assert "English" in phone.text("wika en")


def test_filipino_command_words(phone):
    complaint = complaint_in(phone.text("basura sa Catbangen"))
    assert phone.text(f"KALAGAYAN {complaint.reference}").startswith(complaint.reference)
    assert "TULONG" not in phone.text("TULONG") and "STATUS" in phone.text("TULONG")


def test_help_empty_and_emoji_only_messages_get_help(phone):
    for body in ("HELP", "", "   ", "😀🙏🔥"):
        assert "STATUS" in phone.text(body)
    assert db.session.scalar(select(Complaint)) is None


def test_a_very_long_message_is_filed_and_the_reply_stays_short(phone):
    body = "garbage near Catbangen plaza. " + "Sobrang baho na. " * 100
    assert len(body) >= 1600
    reply = phone.text(body[:1600])
    assert complaint_in(reply) is not None and count_segments(reply).segments <= 3


def test_a_reply_follows_the_language_of_the_message(phone):
    complaint = complaint_in(phone.text("garbage near Catbangen plaza"))
    change_state(complaint, State.RESOLVED)
    db.session.commit()
    reply = phone.text(f"REOPEN {complaint.reference} hindi pa nakolekta ang basura")
    assert reply.startswith("Muling binuksan")


def test_a_whole_conversation_in_filipino(phone):
    asked = phone.text("may lubak sa Narra")
    assert "1) Narra" in asked and "Narra" in asked
    filed = phone.text("1")
    complaint = complaint_in(filed)
    assert filed.startswith("Salamat") and complaint.reporter_locale == "fil"
    assert phone.text(f"KALAGAYAN {complaint.reference}").startswith(
        f"{complaint.reference}: Natanggap")
    change_state(complaint, State.RESOLVED)
    db.session.commit()
    reopened = phone.text(f"BUKSAN {complaint.reference} nandiyan pa rin ang lubak")
    db.session.expire_all()
    assert complaint.state == State.REOPENED and complaint.reference in reopened
    change_state(complaint, State.RESOLVED)
    db.session.commit()
    assert phone.text(f"MARKA {complaint.reference} 4").startswith("Salamat")
    stopped = phone.text("TIGIL")
    assert "START" in stopped and db.session.scalar(select(OptOut).where(
        OptOut.contact == phone.number))


def test_coordinates_outside_the_city_in_the_first_message_are_explained(phone):
    reply = phone.text("garbage everywhere at 14.5995, 120.9842")
    assert reply.startswith("That place is outside City of San Fernando") and \
        "Where is it?" in reply
