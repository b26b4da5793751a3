"""The embedded default: no Redis, a thread in the web process delivers the outbox."""

import time

from sqlalchemy import select

from cps.cities.models import City
from cps.complaints.models import Channel
from cps.complaints.services import submit_complaint
from cps.extensions import db
from cps.jobs.queue import mode
from cps.notify.models import Outbox, OutboxState


def test_without_redis_the_embedded_runner_delivers_after_commit(live_app):
    app = live_app(JOBS_MODE="auto", REDIS_URL="", SWEEP_INTERVAL_S=60)
    with app.app_context():
        assert mode() == "thread"
        city = db.session.scalar(select(City))
        complaint = submit_complaint(city, Channel.WEB, {
            "category": "garbage", "description": "basura", "location_text": "Poro",
            "reporter_email": "juan@example.ph", "notify": True})
        db.session.commit()
        ids = db.session.scalars(select(Outbox.id).where(
            Outbox.complaint_id == complaint.id)).all()
        db.session.remove()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with app.app_context():
            found = set(db.session.scalars(select(Outbox.state).where(Outbox.id.in_(ids))))
            db.session.remove()
        if found == {OutboxState.SENT}:
            break
        time.sleep(0.1)
    assert len(ids) == 2 and found == {OutboxState.SENT}


def test_the_embedded_runner_stops_when_asked(live_app):
    from cps.jobs.runner import embedded_runner

    app = live_app(JOBS_MODE="thread")
    runner = embedded_runner(app)
    runner.start()
    runner.stop()
    assert not runner.thread.is_alive()
