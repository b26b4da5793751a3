"""The public tracking page: state and public history only, found by a forgiving reference."""

import pytest

from cps.cities.models import City
from cps.complaints.models import Channel
from cps.complaints.services import submit_complaint
from cps.complaints.states import State
from cps.complaints.workflow import change_state
from cps.extensions import db


@pytest.fixture
def complaint(city):
    c = submit_complaint(city, Channel.SMS, {
        "category": "garbage", "description": "<script>alert('x')</script> basura sa kanto",
        "location_text": "Poro", "reporter_name": "Juan dela Cruz",
        "reporter_phone": "09171234567", "reporter_email": "juan@example.ph"})
    change_state(c, State.ACKNOWLEDGED, public_text="Ipinadala na ang trak.",
                 internal_note="driver Pedro on leave")
    db.session.commit()
    return c


def page(client, path, lang="en"):
    return client.get(path, headers={"Accept-Language": lang})


def test_the_page_shows_state_department_and_public_updates(client, complaint):
    response = page(client, f"/san-fernando-la-union/track/{complaint.reference}")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Acknowledged" in text and "Ipinadala na ang trak." in text
    assert "City Environment and Natural Resources Office" in text and "Expected by" in text


def test_the_page_never_shows_internal_notes_or_the_reporter(client, complaint):
    text = page(client, f"/san-fernando-la-union/track/{complaint.reference}").get_data(
        as_text=True)
    for secret in ("driver Pedro", "Juan dela Cruz", "9171234567", "juan@example.ph"):
        assert secret not in text


def test_html_in_the_description_is_shown_escaped(client, complaint):
    text = page(client, f"/san-fernando-la-union/track/{complaint.reference}").get_data(
        as_text=True)
    assert "<script>alert" not in text and "&lt;script&gt;" in text


def test_the_page_speaks_filipino(client, complaint):
    text = page(client, f"/san-fernando-la-union/track/{complaint.reference}", "fil").get_data(
        as_text=True)
    assert "Kinilala" in text and "Acknowledged" not in text


def test_a_loosely_typed_reference_finds_the_complaint(client, complaint):
    typed = complaint.reference.lower().replace("-", " ")
    response = page(client, f"/san-fernando-la-union/track?ref={typed}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/track/{complaint.reference}")


def test_a_mistyped_reference_is_not_someone_elses(client, complaint):
    body = complaint.reference[3:]
    wrong = body[:2] + ("0" if body[2] != "0" else "1") + body[3:]
    response = page(client, f"/san-fernando-la-union/track?ref=SF-{wrong}")
    assert response.status_code == 404 and "There is no complaint" in response.get_data(
        as_text=True)


@pytest.mark.parametrize("ref", ["SF-0000000", "nonsense", "x" * 300, "SF-%3Cb%3E"])
def test_unknown_or_malformed_references_are_not_found(client, complaint, ref):
    assert page(client, f"/san-fernando-la-union/track/{ref}").status_code == 404


def test_hidden_complaints_are_not_found(client, complaint):
    complaint.hidden = True
    db.session.commit()
    assert page(client, f"/san-fernando-la-union/track/{complaint.reference}").status_code == 404


def test_another_citys_page_does_not_show_the_complaint(client, complaint):
    db.session.add(City(slug="pokhara", names={"en": "Pokhara"}, reference_prefix="SF",
                        default_locale="en", locales=["en"], timezone="Asia/Kathmandu",
                        country_code="NP"))
    db.session.commit()
    assert page(client, f"/pokhara/track/{complaint.reference}").status_code == 404


def test_the_home_page_links_recent_complaints_to_their_pages(client, complaint):
    text = page(client, "/san-fernando-la-union/").get_data(as_text=True)
    assert f"/san-fernando-la-union/track/{complaint.reference}" in text
