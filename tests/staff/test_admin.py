"""City administration in the UI: accounts, departments, categories, areas, routing rules,
holidays and city settings. Admins only, in their own city, every change audited."""

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from cps.cities.models import Category, City, Department, Holiday
from cps.cities.packs.service import load_pack
from cps.complaints.models import ComplaintEvent
from cps.complaints.states import State
from cps.extensions import db
from cps.routing.models import District, RoutingRule
from cps.staff.models import AuditEntry, Role, StaffUser
from tests.cities.packs import PackCopy, snapshot
from tests.complaints.web import hidden
from tests.staff.people import PASSWORD, complaint, sign_in, staff


@pytest.fixture
def admin(client, city):
    user = staff(city, Role.ADMIN)
    sign_in(client, user)
    return user


def post(client, path, **data):
    """Post a form with a fresh CSRF token of the signed-in session."""
    page = client.get("/staff/admin/").get_data(as_text=True)
    response = client.post(path, data={"csrf_token": hidden(page, "csrf_token"), **data})
    db.session.expire_all()   # the request ran in a session of its own
    return response


def dept(city, code):
    return db.session.scalar(select(Department).where(Department.city_id == city.id,
                                                      Department.code == code))


def category(city, code):
    return db.session.scalar(select(Category).where(Category.city_id == city.id,
                                                    Category.code == code))


def last_audit(action):
    return db.session.scalar(select(AuditEntry).where(AuditEntry.action == action)
                             .order_by(AuditEntry.id.desc()))


ADMIN_PAGES = ["/staff/admin/", "/staff/admin/accounts", "/staff/admin/accounts/new",
               "/staff/admin/departments", "/staff/admin/departments/new",
               "/staff/admin/categories", "/staff/admin/categories/new",
               "/staff/admin/districts", "/staff/admin/routing", "/staff/admin/holidays",
               "/staff/admin/city"]


def test_an_admin_sees_every_admin_page(client, city, admin):
    for path in ADMIN_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
    first = db.session.scalars(select(District).where(District.city_id == city.id)).first()
    assert client.get(f"/staff/admin/districts/{first.id}").status_code == 200
    assert client.get(f"/staff/admin/departments/{dept(city, 'health').id}").status_code == 200
    assert client.get(f"/staff/admin/categories/{category(city, 'garbage').id}"
                      ).status_code == 200


# Accounts ------------------------------------------------------------------------------------

def account_form(city, **extra):
    return {"name": "Maria Santos", "email": "Maria.Santos@sanfernando.example",
            "role": "officer", "department": str(dept(city, "environment").id),
            "locale": "fil", "password": "a long enough secret", **extra}


def test_an_admin_creates_an_officer_who_can_then_sign_in(app, client, city, admin):
    response = post(client, "/staff/admin/accounts/new", **account_form(city, can_triage="y"))
    assert response.status_code == 302
    made = db.session.scalar(select(StaffUser).where(
        StaffUser.email == "maria.santos@sanfernando.example"))
    assert (made.role, made.department.code, made.can_triage, made.locale, made.city_id) == (
        Role.OFFICER, "environment", True, "fil", city.id)
    entry = last_audit("account.create")
    assert entry.actor_id == admin.id and entry.after["role"] == "officer"
    assert "secret" not in json.dumps(entry.after) and "password" not in json.dumps(entry.after)
    other = app.test_client()
    assert sign_in(other, made, "a long enough secret").status_code == 302


@pytest.mark.parametrize(("change", "field"), [
    ({"password": "short"}, "password"),
    ({"email": "not-an-address"}, "email"),
    ({"name": ""}, "name"),
    ({"role": "superuser"}, "role"),
    ({"role": "manager", "department": ""}, "department"),
    ({"department": "999999"}, "department"),
    ({"locale": "xx"}, "locale"),
])
def test_a_bad_account_form_saves_nothing_and_says_why(client, city, admin, change, field):
    before = snapshot()
    response = post(client, "/staff/admin/accounts/new", **account_form(city, **change))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'href="#{field}"' in page and 'aria-invalid="true"' in page
    assert "Maria Santos" in page or change.get("name") == ""   # what was typed comes back
    after = snapshot()
    assert {k: v for k, v in after.items() if k != "audit_entry"} == {
        k: v for k, v in before.items() if k != "audit_entry"}
    assert len(after["audit_entry"]) == len(before["audit_entry"])


