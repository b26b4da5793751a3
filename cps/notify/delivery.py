"""Delivering outbox rows: at most once each, retried with backoff, dead after too many tries.

A row is claimed by one conditional UPDATE (pending/failed and due, or "sending" with a stale
claim -> sending): the database lets exactly one worker win it, on PostgreSQL and SQLite alike.
The claim is committed before the provider is called, and the outcome after.
"""

import logging
import random
import re
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, not_, or_, select, update

from cps.cities.models import City
from cps.db import utcnow
from cps.extensions import db
from cps.notify.channels import Message, PermanentFailure, TemporaryFailure, send
from cps.notify.messages import UnknownTemplate, render
from cps.notify.models import Outbox, OutboxState
from cps.notify.segments import count_segments, plain_for_sms

log = logging.getLogger(__name__)
NUMBER = re.compile(r"\+?\d[\d\s().-]{5,}\d")
RETRYABLE = (OutboxState.PENDING, OutboxState.FAILED)


def deliver(outbox_id: int) -> OutboxState | None:
    """Send one outbox row if it is due and nobody else has it; return its new state.

    No transaction is open while the provider is called (on SQLite it would hold the write
    lock for every other request): the message is read, the transaction ended, the provider
    called, and the outcome written in a transaction of its own.
    """
    if not claim(outbox_id):
        return None
    message = prepare(db.session.get(Outbox, outbox_id))
    db.session.commit()
    outcome = _send(message)
    row = db.session.get(Outbox, outbox_id)
    record(row, outcome)
    db.session.commit()
    return row.state


def _send(message: Message | None) -> str | Exception:
    """The provider's id for the message, or the failure."""
    if message is None:
        return PermanentFailure("the row names a template this version does not have")
    try:
        return send(message)
    except (PermanentFailure, TemporaryFailure) as exc:
        return exc


def record(row: Outbox, outcome: str | Exception) -> None:
    if isinstance(outcome, TemporaryFailure):
        _retry(row, outcome)
    elif isinstance(outcome, Exception):
        _finish(row, OutboxState.DEAD, outcome)
    else:
        row.provider_id = outcome
        _finish(row, OutboxState.SENT, None)


def prepare(row: Outbox) -> Message | None:
    """Render the row's message (kept on the row for staff to read); None if it cannot be."""
    if row.channel == "task":
        return Message(row.id, row.channel, None, "", "", row.template, dict(row.payload or {}),
                       row.complaint_id)
    try:
        row.subject, row.body = render(row)
    except UnknownTemplate:
        return None
    sender = None
    if row.channel == "sms":
        row.body = plain_for_sms(row.body)
        row.segments = count_segments(row.body).segments
        sender = sms_sender(db.session.get(City, row.city_id) if row.city_id else None)
    return Message(row.id, row.channel, row.recipient, row.subject, row.body, sender=sender)


def sms_sender(city: City | None) -> str | None:
    """The number (or Twilio Messaging Service) an SMS about the city leaves from: the city's
    own, so that an answer to a notice comes back to that city; TWILIO_FROM only for a city
    without one (the default of a one-city install)."""
    if city is not None and city.sms_number:
        return city.sms_number
    return current_app.config["TWILIO_FROM"] or None


def claim(outbox_id: int, for_gateway: bool = False) -> bool:
    """Take the row for sending; False when it is not due or another worker has it.

    Workers never take the SMS of cities that have their own gateway: the gateway collects
    those (`for_gateway`)."""
    now = utcnow()
    stale = now - timedelta(seconds=current_app.config["OUTBOX_LEASE_S"])
    mine = _gateway_rows() if for_gateway else not_(_gateway_rows())
    result = db.session.execute(
        update(Outbox).where(Outbox.id == outbox_id, _claimable(now, stale), mine)
        .values(state=OutboxState.SENDING, claimed_at=now, attempts=Outbox.attempts + 1)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def _claimable(now, stale):
    return or_(and_(Outbox.state.in_(RETRYABLE), Outbox.next_attempt_at <= now),
               and_(Outbox.state == OutboxState.SENDING, Outbox.claimed_at < stale))


def _gateway_rows():
    gateway_cities = select(City.id).where(City.sms_gateway_secret_hash.is_not(None))
    return and_(Outbox.channel == "sms", Outbox.city_id.in_(gateway_cities))


def due_ids(limit: int = 100) -> list[int]:
    """Ids of rows ready for delivery, oldest first (rows locked by others are skipped)."""
    now = utcnow()
    stale = now - timedelta(seconds=current_app.config["OUTBOX_LEASE_S"])
    query = (select(Outbox.id).where(_claimable(now, stale), not_(_gateway_rows()))
             .order_by(Outbox.next_attempt_at).limit(limit).with_for_update(skip_locked=True))
    ids = list(db.session.scalars(query))
    db.session.commit()
    return ids


def claimable_ids(limit: int, city_id: int, channel: str) -> list[int]:
    """Claim up to `limit` due rows of one city and channel for its gateway; their ids."""
    now = utcnow()
    stale = now - timedelta(seconds=current_app.config["OUTBOX_LEASE_S"])
    ids = list(db.session.scalars(
        select(Outbox.id).where(_claimable(now, stale), Outbox.city_id == city_id,
                                Outbox.channel == channel)
        .order_by(Outbox.next_attempt_at).limit(min(limit, 500))))
    return [i for i in ids if claim(i, for_gateway=True)]


def _finish(row: Outbox, state: OutboxState, error) -> None:
    row.state = state
    row.claimed_at = None
    if state == OutboxState.SENT:
        row.sent_at, row.last_error = utcnow(), None
    else:
        row.last_error = scrub(str(error))
        log.warning("outbox %s is dead: %s", row.id, row.last_error)


def _retry(row: Outbox, error) -> None:
    if row.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        _finish(row, OutboxState.DEAD, f"gave up after {row.attempts} attempts: {error}")
        return
    row.state, row.claimed_at, row.last_error = OutboxState.FAILED, None, scrub(str(error))
    row.next_attempt_at = utcnow() + timedelta(seconds=backoff_s(row.attempts))
    log.info("outbox %s failed (attempt %s), retrying", row.id, row.attempts)


def backoff_s(attempts: int) -> float:
    """Seconds before the next try: doubling from OUTBOX_BACKOFF_S, capped, with 20% jitter."""
    config = current_app.config
    base = min(config["OUTBOX_MAX_BACKOFF_S"], config["OUTBOX_BACKOFF_S"] * 2 ** (attempts - 1))
    return base * random.uniform(0.8, 1.2)


def scrub(text: str) -> str:
    """An error text without phone numbers (providers quote them; they must not be stored)."""
    return NUMBER.sub(_number_or_code, text)[:1000]


def _number_or_code(match: re.Match) -> str:
    # Seven digits or more is a phone number; fewer is an error code or a status.
    return "[number]" if sum(ch.isdigit() for ch in match.group()) >= 7 else match.group()
