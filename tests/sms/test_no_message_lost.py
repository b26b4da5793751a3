"""No inbound SMS is lost when the database fails half-way through handling it: the message
stays stored, a provider's retry of it is handled, and the scheduler handles what nobody
retried. The database is made to fail for real, by a trigger that refuses the writes."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text, update

from cps.complaints.models import Complaint
from cps.db import utcnow
from cps.extensions import db
from cps.jobs.tasks import run_periodic
from cps.notify.models import Outbox
from cps.sms.inbound import retry_unhandled
from cps.sms.models import InboundSms, SmsConversation
from tests.sms.phone import CITY_NUMBER, TOKEN, Phone, reply_of


@pytest.fixture
def live(live_app):
    app = live_app(TWILIO_AUTH_TOKEN=TOKEN, BASE_URL="http://127.0.0.1:5000")
    with app.app_context():
        yield app


def count(model) -> int:
    value = db.session.scalar(select(func.count()).select_from(model))
    db.session.rollback()
    return value


@contextmanager
def refused(*writes: tuple[str, str]):
    """The database refuses these (operation, table) writes, e.g. ("INSERT", "complaint"),
    as a full disk or a dead server would, until the block ends."""
    engine = db.engine
    names = [f"cps_fault_{op.lower()}_{table}" for op, table in writes]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("CREATE OR REPLACE FUNCTION cps_fault() RETURNS trigger AS $$ "
                              "BEGIN RAISE EXCEPTION 'injected: could not write'; END $$ "
                              "LANGUAGE plpgsql"))
        for name, (op, table) in zip(names, writes, strict=True):
            if engine.dialect.name == "postgresql":
                conn.execute(text(f"CREATE TRIGGER {name} BEFORE {op} ON {table} "
                                  "FOR EACH ROW EXECUTE FUNCTION cps_fault()"))
            else:
                conn.execute(text(f"CREATE TRIGGER {name} BEFORE {op} ON {table} BEGIN "
                                  "SELECT RAISE(ABORT, 'injected: could not write'); END"))
    try:
        yield
    finally:
        db.session.rollback()
        with engine.begin() as conn:
            for name, (_op, table) in zip(names, writes, strict=True):
                on = f" ON {table}" if engine.dialect.name == "postgresql" else ""
                conn.execute(text(f"DROP TRIGGER {name}{on}"))


def age(seconds: int = 120) -> None:
    """Make every stored message older, as if the scheduler came by later."""
    db.session.execute(update(InboundSms).values(
        created_at=utcnow() - timedelta(seconds=seconds)))
    db.session.commit()


def stored() -> InboundSms:
    row = db.session.scalar(select(InboundSms).order_by(InboundSms.id.desc()).limit(1))
    db.session.refresh(row)
    return row


def test_a_failure_half_way_keeps_the_message_and_its_retry_is_handled(live):
    phone = Phone(live.test_client())
    with refused(("INSERT", "complaint")):
        first = phone.send("garbage near Catbangen plaza", sid="SMfault1")
    # The provider is answered (nothing for it to resend), and nothing is half-written.
    assert first.status_code == 200 and reply_of(first) is None
    assert count(Complaint) == 0 and count(SmsConversation) == 0
    row = stored()
    assert row.state == "failed" and row.attempts == 1 and row.body.startswith("garbage")
    # The provider's retry of the same message is handled now, once.
    again = phone.send("garbage near Catbangen plaza", sid="SMfault1")
    assert "SF-" in reply_of(again)
    assert reply_of(phone.send("garbage near Catbangen plaza", sid="SMfault1")) is None
    assert count(Complaint) == 1 and count(InboundSms) == 1 and stored().state == "replied"


def test_when_the_database_takes_no_writes_at_all_the_scheduler_answers_later(live):
    phone = Phone(live.test_client())
    with refused(("UPDATE", "inbound_sms"), ("INSERT", "complaint")):
        response = phone.send("baha sa Poro", sid="SMfault2")
    assert response.status_code == 200 and reply_of(response) is None
    assert stored().state == "received" and count(Complaint) == 0
    # Not before the webhook has had its chance (a message being handled is not taken).
    assert retry_unhandled() == 0
    age()
    done = run_periodic()
    assert done["sms_handled_again"] == 1
    [complaint] = db.session.scalars(select(Complaint)).all()
    assert complaint.category.code == "flooding" and complaint.reporter_phone == phone.number
    [reply] = db.session.scalars(select(Outbox).where(Outbox.template == "text")).all()
    assert reply.recipient == phone.number and complaint.reference in reply.payload["text"]
    assert reply.city_id == complaint.city_id
    # Once only: neither the scheduler again nor the provider's late retry repeats it.
    assert run_periodic()["sms_handled_again"] == 0
    assert reply_of(phone.send("baha sa Poro", sid="SMfault2")) is None
    assert count(Complaint) == 1
    assert len(db.session.scalars(select(Outbox).where(Outbox.template == "text")).all()) == 1


def test_a_message_that_always_fails_ends_dead_for_staff_not_retried_forever(live):
    live.config["SMS_INBOUND_MAX_ATTEMPTS"] = 3
    phone = Phone(live.test_client())
    with refused(("INSERT", "complaint")):
        phone.send("garbage near Catbangen plaza", sid="SMfault3")
        for _ in range(4):
            age()
            retry_unhandled()
    row = stored()
    assert row.state == "dead" and row.attempts == 3
    age()
    assert retry_unhandled() == 0 and count(Complaint) == 0


def test_the_gateway_retry_of_a_failed_message_is_handled(live):
    result = live.test_cli_runner().invoke(args=["cps", "city", "gateway-secret",
                                                 "san-fernando-la-union"])
    secret = result.output.strip().splitlines()[-1]
    client = live.test_client()
    post = {"from": "+639171234567", "message": "garbage near Catbangen plaza",
            "sent_to": CITY_NUMBER, "message_id": "gw-fault"}
    with refused(("INSERT", "complaint")):
        first = client.post("/sms/gateway/san-fernando-la-union",
                            headers={"X-Gateway-Secret": secret}, data=post)
    assert first.status_code == 200 and first.json["reply_queued"] is False
    again = client.post("/sms/gateway/san-fernando-la-union",
                        headers={"X-Gateway-Secret": secret}, data=post)
    assert again.json == {"status": "accepted", "reply_queued": True}
    third = client.post("/sms/gateway/san-fernando-la-union",
                        headers={"X-Gateway-Secret": secret}, data=post)
    assert third.json["status"] == "duplicate" and count(Complaint) == 1
