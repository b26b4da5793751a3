"""Jobs: they take ids, re-check state in the database, and are safe to run twice."""

import logging
from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from cps.complaints.storage import clean_pending
from cps.db import utcnow
from cps.extensions import db
from cps.jobs.escalation import escalate_overdue
from cps.jobs.queue import mode, wake
from cps.jobs.retention import anonymise_closed_complaints
from cps.notify.delivery import deliver, due_ids
from cps.notify.models import JobRun

log = logging.getLogger(__name__)
RETENTION_EVERY = timedelta(days=1)
DAILY_EVERY = timedelta(days=1)
DAILY_KEY = "cps_daily_jobs"


def deliver_job(outbox_id: int):
    """Deliver one outbox row (a no-op if it was sent, is dead, or another worker has it)."""
    try:
        state = deliver(outbox_id)
    finally:
        db.session.remove()
    return state.value if state else None


def sweep() -> list[int]:
    """Wake workers for every row that is due (new, to retry, or left by a dead worker)."""
    ids = due_ids(current_app.config["SWEEP_BATCH"])
    if mode() == "rq":
        wake(ids)
    return ids


def run_periodic() -> dict:
    """The scheduler's other work: escalating overdue complaints, handling again the inbound
    SMS whose handling failed, filing expired SMS reports to triage; retention, the removal of
    photos whose forms were never sent and the daily work features registered (register_daily),
    once a day."""
    done = {"escalated": escalate_overdue()}
    from cps.sms.conversation import expire_conversations
    from cps.sms.inbound import retry_unhandled

    done["sms_handled_again"] = retry_unhandled()
    done["sms_reports_to_triage"] = expire_conversations()
    db.session.commit()
    last = db.session.scalar(select(func.max(JobRun.started_at)).where(
        JobRun.name == "retention"))
    if last is None or last < utcnow() - RETENTION_EVERY:
        done["retention"] = anonymise_closed_complaints().details
        done["pending_photos_removed"] = clean_pending(
            current_app.config["PENDING_PHOTO_HOURS"])
    for name, work in current_app.extensions.get(DAILY_KEY, {}).items():
        if _due(name):
            done[name] = _run_daily(name, work)
    return done


def register_daily(app, name: str, work: Callable[[], dict]) -> None:
    """Have the scheduler run `work` once a day, recorded as a JobRun called `name`.

    Features register their work from create_app, so that jobs need not import them."""
    app.extensions.setdefault(DAILY_KEY, {})[name] = work


def _due(name: str) -> bool:
    last = db.session.scalar(select(func.max(JobRun.started_at)).where(JobRun.name == name))
    return last is None or last < utcnow() - DAILY_EVERY


def _run_daily(name: str, work: Callable[[], dict]) -> dict:
    """Run `work` and record it; a failure is logged and recorded too, so that it is tried
    again tomorrow rather than on every round of the scheduler."""
    run = JobRun(name=name, details={})
    db.session.add(run)
    db.session.commit()
    try:
        details = work()
    except Exception as error:
        log.exception("daily job %s failed", name)
        db.session.rollback()
        details = {"error": type(error).__name__}
    run.details, run.finished_at = details, utcnow()
    db.session.commit()
    return details
