"""The public list and map: filters, pages, and never a hidden complaint or a personal detail."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from cps.complaints.models import Channel
from cps.complaints.services import submit_complaint
from cps.complaints.states import State
from cps.complaints.workflow import change_state
from cps.extensions import db
from tests.complaints.web import CITY, text


def make(city, category="garbage", place="Poro", **fields):
    complaint = submit_complaint(city, Channel.WEB, {
        "category": category, "description": "desc", "location_text": place,
        "reporter_name": "Juan dela Cruz", "reporter_phone": "09171234567",
        "reporter_email": "juan@example.ph", **fields})
    db.session.commit()
    return complaint


def refs(page: str, complaints) -> set:
    return {c.reference for c in complaints if c.reference in page}


def test_filters_by_category_district_and_state(client, city):
    garbage_poro, pothole_poro = make(city), make(city, "pothole")
    garbage_lingsat = make(city, place="Lingsat")
    change_state(garbage_lingsat, State.RESOLVED)
    db.session.commit()
    every = [garbage_poro, pothole_poro, garbage_lingsat]
    assert refs(text(client.get(f"{CITY}/complaints")), every) == {c.reference for c in every}
    assert refs(text(client.get(f"{CITY}/complaints?category=garbage")), every) == {
        garbage_poro.reference, garbage_lingsat.reference}
    poro = garbage_poro.district.code
    assert refs(text(client.get(f"{CITY}/complaints?district={poro}")), every) == {
        garbage_poro.reference, pothole_poro.reference}
    assert refs(text(client.get(f"{CITY}/complaints?state=closed")), every) == {
        garbage_lingsat.reference}
    assert refs(text(client.get(f"{CITY}/complaints?state=open&category=garbage")), every) == {
        garbage_poro.reference}


def test_filters_by_date_in_the_citys_timezone(client, city):
    old, new = make(city), make(city)
    old.created_at = new.created_at - timedelta(days=10)
    db.session.commit()
    day = new.created_at.astimezone(ZoneInfo(city.timezone)).date()
    page = text(client.get(f"{CITY}/complaints?from={day.isoformat()}&to={day.isoformat()}"))
    assert refs(page, [old, new]) == {new.reference}


def test_pages(app, client, city, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    made = [make(city) for _ in range(5)]
    first = text(client.get(f"{CITY}/complaints"))
    third = text(client.get(f"{CITY}/complaints?page=3"))
    assert "Page 1 of 3" in first and len(refs(first, made)) == 2
    assert refs(third, made) == {made[0].reference}
    assert client.get(f"{CITY}/complaints?page=99").status_code == 200
    assert client.get(f"{CITY}/complaints?page=abc").status_code == 200


@pytest.mark.parametrize("query", ["state=nonsense", "from=yesterday", "to=2026-13-45"])
def test_bad_filters_are_explained(client, city, query):
    response = client.get(f"{CITY}/complaints?{query}")
    assert response.status_code == 400 and 'class="error"' in text(response)
    assert client.get(f"{CITY}/complaints.geojson?{query}").status_code == 400


def test_hidden_complaints_and_personal_details_never_show(client, city):
    shown, hidden = make(city), make(city)
    hidden.hidden = True
    db.session.commit()
    for url in (f"{CITY}/complaints", f"{CITY}/complaints.geojson", f"{CITY}/"):
        page = text(client.get(url))
        assert shown.reference in page and hidden.reference not in page
        assert "Juan" not in page and "4567" not in page and "juan@" not in page
    assert client.get(f"{CITY}/track/{hidden.reference}").status_code == 404


def test_the_map_data_is_geojson_of_public_facts(client, city):
    complaint = make(city)
    response = client.get(f"{CITY}/complaints.geojson?category=garbage")
    assert response.mimetype == "application/geo+json"
    [feature] = response.get_json()["features"]
    assert feature["geometry"]["type"] == "Point"
    assert set(feature["properties"]) == {"reference", "category", "state", "state_title",
                                          "open", "url"}
    assert feature["properties"]["reference"] == complaint.reference


def test_district_outlines_are_light_enough_for_a_phone(client, city):
    response = client.get(f"{CITY}/districts.geojson")
    features = response.get_json()["features"]
    assert len(features) == 59 and len(response.data) < 60_000
    assert response.cache_control.max_age == 3600


def test_place_suggestions(client, city):
    places = client.get(f"{CITY}/places?q=pindangan").get_json()["places"]
    assert places[0]["name"] == "Pindangan Ruins" and places[0]["district"] == "Parian"
    assert client.get(f"{CITY}/places?q=x").get_json() == {"places": []}


def test_pages_leave_compressed(client, city):
    response = client.get(f"{CITY}/districts.geojson", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
