"""Reading admin forms: every value checked, with a translated message naming the field."""

import json
import re
from datetime import date

from flask_babel import gettext as _

from cps.cities.packs.errors import PackError
from cps.cities.packs.settings import CODE_RE, _questions
from cps.complaints import validation
from cps.domain import DomainError

MAX_NAME = 200


class Invalid(DomainError):
    """A form value an admin must correct; `field` is the input's name."""

    status = 400
    code = "invalid_field"

    def __init__(self, message, field: str):
        super().__init__(message, field=field)
        self.field = field


def text(form, field: str, label: str, required=False, max_len=MAX_NAME) -> str | None:
    value = " ".join(str(form.get(field, "")).split())
    if required and not value:
        raise Invalid(_("Please fill in “%(label)s”.", label=label), field)
    if len(value) > max_len:
        raise Invalid(_("“%(label)s” is too long (at most %(max)d characters).", label=label,
                        max=max_len), field)
    return value or None


def code(form, field: str = "code") -> str:
    value = str(form.get(field, "")).strip().lower()
    if not CODE_RE.match(value):
        raise Invalid(_("The code must be 1 to 64 lower-case letters, digits, '-', '_' or '.'."),
                      field)
    return value


def names(form, prefix: str, locales, default_locale: str, label: str, required=True,
          max_len=MAX_NAME) -> dict:
    """{locale: text} from inputs `<prefix>-<locale>`; the default locale's is required."""
    out = {}
    for locale in locales:
        value = text(form, f"{prefix}-{locale}", label, max_len=max_len)
        if value:
            out[locale] = value
    if required and not out.get(default_locale):
        raise Invalid(_("Please fill in “%(label)s” in the city's main language.", label=label),
                      f"{prefix}-{default_locale}")
    return out


def words(form, prefix: str, locales) -> dict:
    """{locale: [word, ...]} from comma-separated inputs `<prefix>-<locale>`."""
    out = {}
    for locale in locales:
        raw = str(form.get(f"{prefix}-{locale}", ""))[:2000]
        found = [w.strip() for w in raw.replace("\n", ",").split(",") if w.strip()]
        if any(len(w) > 64 for w in found):
            raise Invalid(_("A keyword is too long (at most 64 characters)."),
                          f"{prefix}-{locale}")
        if found:
            out[locale] = list(dict.fromkeys(found))
    return out


def lines(form, field: str, max_items=50, max_len=MAX_NAME) -> list[str]:
    found = [" ".join(line.split()) for line in str(form.get(field, "")).splitlines()]
    found = list(dict.fromkeys(line for line in found if line))
    if len(found) > max_items or any(len(line) > max_len for line in found):
        raise Invalid(_("At most %(n)d lines of %(max)d characters.", n=max_items, max=max_len),
                      field)
    return found


def integer(form, field: str, label: str, low: int, high: int, default=None) -> int | None:
    raw = str(form.get(field, "")).strip()
    if not raw and default is not None:
        return default
    if not re.fullmatch(r"-?\d{1,9}", raw) or not low <= int(raw) <= high:
        raise Invalid(_("“%(label)s” must be a whole number from %(low)d to %(high)d.",
                        label=label, low=low, high=high), field)
    return int(raw)


def optional_integer(form, field: str, label: str, low: int, high: int) -> int | None:
    """A whole number, or None when the input is empty."""
    if not str(form.get(field, "")).strip():
        return None
    return integer(form, field, label, low, high)


def flag(form, field: str) -> bool:
    return form.get(field) in ("y", "on", "1", "true")


def choice(form, field: str, allowed, label: str, required=True):
    value = str(form.get(field, ""))
    if not value and not required:
        return None
    if value not in allowed:
        raise Invalid(_("Please choose “%(label)s” from the list.", label=label), field)
    return value


def email(form, field: str, label: str, required=False) -> str | None:
    """An e-mail address (lower case), checked as the intake checks citizens'."""
    value = str(form.get(field, "")).strip().lower()
    if not value:
        if required:
            raise Invalid(_("Please fill in “%(label)s”.", label=label), field)
        return None
    try:
        return validation.email(value, field)
    except DomainError as error:
        raise Invalid(error.message, field) from None


def phone(form, field: str, country: str, label: str) -> str | None:
    """A phone number in E.164 form, checked as the intake checks citizens'."""
    try:
        return validation.phone(str(form.get(field, "")).strip(), country, field)
    except DomainError as error:
        raise Invalid(error.message, field) from None


def day(form, field: str, label: str) -> date:
    try:
        return date.fromisoformat(str(form.get(field, "")).strip())
    except ValueError:
        raise Invalid(_("“%(label)s” must be a date like 2026-12-25.", label=label),
                      field) from None


def questions(form, field: str, locales, default_locale: str) -> list[dict]:
    """A category's extra questions, given as JSON in the pack's shape."""
    raw = str(form.get(field, "")).strip() or "[]"
    try:
        given = json.loads(raw)
        if len(raw) > 50_000:
            raise ValueError
        return _questions(given, "questions", {"locales": list(locales),
                                               "default_locale": default_locale})
    except (ValueError, TypeError, AttributeError):
        raise Invalid(_("The questions must be a JSON list, as in a city pack."),
                      field) from None
    except PackError as error:
        raise Invalid(_("Questions: %(where)s %(problem)s", where=error.where,
                        problem=error.problem), field) from None


PASSWORD_MIN = 12


def password(form, field: str, required: bool, email_address: str | None) -> str | None:
    value = str(form.get(field, ""))
    if not value and not required:
        return None
    if len(value) < PASSWORD_MIN or len(value) > 200:
        raise Invalid(_("The password must have %(min)d to 200 characters.", min=PASSWORD_MIN),
                      field)
    if email_address and value.strip().lower() == email_address:
        raise Invalid(_("The password must not be the e-mail address."), field)
    return value
