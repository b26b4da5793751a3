"""Notification texts, rendered in the recipient's language from the outbox row's template."""

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from cps.complaints.models import Complaint
from cps.complaints.states import State
from cps.extensions import db
from cps.notify.models import Outbox


class UnknownTemplate(ValueError):
    """An outbox row names a template this version does not have."""


def render(row: Outbox) -> tuple[str, str]:
    """(subject, body) of the row's message, in its locale."""
    if row.template == "text":  # already written, in its language, when it was queued
        return "", str((row.payload or {}).get("text", ""))
    complaint = db.session.get(Complaint, row.complaint_id) if row.complaint_id else None
    builder = TEMPLATES.get(row.template or "")
    if builder is None or complaint is None:
        raise UnknownTemplate(row.template)
    with force_locale(row.locale or complaint.city.default_locale):
        return builder(complaint, {**(row.payload or {}), "channel": row.channel}, row.locale)


def _facts(complaint: Complaint, locale: str | None) -> dict:
    city = complaint.city
    return {
        "ref": complaint.reference,
        "category": complaint.category.name(locale) if complaint.category else "",
        "department": complaint.department.name(locale) if complaint.department else
        _("the city's complaints desk"),
        "date": format_date(complaint.deadline, "medium") if complaint.deadline else "",
        "city": city.name(locale),
        "url": f"{current_app.config['BASE_URL'].rstrip('/')}/{city.slug}/",
    }


def _received(complaint, payload, locale):
    f = _facts(complaint, locale)
    body = _("Thank you. Your complaint %(ref)s (%(category)s) went to %(department)s. "
             "Expected by %(date)s.", **f)
    if payload.get("owner_key"):
        link = f"{f['url']}track/{complaint.reference}?key={payload['owner_key']}"
        body += "\n\n" + _("Follow it, and reopen or rate it when it is resolved, at this "
                           "private link: %(link)s", link=link)
    return _("We received your complaint %(ref)s", ref=f["ref"]), body


def _state_changed(complaint, payload, locale):
    f = _facts(complaint, locale)
    state = complaint.state.title
    body = _("%(ref)s is now: %(state)s.", ref=f["ref"], state=state)
    if payload.get("public_text"):
        body = f"{body} {payload['public_text']}"
    if (payload.get("channel") == "sms" and complaint.state == State.RESOLVED
            and complaint.rating is None):
        body = f"{body} " + _("How did we do? Text RATE %(ref)s and a number from 1 (bad) to "
                              "5 (very good).", ref=f["ref"])
    return _("Complaint %(ref)s: %(state)s", ref=f["ref"], state=state), body


def _department_new(complaint, payload, locale):
    f = _facts(complaint, locale)
    place = complaint.address_text or (complaint.district.name if complaint.district else "")
    subject = _("New complaint %(ref)s: %(category)s", **f)
    body = _("A new complaint was sent to %(department)s.\n\nReference: %(ref)s\nProblem: "
             "%(category)s\nPlace: %(place)s\nDue: %(date)s\n\n%(description)s",
             place=place or "—", description=complaint.description, **f)
    return subject, body


def _escalation(complaint, payload, locale):
    f = _facts(complaint, locale)
    subject = _("Overdue: complaint %(ref)s (%(category)s)", **f)
    body = _("Complaint %(ref)s (%(category)s) for %(department)s was due on %(date)s and is "
             "still “%(state)s”. Please act on it or explain the delay in its history.",
             state=complaint.state.title, **f)
    return subject, body


TEMPLATES = {"received": _received, "state_changed": _state_changed,
             "department_new": _department_new, "escalation": _escalation}
