"""RQ on a real Redis: intake wakes workers, and work survives Redis being down or hung."""

import time
import uuid

import pytest
from rq import SimpleWorker
from sqlalchemy import select

from cps.complaints.models import Channel
from cps.complaints.services import submit_complaint
from cps.extensions import db
from cps.jobs.queue import redis_connection, rq_queue
from cps.jobs.tasks import sweep
from cps.notify.models import Outbox, OutboxState
from tests.servers import ThrowawayRedis


@pytest.fixture(scope="session")
def redis_server():
    server = ThrowawayRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def rq_app(app, redis_server, monkeypatch):
    if redis_server.process is None:
        redis_server.start()
    monkeypatch.setitem(app.config, "JOBS_MODE", "rq")
    monkeypatch.setitem(app.config, "REDIS_URL", redis_server.url)
    monkeypatch.setitem(app.config, "QUEUE_PREFIX", f"test-{uuid.uuid4().hex[:8]}")
    app.extensions.pop("cps_redis", None)
    yield app
    app.extensions.pop("cps_redis", None)


def intake(city) -> list[Outbox]:
    """File a complaint through the intake service and commit, as a view would."""
    complaint = submit_complaint(city, Channel.WEB, {
        "category": "garbage", "description": "basura", "location_text": "Poro",
        "reporter_email": "juan@example.ph", "notify": True})
    db.session.commit()
    return db.session.scalars(select(Outbox).where(Outbox.complaint_id == complaint.id)).all()


def states(ids) -> set:
    return set(db.session.scalars(select(Outbox.state).where(Outbox.id.in_(ids))))


def work_queue() -> None:
    SimpleWorker([rq_queue()], connection=redis_connection()).work(burst=True)


def test_intake_wakes_a_worker_through_rq(rq_app, city):
    ids = [r.id for r in intake(city)]
    assert rq_queue().count == len(ids) == 2
    work_queue()
    assert states(ids) == {OutboxState.SENT}


def test_queue_names_carry_the_install_prefix(rq_app):
    assert rq_queue().name == f"{rq_app.config['QUEUE_PREFIX']}:outbox"


def test_intake_succeeds_with_redis_down_and_all_is_delivered_after_restart(
        rq_app, city, redis_server):
    redis_server.stop()
    ids = [r.id for r in intake(city)]
    assert states(ids) == {OutboxState.PENDING}
    redis_server.start()
    assert set(sweep()) >= set(ids)
    work_queue()
    assert states(ids) == {OutboxState.SENT}


def test_a_hung_redis_does_not_hold_up_intake(rq_app, city, redis_server):
    redis_server.pause()
    try:
        started = time.monotonic()
        ids = [r.id for r in intake(city)]
        elapsed = time.monotonic() - started
    finally:
        redis_server.resume()
    # A functional bound (the Redis timeout is 0.5 s), not a speed figure.
    assert elapsed < 2
    assert states(ids) == {OutboxState.PENDING}
    sweep()
    work_queue()
    assert states(ids) == {OutboxState.SENT}
