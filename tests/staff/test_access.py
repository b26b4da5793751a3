"""Signing in, sessions, and who sees what: a forbidden complaint does not exist (404)."""

import time

import pytest

from cps.cities.packs.service import load_pack
from cps.staff.models import Role
from tests.cities.packs import PackCopy
from tests.staff.people import complaint, sign_in, staff, token


def test_sign_in_and_out(app, client, city):
    user = staff(city, Role.OFFICER, "environment")
    assert sign_in(client, user).status_code == 302
    assert client.get("/staff/queue").status_code == 200
    client.post("/staff/logout", data={"csrf_token": token(client)})
    assert client.get("/staff/queue").status_code == 302


def test_a_wrong_password_or_unknown_email_is_refused_alike(client, city):
    user = staff(city, Role.OFFICER, "environment")
    wrong = sign_in(client, user, "nope")
    user.email = "nobody@example.ph"
    unknown = sign_in(client, user)
    assert wrong.status_code == unknown.status_code == 401
    assert "wrong" in wrong.get_data(as_text=True)
    assert client.get("/staff/queue").status_code == 302


def test_a_disabled_account_cannot_sign_in(client, city):
    user = staff(city, Role.ADMIN)
    user.active = False
    from cps.extensions import db

    db.session.commit()
    assert sign_in(client, user).status_code == 401


def test_signing_in_replaces_the_session(client, city):
    user = staff(city, Role.OFFICER, "environment")
    client.get(f"/{city.slug}/lang/fil")
    with client.session_transaction() as before:
        assert before.get("lang") == "fil"
    sign_in(client, user)
    with client.session_transaction() as after:
        assert "lang" not in after and "_user_id" in after


def test_an_idle_session_ends(app, client, city, monkeypatch):
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    with client.session_transaction() as session:
        session["staff_seen"] = time.time() - 31 * 60
    response = client.get("/staff/queue")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert client.get("/staff/queue").status_code == 302


def test_logins_are_rate_limited(live_app):
    app = live_app(RATELIMIT_ENABLED=True, RATE_LIMIT_LOGIN="3 per minute")
    client = app.test_client()
    with app.app_context():
        from cps.cities.models import City
        from cps.extensions import db

        user = staff(db.session.query(City).one(), Role.ADMIN)
        statuses = [sign_in(client, user, "wrong").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_an_officer_sees_only_their_departments_complaints(client, city):
    mine, theirs = complaint(city, "garbage"), complaint(city, "pothole")
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    page = client.get("/staff/queue").get_data(as_text=True)
    assert mine.reference in page and theirs.reference not in page
    assert client.get(f"/staff/complaints/{mine.reference}").status_code == 200
    assert client.get(f"/staff/complaints/{theirs.reference}").status_code == 404


def test_city_wide_roles_see_every_department(client, city):
    a, b = complaint(city, "garbage"), complaint(city, "pothole")
    sign_in(client, staff(city, Role.VIEWER))
    page = client.get("/staff/queue").get_data(as_text=True)
    assert a.reference in page and b.reference in page


def test_the_triage_queue_is_for_those_granted_it(client, city):
    lost = complaint(city, None, partial=True)
    officer = staff(city, Role.OFFICER, "environment")
    sign_in(client, officer)
    assert client.get("/staff/triage").status_code == 404
    assert client.get(f"/staff/complaints/{lost.reference}").status_code == 404
    client.post("/staff/logout", data={"csrf_token": token(client)})
    sign_in(client, staff(city, Role.MANAGER, "environment", can_triage=True))
    assert lost.reference in client.get("/staff/triage").get_data(as_text=True)


def test_another_citys_staff_see_nothing_of_this_city(app, client, city, tmp_path):
    other_pack = PackCopy(tmp_path)
    other_pack.edit_settings(lambda s: s.update(slug="other-town", reference_prefix="OT",
                                                sms_number=None))
    other, _changes, _warnings = load_pack(other_pack.path)
    here = complaint(city, "garbage")
    sign_in(client, staff(other, Role.ADMIN))
    assert here.reference not in client.get("/staff/queue").get_data(as_text=True)
    assert client.get(f"/staff/complaints/{here.reference}").status_code == 404


@pytest.mark.parametrize("path", ["/staff/outbox", "/staff/audit"])
def test_admin_pages_are_404_for_others(client, city, path):
    sign_in(client, staff(city, Role.MANAGER, "environment"))
    assert client.get(path).status_code == 404
    client.post("/staff/logout", data={"csrf_token": token(client)})
    sign_in(client, staff(city, Role.ADMIN))
    assert client.get(path).status_code == 200


def test_the_outbox_page_shows_dead_messages_with_their_reason(client, city):
    from cps.extensions import db
    from cps.notify.models import Outbox, OutboxState

    db.session.add(Outbox(city_id=city.id, channel="sms", recipient="+639171234567",
                          template="text", payload={"text": "hi"}, state=OutboxState.DEAD,
                          last_error="Twilio error 21211 (HTTP 400): invalid number"))
    db.session.commit()
    sign_in(client, staff(city, Role.ADMIN))
    page = client.get("/staff/outbox?state=dead").get_data(as_text=True)
    assert "invalid number" in page
