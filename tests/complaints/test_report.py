"""Filing a complaint on the web: every way to place it, photos, and the confirmation."""

from PIL import Image
from sqlalchemy import func, select

from cps.complaints.keys import holds_key
from cps.complaints.models import Channel, Complaint, Photo
from cps.complaints.storage import path_of
from cps.extensions import db
from tests.complaints.web import CITY, complaint_of, hidden, open_form, report, text
from tests.images import jpeg_with_gps, plain_jpeg, png_with_alpha
from tests.places import district, inside


def test_step_one_lists_the_categories_to_choose_from(client, city):
    page = text(client.get(f"{CITY}/report"))
    assert "Pothole or damaged road" in page and "Uncollected garbage" in page
    assert f'href="{CITY}/report/garbage"' in page


def test_the_form_carries_a_csrf_token_and_a_one_time_key(client, city):
    first, second = open_form(client), open_form(client)
    assert first["csrf_token"] and len(first["submission_key"]) == 32
    assert first["submission_key"] != second["submission_key"]


def test_an_unknown_or_retired_category_is_404(client, city):
    assert client.get(f"{CITY}/report/no-such-thing").status_code == 404
    garbage = next(c for c in city.categories if c.code == "garbage")
    garbage.active = False
    db.session.commit()
    assert client.get(f"{CITY}/report/garbage").status_code == 404


def test_filing_by_landmark_text(client, city):
    response = report(client, description="Malaking lubak sa kalsada",
                      location_text="near Pindangan Ruins", answer_size="large")
    complaint = complaint_of(response)
    assert complaint.channel == Channel.WEB and complaint.district_id == district("Parian").id
    assert complaint.address_text == "Pindangan Ruins" and complaint.answers == {"size": "large"}
    assert complaint.department.code == "engineering"


def test_filing_by_a_point_on_the_map(client, city):
    lat, lon = inside("Lingsat")
    complaint = complaint_of(report(client, description="Hole", lat=str(lat), lon=str(lon)))
    assert complaint.district_id == district("Lingsat").id


def test_filing_by_plus_code(client, city):
    complaint = complaint_of(report(client, description="Hole",
                                    location_text="J88C+2G San Fernando"))
    assert complaint.point is not None and complaint.district_id is not None


def test_the_confirmation_gives_reference_department_date_and_how_to_follow(client, city):
    complaint = complaint_of(report(client, description="Hole", location_text="Catbangen"))
    page = text(client.get(f"{CITY}/report/done/{complaint.reference}"))
    assert complaint.reference in page and "City Engineering Office" in page
    assert "Expected by" in page and f"STATUS {complaint.reference}" in page
    assert "+639175550143" in page and f"/track/{complaint.reference}" in page


def test_the_reporter_gets_a_private_link_that_others_do_not_see(app, client, city):
    complaint = complaint_of(report(client, description="Hole", location_text="Catbangen"))
    page = text(client.get(f"{CITY}/report/done/{complaint.reference}"))
    key = hidden_link_key(page, complaint.reference)
    assert holds_key(complaint, key)
    stranger = app.test_client()
    assert "?key=" not in text(stranger.get(f"{CITY}/report/done/{complaint.reference}"))


def hidden_link_key(page: str, reference: str) -> str:
    start = page.index(f"/track/{reference}?key=") + len(f"/track/{reference}?key=")
    return page[start:page.index('"', start)]


def test_a_photo_with_gps_places_the_complaint_and_loses_its_metadata(client, city):
    lat, lon = inside("Lingsat")
    response = report(client, description="Hole", files=[("street.jpg", jpeg_with_gps(
        lat, lon, size=(3000, 2000)))])
    complaint = complaint_of(response)
    assert complaint.district_id == district("Lingsat").id
    [photo] = complaint.photos
    with Image.open(path_of(photo)) as image:
        assert image.format == "JPEG" and max(image.size) == 1600
        assert not image.getexif() and "exif" not in image.info
    served = client.get(f"{CITY}/photos/{photo.id}.jpg")
    served.close()
    assert served.status_code == 200 and served.mimetype == "image/jpeg"


def test_a_given_place_wins_over_the_photo_gps(client, city):
    complaint = complaint_of(report(client, description="Hole", location_text="Poro",
                                    files=[("a.jpg", jpeg_with_gps(*inside("Lingsat")))]))
    assert complaint.district_id == district("Poro").id


def test_up_to_three_photos_of_any_common_type(client, city):
    files = [("a.jpg", plain_jpeg()), ("b.png", png_with_alpha()), ("c.jpg", plain_jpeg())]
    complaint = complaint_of(report(client, description="Hole", location_text="Poro",
                                    files=files))
    assert [p.content_type for p in complaint.photos] == ["image/jpeg"] * 3


def test_photos_of_a_form_shown_again_are_kept(client, city):
    response = report(client, description="", location_text="Poro",
                      files=[("a.jpg", plain_jpeg())])
    assert response.status_code == 422 and "1 photo attached" in text(response)
    tokens = hidden(text(response), "photo_tokens")
    form = {"csrf_token": hidden(text(response), "csrf_token"),
            "submission_key": hidden(text(response), "submission_key")}
    complaint = complaint_of(report(client, form=form, description="Hole", location_text="Poro",
                                    photo_tokens=tokens))
    assert len(complaint.photos) == 1


def test_contact_details_and_wishes_are_kept_privately(client, city):
    complaint = complaint_of(report(
        client, description="Hole", location_text="Poro", name="Juan dela Cruz",
        phone="0917 123 4567", email="juan@example.ph", notify="y"))
    assert (complaint.reporter_phone, complaint.reporter_email) == ("+639171234567",
                                                                    "juan@example.ph")
    assert complaint.notify and not complaint.show_name
    page = text(client.get(f"{CITY}/track/{complaint.reference}"))
    assert "Juan" not in page and "4567" not in page and "juan@" not in page


def test_show_my_name_shows_only_the_name(client, city):
    complaint = complaint_of(report(client, description="Hole", location_text="Poro",
                                    name="Juan dela Cruz", email="juan@example.ph",
                                    show_name="y"))
    page = text(client.get(f"{CITY}/track/{complaint.reference}"))
    assert "Juan dela Cruz" in page and "juan@" not in page


def test_the_reporters_language_is_kept_for_notices(client, city):
    client.get(f"{CITY}/lang/fil")
    complaint = complaint_of(report(client, description="Lubak", location_text="Poro"))
    assert complaint.reporter_locale == "fil"


def test_the_same_form_sent_twice_makes_one_complaint(client, city):
    form = open_form(client)
    first = report(client, form=form, description="Hole", location_text="Poro")
    second = report(client, form=form, description="Hole", location_text="Poro")
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 1


def test_a_photo_served_only_while_public(client, city):
    complaint = complaint_of(report(client, description="Hole", location_text="Poro",
                                    files=[("a.jpg", plain_jpeg())]))
    photo = complaint.photos[0]
    photo.hidden = True
    db.session.commit()
    assert client.get(f"{CITY}/photos/{photo.id}.jpg").status_code == 404
    assert client.get(f"{CITY}/photos/999999.jpg").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 1
