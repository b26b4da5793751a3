"""GeoReport v2 as the spec defines it, in XML and JSON, checked against the schemas."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cps.complaints.models import Channel, Complaint
from cps.complaints.states import State
from cps.complaints.workflow import change_state
from cps.db import utcnow
from cps.extensions import db
from cps.routing.models import Landmark
from tests.open311.client import BASE, as_dicts, errors_of, new_key, valid_json, valid_xml
from tests.staff.people import complaint

FORMATS = ["json", "xml"]


def post(client, fmt="json", **form):
    return client.post(f"{BASE}/requests.{fmt}", data=form)


def good(key, **extra):
    return {"api_key": key, "service_code": "pothole", "lat": "16.6159", "long": "120.3166",
            "description": "Deep pothole in front of the school", "email": "juan@example.ph",
            "first_name": "Juan", "last_name": "Dela Cruz", "phone": "09171234567",
            "device_id": "device-1", "account_id": "acct-9", **extra}


def count():
    return db.session.scalar(select(func.count(Complaint.id)))


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(client, city, fmt):
    response = client.get(f"{BASE}/discovery.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        body = valid_json(response, "discovery")
        assert body["endpoints"][0]["url"].endswith("/open311/v2/")
        assert {e["type"] for e in body["endpoints"]} == {"production", "test"}
    else:
        document = valid_xml(response, "discovery")
        assert document.findtext("endpoints/endpoint/specification") == (
            "http://wiki.open311.org/GeoReport_v2")


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_in_the_requested_locale(client, city, fmt):
    english = client.get(f"{BASE}/services.{fmt}")
    filipino = client.get(f"{BASE}/services.{fmt}?locale=fil")
    if fmt == "json":
        en, fil = valid_json(english, "services"), valid_json(filipino, "services")
        names = {s["service_code"]: s["service_name"] for s in en}
        assert names["pothole"] == "Pothole or damaged road" and len(en) == 11
        translated = {s["service_code"]: s["service_name"] for s in fil}
        assert translated["pothole"] != names["pothole"]
        assert next(s for s in en if s["service_code"] == "pothole")["metadata"] is True
    else:
        en = valid_xml(english, "services")
        assert "pothole" in [s.findtext("service_code") for s in en]
        valid_xml(filipino, "services")


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition(client, city, fmt):
    response = client.get(f"{BASE}/services/pothole.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        body = valid_json(response, "service_definition")
        [size] = body["attributes"]
        assert size["datatype"] == "singlevaluelist" and size["values"] and size["order"] == 1
    else:
        document = valid_xml(response, "service_definition")
        assert document.findtext("attributes/attribute/code") == "size"
    missing = client.get(f"{BASE}/services/unicorns.{fmt}")
    assert missing.status_code == 404
    assert errors_of(missing, fmt)[0]["description"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_files_a_complaint_through_the_common_intake(client, city, fmt):
    key = new_key(city)
    response = post(client, fmt, **good(key, **{"attribute[size]": "large"}))
    assert response.status_code == 201
    if fmt == "json":
        [made] = valid_json(response, "request_created")
    else:
        [made] = as_dicts(valid_xml(response, "service_requests"))
    saved = db.session.scalar(select(Complaint).where(
        Complaint.reference == made["service_request_id"]))
    assert saved.channel == Channel.OPEN311 and saved.department.code == "engineering"
    assert saved.answers == {"size": "large"} and saved.reporter_name == "Juan Dela Cruz"
    assert (saved.device_id, saved.account_id) == ("device-1", "acct-9")
    assert saved.reporter_phone == "+639171234567" and saved.api_key_id is not None
    assert made["account_id"] == "acct-9" and saved.reference in made["service_notice"]
    token = client.get(f"{BASE}/tokens/{made['token']}.{fmt}")
    assert token.status_code == 200 and saved.reference in token.get_data(as_text=True)


def test_a_client_that_passes_on_only_a_phone_has_the_citizen_told_by_sms(client, city):
    from cps.notify.models import Outbox

    response = post(client, **good(new_key(city), email=""))
    assert response.status_code == 201
    [made] = response.json
    saved = db.session.scalar(select(Complaint).where(
        Complaint.reference == made["service_request_id"]))
    [receipt] = db.session.scalars(select(Outbox).where(
        Outbox.complaint_id == saved.id, Outbox.template == "received")).all()
    assert (receipt.channel, receipt.recipient) == ("sms", "+639171234567")
    # Without any contact, nobody is told.
    response = post(client, **good(new_key(city, "other"), email="", phone=""))
    [made] = response.json
    saved = db.session.scalar(select(Complaint).where(
        Complaint.reference == made["service_request_id"]))
    assert not saved.notify


def test_post_with_an_address_or_an_address_id(client, city):
    key = new_key(city)
    by_name = post(client, **good(key, lat="", long="", address_string="Poro"))
    assert by_name.status_code == 201
    landmark = db.session.scalar(select(Landmark).where(Landmark.city_id == city.id))
    by_id = post(client, **good(key, lat="", long="", address_id=landmark.code))
    assert by_id.status_code == 201
    [made] = by_id.get_json()
    assert db.session.scalar(select(Complaint.address_text).where(
        Complaint.reference == made["service_request_id"])) == landmark.name
    unknown = post(client, **good(key, lat="", long="", address_id="atlantis"))
    assert unknown.status_code == 400


def test_multi_value_attributes(client, city):
    from cps.cities.models import Category

    garbage = db.session.scalar(select(Category).where(Category.city_id == city.id,
                                                       Category.code == "garbage"))
    garbage.questions = [{"code": "kind", "datatype": "multivaluelist", "required": True,
                          "names": {"en": "What kind?"},
                          "values": [{"key": "food", "names": {"en": "Food"}},
                                     {"key": "plastic", "names": {"en": "Plastic"}}]}]
    db.session.commit()
    key = new_key(city)
    response = client.post(f"{BASE}/requests.json", data={
        **good(key, service_code="garbage"), "attribute[kind][]": ["food", "plastic"]})
    assert response.status_code == 201
    [made] = response.get_json()
    saved = db.session.scalar(select(Complaint).where(
        Complaint.reference == made["service_request_id"]))
    assert saved.answers == {"kind": ["food", "plastic"]}
    missing = post(client, **good(key, service_code="garbage"))
    assert missing.status_code == 400


BAD = [
    ({"api_key": ""}, 403), ({"api_key": "wrong"}, 403),
    ({"service_code": ""}, 400), ({"service_code": "unicorns"}, 400),
    ({"lat": "", "long": ""}, 400), ({"lat": "91", "long": "120"}, 400),
    ({"lat": "nan", "long": "120"}, 400), ({"lat": "16.6", "long": "Infinity"}, 400),
    ({"long": ""}, 400), ({"description": "x" * 4001}, 400),
    ({"attribute[size]": "enormous"}, 400), ({"email": "not-an-address"}, 400),
    ({"media_url": "javascript:alert(1)"}, 400), ({"device_id": "d" * 101}, 400),
    ({"lat": "14.5995", "long": "120.9842"}, 400),   # Manila: outside the city
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("change", "status"), BAD)
def test_bad_posts_save_nothing(client, city, fmt, change, status):
    key = new_key(city)
    before = count()
    response = post(client, fmt, **good(key, **change))
    assert response.status_code == status
    assert errors_of(response, fmt)[0]["description"]
    assert count() == before


def test_a_revoked_key_or_another_citys_key_is_refused(client, city, tmp_path):
    from cps.cities.packs.service import load_pack
    from cps.open311.models import ApiKey
    from tests.cities.packs import PackCopy

    key = new_key(city)
    row = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == ApiKey.digest(key)))
    row.revoked_at = utcnow()
    db.session.commit()
    assert post(client, **good(key, jurisdiction_id=city.slug)).status_code == 403
    pack = PackCopy(tmp_path)
    pack.edit_settings(lambda s: s.update(slug="other-town", reference_prefix="OT",
                                          sms_number=None))
    other = load_pack(pack.path)[0]
    theirs = new_key(other)
    response = post(client, **good(theirs, jurisdiction_id=city.slug))
    assert response.status_code == 403
    header = client.post(f"{BASE}/requests.json", headers={"X-Api-Key": new_key(city)},
                         data={**good(""), "jurisdiction_id": city.slug})
    assert header.status_code == 201


def test_a_report_reads_nothing_and_is_written_at_once(client, city):
    """Once a worker holds the city and the key, a report costs no query: one INSERT on
    PostgreSQL (the event and outbox rows ride on it), one per row elsewhere."""
    from sqlalchemy import event

    key = new_key(city)
    assert post(client, **good(key)).status_code == 201     # the worker reads city and key
    statements = []
    engine = db.session.get_bind().engine

    def seen(_conn, _cursor, statement, *_args):
        word = statement.split()[0].upper()
        if word not in ("SAVEPOINT", "RELEASE"):   # the test's own transaction, not the app's
            statements.append(word)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert post(client, **good(key)).status_code == 201
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    one_statement = engine.dialect.name == "postgresql"
    # Elsewhere: the complaint, its event, the department's e-mail and the citizen's receipt.
    assert statements == (["WITH"] if one_statement else ["INSERT"] * 4)


def test_the_key_is_stored_only_as_a_digest(client, city):
    from cps.open311.models import ApiKey

    key = new_key(city)
    row = db.session.scalar(select(ApiKey))
    assert key not in (row.key_hash, row.prefix) and row.key_hash == ApiKey.digest(key)


# Reading requests ----------------------------------------------------------------------------

def test_get_requests_never_shows_personal_data(client, city):
    key = new_key(city)
    post(client, **good(key))
    for fmt in FORMATS:
        text = client.get(f"{BASE}/requests.{fmt}?extensions=true").get_data(as_text=True)
        for secret in ("Juan", "Dela Cruz", "juan@example.ph", "9171234567", "acct-9",
                       "device-1"):
            assert secret not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_and_one_request(client, city, fmt):
    made = complaint(city, "pothole", place="Poro")
    change_state(made, State.ACKNOWLEDGED, public_text="A team will come on Monday")
    db.session.commit()
    response = client.get(f"{BASE}/requests.{fmt}")
    if fmt == "json":
        rows = valid_json(response, "service_requests")
    else:
        rows = as_dicts(valid_xml(response, "service_requests"))
    row = next(r for r in rows if r["service_request_id"] == made.reference)
    assert row["status"] == "open" and row["status_notes"] == "A team will come on Monday"
    assert row["service_code"] == "pothole" and row["agency_responsible"]
    assert row["requested_datetime"].endswith("+08:00")
    assert row["expected_datetime"].endswith("+08:00")
    one = client.get(f"{BASE}/requests/{made.reference}.{fmt}")
    if fmt == "json":
        assert [r["service_request_id"] for r in valid_json(one, "service_requests")] == [
            made.reference]
    else:
        assert len(valid_xml(one, "service_requests")) == 1
    assert client.get(f"{BASE}/requests/SF-NOPE.{fmt}").status_code == 404


def test_hidden_complaints_do_not_exist(client, city):
    made = complaint(city, "pothole")
    made.hidden = True
    db.session.commit()
    assert made.reference not in client.get(f"{BASE}/requests.json").get_data(as_text=True)
    assert client.get(f"{BASE}/requests/{made.reference}.json").status_code == 404


def test_filters(client, city):
    pothole, garbage = complaint(city, "pothole"), complaint(city, "garbage")
    closed = complaint(city, "garbage")
    change_state(closed, State.RESOLVED, public_text="Collected")
    old = complaint(city, "garbage")
    old.created_at = utcnow() - timedelta(days=120)
    db.session.commit()

    def ids(query):
        response = client.get(f"{BASE}/requests.json?{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        return {r["service_request_id"] for r in valid_json(response, "service_requests")}

    assert ids("") >= {pothole.reference, garbage.reference, closed.reference}
    assert old.reference not in ids("")   # the default window is 90 days
    assert ids("service_code=pothole") == {pothole.reference}
    assert ids("service_code=pothole,garbage") == {pothole.reference, garbage.reference,
                                                  closed.reference}
    assert ids("status=closed") == {closed.reference}
    assert closed.reference not in ids("status=open")
    assert ids(f"service_request_id={old.reference},{pothole.reference}&status=closed") == {
        old.reference, pothole.reference}   # ids override the other filters
    long_ago = (utcnow() - timedelta(days=130)).date().isoformat()
    later = (utcnow() - timedelta(days=100)).date().isoformat()
    assert ids(f"start_date={long_ago}&end_date={later}") == {old.reference}
    assert ids("start_date=&end_date=&status=") >= {pothole.reference}   # empty = absent


def test_paging_and_updated_filters(client, city):
    made = [complaint(city, "garbage") for _ in range(5)]
    for i, c in enumerate(made):
        c.created_at = utcnow() - timedelta(minutes=10 - i)
    made[0].updated_at = utcnow() - timedelta(days=3)
    db.session.commit()
    first = client.get(f"{BASE}/requests.json?page_size=2").get_json()
    second = client.get(f"{BASE}/requests.json?page_size=2&page=2").get_json()
    assert [r["service_request_id"] for r in first] == [made[4].reference, made[3].reference]
    assert [r["service_request_id"] for r in second] == [made[2].reference, made[1].reference]
    since = (utcnow() - timedelta(days=1)).isoformat()
    recent = {r["service_request_id"] for r in client.get(
        f"{BASE}/requests.json?updated_after={since}").get_json()}
    assert made[0].reference not in recent and made[1].reference in recent
    before = {r["service_request_id"] for r in client.get(
        f"{BASE}/requests.json?updated_before={since}").get_json()}
    assert made[0].reference in before and made[1].reference not in before


def test_bbox_and_radius(client, city):
    near = complaint(city, "garbage", place="16.6159, 120.3166")
    far = complaint(city, "garbage", place="16.5800, 120.3400")

    def ids(query):
        response = client.get(f"{BASE}/requests.json?{query}")
        assert response.status_code == 200
        return {r["service_request_id"] for r in response.get_json()}

    around = ids("lat=16.6160&long=120.3167&radius=200")
    assert near.reference in around and far.reference not in around
    box = ids("bbox=120.31,16.61,120.32,16.62")
    assert near.reference in box and far.reference not in box


@pytest.mark.parametrize("query", [
    "page_size=10000000", "page=0", "start_date=yesterday", "end_date=2026-13-45",
    "start_date=2026-01-01&end_date=2026-06-01", "status=pending", "service_code=unicorns",
    "bbox=1,2,3", "bbox=120,17,121,16", "lat=16.6", "lat=nan&long=120",
    "radius=999999&lat=1&long=1",
    "updated_after=2020-01-01T00:00:00Z", "start_date=2026-06-01&end_date=2026-01-01"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_bad_queries_get_the_spec_error(client, city, query, fmt):
    response = client.get(f"{BASE}/requests.{fmt}?{query}")
    assert response.status_code == 400
    assert errors_of(response, fmt)[0]["description"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_extensions_add_notes_and_extended_attributes(client, city, fmt):
    made = complaint(city, "pothole", answers={"size": "large"})
    change_state(made, State.IN_PROGRESS, public_text="Crew on site")
    db.session.commit()
    response = client.get(f"{BASE}/requests/{made.reference}.{fmt}?extensions=true")
    if fmt == "json":
        [row] = valid_json(response, "service_requests")
        assert row["notes"][-1]["description"] == "Crew on site"
        assert row["extended_attributes"]["state"] == "in_progress"
        assert row["extended_attributes"]["attributes"] == [{"code": "size", "value": "large"}]
    else:
        document = valid_xml(response, "service_requests")
        assert document.findall("request/notes/note")[-1].findtext("description") == (
            "Crew on site")
        assert document.findtext("request/extended_attributes/state") == "in_progress"


def test_xml_stays_well_formed_with_control_characters_and_json_has_no_nan(client, city):
    made = complaint(city, "garbage")
    made.description = "bad\x01 \x1b[31m text \ufffe end"   # as old data could hold
    db.session.commit()
    xml = client.get(f"{BASE}/requests/{made.reference}.xml")
    document = valid_xml(xml, "service_requests")
    assert document.findtext("request/description") == "bad [31m text  end"
    text = client.get(f"{BASE}/requests.json").get_data(as_text=True)
    assert "NaN" not in text and "Infinity" not in text


def test_unknown_format_and_method(client, city):
    assert client.get(f"{BASE}/requests.html").status_code == 404
    response = client.delete(f"{BASE}/requests.json")
    assert response.status_code == 405 and valid_json(response, "errors")
