"""Wakes workers after every commit that added outbox rows, wherever the commit happened."""

from sqlalchemy import event
from sqlalchemy.orm import Session

from cps.notify.models import Outbox

KEY = "cps_new_outbox"
_installed = []


def install() -> None:
    """Listen on every session: collect new Outbox ids, wake workers once they are committed."""
    if _installed:
        return
    _installed.append(True)

    @event.listens_for(Session, "after_flush")
    def _collect(session, _flush_context):
        ids = [obj.id for obj in session.new if isinstance(obj, Outbox)]
        if ids:
            session.info.setdefault(KEY, []).extend(ids)

    @event.listens_for(Session, "after_commit")
    def _wake(session):
        ids = session.info.pop(KEY, None)
        if ids:
            from cps.jobs.queue import wake

            wake(ids)

    @event.listens_for(Session, "after_rollback")
    def _forget(session):
        session.info.pop(KEY, None)


def created(session, outbox_ids: list[int]) -> None:
    """Outbox rows inserted without the ORM: wake workers for them after the commit too."""
    if outbox_ids:
        session.info.setdefault(KEY, []).extend(outbox_ids)
