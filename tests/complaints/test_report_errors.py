"""Bad input on the report form: a clear message, what was typed kept, nothing half-saved."""

import re

import pytest
from sqlalchemy import func, select

from cps.complaints.models import Complaint, Photo
from cps.extensions import db
from tests.complaints.web import CITY, hidden, open_form, report, text
from tests.images import plain_jpeg, png_bomb


def count(model=Complaint) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_missing_description_is_asked_for_and_the_rest_kept(client, city):
    response = report(client, description="  ", location_text="Pindangan Ruins",
                      email="juan@example.ph", answer_size="medium")
    page = text(response)
    assert response.status_code == 422 and "Please describe the problem." in page
    assert 'value="Pindangan Ruins"' in page and 'value="juan@example.ph"' in page
    assert re.search(r'value="medium"\s+checked', page)
    assert count() == 0


def test_a_description_over_the_limit_is_refused_and_kept(client, city):
    long = "x" * 4001
    response = report(client, description=long, location_text="Poro")
    assert response.status_code == 422 and "at most 4,000 characters" in text(response)
    assert long in text(response) and count() == 0


def test_html_and_script_are_shown_escaped(client, city):
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    response = report(client, description=evil, location_text="Poro", name=evil)
    reference = response.headers["Location"].rsplit("/", 1)[-1]
    page = text(client.get(f"{CITY}/track/{reference}"))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    shown_again = text(report(client, description=evil, location_text="Nowhere at all"))
    assert "<script>alert(1)" not in shown_again and "<img src=x" not in shown_again


def test_a_place_outside_the_city_is_refused(client, city):
    response = report(client, description="Hole", lat="14.5995", lon="120.9842")  # Manila
    assert response.status_code == 422 and "outside" in text(response) and count() == 0


@pytest.mark.parametrize("lat,lon", [("nan", "120.3"), ("91", "120.3"), ("abc", "1"),
                                     ("16.6", "")])
def test_malformed_coordinates_are_refused(client, city, lat, lon):
    response = report(client, description="Hole", lat=lat, lon=lon)
    assert response.status_code == 422 and count() == 0


def test_no_location_at_all_is_asked_for(client, city):
    response = report(client, description="Hole")
    assert response.status_code == 422 and "Please tell us where the problem is" in text(
        response)


def test_an_unknown_place_is_explained(client, city):
    response = report(client, description="Hole", location_text="Xyzzyville")
    assert response.status_code == 422 and "We could not find" in text(response)


def test_an_ambiguous_place_offers_a_choice_then_files(client, city):
    response = report(client, description="Hole", location_text="Narra")
    page = text(response)
    assert response.status_code == 422 and "Narra Este" in page and "Narra Oeste" in page
    value = page[page.index('value="', page.index('name="place_choice"')) + 7:]
    value = value[:value.index('"')]
    form = {"csrf_token": hidden(page, "csrf_token"),
            "submission_key": hidden(page, "submission_key")}
    done = report(client, form=form, description="Hole", location_text="Narra",
                  place_choice=value)
    assert done.status_code == 302 and count() == 1


def test_a_file_that_is_not_an_image_is_refused(client, city):
    response = report(client, description="Hole", location_text="Poro",
                      files=[("virus.jpg", b"MZ\x90\x00 this is not a photo")])
    page = text(response)
    assert response.status_code == 422 and "virus.jpg is not a photo" in page
    assert "Hole</textarea>" in page and count() == 0 and count(Photo) == 0


