"""SMS tests: the Twilio auth token set, as in any install that takes SMS."""

import pytest

from tests.sms.phone import TOKEN, Phone


@pytest.fixture
def twilio(app, monkeypatch):
    monkeypatch.setitem(app.config, "TWILIO_AUTH_TOKEN", TOKEN)
    monkeypatch.setitem(app.config, "BASE_URL", "http://127.0.0.1:5000")
    return app


@pytest.fixture
def phone(client, city, twilio):
    return Phone(client)


@pytest.fixture
def neighbour(client, city, twilio):
    return Phone(client, "+639181112222")
