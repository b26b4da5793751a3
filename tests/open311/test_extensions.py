"""Jurisdictions, media upload, mySociety's servicerequestupdates with a FixMyStreet round
trip, per-key limits, keys kept out of logs, the OpenAPI document, and key administration."""

import io
import logging

import pytest
from openapi_spec_validator import validate
from sqlalchemy import select

from cps.cities.packs.service import load_pack
from cps.complaints.models import Complaint, ComplaintEvent
from cps.complaints.states import State
from cps.complaints.workflow import change_state
from cps.extensions import db
from cps.logs import RedactSecrets
from cps.open311.models import ApiKey
from cps.staff.models import Role
from tests.cities.packs import PackCopy
from tests.complaints.web import hidden
from tests.images import plain_jpeg
from tests.open311.client import BASE, as_dicts, errors_of, new_key, valid_json, valid_xml
from tests.staff.people import complaint, sign_in, staff


def second_city(tmp_path):
    pack = PackCopy(tmp_path)
    pack.edit_settings(lambda s: s.update(slug="other-town", reference_prefix="OT",
                                          sms_number=None, domain="311.other-town.example"))
    return load_pack(pack.path)[0]


# Jurisdictions -------------------------------------------------------------------------------

def test_jurisdiction_is_optional_with_one_city(client, city):
    assert client.get(f"{BASE}/services.json").status_code == 200
    assert client.get(f"{BASE}/services.json?jurisdiction_id=").status_code == 200
    assert client.get(f"{BASE}/services.json?jurisdiction_id={city.slug}").status_code == 200


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_jurisdiction_is_required_with_several_cities(client, city, tmp_path, fmt):
    other = second_city(tmp_path)
    missing = client.get(f"{BASE}/services.{fmt}")
    assert missing.status_code == 400 and "jurisdiction_id" in errors_of(
        missing, fmt)[0]["description"]
    unknown = client.get(f"{BASE}/requests.{fmt}?jurisdiction_id=atlantis")
    assert unknown.status_code == 404 and errors_of(unknown, fmt)
    ours, theirs = complaint(city, "garbage"), complaint(other, "garbage")
    by_domain = client.get(f"{BASE}/requests.json?jurisdiction_id=311.other-town.example")
    refs = {r["service_request_id"] for r in by_domain.get_json()}
    assert theirs.reference in refs and ours.reference not in refs
    key = new_key(other)
    filed = client.post(f"{BASE}/requests.json", data={
        "api_key": key, "service_code": "garbage", "address_string": "Poro",
        "description": "Other town", "jurisdiction_id": "other-town"})
    assert filed.status_code == 201
    assert db.session.scalar(select(Complaint.city_id).where(
        Complaint.reference == filed.get_json()[0]["service_request_id"])) == other.id


# Media ---------------------------------------------------------------------------------------

def test_a_photo_uploaded_with_the_request_is_kept_and_linked(client, city):
    key = new_key(city)
    response = client.post(f"{BASE}/requests.json", content_type="multipart/form-data", data={
        "api_key": key, "service_code": "garbage", "lat": "16.6159", "long": "120.3166",
        "description": "Pile of garbage", "media": (io.BytesIO(plain_jpeg()), "pile.jpg")})
    assert response.status_code == 201
    reference = response.get_json()[0]["service_request_id"]
    made = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
    assert len(made.photos) == 1
    [row] = client.get(f"{BASE}/requests/{reference}.json").get_json()
    assert row["media_url"].endswith(f"/photos/{made.photos[0].id}.jpg")


def test_a_file_that_is_not_a_photo_is_refused(client, city):
    key = new_key(city)
    response = client.post(f"{BASE}/requests.xml", content_type="multipart/form-data", data={
        "api_key": key, "service_code": "garbage", "lat": "16.6159", "long": "120.3166",
        "description": "x", "media": (io.BytesIO(b"MZ\x90\x00 not a photo"), "virus.exe")})
    assert response.status_code == 400 and errors_of(response, "xml")
    assert db.session.scalar(select(Complaint.id)) is None


# FixMyStreet's round trip --------------------------------------------------------------------

