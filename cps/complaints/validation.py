"""Checks of what a citizen sends, shared by every channel."""

import math
import re
from datetime import datetime

import phonenumbers
from flask import current_app
from flask_babel import gettext as _

from cps.cities.formats import format_decimal
from cps.complaints.errors import InvalidAnswer, InvalidContact, InvalidDescription

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def clean_text(value, limit: int) -> str:
    """Text without control characters, trimmed; longer than `limit` is refused by callers."""
    return CONTROL.sub("", str(value or "")).strip()[: limit + 1]


def description(value) -> str:
    """The description: required, at most MAX_DESCRIPTION_LENGTH characters."""
    limit = current_app.config["MAX_DESCRIPTION_LENGTH"]
    text = CONTROL.sub("", str(value or "")).strip()
    if not text:
        raise InvalidDescription(_("Please describe the problem."), field="description")
    if len(text) > limit:
        raise InvalidDescription(_("The description is too long (at most %(max)s characters).",
                                   max=format_decimal(limit)), field="description")
    return text


def phone(value, country_code: str, field: str = "reporter_phone") -> str | None:
    """A phone number in E.164 form, read as a local number of the city's country if needed."""
    if not value:
        return None
    try:
        number = phonenumbers.parse(str(value)[:40], country_code)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidContact(_("%(value)s is not a valid phone number.", value=str(value)[:40]),
                             field=field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email(value, field: str = "reporter_email") -> str | None:
    """An e-mail address, or None; refused when it does not look like one."""
    text = str(value or "").strip()
    if not text:
        return None
    if len(text) > 254 or not EMAIL.match(text):
        raise InvalidContact(_("%(value)s is not a valid e-mail address.", value=text[:60]),
                             field=field)
    return text


def answers(category, given: dict | None) -> dict:
    """Answers to the category's extra questions, checked against their datatypes."""
    given = given or {}
    out = {}
    for question in category.questions:
        value = given.get(question["code"])
        if value in (None, "", []):
            if question["required"]:
                raise InvalidAnswer(_("Please answer “%(question)s”.",
                                      question=question["names"].get("en", question["code"])),
                                    question=question["code"])
            continue
        out[question["code"]] = _answer(question, value)
    return out


def _answer(question: dict, value):
    keys = {v["key"] for v in question["values"]}
    kind = question["datatype"]
    try:
        if kind == "singlevaluelist" and str(value) in keys:
            return str(value)
        if kind == "multivaluelist":
            values = [str(v) for v in (value if isinstance(value, list) else [value])]
            if values and set(values) <= keys:
                return values
        if kind == "number" and math.isfinite(float(value)):
            return float(value)
        if kind == "datetime":
            return datetime.fromisoformat(str(value)).isoformat()
        if kind in ("string", "text"):
            return clean_text(value, 4000)
    except (TypeError, ValueError):
        pass
    raise InvalidAnswer(_("“%(value)s” is not a valid answer to “%(question)s”.",
                          value=str(value)[:60], question=question["code"]),
                        question=question["code"])
