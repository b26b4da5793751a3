"""A city's own languages beyond the catalogs: formats, its wording of messages, its overrides of
shipped translations, Vietnamese by SMS, and the translation commands."""

import os
from datetime import UTC, datetime

from cps.cities.models import City
from cps.cities.packs.service import load_pack
from cps.complaints.models import Complaint
from cps.extensions import db
from cps.staff.kpis import figures
from tests.cities.packs import PackCopy
from tests.complaints.web import hidden
from tests.staff.people import Role, complaint, sign_in, staff
from tests.test_locales import parse


def test_a_city_writes_dates_numbers_and_weeks_its_own_way(client, city):
    made = complaint(city)
    db.session.get(Complaint, made.id).created_at = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    db.session.commit()
    # Sunday 1 March 2026, 10:00 in Manila: in a Monday week it belongs to the week of 23 Feb.
    assert "2026-02-23" in figures(city).by_week
    city.formats = {"date_pattern": "dd/MM/yyyy", "time_pattern": "HH:mm",
                    "number_pattern": "#,##,##0", "first_weekday": 6}
    db.session.commit()
    assert "2026-03-01" in figures(city).by_week
    page = client.get(f"/san-fernando-la-union/track/{made.reference}?lang=en").get_data(
        as_text=True)
    assert "01/03/2026" in page and "Mar 1, 2026" not in page


def test_admins_set_the_formats_and_a_wrong_pattern_is_refused(client, city):
    admin = staff(city, Role.ADMIN)
    sign_in(client, admin)
    form = client.get("/staff/admin/city").get_data(as_text=True)
    data = {"csrf_token": hidden(form, "csrf_token"), "name-en": "City of San Fernando",
            "locales": ["en", "fil"], "default_locale": "en", "timezone": "Asia/Manila",
            "working_days": ["1", "2", "3", "4", "5"], "date_pattern": "HH:mm"}
    refused = client.post("/staff/admin/city", data=data)
    assert refused.status_code == 400 and "dd/MM/yyyy" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(City, city.id).formats
    data.update(date_pattern="d.M.yyyy", number_pattern="#,##,##0.##", first_weekday="6")
    assert client.post("/staff/admin/city", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(City, city.id).formats == {
        "date_pattern": "d.M.yyyy", "number_pattern": "#,##,##0.##", "first_weekday": 6}


def test_an_instance_overrides_a_shipped_translation_for_one_city(app, client, city):
    folder = app.instance_path + "/cities/san-fernando-la-union/translations/fil/LC_MESSAGES"
    os.makedirs(folder, exist_ok=True)
    with open(f"{folder}/messages.po", "w", encoding="utf-8") as f:
        f.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                'msgid "Report a problem"\nmsgstr "Magsumbong ng problema dito"\n')
    try:
        page = client.get("/san-fernando-la-union/?lang=fil").get_data(as_text=True)
        assert "Magsumbong ng problema dito" in page
        other = City(slug="pokhara", names={"en": "Pokhara"}, reference_prefix="PK",
                     default_locale="fil", locales=["fil"], timezone="Asia/Kathmandu",
                     country_code="NP")
        db.session.add(other)
        db.session.commit()
        elsewhere = client.get("/pokhara/?lang=fil").get_data(as_text=True)
        assert "Magsumbong ng problema dito" not in elsewhere and "<html" in elsewhere
    finally:
        os.remove(f"{folder}/messages.po")


def test_an_edited_override_is_used_once_the_catalogs_are_looked_at_again(app, client, city,
                                                                          monkeypatch):
    folder = app.instance_path + "/cities/san-fernando-la-union/translations/fil/LC_MESSAGES"
    os.makedirs(folder, exist_ok=True)

    def override(text):
        with open(f"{folder}/messages.po", "w", encoding="utf-8") as f:
            f.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                    f'msgid "Report a problem"\nmsgstr "{text}"\n')

    def page():
        return client.get("/san-fernando-la-union/?lang=fil").get_data(as_text=True)

    try:
        override("Unang salita")
        assert "Unang salita" in page()
        monkeypatch.setitem(app.config, "TRANSLATIONS_RECHECK_SECONDS", 3600)
        override("Pangalawang salita")
        # Within the delay the catalogs in memory serve, with no look at the files.
        assert "Unang salita" in page()
        monkeypatch.setitem(app.config, "TRANSLATIONS_RECHECK_SECONDS", 0)
        assert "Pangalawang salita" in page() and "Unang salita" not in page()
    finally:
        os.remove(f"{folder}/messages.po")


def test_a_pack_with_a_bad_format_or_wording_is_refused(app, tmp_path):
    for extra, where in ((("formats", {"date_pattern": "HH"}), "formats.date_pattern"),
                         (("messages", {"sms.help": {"fil": "%(who)s"}}), "messages.sms.help.fil"),
                         (("messages", {"nope": {"en": "x"}}), "messages.nope")):
        pack = PackCopy(tmp_path / where)
        pack.edit_settings(lambda settings, extra=extra: settings.update([extra]))
        try:
            load_pack(pack.path)
        except Exception as error:  # noqa: BLE001  (PackFailure carries the pack's error)
            assert where in str(error), (where, str(error))
        else:
            raise AssertionError(f"{where} was accepted")


def test_the_translation_check_command_passes_on_the_shipped_catalogs(runner):
    result = runner.invoke(args=["cps", "translations", "check"])
    assert result.exit_code == 0, result.output


def test_staff_pages_list_every_language_for_staff(client, city):
    admin = staff(city, Role.ADMIN)
    sign_in(client, admin)
    page = parse(client.get("/staff/queue").get_data(as_text=True))
    assert page.html["lang"] == "en"