def test_fixmystreet_round_trip(client, city):
    """The request shapes FixMyStreet's Open311 module sends: a form-encoded POST to
    requests.xml with attribute[...] and media_url, then servicerequestupdates.xml both ways."""
    key = new_key(city, "FixMyStreet San Fernando")
    sent = client.post(f"{BASE}/requests.xml", data={
        "api_key": key, "jurisdiction_id": city.slug, "service_code": "pothole",
        "lat": "16.6159", "long": "120.3166", "address_string": "Quezon Avenue",
        "description": "Big hole | Near the market", "email": "maria@example.ph",
        "first_name": "Maria", "last_name": "Reyes", "phone": "", "account_id": "",
        "media_url": "https://fixmystreet.example/photo/12345.0.full.jpeg",
        "attribute[size]": "medium", "attribute[easting]": "", "attribute[fixmystreet_id]":
        "12345", "attribute[title]": "Big hole", "attribute[report_url]":
        "https://fixmystreet.example/report/12345"})
    assert sent.status_code == 201
    [made] = as_dicts(valid_xml(sent, "service_requests"))
    reference = made["service_request_id"]
    saved = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
    assert saved.answers == {"size": "medium"}
    assert saved.media_url == "https://fixmystreet.example/photo/12345.0.full.jpeg"

    change_state(saved, State.IN_PROGRESS, public_text="Crew scheduled for Friday")
    change_state(saved, State.RESOLVED, public_text="Patched")
    db.session.commit()
    updates = client.get(f"{BASE}/servicerequestupdates.xml?jurisdiction_id={city.slug}"
                         f"&api_key={key}")
    document = valid_xml(updates, "service_request_updates")
    mine = [u for u in as_dicts(document) if u["service_request_id"] == reference]
    assert [(u["status"], u["description"]) for u in mine] == [
        ("IN_PROGRESS", "Crew scheduled for Friday"), ("FIXED", "Patched")]

    back = client.post(f"{BASE}/servicerequestupdates.xml", data={
        "api_key": key, "jurisdiction_id": city.slug, "service_request_id": reference,
        "update_id": "778", "updated_datetime": "2026-11-23T10:00:00+08:00",
        "status": "OPEN", "description": "Still a hole after the rain",
        "email": "maria@example.ph", "first_name": "Maria", "last_name": "Reyes",
        "media_url": ""})
    assert back.status_code == 201
    [ack] = as_dicts(valid_xml(back, "service_request_updates"))
    event = db.session.get(ComplaintEvent, int(ack["update_id"]))
    assert event.internal_note == "Still a hole after the rain"
    assert event.data["client_update_id"] == "778"
    db.session.refresh(saved)
    assert saved.state == State.REOPENED   # the citizen says it is not fixed
    again = client.get(f"{BASE}/servicerequestupdates.json?jurisdiction_id={city.slug}")
    texts = [u["description"] for u in valid_json(again, "service_request_updates")]
    assert "Still a hole after the rain" not in texts   # not echoed back to its sender
    assert "maria" not in again.get_data(as_text=True).lower()


@pytest.mark.parametrize(("change", "status"), [
    ({"api_key": "wrong"}, 403), ({"service_request_id": "SF-NOPE"}, 404),
    ({"description": ""}, 400), ({"status": "MAYBE"}, 400), ({"service_request_id": ""}, 400)])
def test_bad_updates_are_refused(client, city, change, status):
    key = new_key(city)
    made = complaint(city, "garbage")
    response = client.post(f"{BASE}/servicerequestupdates.json", data={
        "api_key": key, "service_request_id": made.reference, "description": "Hello",
        "status": "OPEN", **change})
    assert response.status_code == status and valid_json(response, "errors")
    assert db.session.scalar(select(ComplaintEvent).where(
        ComplaintEvent.kind == "citizen_update")) is None


# Limits and logs -----------------------------------------------------------------------------

def test_each_key_has_its_own_limit(live_app):
    app = live_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        from cps.cities.models import City

        city = db.session.scalar(select(City))
        slow, fast = new_key(city, "Slow", "2 per minute"), new_key(city, "Fast")
    form = {"service_code": "garbage", "address_string": "Poro", "description": "x"}
    slow_codes = [client.post(f"{BASE}/requests.json", data={**form, "api_key": slow})
                  .status_code for _ in range(3)]
    assert slow_codes == [201, 201, 429]
    limited = client.post(f"{BASE}/requests.json", data={**form, "api_key": slow})
    assert limited.get_json()[0]["code"] == 429
    assert client.post(f"{BASE}/requests.json",
                       data={**form, "api_key": fast}).status_code == 201


