"""A phone that texts the city through the Twilio webhook, signing requests as Twilio does."""

import itertools
import xml.etree.ElementTree as ET

from twilio.request_validator import RequestValidator

TOKEN = "test-auth-token-0123456789abcdef"
CITY_NUMBER = "+639175550143"
BASE_URL = "http://127.0.0.1:5000"
_sids = itertools.count(1)


def signed(path: str, params: dict, token: str = TOKEN) -> dict:
    """Headers Twilio would send with these form parameters to BASE_URL + path."""
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(
        BASE_URL + path, params)}


class Phone:
    """A citizen's phone number; `text()` sends a message and returns the city's reply."""

    def __init__(self, client, number: str = "+639171234567"):
        self.client, self.number = client, number

    def send(self, body: str, sid: str | None = None, media=(), to: str = CITY_NUMBER,
             headers: dict | None = None):
        params = {"From": self.number, "To": to, "Body": body,
                  "MessageSid": sid or f"SM{next(_sids):032d}", "NumMedia": str(len(media)),
                  "AccountSid": "AC" + "0" * 32}
        params.update({f"MediaUrl{i}": url for i, url in enumerate(media)})
        return self.client.post("/sms/twilio", data=params,
                                headers=headers if headers is not None
                                else signed("/sms/twilio", params))

    def text(self, body: str, **kwargs) -> str | None:
        response = self.send(body, **kwargs)
        assert response.status_code == 200, response.status_code
        return reply_of(response)


def reply_of(response) -> str | None:
    """The text of the TwiML <Message>, or None when the city says nothing."""
    root = ET.fromstring(response.data)  # noqa: S314 (our own TwiML, in a test)
    assert root.tag == "Response"
    message = root.find("Message")
    return message.text if message is not None else None
