"""Helpers for driving the citizen pages through the test client."""

import html
import io
import re

from sqlalchemy import select

from cps.complaints.models import Complaint
from cps.extensions import db

CITY = "/san-fernando-la-union"


def hidden(page: str, name: str) -> str:
    """The value of the form input called `name` in an HTML page."""
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    assert match, f"no input {name}"
    return html.unescape(match.group(1))


def open_form(client, code: str = "pothole") -> dict:
    """GET the report form; returns the hidden fields a browser would send back."""
    page = client.get(f"{CITY}/report/{code}").get_data(as_text=True)
    return {"csrf_token": hidden(page, "csrf_token"),
            "submission_key": hidden(page, "submission_key")}


def report(client, code: str = "pothole", files=(), form: dict | None = None, **fields):
    """Fill in and send the report form as a browser would."""
    data = {**(form or open_form(client, code)), **fields}
    if files:
        data["photos"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(f"{CITY}/report/{code}", data=data, content_type="multipart/form-data")


def complaint_of(response) -> Complaint:
    """The complaint a redirect to its confirmation page is about."""
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    reference = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    return db.session.scalar(select(Complaint).where(Complaint.reference == reference))


def text(response) -> str:
    return response.get_data(as_text=True)
