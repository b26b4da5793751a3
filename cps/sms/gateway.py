"""Outbound SMS of cities with their own gateway: the gateway collects them over HTTP and says
whether it sent each; workers leave these rows alone."""

from sqlalchemy import select

from cps.cities.models import City
from cps.extensions import db
from cps.notify.channels import PermanentFailure, TemporaryFailure
from cps.notify.delivery import claimable_ids, prepare, record
from cps.notify.models import Outbox, OutboxState


def gateway_city_ids():
    """A subquery: the cities whose SMS leave through their own gateway."""
    return select(City.id).where(City.sms_gateway_secret_hash.is_not(None))


def collect(city: City, limit: int) -> list[Outbox]:
    """Claim and render up to `limit` due SMS of the city for its gateway; commits."""
    rows = []
    for outbox_id in claimable_ids(limit, city_id=city.id, channel="sms"):
        row = db.session.get(Outbox, outbox_id)
        if prepare(row) is None:
            record(row, PermanentFailure("the row names a template this version does not have"))
        else:
            rows.append(row)
    db.session.commit()
    return rows


def acknowledge(city: City, outbox_id: int, sent: bool, error: str, provider_id: str) -> bool:
    """Record the gateway's outcome for a message it collected; False if it is not one."""
    row = db.session.scalar(select(Outbox).where(
        Outbox.id == outbox_id, Outbox.city_id == city.id, Outbox.channel == "sms",
        Outbox.state == OutboxState.SENDING))
    if row is None:
        return False
    outcome = (provider_id[:128] or f"gateway-{row.id}") if sent else TemporaryFailure(
        f"gateway: {error[:500] or 'not sent'}")
    record(row, outcome)
    db.session.commit()
    return True