def test_an_email_has_one_account(client, city, admin):
    taken = staff(city, Role.VIEWER)
    response = post(client, "/staff/admin/accounts/new", **account_form(city, email=taken.email))
    assert response.status_code == 400 and "already has an account" in response.get_data(
        as_text=True)


def test_an_admin_cannot_lock_themselves_out_nor_leave_the_city_without_admin(
        client, city, admin):
    own = {"name": admin.name, "email": admin.email, "role": "viewer", "active": "y"}
    response = post(client, f"/staff/admin/accounts/{admin.id}", **own)
    assert response.status_code == 400 and "your own" in response.get_data(as_text=True)
    response = post(client, f"/staff/admin/accounts/{admin.id}", **{**own, "role": "admin",
                                                                    "active": ""})
    assert response.status_code == 400
    db.session.refresh(admin)
    assert admin.role == Role.ADMIN and admin.active


def test_the_last_admin_cannot_be_demoted_by_a_disabled_colleague_race(client, city, admin):
    other = staff(city, Role.ADMIN)
    response = post(client, f"/staff/admin/accounts/{other.id}",
                    name=other.name, email=other.email, role="viewer", active="y")
    assert response.status_code == 302   # the signed-in admin remains
    db.session.refresh(other)
    assert other.role == Role.VIEWER


def test_disabling_an_officer_ends_their_access_and_frees_their_complaints(
        app, client, city, admin):
    officer = staff(city, Role.OFFICER, "environment")
    theirs = complaint(city, "garbage")
    theirs.assignee_id = officer.id
    db.session.commit()
    officer_client = app.test_client()
    sign_in(officer_client, officer)
    assert officer_client.get("/staff/queue").status_code == 200
    response = post(client, f"/staff/admin/accounts/{officer.id}", name=officer.name,
                    email=officer.email, role="officer",
                    department=str(officer.department_id))   # "active" unticked
    assert response.status_code == 302
    db.session.refresh(theirs)
    assert theirs.assignee_id is None
    assert officer_client.get("/staff/queue").status_code == 302   # signed out
    assert sign_in(app.test_client(), officer).status_code == 401


def test_an_admin_resets_a_password_without_it_reaching_the_log(app, client, city, admin):
    officer = staff(city, Role.OFFICER, "environment")
    response = post(client, f"/staff/admin/accounts/{officer.id}", name=officer.name,
                    email=officer.email, role="officer", department=str(officer.department_id),
                    active="y", password="brand new passphrase")
    assert response.status_code == 302
    assert sign_in(app.test_client(), officer, PASSWORD).status_code == 401
    assert sign_in(app.test_client(), officer, "brand new passphrase").status_code == 302
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.target_id == officer.id,
                                                          AuditEntry.action.like("account%")))
    assert "brand new" not in json.dumps([(e.before, e.after) for e in entries])
    assert last_audit("account.password").target_id == officer.id


# Departments and categories ------------------------------------------------------------------

def test_departments_are_created_edited_and_disabled(client, city, admin):
    response = post(client, "/staff/admin/departments/new", code="tourism",
                    **{"name-en": "Tourism Office", "name-fil": "Tanggapan ng Turismo"},
                    email="tourism@sanfernando.example", phone="0917 123 4567")
    assert response.status_code == 302
    made = dept(city, "tourism")
    assert made.names == {"en": "Tourism Office", "fil": "Tanggapan ng Turismo"}
    assert made.phone == "+639171234567" and made.active
    response = post(client, f"/staff/admin/departments/{made.id}", code="tourism",
                    **{"name-en": "Tourism"})
    assert response.status_code == 302
    db.session.refresh(made)
    assert not made.active and made.names == {"en": "Tourism"} and made.email is None
    assert last_audit("department.update").before["active"] is True


def test_a_department_rules_still_send_to_cannot_be_disabled(client, city, admin):
    drrm = dept(city, "drrm")
    response = post(client, f"/staff/admin/departments/{drrm.id}", code="drrm",
                    **{"name-en": "DRRM"})
    assert response.status_code == 400 and "Routing rules" in response.get_data(as_text=True)
    db.session.refresh(drrm)
    assert drrm.active


