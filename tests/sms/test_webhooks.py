"""The SMS webhooks: signatures, retries and races, unknown numbers, floods, the gateway."""

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cps import create_app
from cps.complaints.models import Complaint
from cps.db import utcnow
from cps.extensions import db
from cps.notify.delivery import due_ids
from cps.notify.models import Outbox, OutboxState
from cps.settings import ConfigError
from cps.sms.conversation import expire_conversations
from cps.sms.models import InboundSms, SmsConversation
from tests.sms.phone import CITY_NUMBER, TOKEN, Phone, reply_of, signed


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_an_unsigned_request_is_refused_and_not_stored(phone):
    assert phone.send("garbage near Catbangen plaza", headers={}).status_code == 403
    assert count(InboundSms) == 0


def test_a_forged_signature_is_refused(phone):
    params = {"From": phone.number, "To": CITY_NUMBER, "Body": "hi", "MessageSid": "SMx"}
    forged = signed("/sms/twilio", params, token="not-the-token")
    assert phone.send("hi", sid="SMx", headers=forged).status_code == 403


def test_a_tampered_body_is_refused(phone):
    params = {"From": phone.number, "To": CITY_NUMBER, "Body": "garbage in Poro",
              "MessageSid": "SM1", "NumMedia": "0", "AccountSid": "AC" + "0" * 32}
    headers = signed("/sms/twilio", params)
    tampered = phone.client.post("/sms/twilio", data={**params, "Body": "garbage in Lingsat"},
                                 headers=headers)
    assert tampered.status_code == 403 and count(InboundSms) == 0


def test_without_an_auth_token_nothing_is_accepted(phone, app, monkeypatch):
    monkeypatch.setitem(app.config, "TWILIO_AUTH_TOKEN", "")
    assert phone.send("garbage near Catbangen plaza").status_code == 403


def test_the_signature_is_checked_against_the_public_base_url(phone, app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://cps.example.ph")
    assert phone.send("garbage near Catbangen plaza").status_code == 403


def test_production_refuses_twilio_without_a_token(tmp_path):
    with pytest.raises(ConfigError):
        create_app({"ENV": "production", "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path),
                    "SMS_TRANSPORT": "twilio", "TWILIO_AUTH_TOKEN": ""})


def test_a_retried_delivery_makes_one_complaint_and_one_reply(phone):
    first = phone.send("garbage near Catbangen plaza", sid="SMretry")
    again = phone.send("garbage near Catbangen plaza", sid="SMretry")
    assert reply_of(first) and reply_of(again) is None
    assert count(Complaint) == 1 and count(InboundSms) == 1


def test_concurrent_deliveries_of_one_message_make_one_complaint(live_app):
    app = live_app(TWILIO_AUTH_TOKEN=TOKEN, BASE_URL="http://127.0.0.1:5000")

    def deliver(_):
        with app.app_context():
            return Phone(app.test_client()).send("garbage near Catbangen plaza", sid="SMrace")

    with ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(deliver, range(4)))
    assert [r.status_code for r in responses] == [200] * 4
    assert sum(reply_of(r) is not None for r in responses) == 1
    with app.app_context():
        assert count(Complaint) == 1 and count(InboundSms) == 1


def test_a_message_to_a_number_no_city_owns_is_kept_and_answered_404(phone):
    response = phone.send("garbage", to="+639990000000")
    assert response.status_code == 404
    [row] = db.session.scalars(select(InboundSms)).all()
    assert row.state == "unrouted" and row.city_id is None and row.body == "garbage"


@pytest.mark.parametrize("sender", ["", "not-a-number", "12"])
def test_a_malformed_sender_is_400(client, city, twilio, sender):
    assert Phone(client, sender).send("garbage near Catbangen plaza").status_code == 400


