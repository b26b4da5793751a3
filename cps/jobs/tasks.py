"""Jobs: they take ids, re-check state in the database, and are safe to run twice."""

from flask import current_app

from cps.notify.delivery import deliver, due_ids


def deliver_job(outbox_id: int):
    """Deliver one outbox row (a no-op if it was sent, is dead, or another worker has it)."""
    from cps.extensions import db

    try:
        state = deliver(outbox_id)
    finally:
        db.session.remove()
    return state.value if state else None


def sweep() -> list[int]:
    """Wake workers for every row that is due (new, to retry, or left by a dead worker)."""
    from cps.jobs.queue import mode, wake

    ids = due_ids(current_app.config["SWEEP_BATCH"])
    if mode() == "rq":
        wake(ids)
    return ids
