"""Delivering the outbox through each transport, with retries, backoff and dead letters."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from cps.complaints.models import Channel
from cps.complaints.services import submit_complaint
from cps.db import utcnow
from cps.extensions import db
from cps.notify.delivery import backoff_s, claim, deliver, scrub
from cps.notify.models import Outbox, OutboxState
from tests.fakes import FakeSMTP, FakeTwilio


@pytest.fixture
def twilio(app, monkeypatch):
    fake = FakeTwilio()
    for key, value in {"SMS_TRANSPORT": "twilio", "TWILIO_API_URL": fake.url,
                       "TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "secret",
                       "TWILIO_FROM": "+15005550006"}.items():
        monkeypatch.setitem(app.config, key, value)
    yield fake
    fake.close()


@pytest.fixture
def smtp(app, monkeypatch):
    fake = FakeSMTP()
    monkeypatch.setitem(app.config, "EMAIL_TRANSPORT", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", fake.port)
    yield fake
    fake.close()


def complaint(city, **fields):
    base = {"category": "garbage", "description": "Hindi nakolekta ang basura",
            "location_text": "Poro"}
    return submit_complaint(city, Channel.WEB, {**base, **fields})


def sms_row(city, locale="en") -> Outbox:
    c = complaint(city) if city.slug != "pokhara" else complaint(
        city, category="garbage", description="फोहोर उठेन", location_text="वडा नं. ६")
    row = Outbox(city_id=city.id, complaint_id=c.id, channel="sms", recipient="+639171234567",
                 template="received", locale=locale)
    db.session.add(row)
    db.session.commit()
    return row


def rows_of(c, template):
    return db.session.scalars(select(Outbox).where(Outbox.complaint_id == c.id,
                                                   Outbox.template == template)).all()


def test_the_database_transport_keeps_the_message_for_staff(city):
    c = complaint(city, reporter_email="juan@example.ph", notify=True)
    db.session.commit()
    for row in db.session.scalars(select(Outbox).where(Outbox.complaint_id == c.id)):
        assert deliver(row.id) == OutboxState.SENT
    received = rows_of(c, "received")[0]
    assert received.provider_id.startswith("db-") and c.reference in received.subject
    department = rows_of(c, "department_new")[0]
    assert "Hindi nakolekta ang basura" in department.body and "Poro" in department.body


def test_messages_are_rendered_in_the_recipients_language(city):
    row = sms_row(city, locale="fil")
    deliver(row.id)
    assert row.body.startswith("Salamat") and row.body != row.subject


def test_sms_goes_through_twilio_once_with_its_segments(city, twilio):
    row = sms_row(city)
    assert deliver(row.id) == OutboxState.SENT
    assert deliver(row.id) is None
    assert len(twilio.requests) == 1
    sent = twilio.requests[0]
    assert sent["To"] == "+639171234567" and sent["From"] == city.sms_number
    assert row.provider_id.startswith("SM") and row.segments == 1
    assert sent["Body"] == row.body


def test_each_citys_sms_leave_from_its_own_number(city, pokhara, twilio):
    """Two cities on one install: a notice leaves from the number of the complaint's city, so
    that an answer to it ("5", "STATUS") comes back to that city."""
    rows = [sms_row(city), sms_row(pokhara, locale="ne")]
    for row in rows:
        assert deliver(row.id) == OutboxState.SENT
    assert [r["From"] for r in twilio.requests] == ["+639175550143", "+97761555010"]


def test_a_city_without_a_number_uses_the_installs_default_sender(city, twilio, app,
                                                                  monkeypatch):
    city.sms_number = None
    db.session.commit()
    assert deliver(sms_row(city).id) == OutboxState.SENT
    assert twilio.requests[-1]["From"] == "+15005550006"
    # The default may be a Twilio Messaging Service, which picks the number itself.
    monkeypatch.setitem(app.config, "TWILIO_FROM", "MG" + "a" * 32)
    assert deliver(sms_row(city).id) == OutboxState.SENT
    sent = twilio.requests[-1]
    assert sent["MessagingServiceSid"] == "MG" + "a" * 32 and "From" not in sent


def test_an_invalid_number_is_dead_at_once_without_the_number_in_the_error(city, twilio):
    twilio.responses.append((400, {"code": 21211, "status": 400, "message":
                                   "The 'To' number +639171234567 is not a valid phone number."}))
    row = sms_row(city)
    assert deliver(row.id) == OutboxState.DEAD
    assert "21211" in row.last_error and "9171234567" not in row.last_error


def test_a_provider_error_is_retried_later_with_backoff(city, twilio):
    twilio.responses.append((503, {"code": 20500, "status": 503, "message": "unavailable"}))
    row = sms_row(city)
    assert deliver(row.id) == OutboxState.FAILED
    assert row.attempts == 1 and row.next_attempt_at > utcnow() + timedelta(seconds=20)
    assert deliver(row.id) is None
    row.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert deliver(row.id) == OutboxState.SENT and row.attempts == 2


def test_nothing_is_retried_forever(city, twilio, app, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 3)
    twilio.responses.extend([(500, {"message": "boom", "status": 500})] * 3)
    row = sms_row(city)
    for _ in range(3):
        row.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        deliver(row.id)
    assert row.state == OutboxState.DEAD and "gave up after 3 attempts" in row.last_error


def test_backoff_doubles_and_is_capped(app):
    assert 24 <= backoff_s(1) <= 36 and 48 <= backoff_s(2) <= 72
    assert backoff_s(30) <= 3600 * 1.2


def test_an_unreachable_provider_is_a_temporary_failure(city, app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_TRANSPORT", "twilio")
    monkeypatch.setitem(app.config, "TWILIO_API_URL", "http://127.0.0.1:9")
    monkeypatch.setitem(app.config, "TWILIO_ACCOUNT_SID", "AC" + "0" * 32)
    row = sms_row(city)
    assert deliver(row.id) == OutboxState.FAILED and "unreachable" in row.last_error


def test_a_row_claimed_by_a_worker_that_died_is_sent_after_its_lease(city, twilio):
    row = sms_row(city)
    assert claim(row.id)
    assert deliver(row.id) is None
    row.claimed_at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    assert deliver(row.id) == OutboxState.SENT and len(twilio.requests) == 1


def test_email_goes_through_smtp(city, smtp):
    c = complaint(city, reporter_email="juan@example.ph", notify=True)
    db.session.commit()
    row = rows_of(c, "received")[0]
    assert deliver(row.id) == OutboxState.SENT
    assert smtp.messages[0]["to"] == ["juan@example.ph"]
    assert c.reference in smtp.messages[0]["data"]


def test_a_refused_recipient_is_dead(city, smtp):
    smtp.refuse.add("nobody@example.ph")
    c = complaint(city, reporter_email="nobody@example.ph", notify=True)
    db.session.commit()
    assert deliver(rows_of(c, "received")[0].id) == OutboxState.DEAD


def test_an_smtp_relay_that_is_down_is_retried(city, app, monkeypatch):
    monkeypatch.setitem(app.config, "EMAIL_TRANSPORT", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", 9)
    c = complaint(city, reporter_email="juan@example.ph", notify=True)
    db.session.commit()
    assert deliver(rows_of(c, "received")[0].id) == OutboxState.FAILED


def test_errors_lose_phone_numbers():
    assert scrub("To +63 917 123 4567 failed; 0917-123-4567 too") == \
        "To [number] failed; [number] too"
