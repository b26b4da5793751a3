"""Commands come first (STOP past the hourly limit and inside a conversation, a mistyped
command word before a reference), and a message that is no report opens no conversation."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cps.complaints.models import Complaint
from cps.db import utcnow
from cps.extensions import db
from cps.notify.models import OptOut, Outbox
from cps.sms.conversation import expire_conversations
from cps.sms.models import InboundSms, SmsConversation


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_stop_is_honoured_past_the_hourly_limit(phone, app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_MAX_PER_HOUR", 2)
    for i in range(4):
        phone.text(f"garbage near Catbangen plaza {i}")
    assert phone.text("STOP").startswith("You will get no more messages")
    assert db.session.scalar(select(OptOut.id).where(OptOut.contact == phone.number))
    stored = db.session.scalar(select(InboundSms).order_by(InboundSms.id.desc()).limit(1))
    assert stored.state == "replied"
    # START and HELP too; anything else stays unanswered.
    assert phone.text("START") and phone.text("HELP")
    assert phone.text("garbage near Catbangen plaza again") is None


def test_stop_inside_a_conversation_is_a_command_not_an_answer(phone):
    assert "Saan ito?" in phone.text("may basura dito")
    assert "START" in phone.text("STOP")
    assert db.session.scalar(select(OptOut.id).where(OptOut.contact == phone.number))
    conversation = db.session.scalar(select(SmsConversation))
    assert "STOP" not in conversation.data["description"]


@pytest.mark.parametrize("typed", ["STATSU", "STAUS", "Satus", "TRAKC"])
def test_a_mistyped_command_word_before_a_reference_is_the_command(phone, typed):
    phone.text("garbage near Catbangen plaza")
    reference = db.session.scalar(select(Complaint.reference))
    reply = phone.text(f"{typed} {reference}")
    assert reply.startswith(reference), reply
    assert count(Complaint) == 1 and count(SmsConversation) == 0


def test_a_mistyped_rate_and_reopen(phone):
    phone.text("garbage near Catbangen plaza")
    reference = db.session.scalar(select(Complaint.reference))
    # Understood as RATE and REOPEN: the complaint is not resolved yet, so both are refused
    # with the complaint's own reference, and neither starts a report.
    assert phone.text(f"RAET {reference} 5") == "You can rate a complaint once it is resolved."
    reply = phone.text(f"REOPNE {reference} still there")
    assert "reopen" in reply.lower() and "Where is it?" not in reply, reply
    assert count(Complaint) == 1 and count(SmsConversation) == 0


@pytest.mark.parametrize("body", ["hello", "Hi po", "ok thanks", "STATSU", "Stat please",
                                  "Magandang umaga po", "?? ok", "test"])
def test_a_message_with_no_problem_place_or_command_gets_help_not_a_conversation(phone, body):
    reply = phone.text(body)
    assert reply.startswith(("Text the problem and the place", "I-text ang problema")), reply
    assert count(SmsConversation) == 0 and count(Complaint) == 0
    # No message the citizen did not ask for, later.
    assert expire_conversations() == 0 and count(Outbox) == 0


def test_help_says_what_to_send_with_an_example(phone):
    reply = phone.text("hello")
    assert "problem" in reply and "place" in reply and "e.g." in reply


def test_a_problem_or_a_place_alone_still_starts_a_report(phone):
    assert "Where is it?" in phone.text("the streetlight is broken")
    phone2 = type(phone)(phone.client, "+639171110000")
    assert "What is the problem?" in phone2.text("Please come and look near Pindangan Ruins")
    assert count(SmsConversation) == 2


def test_an_expired_conversation_that_holds_nothing_is_closed_without_a_complaint(phone, city):
    db.session.add(SmsConversation(city_id=city.id, phone=phone.number, locale="en",
                                   step="awaiting_location",
                                   data={"description": "hmm", "locale": "en", "media": []},
                                   expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert expire_conversations() == 1
    assert count(Complaint) == 0 and count(Outbox) == 0
    assert db.session.scalar(select(SmsConversation.closed_at)) is not None
