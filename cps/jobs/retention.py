"""Retention: reporters' contact details are anonymised some time after a complaint closed."""

import logging
from datetime import timedelta

from sqlalchemy import or_, select, update

from cps.cities.models import City
from cps.complaints.models import Complaint, Supporter
from cps.db import utcnow
from cps.extensions import db
from cps.notify.models import JobRun, Outbox
from cps.settings import city_setting
from cps.sms.models import InboundSms, SmsConversation

log = logging.getLogger(__name__)


def anonymise_closed_complaints() -> JobRun:
    """Clear the contact details of complaints closed longer ago than each city's period, and
    the phone numbers of SMS and SMS conversations older than it.

    The complaint, its public history and the message texts stay. Idempotent; the run is
    recorded in JobRun.
    """
    run = JobRun(name="retention", details={})
    db.session.add(run)
    cities = db.session.scalars(select(City)).all()
    details = {city.slug: _anonymise_city(city) for city in cities}
    details["sms_numbers_cleared"] = sum(_forget_sms_numbers(city) for city in cities)
    run.details = details
    run.finished_at = utcnow()
    db.session.commit()
    log.info("retention run %s: %s", run.id, run.details)
    return run


def _anonymise_city(city: City) -> int:
    cutoff = utcnow() - timedelta(days=city_setting(city, "RETENTION_DAYS"))
    closed = select(Complaint.id).where(
        Complaint.city_id == city.id, Complaint.closed_at.is_not(None),
        Complaint.closed_at < cutoff)
    ids = set(db.session.scalars(closed.where(or_(
        Complaint.reporter_name.is_not(None), Complaint.reporter_phone.is_not(None),
        Complaint.reporter_email.is_not(None)))).all())
    ids |= set(db.session.scalars(select(Supporter.complaint_id).where(
        Supporter.complaint_id.in_(closed), or_(
            Supporter.name.is_not(None), Supporter.phone.is_not(None),
            Supporter.email.is_not(None)))).all())
    if ids:
        quiet = {"synchronize_session": False}
        db.session.execute(update(Complaint).where(Complaint.id.in_(ids)).values(
            reporter_name=None, reporter_phone=None, reporter_email=None, show_name=False,
            notify=False, version=Complaint.version + 1).execution_options(**quiet))
        db.session.execute(update(Supporter).where(Supporter.complaint_id.in_(ids)).values(
            name=None, phone=None, email=None, notify=False).execution_options(**quiet))
        db.session.execute(update(Outbox).where(Outbox.complaint_id.in_(ids)).values(
            recipient=None).execution_options(**quiet))
    return len(ids)


def _forget_sms_numbers(city: City) -> int:
    """Clear the phone numbers of SMS older than the city's period (the texts stay)."""
    cutoff = utcnow() - timedelta(days=city_setting(city, "RETENTION_DAYS"))
    quiet = {"synchronize_session": False}
    cleared = db.session.execute(update(InboundSms).where(
        InboundSms.city_id == city.id, InboundSms.created_at < cutoff,
        InboundSms.from_number.is_not(None)).values(from_number=None).execution_options(
        **quiet)).rowcount
    cleared += db.session.execute(update(SmsConversation).where(
        SmsConversation.city_id == city.id, SmsConversation.created_at < cutoff,
        SmsConversation.closed_at.is_not(None), SmsConversation.phone.is_not(None))
        .values(phone=None).execution_options(**quiet)).rowcount
    return cleared