@pytest.mark.parametrize("change", [{"code": "health"}, {"code": "Bad Code!"},
                                    {"name-en": ""}, {"email": "nope"}, {"phone": "12"}])
def test_a_bad_department_form_is_refused(client, city, admin, change):
    form = {"code": "tourism", "name-en": "Tourism", **change}
    assert post(client, "/staff/admin/departments/new", **form).status_code == 400
    assert dept(city, "tourism") is None


QUESTIONS = [{"code": "size", "datatype": "singlevaluelist", "required": True,
              "names": {"en": "How big is it?"},
              "values": [{"key": "small", "names": {"en": "Small"}},
                         {"key": "big", "names": {"en": "Big"}}]}]


def test_a_new_category_with_a_question_is_offered_to_citizens(client, city, admin):
    response = post(client, "/staff/admin/categories/new", code="fallen-tree",
                    **{"name-en": "Fallen tree", "name-fil": "Natumbang puno",
                       "keywords-en": "tree, fallen tree", "keywords-fil": "puno"},
                    deadline_days="4", position="3", questions=json.dumps(QUESTIONS))
    assert response.status_code == 302
    made = category(city, "fallen-tree")
    assert made.keywords == {"en": ["tree", "fallen tree"], "fil": ["puno"]}
    assert made.questions[0]["values"][1]["key"] == "big" and made.deadline_days == 4
    assert "Fallen tree" in client.get(f"/{city.slug}/report").get_data(as_text=True)
    form = client.get(f"/{city.slug}/report/fallen-tree").get_data(as_text=True)
    assert "How big is it?" in form
    response = post(client, f"/staff/admin/categories/{made.id}", code="fallen-tree",
                    **{"name-en": "Fallen tree"}, deadline_days="4")
    assert response.status_code == 302
    assert "Fallen tree" not in client.get(f"/{city.slug}/report").get_data(as_text=True)


def test_a_new_categorys_words_stop_naming_places_at_once(client, city, admin):
    from cps.routing.errors import LocationError
    from cps.routing.locate import locate_text

    text = "nababa unay ti kable ti kuryente, sagayad iti kalsada"
    assert locate_text(city, text).district_id == district(city, "Sagayad").id
    response = post(client, "/staff/admin/categories/new", code="low-wires",
                    **{"name-en": "Low-hanging wires", "keywords-ilo": "sagayad, kable"},
                    deadline_days="2")
    assert response.status_code == 302
    db.session.refresh(city)
    with pytest.raises(LocationError):
        locate_text(city, text)
    assert locate_text(city, "Brgy. Sagayad, sagayad ti kable").district_id == district(
        city, "Sagayad").id


@pytest.mark.parametrize("change", [
    {"questions": "not json"}, {"questions": json.dumps([{"code": "x", "datatype": "colour"}])},
    {"questions": json.dumps([{"code": "x", "datatype": "singlevaluelist",
                               "names": {"en": "X"}}])},
    {"deadline_days": "0"}, {"deadline_days": "abc"}, {"code": "garbage"},
    {"name-en": "x" * 201}])
def test_a_bad_category_form_is_refused(client, city, admin, change):
    form = {"code": "fallen-tree", "name-en": "Fallen tree", "deadline_days": "4", **change}
    response = post(client, "/staff/admin/categories/new", **form)
    assert response.status_code == 400
    assert category(city, "fallen-tree") is None


# Areas and routing ---------------------------------------------------------------------------

def district(city, name):
    return db.session.scalar(select(District).where(District.city_id == city.id,
                                                    District.name == name))


def test_a_new_alias_of_an_area_places_reports_at_once(client, city, admin):
    poro = district(city, "Poro")
    before = city.geo_version
    response = post(client, f"/staff/admin/districts/{poro.id}",
                    aliases="Sitio Malunggay\nLower Poro", **{"name-fil": "Poro"})
    assert response.status_code == 302
    assert city.geo_version == before + 1
    made = complaint(city, "garbage", place="Sitio Malunggay")
    assert made.district_id == poro.id


