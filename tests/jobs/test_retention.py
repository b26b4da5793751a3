"""Retention anonymises reporters of long-closed complaints, keeps the rest, and is idempotent."""

from datetime import timedelta

from sqlalchemy import select

from cps.complaints.models import Channel, Complaint
from cps.complaints.services import submit_complaint
from cps.complaints.states import State
from cps.db import utcnow
from cps.extensions import db
from cps.jobs.retention import anonymise_closed_complaints
from cps.jobs.tasks import run_periodic
from cps.notify.models import JobRun, Outbox


def closed(city, days_ago: int) -> Complaint:
    c = submit_complaint(city, Channel.WEB, {
        "category": "garbage", "description": "basura", "location_text": "Poro",
        "reporter_name": "Juan dela Cruz", "reporter_email": "juan@example.ph", "notify": True,
        "reporter_phone": "09171234567"})
    c.state, c.closed_at = State.CLOSED, utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return c


def test_old_closed_complaints_lose_their_reporters_contact(city):
    old, recent = closed(city, 800), closed(city, 100)
    events = len(old.events)
    run = anonymise_closed_complaints()
    db.session.expire_all()
    assert (old.reporter_name, old.reporter_phone, old.reporter_email) == (None, None, None)
    assert recent.reporter_email == "juan@example.ph"
    assert old.description == "basura" and len(old.events) == events
    assert all(r.recipient is None for r in db.session.scalars(
        select(Outbox).where(Outbox.complaint_id == old.id)))
    assert run.details[city.slug] == 1 and run.finished_at is not None


def test_supporters_of_old_closed_complaints_lose_their_contact_too(city):
    from cps.complaints.citizen import add_supporter

    c = submit_complaint(city, Channel.WEB, {
        "category": "garbage", "description": "basura", "location_text": "Poro"})
    supporter = add_supporter(c, Channel.SMS, {"name": "Ana", "phone": "09181234567"})
    c.state, c.closed_at = State.CLOSED, utcnow() - timedelta(days=800)
    db.session.commit()
    assert anonymise_closed_complaints().details[city.slug] == 1
    db.session.expire_all()
    assert (supporter.name, supporter.phone, supporter.email) == (None, None, None)
    assert anonymise_closed_complaints().details[city.slug] == 0


def test_a_city_may_keep_contacts_for_less_time(city):
    city.settings = {**city.settings, "RETENTION_DAYS": 30}
    c = closed(city, 100)
    anonymise_closed_complaints()
    db.session.expire_all()
    assert c.reporter_email is None


def test_running_twice_changes_nothing_more(city):
    closed(city, 800)
    anonymise_closed_complaints()
    assert anonymise_closed_complaints().details[city.slug] == 0
    assert len(db.session.scalars(select(JobRun).where(JobRun.name == "retention")).all()) == 2


def test_the_scheduler_runs_retention_once_a_day(city):
    assert "retention" in run_periodic()
    assert "retention" not in run_periodic()


def test_old_sms_lose_their_phone_numbers_but_keep_their_text(city):
    from cps.sms.models import InboundSms, SmsConversation

    old = InboundSms(city_id=city.id, provider="twilio", provider_id="SMold",
                     from_number="+639171234567", body="basura sa Poro",
                     created_at=utcnow() - timedelta(days=800))
    new = InboundSms(city_id=city.id, provider="twilio", provider_id="SMnew",
                     from_number="+639171234567", body="basura")
    talk = SmsConversation(city_id=city.id, phone="+639171234567", step="awaiting_location",
                           locale="fil", expires_at=utcnow(), closed_at=utcnow(),
                           created_at=utcnow() - timedelta(days=800))
    db.session.add_all([old, new, talk])
    db.session.commit()
    assert anonymise_closed_complaints().details["sms_numbers_cleared"] == 2
    db.session.expire_all()
    assert (old.from_number, old.body, talk.phone) == (None, "basura sa Poro", None)
    assert new.from_number == "+639171234567"
    assert anonymise_closed_complaints().details["sms_numbers_cleared"] == 0
