"""Concurrent workers on a real, committed database: every message is sent exactly once."""

import threading

import pytest

from cps import create_app
from cps.cities.packs.service import load_pack
from cps.complaints.models import Channel
from cps.complaints.services import submit_complaint
from cps.extensions import db
from cps.notify.delivery import deliver, due_ids
from cps.notify.models import Outbox, OutboxState
from tests.conftest import DEMO_PACK, app_config, make_database
from tests.fakes import FakeTwilio

WORKERS, ROWS = 4, 12


@pytest.fixture
def live_app(backend, tmp_path, request):
    """An app on its own database where work really commits (no rolled-back transaction)."""
    fake = FakeTwilio()
    url = make_database(backend, tmp_path, request, f"cps_live_{abs(hash(request.node.name))}")
    app = create_app(app_config(
        tmp_path, url, SMS_TRANSPORT="twilio", TWILIO_API_URL=fake.url,
        TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN="x", TWILIO_FROM="+15005550006"))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        city, _changes, _warnings = load_pack(DEMO_PACK)
        for i in range(ROWS):
            c = submit_complaint(city, Channel.SMS, {
                "category": "garbage", "description": f"basura {i}", "location_text": "Poro"})
            db.session.add(Outbox(city_id=city.id, complaint_id=c.id, channel="sms",
                                  recipient="+639171234567", template="received", locale="fil"))
        db.session.commit()
    yield app, fake
    fake.close()
    with app.app_context():
        db.engine.dispose()


def test_concurrent_workers_send_each_message_once(live_app):
    app, fake = live_app
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
