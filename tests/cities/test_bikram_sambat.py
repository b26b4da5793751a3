"""Dates in the Bikram Sambat calendar, for a city that keeps it (Pokhara's pack does)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import yaml
from babel import Locale
from babel.dates import format_date
from sqlalchemy import select

from cps import PROJECT_ROOT
from cps.cities.bikram_sambat import to_bs
from cps.cities.formats import FormatError, clean_formats, format_day
from cps.cities.models import City
from cps.cities.packs.service import load_pack
from cps.complaints.models import Complaint
from cps.extensions import db
from tests.cities.packs import PackCopy
from tests.complaints.web import hidden
from tests.open311.client import BASE, new_key
from tests.staff.people import Role, complaint, sign_in, staff

POKHARA = PROJECT_ROOT / "cities" / "pokhara"
BS = {"calendar": "bikram_sambat"}
# Holidays Nepal keeps on a fixed B.S. day, (month, day). Pokhara's pack dates them from the
# Ministry of Home Affairs' lists, independently of the conversion table.
FIXED = {"Nepali New Year": (1, 1), "Loktantra Diwas (2006 Democracy Day)": (1, 11),
         "Republic Day (Ganatantra Diwas)": (2, 15), "Constitution Day": (6, 3),
         "Tamu Lhosar (Gurung New Year)": (9, 15), "Prithvi Jayanti (National Unity Day)": (9, 27),
         "Maghe Sankranti": (10, 1), "Prajatantra Diwas (National Democracy Day)": (11, 7)}


def test_the_conversion_agrees_with_nepals_fixed_day_holidays():
    pack = yaml.safe_load((POKHARA / "city.yaml").read_text(encoding="utf-8"))
    checked = 0
    for holiday in pack["holidays"]:
        wanted = FIXED.get(holiday["names"]["en"])
        if wanted:
            year, month, day = to_bs(holiday["date"])
            # Baisakh to mid-Poush fall in the Gregorian year + 57, the rest in + 56.
            offset = 57 if (month, day) < (9, 17) else 56
            assert (year, (month, day)) == (holiday["date"].year + offset, wanted), holiday
            checked += 1
    assert checked == 2 * len(FIXED)  # 2026 and 2027


@pytest.mark.parametrize("locale,width,expected", [
    ("ne", "short", "२०८३/०८/१७"),
    ("ne", "medium", "२०८३ मंसिर १७"),
    ("ne", "long", "वि.सं. २०८३ मंसिर १७"),
    ("ne", "full", "वि.सं. २०८३ मंसिर १७, बिहिबार"),
    ("en", "short", "2083/08/17"),
    ("en", "medium", "17 Mangsir 2083"),
    ("en", "long", "17 Mangsir 2083 BS"),
    ("en", "full", "Thursday, 17 Mangsir 2083 BS"),
    ("fil", "full", "Huwebes, 17 Mangsir 2083 BS"),
    ("en", "dd.MM.yy 'B.S.'", "17.08.83 B.S."),
    ("ne", "yyyy-MM-dd", "२०८३-०८-१७"),
])
def test_a_day_in_each_width_and_language(app, locale, width, expected):
    formats = dict(BS, date_pattern=width) if "y" in width else BS
    assert format_day(date(2026, 12, 3), "medium" if "y" in width else width,
                      Locale.parse(locale), formats) == expected


def test_a_day_outside_the_table_is_shown_in_the_gregorian_calendar(app):
    for day in (date(1918, 4, 12), date(2044, 4, 13)):
        assert format_day(day, "long", Locale.parse("en"), BS) == format_date(
            day, "long", locale="en")
    assert format_day(date(2044, 4, 12), "long", Locale.parse("en"), BS) == \
        "30 Chaitra 2100 BS"


def test_only_known_calendars_are_accepted():
    assert clean_formats({"calendar": "bikram_sambat"}) == BS
    assert clean_formats({"calendar": "gregorian"}) == {}
    with pytest.raises(FormatError) as refused:
        clean_formats({"calendar": "julian"})
    assert refused.value.details["field"] == "calendar"


def test_pokhara_shows_its_pages_in_bikram_sambat_and_in_its_own_time(client, pokhara):
    assert pokhara.formats["calendar"] == "bikram_sambat"
    made = complaint(pokhara, category="garbage", place="लेकसाइड")
    stored = db.session.get(Complaint, made.id)
    # 18:30 UTC on 13 April 2026 is 00:15 on 14 April in Kathmandu (UTC+5:45): New Year 2083.
    stored.created_at = datetime(2026, 4, 13, 18, 30, tzinfo=UTC)
    db.session.commit()
    nepali = client.get(f"/pokhara/track/{made.reference}?lang=ne").get_data(as_text=True)
    assert "२०८३-०१-०१ ००:१५" in nepali
    due = stored.deadline.astimezone(ZoneInfo("Asia/Kathmandu")).date()
    assert f"वि.सं. {format_day(due, 'medium', Locale.parse('ne'), BS)}" in nepali  # long width
    english = client.get(f"/pokhara/track/{made.reference}?lang=en").get_data(as_text=True)
    assert "2083-01-01 00:15" in english and "2026-04-14" not in english


def test_open311_gives_the_expected_date_in_the_citys_calendar(client, pokhara):
    key = new_key(pokhara)
    response = client.post(f"{BASE}/requests.json", data={
        "api_key": key, "jurisdiction_id": "pokhara", "service_code": "garbage",
        "lat": "28.2096", "long": "83.9586", "description": "फोहोर उठेको छैन", "locale": "ne"})
    assert response.status_code == 201, response.get_data(as_text=True)
    [made] = response.get_json()
    saved = db.session.scalar(select(Complaint).where(
        Complaint.reference == made["service_request_id"]))
    local = saved.deadline.astimezone(ZoneInfo("Asia/Kathmandu")).date()
    assert format_day(local, "long", Locale.parse("ne"), BS) in made["service_notice"]
    assert "वि.सं." in made["service_notice"]


def test_admins_choose_the_calendar_and_an_unknown_one_is_refused(client, city):
    sign_in(client, staff(city, Role.ADMIN))
    form = client.get("/staff/admin/city").get_data(as_text=True)
    assert 'value="bikram_sambat"' in form
    data = {"csrf_token": hidden(form, "csrf_token"), "name-en": "City of San Fernando",
            "locales": ["en", "fil"], "default_locale": "en", "timezone": "Asia/Manila",
            "working_days": ["1", "2", "3", "4", "5"], "calendar": "julian"}
    refused = client.post("/staff/admin/city", data=data)
    assert refused.status_code == 400
    assert "Gregorian or the Bikram Sambat" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(City, city.id).formats
    data["calendar"] = "bikram_sambat"
    assert client.post("/staff/admin/city", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(City, city.id).formats == BS
    made = complaint(city)
    page = client.get(f"/staff/complaints/{made.reference}").get_data(as_text=True)
    assert "BS" in page and format_day(
        made.deadline.astimezone(ZoneInfo("Asia/Manila")).date(),
        "long", Locale.parse("en"), BS) in page


def test_a_pack_with_an_unknown_calendar_is_refused(app, tmp_path):
    pack = PackCopy(tmp_path / "pack")
    pack.edit_settings(lambda settings: settings.update(formats={"calendar": "lunar"}))
    with pytest.raises(Exception, match=r"formats\.calendar"):
        load_pack(pack.path)


def test_date_fields_say_they_are_gregorian_and_show_the_period_in_bikram_sambat(client, pokhara,
                                                                               city):
    page = client.get("/pokhara/complaints?from=2026-04-14&to=2026-04-24&lang=en").get_data(
        as_text=True)
    assert "this period is 1 Baisakh 2083 BS to 11 Baisakh 2083 BS." in page
    page = client.get("/pokhara/complaints?from=nonsense&lang=en").get_data(as_text=True)
    assert "Dates are picked in the Gregorian calendar." in page
    page = client.get("/san-fernando-la-union/complaints?from=2026-04-14&to=2026-04-24&lang=en")
    assert "Gregorian" not in page.get_data(as_text=True)
    admin = staff(pokhara, Role.ADMIN)
    admin.locale = "en"
    db.session.commit()
    sign_in(client, admin)
    for path in ("queue?from=2026-04-14&to=2026-04-24", "dashboard?from=2026-04-14&to=2026-04-24"):
        page = client.get(f"/staff/{path}").get_data(as_text=True)
        assert "1 Baisakh 2083 BS to 11 Baisakh 2083 BS" in page, path


def test_holidays_are_listed_in_both_calendars(client, pokhara):
    admin = staff(pokhara, Role.ADMIN)
    admin.locale = "ne"
    db.session.commit()
    sign_in(client, admin)
    page = client.get("/staff/admin/holidays?year=2026").get_data(as_text=True)
    nepali = Locale.parse("ne")
    # Nepali New Year: the first day of Baisakh, and 14 April in the Gregorian calendar.
    assert format_day(date(2026, 4, 14), "full", nepali, BS) == "वि.सं. २०८३ वैशाख १, मङ्गलबार"
    assert "वि.सं. २०८३ वैशाख १, मङ्गलबार" in page
    assert format_date(date(2026, 4, 14), "long", locale="ne") in page
    assert "ग्रेगोरियन" in page  # the date field says which calendar it takes