def test_a_flood_from_one_number_is_kept_but_not_answered(phone, app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_MAX_PER_HOUR", 3)
    replies = [phone.text(f"garbage near Catbangen plaza {i}") for i in range(6)]
    assert all(replies[:3]) and "wait" in replies[3] and replies[4:] == [None, None]
    assert count(InboundSms) == 6 and count(Complaint) == 3


def test_an_unfinished_report_goes_to_triage_when_it_expires(phone):
    phone.text("may basura dito")
    conversation = db.session.scalar(select(SmsConversation))
    conversation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert expire_conversations() == 1
    complaint = db.session.scalar(select(Complaint))
    assert complaint.department_id is None and complaint.category.code == "garbage"
    assert complaint.reporter_phone == phone.number
    notice = db.session.scalar(select(Outbox).where(Outbox.template == "text"))
    assert complaint.reference in notice.payload["text"] and notice.recipient == phone.number
    assert expire_conversations() == 0


def test_a_report_with_a_place_but_no_problem_still_reaches_triage(phone):
    phone.text("Please come and look near Pindangan Ruins")
    phone.text("I cannot say")
    conversation = db.session.scalar(select(SmsConversation))
    conversation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expire_conversations()
    complaint = db.session.scalar(select(Complaint))
    assert complaint.category is None and complaint.point is not None
    assert complaint.description.startswith("Please come and look near Pindangan Ruins")


def test_a_new_message_after_expiry_files_the_old_report_first(phone):
    phone.text("may basura dito")
    conversation = db.session.scalar(select(SmsConversation))
    conversation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    phone.text("pothole near Pindangan Ruins")
    assert count(Complaint) == 2


# The generic gateway ----------------------------------------------------------------------

@pytest.fixture
def gateway(city, runner):
    result = runner.invoke(args=["cps", "city", "gateway-secret", city.slug])
    assert result.exit_code == 0
    secret = result.output.strip().splitlines()[-1]
    assert city.sms_gateway_secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    return {"X-Gateway-Secret": secret}


def gateway_post(client, headers, message_id="g1", body="garbage near Catbangen plaza"):
    return client.post("/sms/gateway/san-fernando-la-union", headers=headers, data={
        "from": "+639171234567", "message": body, "sent_to": CITY_NUMBER,
        "message_id": message_id})


def test_the_gateway_needs_its_secret(client, gateway):
    assert gateway_post(client, {"X-Gateway-Secret": "wrong"}).status_code == 403
    assert gateway_post(client, {}).status_code == 403
    assert client.get("/sms/gateway/san-fernando-la-union/outbox").status_code == 403
    assert count(InboundSms) == 0


def test_the_gateway_files_and_its_reply_waits_to_be_collected(client, gateway):
    response = gateway_post(client, gateway)
    assert response.get_json() == {"status": "accepted", "reply_queued": True}
    assert gateway_post(client, gateway).get_json() == {"status": "duplicate"}
    assert count(Complaint) == 1
    reply = db.session.scalar(select(Outbox).where(Outbox.template == "text"))
    assert reply.id not in due_ids()  # workers leave it for the gateway
    collected = client.get("/sms/gateway/san-fernando-la-union/outbox",
                           headers=gateway).get_json()["messages"]
    assert [m["id"] for m in collected] == [reply.id] and "SF-" in collected[0]["message"]
    assert client.get("/sms/gateway/san-fernando-la-union/outbox",
                      headers=gateway).get_json()["messages"] == []
    ack = client.post(f"/sms/gateway/san-fernando-la-union/outbox/{reply.id}", headers=gateway,
                      data={"status": "sent", "provider_id": "android-17"})
    assert ack.status_code == 200
    db.session.expire_all()
    assert (reply.state, reply.provider_id) == (OutboxState.SENT, "android-17")


def test_a_failed_gateway_send_is_retried_later(client, gateway):
    gateway_post(client, gateway)
    [message] = client.get("/sms/gateway/san-fernando-la-union/outbox",
                           headers=gateway).get_json()["messages"]
    client.post(f"/sms/gateway/san-fernando-la-union/outbox/{message['id']}", headers=gateway,
                data={"status": "failed", "error": "no signal"})
    row = db.session.get(Outbox, message["id"])
    db.session.refresh(row)
    assert row.state == OutboxState.FAILED and "no signal" in row.last_error


def test_bad_gateway_acknowledgements(client, gateway):
    url = "/sms/gateway/san-fernando-la-union/outbox/999999"
    assert client.post(url, headers=gateway, data={"status": "sent"}).status_code == 404
    assert client.post(url, headers=gateway, data={"status": "maybe"}).status_code == 400
