"""MMS photos: fetched by a job from the provider, size-limited, stripped, attached; GPS used."""

import base64
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from cps.complaints.models import Complaint
from cps.complaints.storage import path_of
from cps.db import utcnow
from cps.extensions import db
from cps.notify.delivery import deliver
from cps.notify.models import Outbox, OutboxState
from cps.sms.conversation import expire_conversations
from cps.sms.models import SmsConversation
from tests.fakes import FakeTwilio
from tests.images import jpeg_with_gps, plain_jpeg
from tests.places import district, inside


@pytest.fixture
def media_server(app, monkeypatch):
    fake = FakeTwilio()
    monkeypatch.setitem(app.config, "TWILIO_API_URL", fake.url)
    monkeypatch.setitem(app.config, "TWILIO_ACCOUNT_SID", "AC" + "1" * 32)
    yield fake
    fake.close()


def fetch_task(complaint) -> Outbox:
    return db.session.scalar(select(Outbox).where(Outbox.complaint_id == complaint.id,
                                                  Outbox.template == "fetch_media"))


def filed(phone, body, media):
    phone.text(body, media=media)
    return db.session.scalar(select(Complaint).order_by(Complaint.id.desc()))


def test_an_mms_photo_is_fetched_stripped_and_attached(phone, media_server, app):
    media_server.media["/media/1"] = (200, jpeg_with_gps(*inside("Lingsat"), size=(2400, 1800)))
    complaint = filed(phone, "garbage near Catbangen plaza", [media_server.url + "/media/1"])
    task = fetch_task(complaint)
    assert task.state == OutboxState.PENDING
    assert deliver(task.id) == OutboxState.SENT
    db.session.expire_all()
    [photo] = complaint.photos
    with Image.open(path_of(photo)) as image:
        assert max(image.size) == 1600 and not image.getexif()
    expected = "Basic " + base64.b64encode(
        f"{app.config['TWILIO_ACCOUNT_SID']}:{app.config['TWILIO_AUTH_TOKEN']}".encode()).decode()
    assert media_server.media_auth == [expected]
    assert complaint.district_id == district("Catbangen").id  # the text placed it first


def test_the_photo_gps_places_a_report_that_had_no_place(phone, media_server):
    media_server.media["/m"] = (200, jpeg_with_gps(*inside("Lingsat")))
    phone.text("may basura dito", media=[media_server.url + "/m"])
    conversation = db.session.scalar(select(SmsConversation))
    conversation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expire_conversations()
    db.session.commit()
    complaint = db.session.scalar(select(Complaint))
    deliver(fetch_task(complaint).id)
    db.session.expire_all()
    assert complaint.district_id == district("Lingsat").id and len(complaint.photos) == 1


def test_oversized_broken_and_foreign_media_are_skipped(phone, media_server, app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_MAX_MEDIA_BYTES", 5000)
    media_server.media["/big"] = (200, plain_jpeg((2000, 2000)) + b"\0" * 10_000)
    media_server.media["/bad"] = (200, b"not a photo")
    urls = [media_server.url + "/big", media_server.url + "/bad",
            "http://169.254.169.254/latest/meta-data", media_server.url + "/gone"]
    complaint = filed(phone, "garbage near Catbangen plaza", urls)
    assert deliver(fetch_task(complaint).id) == OutboxState.SENT
    db.session.expire_all()
    assert complaint.photos == [] and len(media_server.media_auth) == 3


def test_a_media_server_error_is_retried(phone, media_server):
    media_server.media["/m"] = (503, b"busy")
    complaint = filed(phone, "garbage near Catbangen plaza", [media_server.url + "/m"])
    assert deliver(fetch_task(complaint).id) == OutboxState.FAILED
