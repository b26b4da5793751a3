"""Shipped SMS texts stay within two segments in every shipped locale."""

import pytest
from sqlalchemy import select

from cps.complaints.models import Channel
from cps.complaints.services import submit_complaint
from cps.complaints.states import State
from cps.config import SUPPORTED_LOCALES
from cps.extensions import db
from cps.notify.messages import TEMPLATES, render
from cps.notify.models import Outbox
from cps.notify.segments import count_segments

SMS_TEMPLATES = ["received", "state_changed"]


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("template", SMS_TEMPLATES)
def test_sms_texts_fit_two_segments(city, locale, template):
    assert template in TEMPLATES
    c = submit_complaint(city, Channel.SMS, {
        "category": "flooding", "description": "baha", "location_text": "Dallangayan Oeste"})
    c.state = State.IN_PROGRESS
    row = Outbox(city_id=city.id, complaint_id=c.id, channel="sms", template=template,
                 locale=locale, payload={"public_text": "x" * 40})
    db.session.add(row)
    db.session.flush()
    subject, body = render(db.session.scalar(select(Outbox).where(Outbox.id == row.id)))
    assert c.reference in body
    assert count_segments(body).segments <= 2, body


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_shipped_sms_text_fits_two_segments_once_filled_in(app, locale):
    """Every text sent by SMS, notice or reply, with values of a typical length."""
    from flask_babel import force_locale

    from cps.notify.wording import SAMPLE, WORDINGS, fill

    sms = {key: w for key, w in WORDINGS.items() if w.max_segments}
    assert {"sms.status", "sms.not_found", "sms.help", "notice.received"} <= set(sms)
    with app.test_request_context(), force_locale(locale):
        for key, wording in sms.items():
            text = fill(str(wording.default), wording, SAMPLE)
            assert wording.max_segments == 2
            assert count_segments(text).segments <= 2, (key, text)