def test_api_keys_never_reach_the_access_log():
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '%s - - "%s" %s',
                               ("127.0.0.1", "GET /open311/v2/servicerequestupdates.xml?"
                                "api_key=s3cr3tKEY&jurisdiction_id=x HTTP/1.1", "200"), None)
    RedactSecrets().filter(record)
    line = record.getMessage()
    assert "s3cr3tKEY" not in line and "api_key=[redacted]&jurisdiction_id=x" in line
    assert any(isinstance(f, RedactSecrets) for f in logging.getLogger("werkzeug").filters)


# OpenAPI -------------------------------------------------------------------------------------

def test_the_openapi_document_is_valid_and_covers_every_route(app, client, city):
    response = client.get(f"{BASE}/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    routes = {rule.rule[len(BASE):].replace("<fmt>", "{format}").replace(
        "<path:name>", "{id}.{format}") for rule in app.url_map.iter_rules()
        if rule.rule.startswith(BASE)}
    documented = {path.replace("{service_code}", "{id}").replace(
        "{service_request_id}", "{id}").replace("{token}", "{id}")
        for path in document["paths"]}
    assert routes == documented
    methods = {(rule.rule, m) for rule in app.url_map.iter_rules()
               if rule.rule.startswith(BASE) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert len(methods) == sum(len(ops) for ops in document["paths"].values())


# Key administration --------------------------------------------------------------------------

def test_admins_create_and_revoke_keys(app, client, city):
    sign_in(client, staff(city, Role.ADMIN))
    page = client.get("/staff/admin/api-keys").get_data(as_text=True)
    created = client.post("/staff/admin/api-keys", data={
        "csrf_token": hidden(page, "csrf_token"), "name": "City call centre",
        "rate_limit": "30 per minute"})
    assert created.status_code == 201 and "no-store" in created.headers["Cache-Control"]
    text = created.get_data(as_text=True)
    row = db.session.scalar(select(ApiKey).where(ApiKey.name == "City call centre"))
    key = text.split('<code class="key">')[1].split("</code>")[0]
    assert ApiKey.digest(key) == row.key_hash and row.rate_limit == "30 per minute"
    assert key not in client.get("/staff/admin/api-keys").get_data(as_text=True)
    api = app.test_client()
    form = {"api_key": key, "service_code": "garbage", "address_string": "Poro",
            "description": "x"}
    assert api.post(f"{BASE}/requests.json", data=form).status_code == 201
    page = client.get("/staff/admin/api-keys").get_data(as_text=True)
    client.post(f"/staff/admin/api-keys/{row.id}/revoke",
                data={"csrf_token": hidden(page, "csrf_token")})
    assert api.post(f"{BASE}/requests.json", data=form).status_code == 403
    bad = client.post("/staff/admin/api-keys", data={
        "csrf_token": hidden(page, "csrf_token"), "name": "X", "rate_limit": "lots"})
    assert bad.status_code == 400


def test_only_admins_manage_keys(client, city):
    sign_in(client, staff(city, Role.MANAGER, "environment"))
    assert client.get("/staff/admin/api-keys").status_code == 404


def test_identical_listings_are_answered_from_memory_for_a_few_seconds(app, client, city,
                                                                      monkeypatch):
    monkeypatch.setitem(app.config, "OPEN311_CACHE_SECONDS", 60)
    first = complaint(city, "garbage")
    before = client.get(f"{BASE}/requests.json?service_code=garbage").get_data(as_text=True)
    second = complaint(city, "garbage")
    again = client.get(f"{BASE}/requests.json?service_code=garbage").get_data(as_text=True)
    assert again == before and first.reference in again and second.reference not in again
    other = client.get(f"{BASE}/requests.json?service_code=garbage&status=open")
    assert second.reference in other.get_data(as_text=True)
    monkeypatch.setitem(app.config, "OPEN311_CACHE_SECONDS", 0)
    fresh = client.get(f"{BASE}/requests.json?service_code=garbage").get_data(as_text=True)
    assert second.reference in fresh
