"""Handling stored inbound messages exactly once each, and again when handling failed.

A message is stored (and committed) before it is handled. Handling claims it inside the
transaction that handles it (received or failed -> handling), so that two deliveries of one
message, or the webhook and the scheduler, never both act on it; if that transaction fails,
the claim rolls back with it and the message waits, "failed", for the scheduler, which handles
it again and sends the reply through the outbox. Nothing a citizen sent is dropped because the
database failed half-way.
"""

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from cps.cities.models import City
from cps.db import utcnow
from cps.extensions import db
from cps.notify.models import Outbox
from cps.sms.conversation import handle
from cps.sms.models import InboundSms

log = logging.getLogger(__name__)
UNHANDLED = ("received", "failed")
# Messages older than this are not answered any more: the citizen has moved on.
RETRY_WINDOW = timedelta(days=2)


class Outcome:
    """What handling a stored message came to."""

    def __init__(self, handled: bool, reply: str | None = None):
        self.handled, self.reply = handled, reply


def handle_stored(city: City, inbound_id: int) -> Outcome:
    """Claim and handle one stored message; Outcome(False) when it was handled already (or by
    someone else meanwhile), or when handling failed (it is then left for the scheduler)."""
    try:
        claimed = db.session.execute(
            update(InboundSms).where(InboundSms.id == inbound_id,
                                     InboundSms.state.in_(UNHANDLED))
            .values(state="handling").execution_options(synchronize_session=False)).rowcount
        if not claimed:
            db.session.rollback()
            return Outcome(False)
        inbound = db.session.get(InboundSms, inbound_id)
        db.session.refresh(inbound)
        reply = handle(city, inbound)
        db.session.commit()
        return Outcome(True, reply)
    except Exception:
        db.session.rollback()
        log.exception("SMS: handling inbound message %s failed; it will be tried again",
                      inbound_id)
        _failed(inbound_id)
        return Outcome(False)


def _failed(inbound_id: int) -> None:
    """Count the failure (best effort: the database may be what failed)."""
    limit = current_app.config["SMS_INBOUND_MAX_ATTEMPTS"]
    try:
        inbound = db.session.get(InboundSms, inbound_id)
        inbound.attempts = (inbound.attempts or 0) + 1
        inbound.state = "dead" if inbound.attempts >= limit else "failed"
        db.session.commit()
        if inbound.state == "dead":
            log.error("SMS: inbound message %s failed %s times; kept, not tried again", inbound_id,
                      limit)
    except Exception:
        db.session.rollback()
        log.exception("SMS: could not record the failure of inbound message %s", inbound_id)


def queue_reply(city: City, inbound_id: int, reply: str) -> None:
    """Send a reply through the outbox (from the city's number), for a message not answered
    in its webhook's response."""
    inbound = db.session.get(InboundSms, inbound_id)
    db.session.add(Outbox(city_id=city.id, complaint_id=inbound.complaint_id, channel="sms",
                          recipient=inbound.from_number, template="text",
                          payload={"text": reply}))
    db.session.commit()


def retry_unhandled(limit: int = 100) -> int:
    """Handle again every stored message whose handling failed or never finished (a crash
    between storing and handling), oldest first; the replies go through the outbox."""
    config = current_app.config
    now = utcnow()
    rows = db.session.execute(select(InboundSms.id, InboundSms.city_id).where(
        InboundSms.state.in_(UNHANDLED), InboundSms.city_id.is_not(None),
        InboundSms.created_at < now - timedelta(seconds=config["SMS_INBOUND_RETRY_AFTER_S"]),
        InboundSms.created_at > now - RETRY_WINDOW)
        .order_by(InboundSms.created_at, InboundSms.id).limit(limit)).all()
    db.session.rollback()
    handled = 0
    for inbound_id, city_id in rows:
        city = db.session.get(City, city_id)
        outcome = handle_stored(city, inbound_id)
        if outcome.handled:
            handled += 1
            if outcome.reply:
                queue_reply(city, inbound_id, outcome.reply)
    return handled
