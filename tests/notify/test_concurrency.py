"""Concurrent workers on a real, committed database: every message is sent exactly once."""

import threading

import pytest
from sqlalchemy import select

from cps.cities.models import City
from cps.complaints.models import Channel
from cps.complaints.services import submit_complaint
from cps.extensions import db
from cps.notify.delivery import deliver, due_ids
from cps.notify.models import Outbox, OutboxState
from tests.fakes import FakeTwilio

WORKERS, ROWS = 4, 12


@pytest.fixture
def twilio_app(live_app):
    """A live app sending SMS through a fake Twilio, with ROWS messages waiting."""
    fake = FakeTwilio()
    app = live_app(SMS_TRANSPORT="twilio", TWILIO_API_URL=fake.url,
                   TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN="x",
                   TWILIO_FROM="+15005550006")
    with app.app_context():
        city = db.session.scalar(select(City))
        for i in range(ROWS):
            c = submit_complaint(city, Channel.SMS, {
                "category": "garbage", "description": f"basura {i}", "location_text": "Poro"})
            db.session.add(Outbox(city_id=city.id, complaint_id=c.id, channel="sms",
                                  recipient="+639171234567", template="received", locale="fil"))
        db.session.commit()
    yield app, fake
    fake.close()


def test_concurrent_workers_send_each_message_once(twilio_app):
    app, fake = twilio_app
    with app.app_context():
        ids = [i for i in due_ids() if db.session.get(Outbox, i).channel == "sms"]
    start = threading.Barrier(WORKERS)
    errors = []

    def worker():
        with app.app_context():
            start.wait()
            try:
                for outbox_id in ids:
                    deliver(outbox_id)
            except Exception as exc:  # noqa: BLE001  (reported to the test below)
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert len(ids) == ROWS and len(fake.requests) == ROWS
    with app.app_context():
        assert {db.session.get(Outbox, i).state for i in ids} == {OutboxState.SENT}