def test_routing_rules_are_added_changed_and_removed_and_route_at_once(client, city, admin):
    poro = district(city, "Poro")
    assert complaint(city, "garbage").department.code == "environment"
    response = post(client, "/staff/admin/routing", category=str(category(city, "garbage").id),
                    district=str(poro.id), department=str(dept(city, "health").id))
    assert response.status_code == 302
    assert complaint(city, "garbage").department.code == "health"
    assert complaint(city, "garbage", place="Abut").department.code == "environment"
    rule = db.session.scalar(select(RoutingRule).where(
        RoutingRule.district_id == poro.id,
        RoutingRule.category_id == category(city, "garbage").id))
    again = post(client, "/staff/admin/routing", category=str(rule.category_id),
                 district=str(poro.id), department=str(dept(city, "drrm").id))
    assert again.status_code == 400 and "already exists" in again.get_data(as_text=True)
    assert post(client, f"/staff/admin/routing/{rule.id}",
                department=str(dept(city, "drrm").id)).status_code == 302
    assert complaint(city, "garbage").department.code == "drrm"
    assert post(client, f"/staff/admin/routing/{rule.id}/delete").status_code == 302
    assert complaint(city, "garbage").department.code == "environment"
    assert [e.action for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.action.like("rule.%")).order_by(AuditEntry.id))] == [
            "rule.create", "rule.update", "rule.delete"]


def test_the_default_rule_catches_what_no_other_rule_does(client, city, admin):
    default = db.session.scalar(select(RoutingRule).where(
        RoutingRule.city_id == city.id, RoutingRule.category_id.is_(None),
        RoutingRule.district_id.is_(None)))
    assert complaint(city, "other").department.code == "barangay-affairs"
    assert post(client, f"/staff/admin/routing/{default.id}/delete").status_code == 302
    assert complaint(city, "other").department is None   # triage
    assert post(client, "/staff/admin/routing",
                department=str(dept(city, "public-order").id)).status_code == 302
    assert complaint(city, "other").department.code == "public-order"


# Holidays ------------------------------------------------------------------------------------

def test_a_holiday_at_short_notice_moves_open_deadlines(client, city, admin):
    made = complaint(city, "garbage")   # 3 working days
    due = made.deadline
    local_due = due.astimezone(ZoneInfo(city.timezone)).date()
    day = local_due
    while day.isoweekday() not in city.working_days:
        day -= timedelta(days=1)
    response = post(client, "/staff/admin/holidays", day=day.isoformat(), extend="y",
                    **{"name-en": "Typhoon: work suspended"})
    assert response.status_code == 302
    db.session.refresh(made)
    assert made.deadline > due
    assert made.deadline.astimezone(UTC) - due.astimezone(UTC) >= timedelta(days=1)
    assert last_audit("holiday.create").after["deadlines_moved"] >= 1
    event = db.session.scalar(select(ComplaintEvent).where(
        ComplaintEvent.complaint_id == made.id, ComplaintEvent.kind == "deadline"))
    assert event.data["holiday"] == day.isoformat() and event.actor_id == admin.id
    again = post(client, "/staff/admin/holidays", day=day.isoformat())
    assert again.status_code == 400 and "already a holiday" in again.get_data(as_text=True)
    holiday = db.session.scalar(select(Holiday).where(Holiday.city_id == city.id,
                                                      Holiday.day == day))
    holiday_id = holiday.id
    assert post(client, f"/staff/admin/holidays/{holiday_id}/delete").status_code == 302
    assert db.session.get(Holiday, holiday_id) is None


def test_a_holiday_without_extending_leaves_deadlines_and_bad_dates_are_refused(
        client, city, admin):
    made = complaint(city, "garbage")
    due = made.deadline
    day = (datetime.now(UTC) + timedelta(days=1)).date()
    assert post(client, "/staff/admin/holidays", day=day.isoformat()).status_code == 302
    db.session.refresh(made)
    assert made.deadline == due
    assert post(client, "/staff/admin/holidays", day="2026-02-30").status_code == 400


# City settings -------------------------------------------------------------------------------

def city_form(**extra):
    return {"name-en": "City of San Fernando", "name-fil": "Lungsod ng San Fernando",
            "locales": ["en", "fil"], "default_locale": "en", "timezone": "Asia/Manila",
            "working_days": ["1", "2", "3", "4", "5", "6"], "sms_number": "",
            "setting-REOPEN_WINDOW_DAYS": "30", **extra}


