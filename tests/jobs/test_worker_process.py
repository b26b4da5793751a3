"""`flask cps worker` as a real process: killed mid-job, the message is retried, sent once."""

import os
import subprocess
import sys
import time
import uuid

from sqlalchemy import select

from cps import PROJECT_ROOT
from cps.cities.models import City
from cps.complaints.models import Channel
from cps.complaints.services import submit_complaint
from cps.extensions import db
from cps.jobs.queue import rq_queue
from cps.jobs.tasks import sweep
from cps.notify.models import Outbox, OutboxState
from tests.fakes import FakeTwilio
from tests.jobs.test_rq import redis_server  # noqa: F401  (the session's Redis)


def settings(redis_url: str, twilio_url: str) -> dict:
    return {"JOBS_MODE": "rq", "REDIS_URL": redis_url, "QUEUE_PREFIX": uuid.uuid4().hex[:8],
            "SMS_TRANSPORT": "twilio", "TWILIO_API_URL": twilio_url, "TWILIO_FROM": "+15005550006",
            "TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "x",
            "OUTBOX_LEASE_S": 1, "PROVIDER_TIMEOUT": 30}


def production_env(app) -> dict:
    """The environment of a production process using the same database, Redis and Twilio."""
    env = {**os.environ, "CPS_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "CPS_INSTANCE_PATH": app.instance_path, "CPS_SECRET_KEY": "test",
           "CPS_ENV": "production"}
    env.update({f"CPS_{k}": str(v) for k, v in app.config.items()
                if k in settings("", "") and k != "JOBS_MODE"})
    return env


def start_worker(app, extra=()) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "cps", "worker",
                             *extra], cwd=PROJECT_ROOT, env=production_env(app),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def queue_sms() -> int:
    """File a complaint by SMS and queue the reporter's receipt; return the outbox row's id."""
    city = db.session.scalar(select(City))
    complaint = submit_complaint(city, Channel.SMS, {
        "category": "garbage", "description": "basura", "location_text": "Poro"})
    row = Outbox(city_id=city.id, complaint_id=complaint.id, channel="sms",
                 recipient="+639171234567", template="received", locale="en")
    db.session.add(row)
    db.session.flush()
    row_id = row.id
    db.session.commit()
    db.session.remove()  # hold no transaction (SQLite's write lock) while workers run
    return row_id


def test_a_worker_killed_mid_job_leaves_the_message_to_be_retried_once(live_app, redis_server):  # noqa: F811
    if redis_server.process is None:
        redis_server.start()
    twilio = FakeTwilio()
    app = live_app(**settings(redis_server.url, twilio.url))
    with app.app_context():
        row_id = queue_sms()
        twilio.stall_next = True
        first = start_worker(app)
        try:
            assert twilio.stalled.wait(60), "the worker never called the provider"
        finally:
            first.kill()
            first.wait()
        db.session.remove()
        assert db.session.get(Outbox, row_id).state == OutboxState.SENDING
        time.sleep(1.2)  # the lease of the dead worker's claim runs out
        assert row_id in sweep()
        assert rq_queue().count >= 1
        db.session.remove()
        second = start_worker(app, ["--burst"])
        assert second.wait(120) == 0
        db.session.remove()
        sent = db.session.get(Outbox, row_id)
        assert sent.state == OutboxState.SENT and sent.attempts == 2
    assert len(twilio.requests) == 1
    twilio.close()


def test_the_scheduler_hands_due_rows_to_the_workers(live_app, redis_server):  # noqa: F811
    if redis_server.process is None:
        redis_server.start()
    twilio = FakeTwilio()
    app = live_app(**settings(redis_server.url, twilio.url))
    with app.app_context():
        queue_sms()
        rq_queue().empty()  # as if Redis had lost the wake-up
        db.session.remove()
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "cps", "scheduler",
                           "--once"], cwd=PROJECT_ROOT, env=production_env(app),
                          capture_output=True, text=True, timeout=120)
    # The SMS to the citizen, and the e-mail to the department (kept in the database).
    assert done.returncode == 0 and "Handed out 2 outbox rows." in done.stdout, done.stderr
    assert start_worker(app, ["--burst"]).wait(120) == 0
    assert len(twilio.requests) == 1
    twilio.close()