def test_an_oversized_photo_is_413_and_the_form_kept(app, client, city, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_PHOTO_BYTES", 1000)
    response = report(client, description="Hole", location_text="Poro",
                      files=[("big.jpg", plain_jpeg((400, 400)) + b"\0" * 2000)])
    assert response.status_code == 413 and "too large" in text(response)
    assert "Hole</textarea>" in text(response) and count() == 0


@pytest.mark.parametrize("side", [8_000, 30_000])  # over our limit; over Pillow's too
def test_a_decompression_bomb_is_refused(client, city, side):
    response = report(client, description="Hole", location_text="Poro",
                      files=[("bomb.png", png_bomb(side, side))])
    assert response.status_code == 413 and "too many pixels" in text(response)
    assert count() == 0 and count(Photo) == 0


def test_more_than_three_photos_are_refused(client, city):
    files = [(f"{i}.jpg", plain_jpeg()) for i in range(4)]
    response = report(client, description="Hole", location_text="Poro", files=files)
    assert response.status_code == 422 and "At most 3 photos" in text(response)
    assert "3 photos attached" in text(response) and count() == 0


def test_a_request_larger_than_the_limit_is_413(app, client, city, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 10_000)
    response = report(client, description="Hole", location_text="Poro",
                      files=[("a.jpg", b"\xff" * 20_000)])
    assert response.status_code == 413 and "too large" in text(response) and count() == 0


def test_a_forged_csrf_token_is_refused_and_the_form_kept(client, city):
    form = {**open_form(client), "csrf_token": "forged"}
    response = report(client, form=form, description="Hole", location_text="Poro")
    page = text(response)
    assert response.status_code == 400 and "expired or did not come from this site" in page
    assert "Hole</textarea>" in page and count() == 0
    again = {"csrf_token": hidden(page, "csrf_token"),
             "submission_key": hidden(page, "submission_key")}
    assert report(client, form=again, description="Hole", location_text="Poro"
                  ).status_code == 302


def test_a_form_from_another_browser_is_refused(app, client, city):
    form = open_form(app.test_client())  # its token belongs to another session
    assert report(client, form=form, description="Hole", location_text="Poro"
                  ).status_code == 400
    assert count() == 0


def test_an_invalid_contact_is_explained(client, city):
    response = report(client, description="Hole", location_text="Poro", phone="12",
                      email="not-an-email")
    page = text(response)
    assert response.status_code == 422 and "12 is not a valid phone number" in page
    assert "not-an-email is not a valid e-mail address" in page and count() == 0


def test_an_invalid_answer_is_explained(client, city):
    response = report(client, description="Hole", location_text="Poro", answer_size="huge")
    assert response.status_code == 422 and "huge" in text(response) and count() == 0


def test_other_citys_and_unknown_references_are_404_on_the_confirmation(client, city):
    assert client.get(f"{CITY}/report/done/SF-XXXXXXX").status_code == 404
    assert client.get(f"{CITY}/report/done/<script>").status_code == 404


def test_messages_come_in_the_citizens_language(client, city):
    client.get(f"{CITY}/lang/fil")
    response = report(client, description="", location_text="Poro")
    page = text(response)
    assert response.status_code == 422 and 'lang="fil"' in page
    assert "Pakilarawan ang problema." in page and "Please describe" not in page


def test_reports_are_rate_limited_per_address(live_app):
    app = live_app(RATELIMIT_ENABLED=True, RATE_LIMIT_REPORT="2 per minute")
    client = app.test_client()
    statuses = [report(client, description="", location_text="Poro").status_code
                for _ in range(3)]
    assert statuses == [422, 422, 429]
    assert "Too many requests" in text(report(client, description="x"))
    assert client.get(f"{CITY}/report/pothole").status_code == 200  # reading is not limited
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert report(other, description="", location_text="Poro").status_code == 422


def test_the_same_form_sent_twice_at_once_makes_one_complaint(live_app):
    from concurrent.futures import ThreadPoolExecutor

    app = live_app()
    client = app.test_client()
    form = open_form(client)

    def send(_):
        with app.app_context():
            return report(client, form=form, description="Hole", location_text="Poro")

    with ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(send, range(4)))
    assert {r.status_code for r in responses} == {302}
    assert len({r.headers["Location"] for r in responses}) == 1
    with app.app_context():
        assert count() == 1
