"""Citizens hear of public changes by the channel they came by, unless they opted out."""

from cps.complaints.models import Channel
from cps.complaints.services import submit_complaint
from cps.extensions import db
from cps.notify.models import OptOut
from cps.notify.services import queue_state_change


def complaint(city, channel=Channel.WEB, **fields):
    base = {"category": "garbage", "description": "basura", "location_text": "Poro"}
    return submit_complaint(city, channel, {**base, **fields})


def test_sms_reporters_hear_by_sms(city):
    c = complaint(city, Channel.SMS, reporter_phone="09171234567", reporter_locale="fil")
    [row] = queue_state_change(c, "Nakolekta na.")
    assert (row.channel, row.recipient, row.locale) == ("sms", "+639171234567", "fil")
    assert row.payload == {"public_text": "Nakolekta na."}


def test_web_reporters_who_asked_hear_by_email(city):
    c = complaint(city, reporter_email="juan@example.ph", notify=True)
    assert [r.channel for r in queue_state_change(c, None)] == ["email"]


def test_web_reporters_who_did_not_ask_hear_nothing(city):
    assert queue_state_change(complaint(city, reporter_email="juan@example.ph"), None) == []


def test_an_opted_out_number_hears_nothing(city):
    db.session.add(OptOut(city_id=city.id, contact="+639171234567"))
    c = complaint(city, Channel.SMS, reporter_phone="+639171234567")
    assert queue_state_change(c, "done") == []


def test_supporters_who_asked_hear_too_and_each_address_once(city):
    from cps.complaints.citizen import add_supporter

    c = complaint(city, reporter_email="juan@example.ph", notify=True)
    add_supporter(c, Channel.WEB, {"email": "ana@example.ph", "notify": True, "locale": "fil"})
    add_supporter(c, Channel.WEB, {"phone": "09181234567"})  # did not ask
    add_supporter(c, Channel.SMS, {"phone": "09191234567"})  # came by SMS: told by SMS
    add_supporter(c, Channel.WEB, {"email": "juan@example.ph", "notify": True})  # the reporter
    rows = queue_state_change(c, "Tapos na.")
    assert sorted((r.channel, r.recipient, r.locale) for r in rows) == [
        ("email", "ana@example.ph", "fil"), ("email", "juan@example.ph", "en"),
        ("sms", "+639191234567", "en")]


# Receipts -------------------------------------------------------------------------------

def receipts(c):
    from sqlalchemy import select

    from cps.notify.models import Outbox

    return db.session.scalars(select(Outbox).where(Outbox.complaint_id == c.id,
                                                   Outbox.template == "received")).all()


def test_a_reporter_who_gave_only_a_phone_gets_the_receipt_by_sms(city):
    from cps.notify.delivery import deliver
    from cps.notify.segments import count_segments

    for channel in (Channel.WEB, Channel.PHONE, Channel.COUNTER, Channel.OPEN311):
        c = complaint(city, channel, reporter_phone="0917 123 4567", notify=True,
                      reporter_locale="fil")
        db.session.commit()
        [row] = receipts(c)
        assert (row.channel, row.recipient, row.locale) == ("sms", "+639171234567", "fil")
        deliver(row.id)
        assert c.reference in row.body and row.body.startswith("Salamat"), row.body
        assert count_segments(row.body).segments <= 2


def test_e_mail_first_and_nothing_unasked_or_after_stop(city):
    both = complaint(city, reporter_phone="09171234567", reporter_email="juan@example.ph",
                     notify=True)
    assert [r.channel for r in receipts(both)] == ["email"]
    assert receipts(complaint(city, reporter_phone="09171234567")) == []
    db.session.add(OptOut(city_id=city.id, contact="+639181234567"))
    db.session.flush()
    assert receipts(complaint(city, reporter_phone="09181234567", notify=True)) == []


def test_an_sms_reporter_has_the_receipt_as_the_reply_not_twice(city):
    c = complaint(city, Channel.SMS, reporter_phone="09171234567", notify=True)
    assert receipts(c) == []
