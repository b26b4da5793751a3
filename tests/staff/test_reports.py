"""Dashboard, transparency page and exports: the right figures, never personal data."""

import csv
import io

from cps.staff.models import Role
from tests.complaints.web import text
from tests.staff.people import complaint, sign_in, staff

PRIVATE = ("Juan", "09171234567", "+639171234567", "juan@example.ph")


def personal(city, category="garbage", **fields):
    return complaint(city, category, reporter_name="Juan dela Cruz",
                     reporter_phone="09171234567", reporter_email="juan@example.ph", **fields)


def test_the_dashboard_shows_the_citys_figures(client, city):
    personal(city), personal(city, "pothole")
    sign_in(client, staff(city, Role.ADMIN))
    page = text(client.get("/staff/dashboard"))
    assert "Time to resolve" in page and "City Engineering Office" in page
    assert '"category": {"labels": ["garbage", "pothole"]' in page.replace("&#34;", '"')


def test_an_officer_sees_only_their_departments_figures(client, city):
    personal(city), personal(city, "pothole")
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    page = text(client.get("/staff/dashboard")).replace("&#34;", '"')
    assert '"labels": ["garbage"]' in page and "pothole" not in page


def test_the_staff_export_has_no_contact_details_and_is_audited(client, city):
    personal(city, description="=HYPERLINK(\"http://evil\")")
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    response = client.get("/staff/export.csv")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and "attachment" in response.headers[
        "Content-Disposition"]
    assert not any(p in body for p in PRIVATE)
    [row] = list(csv.DictReader(io.StringIO(body)))
    assert row["category"] == "garbage" and row["description"].startswith("'=")
    geo = client.get("/staff/export.geojson").get_json()
    assert geo["features"][0]["geometry"]["type"] == "Point"


def test_exports_follow_what_the_staff_member_may_see(client, city):
    personal(city, "pothole")
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    assert len(list(csv.DictReader(io.StringIO(text(client.get("/staff/export.csv")))))) == 0
    assert client.get("/staff/export.xml").status_code == 404
    assert client.get("/staff/export.csv?state=bogus").status_code == 400


def test_the_public_transparency_page_and_open_data(client, city):
    shown = personal(city)
    hidden = personal(city)
    hidden.hidden = True
    from cps.extensions import db

    db.session.commit()
    page = text(client.get(f"/{city.slug}/transparency"))
    assert "City Environment and Natural Resources Office" in page
    assert not any(p in page for p in PRIVATE)
    body = text(client.get(f"/{city.slug}/open-data/complaints.csv"))
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["reference"] for r in rows] == [shown.reference]
    assert "description" not in rows[0] and "address" not in rows[0]
    assert len(rows[0]["lat"].split(".")[1]) <= 3
    assert not any(p in body for p in PRIVATE)


def test_transparency_in_filipino(client, city):
    client.get(f"/{city.slug}/lang/fil")
    page = text(client.get(f"/{city.slug}/transparency"))
    assert 'lang="fil"' in page and "How the city serves you" not in page


def test_the_queue_map_shows_what_the_staff_member_sees(client, city):
    mine, theirs = personal(city), personal(city, "pothole")
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    features = client.get("/staff/complaints.geojson").get_json()["features"]
    assert [f["properties"]["reference"] for f in features] == [mine.reference]
    assert features[0]["properties"]["url"] == f"/staff/complaints/{mine.reference}"
    assert theirs.reference not in text(client.get("/staff/queue"))
    assert client.get("/staff/complaints.geojson?state=bogus").status_code == 400
