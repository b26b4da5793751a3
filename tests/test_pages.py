"""Public pages: the city chooser, the city's home page, languages and error pages."""

from cps.cities.models import City
from cps.extensions import db


def test_root_redirects_to_the_only_city(client, city):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/san-fernando-la-union/")


def test_root_lists_cities_when_there_are_several(client, city):
    db.session.add(City(slug="pokhara", names={"en": "Pokhara"}, reference_prefix="PK",
                        default_locale="en", locales=["en"], timezone="Asia/Kathmandu",
                        country_code="NP"))
    db.session.flush()
    page = client.get("/").get_data(as_text=True)
    assert "Choose your city" in page and "Pokhara" in page and "San Fernando" in page


def test_city_home_shows_what_can_be_reported(client, city):
    page = client.get("/san-fernando-la-union/", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Uncollected garbage" in text and "Report a problem in City of San Fernando" in text
    assert 'lang="en"' in text


def test_city_home_follows_the_browser_language(client, city):
    text = client.get("/san-fernando-la-union/", headers={"Accept-Language": "fil"}).get_data(
        as_text=True)
    assert "Hindi nakolektang basura" in text and 'lang="fil"' in text
    assert "Report a problem in" not in text


def test_language_choice_is_remembered(client, city):
    response = client.get("/san-fernando-la-union/lang/fil?next=/san-fernando-la-union/")
    assert response.status_code == 302
    text = client.get("/san-fernando-la-union/", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert 'lang="fil"' in text


def test_language_switch_never_redirects_elsewhere(client, city):
    for target in ("https://evil.example/", "//evil.example/", "/other-city/"):
        response = client.get(f"/san-fernando-la-union/lang/fil?next={target}")
        assert response.headers["Location"] == "/san-fernando-la-union/"


def test_a_language_the_city_does_not_offer_is_not_found(client, city):
    assert client.get("/san-fernando-la-union/lang/xx").status_code == 404


def test_unknown_city_gets_a_translated_404_page(client, city):
    response = client.get("/atlantis/", headers={"Accept-Language": "fil"})
    assert response.status_code == 404
    assert "<h1>" in response.get_data(as_text=True)
    assert "We could not find that page." not in response.get_data(as_text=True)
