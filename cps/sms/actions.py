"""SMS commands: STATUS, REOPEN, RATE, STOP, START, HELP, LANG. Each returns the reply text;
they flush, the webhook commits."""

import re

from flask_babel import force_locale
from sqlalchemy import select

from cps.complaints import citizen
from cps.complaints.models import Complaint
from cps.complaints.references import normalize
from cps.complaints.states import State
from cps.domain import DomainError
from cps.extensions import db
from cps.locales import ascii_digits
from cps.notify.models import OptOut
from cps.sms import replies
from cps.sms.models import SmsCitizen


def _find(city, phone: str, reference_text: str) -> tuple[Complaint | None, str]:
    """The complaint a command names (or the citizen's latest), and how to call it."""
    if not reference_text:
        latest = db.session.scalar(select(Complaint).where(
            Complaint.city_id == city.id, Complaint.reporter_phone == phone,
            Complaint.hidden.is_(False)).order_by(Complaint.id.desc()).limit(1))
        return latest, latest.reference if latest else ""
    canonical = normalize(reference_text[:40], city.reference_prefix)
    found = canonical and db.session.scalar(select(Complaint).where(
        Complaint.city_id == city.id, Complaint.reference == canonical,
        Complaint.hidden.is_(False)))
    return found or None, canonical or reference_text[:20]


def _split(rest: str) -> tuple[str, str]:
    """A reference (which may be typed with a space or dash after the prefix, in any script's
    digits) and the rest, as typed."""
    words, plain = rest.split(), ascii_digits(rest).split()  # one digit for one: words align
    for take in (2, 1):
        if len(plain) >= take and re.fullmatch(r"[A-Za-z]{1,5}[- ]?[0-9A-Za-z]{4,12}",
                                               " ".join(plain[:take])):
            return " ".join(plain[:take]), " ".join(words[take:])
    return "", rest


def _status(city, phone, rest, locale) -> str:
    complaint, name = _find(city, phone, _split(rest)[0])
    if complaint is None:
        return replies.not_found(name) if name else replies.no_complaint()
    return replies.status(complaint, locale)


def _reporters(city, phone: str, reference: str) -> tuple[Complaint | None, str | None]:
    """The complaint a reporter acts on, or the reply that says why they cannot."""
    complaint, name = _find(city, phone, reference)
    if complaint is None:
        return None, replies.not_found(name) if name else replies.no_complaint()
    if complaint.reporter_phone != phone:
        return None, replies.not_yours(complaint.reference)
    return complaint, None


def _reopen(city, phone, rest, locale) -> str:
    reference, reason = _split(rest)
    complaint, refusal = _reporters(city, phone, reference)
    if complaint is None:
        return refusal
    if not reason:
        return replies.reopen_usage(complaint.reference)
    return _act(lambda: citizen.reopen(complaint, reason, actor_label="sms"),
                replies.reopened(complaint.reference))


def _rate(city, phone, rest, locale) -> str:
    reference, value = _split(rest)
    complaint, refusal = _reporters(city, phone, reference)
    if complaint is None:
        return refusal
    value = ascii_digits(value.strip())
    if not re.fullmatch(r"[1-5]", value):
        return replies.rate_usage(complaint.reference)
    return _act(lambda: citizen.rate(complaint, value, actor_label="sms"),
                replies.rated(complaint.reference))


def rate_latest(city, phone: str, value: str) -> str:
    """A bare 1-5 after a resolution notice rates the citizen's latest resolved complaint."""
    complaint = db.session.scalar(select(Complaint).where(
        Complaint.city_id == city.id, Complaint.reporter_phone == phone,
        Complaint.state.in_((State.RESOLVED, State.CLOSED)), Complaint.rating.is_(None))
        .order_by(Complaint.resolved_at.desc()).limit(1))
    if complaint is None:
        return replies.help_text()
    return _act(lambda: citizen.rate(complaint, value, actor_label="sms"),
                replies.rated(complaint.reference))


def _act(action, done: str) -> str:
    try:
        with db.session.begin_nested():
            action()
    except DomainError as error:
        return str(error.message)
    return done


def _stop(city, phone, rest, locale) -> str:
    if db.session.scalar(select(OptOut.id).where(OptOut.city_id == city.id,
                                                 OptOut.contact == phone)) is None:
        db.session.add(OptOut(city_id=city.id, contact=phone))
    return replies.stopped()


def _start(city, phone, rest, locale) -> str:
    for row in db.session.scalars(select(OptOut).where(OptOut.city_id == city.id,
                                                       OptOut.contact == phone)):
        db.session.delete(row)
    return replies.started()


def _lang(city, phone, rest, locale) -> str:
    code = rest.strip().lower()
    if code not in city.locales:
        return replies.language_usage(city.locales)
    row = db.session.scalar(select(SmsCitizen).where(SmsCitizen.city_id == city.id,
                                                     SmsCitizen.phone == phone))
    if row is None:
        db.session.add(SmsCitizen(city_id=city.id, phone=phone, locale=code))
    else:
        row.locale = code
    with force_locale(code):
        return replies.language_set(code)


COMMANDS = {"STATUS": _status, "REOPEN": _reopen, "RATE": _rate, "STOP": _stop,
            "START": _start, "HELP": lambda *a: replies.help_text(), "LANG": _lang}