def test_the_city_settings_are_saved_and_used(client, city, admin):
    response = post(client, "/staff/admin/city", **city_form())
    assert response.status_code == 302
    db.session.refresh(city)
    assert city.working_days == [1, 2, 3, 4, 5, 6]
    assert city.settings == {"REOPEN_WINDOW_DAYS": 30} and city.sms_number is None
    assert last_audit("city.update").before["settings"]["REOPEN_WINDOW_DAYS"] == 14


@pytest.mark.parametrize("change", [
    {"timezone": "Mars/Olympus"}, {"locales": []}, {"default_locale": "ko"},
    {"working_days": []}, {"setting-REFERENCE_LENGTH": "2"}, {"setting-RETENTION_DAYS": "x"},
    {"sms_number": "123"}, {"name-en": ""}])
def test_bad_city_settings_are_refused(client, city, admin, change):
    before = (city.timezone, city.locales, city.working_days, dict(city.settings))
    response = post(client, "/staff/admin/city", **city_form(**change))
    assert response.status_code == 400
    db.session.refresh(city)
    assert (city.timezone, city.locales, city.working_days, city.settings) == before


def test_an_sms_number_belongs_to_one_city(client, city, admin, tmp_path):
    pack = PackCopy(tmp_path)
    pack.edit_settings(lambda s: s.update(slug="other-town", reference_prefix="OT",
                                          sms_number="+639170000001"))
    load_pack(pack.path)
    response = post(client, "/staff/admin/city", **city_form(sms_number="0917 000 0001"))
    assert response.status_code == 400 and "Another city" in response.get_data(as_text=True)


# Isolation -----------------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.MANAGER, Role.OFFICER, Role.VIEWER])
def test_admin_pages_do_not_exist_for_other_roles(client, city, role):
    sign_in(client, staff(city, role, "environment" if role != Role.VIEWER else None))
    page = client.get("/staff/queue").get_data(as_text=True)
    csrf = hidden(page, "csrf_token")
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 404, path
    form = {"csrf_token": csrf, "code": "x", "name-en": "X"}
    assert client.post("/staff/admin/departments/new", data=form).status_code == 404
    assert client.post("/staff/admin/city", data=form).status_code == 404
    assert dept(city, "x") is None


def test_an_admin_cannot_reach_another_citys_rows(client, city, tmp_path):
    pack = PackCopy(tmp_path)
    pack.edit_settings(lambda s: s.update(slug="other-town", reference_prefix="OT",
                                          sms_number=None))
    other, _changes, _warnings = load_pack(pack.path)
    sign_in(client, staff(other, Role.ADMIN))
    theirs = {"departments": dept(city, "health").id, "categories": category(city, "garbage").id,
              "districts": district(city, "Poro").id,
              "accounts": staff(city, Role.OFFICER, "health").id}
    for kind, item_id in theirs.items():
        assert client.get(f"/staff/admin/{kind}/{item_id}").status_code == 404, kind
        assert post(client, f"/staff/admin/{kind}/{item_id}", code="hijack",
                    **{"name-en": "Hijacked"}).status_code == 404
    rule = db.session.scalar(select(RoutingRule).where(RoutingRule.city_id == city.id))
    assert post(client, f"/staff/admin/routing/{rule.id}/delete").status_code == 404
    assert db.session.get(RoutingRule, rule.id) is not None
    response = post(client, "/staff/admin/routing", department=str(dept(city, "health").id))
    assert response.status_code == 400   # another city's department is not a choice
    assert dept(city, "health").names["en"] != "Hijacked"
    assert db.session.scalar(select(City).where(City.slug == "other-town")).id == other.id


def test_a_form_without_its_csrf_token_is_refused(client, city, admin):
    response = client.post("/staff/admin/departments/new",
                           data={"code": "tourism", "name-en": "Tourism"})
    assert response.status_code == 400
    assert dept(city, "tourism") is None


def test_a_closed_complaint_keeps_its_deadline_when_a_holiday_is_added(client, city, admin):
    made = complaint(city, "garbage")
    made.state = State.CLOSED
    db.session.commit()
    due = made.deadline
    day = due.date()
    post(client, "/staff/admin/holidays", day=day.isoformat(), extend="y")
    db.session.refresh(made)
    assert made.deadline == due
