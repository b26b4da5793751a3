"""Short-lived per-process copies of rows that every request reads and admins rarely change.

A worker keeps what `cached()` built for REFERENCE_CACHE_SECONDS (0: never kept). A change to a
watched model that goes through this process's sessions (flushed, committed or rolled back)
drops every copy at once, so the worker where an admin made a change sees it on its next
request; every other worker sees it when its copies expire. Values kept must be read-only
snapshots, never ORM objects (those belong to one session).
"""

import time
from itertools import chain

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

EXTENSION = "cps_reference_cache"
_CHANGED = "cps_reference_changed"
# The models whose rows some cache copies; see watch().
_watched: set[type] = set()
# Seconds from an arbitrary start; tests move it forward instead of waiting.
clock = time.monotonic


def cached(name: str, key, build):
    """build()'s value, kept under (name, key) in this process for REFERENCE_CACHE_SECONDS.

    `build` must not return None for something that exists: None is not kept, so that what
    was missing (a key just issued, a city just imported) is looked up again."""
    seconds = current_app.config["REFERENCE_CACHE_SECONDS"]
    if not seconds:
        return build()
    store = current_app.extensions.setdefault(EXTENSION, {})
    now = clock()
    found = store.get((name, key))
    if found is not None and found[0] > now:
        return found[1]
    value = build()
    if value is not None:
        store[(name, key)] = (now + seconds, value)
    return value


def refresh(name: str, key, build):
    """build()'s value, built now and kept as cached() keeps it."""
    current_app.extensions.get(EXTENSION, {}).pop((name, key), None)
    return cached(name, key, build)


def forget() -> None:
    """Drop every copy this process keeps for the current app."""
    if has_app_context():
        current_app.extensions.pop(EXTENSION, None)


def watch(*models: type) -> None:
    """Changes to rows of `models` made through this process drop the copies at once."""
    _watched.update(models)


def install() -> None:
    """Listen on every session for changes to watched models (once per process)."""
    if event.contains(Session, "after_flush", _flushed):
        return
    event.listen(Session, "after_flush", _flushed)
    event.listen(Session, "do_orm_execute", _bulk)
    event.listen(Session, "after_commit", _settled)
    event.listen(Session, "after_soft_rollback", _rolled_back)


def _flushed(session, _context) -> None:
    # Dropped at flush already: the same transaction must read its own changes.
    if _watched and any(type(obj) in _watched for obj in chain(
            session.new, session.dirty, session.deleted)):
        session.info[_CHANGED] = True
        forget()


def _bulk(state) -> None:
    """update(Category)... and delete(Holiday)... statements bypass the flush."""
    if (state.is_update or state.is_delete) and any(
            mapper.class_ in _watched for mapper in state.all_mappers):
        state.session.info[_CHANGED] = True
        forget()


def _settled(session) -> None:
    # Copies built from the changed rows before the commit could predate the last change.
    if session.info.pop(_CHANGED, False):
        forget()


def _rolled_back(session, previous) -> None:
    # Copies built inside the transaction may hold rows that were never committed.
    if session.info.get(_CHANGED):
        forget()
        if previous.parent is None:   # the whole transaction, not a savepoint, is over
            session.info.pop(_CHANGED)
