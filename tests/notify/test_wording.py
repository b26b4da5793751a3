"""A city's own wording of every text it sends (SMS replies, notices, e-mails to departments) and
of the names its pages and messages use (states, the complaints desk), per language."""

import re

from sqlalchemy import select

from cps.cities.models import City
from cps.cities.packs.service import load_pack
from cps.complaints.states import State
from cps.extensions import db
from cps.notify.messages import render
from cps.notify.models import Outbox
from cps.notify.wording import WORDINGS
from tests.cities.packs import PackCopy
from tests.complaints.web import hidden
from tests.staff.people import Role, complaint, sign_in, staff


def _admin(client, city) -> str:
    sign_in(client, staff(city, Role.ADMIN))
    return hidden(client.get("/staff/admin/messages").get_data(as_text=True), "csrf_token")


def _save(client, token, **fields):
    return client.post("/staff/admin/messages", data={"csrf_token": token, **fields})


def _rendered(made, template, locale):
    row = Outbox(city_id=made.city_id, complaint_id=made.id, channel="email", template=template,
                 locale=locale, payload={})
    db.session.add(row)
    db.session.flush()
    return render(row)


def test_the_admin_page_offers_every_text_in_every_city_language(client, city):
    _admin(client, city)
    page = client.get("/staff/admin/messages").get_data(as_text=True)
    fields = set(re.findall(r'name="([\w.]+:\w+)"', page))
    assert fields == {f"{key}:{locale}" for key in WORDINGS for locale in city.locales}
    # The texts the SMS replies, department e-mails and state names come from are all there.
    assert {"sms.not_found", "sms.status", "sms.slow_down", "staff.department_new",
            "staff.escalation.subject", "state.in_progress", "name.desk"} <= set(WORDINGS)
    assert 'maxlength="40"' in page


def test_a_city_renames_a_state_and_its_pages_and_messages_use_that_name(client, city):
    token = _admin(client, city)
    saved = _save(client, token, **{"state.in_progress:fil": "Inaasikaso na",
                                    "name.desk:en": "the City Action Center"})
    assert saved.status_code == 302
    made = complaint(city)
    made.state = State.IN_PROGRESS
    db.session.commit()
    assert client.post("/staff/logout", data={"csrf_token": token}).status_code == 302

    filipino = client.get(f"/san-fernando-la-union/track/{made.reference}?lang=fil")
    assert "Inaasikaso na" in filipino.get_data(as_text=True)
    english = client.get(f"/san-fernando-la-union/track/{made.reference}?lang=en")
    assert "In progress" in english.get_data(as_text=True)
    assert "Inaasikaso" not in english.get_data(as_text=True)

    subject, body = _rendered(made, "state_changed", "fil")
    assert "Inaasikaso na" in subject and "Inaasikaso na" in body

    # The desk's name, for a complaint that has no department yet.
    made.department_id = None
    db.session.commit()
    page = client.get(f"/san-fernando-la-union/track/{made.reference}?lang=en")
    assert "The City Action Center" in page.get_data(as_text=True)
    assert "the City Action Center" in _rendered(made, "received", "en")[1]

    # Another city on the same install keeps the shipped names.
    other = City(slug="pokhara", names={"en": "Pokhara"}, reference_prefix="PK",
                 default_locale="fil", locales=["fil"], timezone="Asia/Kathmandu",
                 country_code="NP")
    db.session.add(other)
    db.session.commit()
    from cps.i18n import city_context

    with client.application.test_request_context("/?lang=fil"), city_context(other):
        assert str(State.IN_PROGRESS.title) != "Inaasikaso na"


def test_a_city_rewords_the_e_mails_to_its_departments(client, city):
    token = _admin(client, city)
    body = ("Bagong reklamo %(ref)s para sa %(department)s.\n\n"
            "Lugar: %(place)s\nHanggang: %(date)s\n\n%(description)s")
    saved = _save(client, token, **{
        "staff.department_new.subject:en": "[CPS] %(ref)s %(category)s",
        "staff.department_new:en": body,
        "staff.escalation.subject:en": "LATE %(ref)s"})
    assert saved.status_code == 302
    made = complaint(city, description="Overflowing bins")
    row = db.session.scalar(select(Outbox).where(Outbox.complaint_id == made.id,
                                                  Outbox.template == "department_new"))
    subject, text = render(row)
    assert subject.startswith(f"[CPS] {made.reference} ")
    # The e-mail keeps its lines.
    assert text.startswith(f"Bagong reklamo {made.reference} para sa ")
    assert "\n\nLugar: " in text and text.endswith("Overflowing bins")
    assert _rendered(made, "escalation", "en")[0] == f"LATE {made.reference}"
    # Filipino keeps the shipped wording.
    assert not _rendered(made, "department_new", "fil")[0].startswith("[CPS]")


def test_names_stay_short_single_lines_and_a_refusal_saves_nothing(client, city):
    token = _admin(client, city)
    too_long = _save(client, token, **{"state.resolved:en": "x" * 41,
                                       "sms.rated:en": "Salamat, %(ref)s!"})
    assert too_long.status_code == 400
    assert "at most 40 characters" in too_long.get_data(as_text=True)
    missing_ref = _save(client, token, **{"sms.not_found:en": "Not found."})
    assert missing_ref.status_code == 400
    db.session.expire_all()
    assert not db.session.get(City, city.id).messages
    assert _save(client, token, **{"state.resolved:en": "  Fixed\n  at last "}).status_code == 302
    db.session.expire_all()
    assert db.session.get(City, city.id).messages == {"state.resolved": {"en": "Fixed at last"}}


def test_a_city_pack_carries_state_names_and_staff_e_mails(app, tmp_path):
    pack = PackCopy(tmp_path / "pack")
    pack.edit_settings(lambda settings: settings.update(messages={
        "state.resolved": {"fil": "Naayos na"},
        "staff.escalation.subject": {"en": "Overdue: %(ref)s"}}))
    city = load_pack(pack.path)[0]
    assert city.messages == {"state.resolved": {"fil": "Naayos na"},
                             "staff.escalation.subject": {"en": "Overdue: %(ref)s"}}
