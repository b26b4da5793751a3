"""Shipped SMS texts stay within two segments in every shipped locale."""

from datetime import date, timedelta

import pytest
from babel import Locale
from sqlalchemy import select

from cps.cities.formats import CALENDARS, format_day
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


def longest_date(locale: str) -> str:
    """The longest date SMS texts carry in `locale` (medium width), over a year, in every
    calendar a city may use."""
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(365)]
    return max((format_day(day, "medium", Locale.parse(locale), {"calendar": calendar})
                for day in days for calendar in CALENDARS), key=len)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_shipped_sms_text_fits_two_segments_once_filled_in(app, locale):
    """Every text sent by SMS, notice or reply, with values of a typical length and the
    language's longest date."""
    from flask_babel import force_locale

    from cps.notify.wording import SAMPLE, WORDINGS, fill

    sms = {key: w for key, w in WORDINGS.items() if w.max_segments}
    assert {"sms.status", "sms.not_found", "sms.help", "notice.received", "sms.confirm_place",
            "sms.confirm_place_again", "sms.ask_place_again", "sms.ask_category_choice",
            "sms.ask_category_menu", "sms.filed_unclear"} <= set(sms)
    values = dict(SAMPLE, date=longest_date(locale))
    assert len(values["date"]) >= 11  # e.g. "Sep 30, 2026", "17 Mangsir 2083"
    with app.test_request_context(), force_locale(locale):
        for key, wording in sms.items():
            text = fill(str(wording.default), wording, values)
            assert wording.max_segments == 2
            assert count_segments(text).segments <= 2, (key, text)


def _longest(rows, locale):
    return max(rows, key=lambda row: len(row.name(locale)))


@pytest.mark.parametrize("slug", ["san-fernando-la-union", "pokhara"])
def test_sms_texts_fit_two_segments_with_the_citys_longest_names(app, city, pokhara, slug):
    """The receipt, the status and the notice, in each of the city's languages, with the
    department and the category of the longest names (Pokhara's street lighting unit is 66
    Devanagari characters), on the language's longest date; Latin-script texts stay GSM-7."""
    from flask_babel import force_locale

    from cps.cities.models import Category, City, Department
    from cps.i18n import city_context
    from cps.notify.segments import is_gsm
    from cps.sms.replies import received, status

    the_city = db.session.scalar(select(City).where(City.slug == slug))
    departments = db.session.scalars(select(Department).where(
        Department.city_id == the_city.id)).all()
    categories = db.session.scalars(select(Category).where(
        Category.city_id == the_city.id)).all()
    place = "Dallangayan Oeste" if slug == "san-fernando-la-union" else "वडा नं. ६"
    for locale in the_city.locales:
        c = submit_complaint(the_city, Channel.SMS, {
            "category": _longest(categories, locale).code, "description": "x",
            "location_text": place, "reporter_locale": locale})
        c.department = _longest(departments, locale)
        c.state = State.IN_PROGRESS
        db.session.flush()
        with app.test_request_context(), force_locale(locale), city_context(the_city):
            texts = [received(c, locale), status(c, locale)]
        row = Outbox(city_id=the_city.id, complaint_id=c.id, channel="sms",
                     template="state_changed", locale=locale, payload={})
        db.session.add(row)
        db.session.flush()
        texts.append(render(row)[1])
        for text in texts:
            assert c.reference in text, text
            assert count_segments(text).segments <= 2, (locale, text)
            if locale in ("en", "fil", "ilo"):
                assert is_gsm(text), (locale, text)


def test_typographic_punctuation_is_sent_as_gsm_look_alikes(app):
    from cps.notify.segments import plain_for_sms
    from cps.sms.replies import fit

    text = "We could not find “Sto. Niño’s chapel” – give a barangay… Reply 1 or 2."
    assert count_segments(text).encoding == "UCS-2"
    assert count_segments(fit(text)).encoding == "GSM-7"
    assert fit(text) == ('We could not find "Sto. Niño\'s chapel" - give a barangay... '
                         "Reply 1 or 2.")
    # A text that needs UCS-2 anyway keeps its own punctuation.
    assert plain_for_sms("“फोहोर” उठेन") == "“फोहोर” उठेन"
    # Cut to fit, a GSM-7 text ends with three dots, not an ellipsis that would turn it UCS-2.
    cut = fit("garbage " * 80, max_segments=1)
    assert cut.endswith("...") and count_segments(cut).segments == 1
