"""Jobs: they take ids, re-check state in the database, and are safe to run twice."""

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

RETENTION_EVERY = timedelta(days=1)


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
    """The scheduler's other work: escalating overdue complaints, filing expired SMS reports to
    triage; retention and the removal of photos whose forms were never sent, once a day."""
    done = {"escalated": escalate_overdue()}
    from cps.sms.conversation import expire_conversations

    done["sms_reports_to_triage"] = expire_conversations()
    db.session.commit()
    last = db.session.scalar(select(func.max(JobRun.started_at)).where(
        JobRun.name == "retention"))
    if last is None or last < utcnow() - RETENTION_EVERY:
        done["retention"] = anonymise_closed_complaints().details
        done["pending_photos_removed"] = clean_pending(
            current_app.config["PENDING_PHOTO_HOURS"])
    return done
