"""Copies of cities, categories, holidays, departments and API keys kept per worker: a change
is seen at once by the worker that made it, and by every other worker once its copies are
REFERENCE_CACHE_SECONDS old. Two apps on one database stand for two workers; the cache's
clock is moved forward rather than waited for."""

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from cps import caching, create_app
from cps.cities.models import Category, City, Department, Holiday
from cps.cities.packs.service import load_pack
from cps.cities.snapshots import city_info
from cps.extensions import db
from cps.notify.models import Outbox
from cps.open311.models import ApiKey
from cps.staff.models import Role
from tests.cities.packs import PackCopy
from tests.complaints.web import hidden
from tests.conftest import app_config
from tests.open311.client import BASE, new_key
from tests.staff.people import complaint, sign_in, staff


@pytest.fixture
def workers(live_app, tmp_path):
    """Two workers of one install: apps of their own on the same database."""
    first = live_app()
    second = create_app(app_config(tmp_path / "second",
                                   first.config["SQLALCHEMY_DATABASE_URI"]))
    yield first, second
    with second.app_context():
        db.engine.dispose()


def later(monkeypatch, app):
    """Every copy the workers keep is now older than REFERENCE_CACHE_SECONDS."""
    now = caching.clock
    seconds = app.config["REFERENCE_CACHE_SECONDS"]
    monkeypatch.setattr(caching, "clock", lambda: now() + seconds + 1)


def report(client, key, code="garbage"):
    return client.post(f"{BASE}/requests.json", data={
        "api_key": key, "service_code": code, "address_string": "Poro",
        "description": "Not collected for a week"})


def admin_of(app):
    """A browser signed in as an admin of the city, on `app`."""
    browser = app.test_client()
    with app.app_context():
        sign_in(browser, staff(db.session.scalar(select(City)), Role.ADMIN))
    return browser


def admin_post(browser, path, **data):
    page = browser.get("/staff/admin/").get_data(as_text=True)
    return browser.post(path, data={"csrf_token": hidden(page, "csrf_token"), **data})


def test_a_revoked_key_is_refused_by_every_worker_once_their_copies_expire(workers,
                                                                           monkeypatch):
    first, second = workers
    with first.app_context():
        key = new_key(db.session.scalar(select(City)))
        key_id = db.session.scalar(select(ApiKey.id))
    api, other = first.test_client(), second.test_client()
    assert report(api, key).status_code == 201          # both workers keep a copy
    assert report(other, key).status_code == 201
    admin = admin_of(second)
    assert admin_post(admin, f"/staff/admin/api-keys/{key_id}/revoke").status_code == 302
    assert report(other, key).status_code == 403        # where it was revoked: at once
    assert report(api, key).status_code == 201          # elsewhere, until the copy expires
    later(monkeypatch, first)
    refused = report(api, key)
    assert refused.status_code == 403 and refused.get_json()[0]["code"] == 403


def test_a_category_an_admin_withdraws_is_refused_by_every_worker_once_copies_expire(
        workers, monkeypatch):
    first, second = workers
    with first.app_context():
        key = new_key(db.session.scalar(select(City)))
        garbage = db.session.scalar(select(Category).where(Category.code == "garbage"))
        garbage_id, deadline_days = garbage.id, garbage.deadline_days
    api, other = first.test_client(), second.test_client()
    assert report(api, key).status_code == 201
    assert report(other, key).status_code == 201
    admin = admin_of(second)
    withdrawn = admin_post(admin, f"/staff/admin/categories/{garbage_id}", code="garbage",
                           deadline_days=str(deadline_days), **{"name-en": "Garbage"})
    assert withdrawn.status_code == 302                 # saved without "active"
    refused = report(other, key)
    assert refused.status_code == 400
    assert refused.get_json()[0]["description"] == "Unknown service_code."
    assert report(api, key).status_code == 201
    later(monkeypatch, first)
    assert report(api, key).status_code == 400


def test_changes_made_in_a_worker_are_seen_there_at_once(app, city):
    made = complaint(city, "garbage")
    local = ZoneInfo(city.timezone)
    db.session.add(Holiday(city_id=city.id, day=made.deadline.astimezone(local).date(),
                           names={}))
    environment = db.session.scalar(select(Department).where(
        Department.city_id == city.id, Department.code == "environment"))
    environment.email = "basura@sanfernando.example"
    db.session.commit()
    again = complaint(city, "garbage")
    assert again.deadline > made.deadline
    assert db.session.scalar(select(Outbox.recipient).where(
        Outbox.complaint_id == again.id, Outbox.template == "department_new")) == \
        "basura@sanfernando.example"


def test_a_change_rolled_back_leaves_no_trace_in_the_copies(app, city):
    garbage = db.session.scalar(select(Category).where(Category.city_id == city.id,
                                                       Category.code == "garbage"))
    garbage.active = False
    db.session.flush()
    assert "garbage" not in city_info(city.id).categories      # its own change, at once
    db.session.rollback()
    assert "garbage" in city_info(city.id).categories


def test_bulk_updates_are_seen_at_once_too(app, city):
    assert "garbage" in city_info(city.id).categories
    db.session.execute(update(Category).where(Category.city_id == city.id,
                                              Category.code == "garbage").values(active=False))
    assert "garbage" not in city_info(city.id).categories


def test_a_keys_last_use_is_written_at_most_once_a_minute(client, city):
    key = new_key(city)
    assert report(client, key).status_code == 201
    row = db.session.scalar(select(ApiKey))
    first_use = row.last_used_at
    assert first_use is not None
    assert report(client, key).status_code == 201
    db.session.refresh(row)
    assert row.last_used_at == first_use


def test_what_another_worker_just_made_is_found_at_once(workers, tmp_path):
    """Missing from a worker's copy is not missing: a new category or city is looked up."""
    first, second = workers
    with first.app_context():
        key = new_key(db.session.scalar(select(City)))
    api = first.test_client()
    assert report(api, key).status_code == 201           # the first worker keeps copies
    made = admin_post(admin_of(second), "/staff/admin/categories/new", code="fallen-tree",
                      deadline_days="4", **{"name-en": "Fallen tree"})
    assert made.status_code == 302
    assert report(api, key, "fallen-tree").status_code == 201
    with second.app_context():
        pack = PackCopy(tmp_path / "pack")
        pack.edit_settings(lambda s: s.update(slug="other-town", reference_prefix="OT",
                                              sms_number=None))
        theirs = new_key(load_pack(pack.path)[0])
    response = api.post(f"{BASE}/requests.json", data={
        "api_key": theirs, "jurisdiction_id": "other-town", "service_code": "garbage",
        "address_string": "Poro", "description": "Not collected"})
    assert response.status_code == 201 and response.get_json()[0][
        "service_request_id"].startswith("OT-")
