"""Notification texts, rendered in the recipient's language from the outbox row's template."""

from flask import current_app
from flask_babel import force_locale

from cps.cities.formats import format_date
from cps.complaints.models import Complaint
from cps.complaints.states import State
from cps.extensions import db
from cps.i18n import city_context
from cps.notify.models import Outbox
from cps.notify.wording import say


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
    with force_locale(row.locale or complaint.city.default_locale), city_context(complaint.city):
        return builder(complaint, {**(row.payload or {}), "channel": row.channel}, row.locale)


def _facts(complaint: Complaint, locale: str | None) -> dict:
    city = complaint.city
    return {
        "ref": complaint.reference,
        "category": complaint.category.name(locale) if complaint.category else "",
        "department": complaint.department.name(locale) if complaint.department else
        say("name.desk"),
        "date": format_date(complaint.deadline, "medium", city),
        "city": city.name(locale),
        "url": f"{current_app.config['BASE_URL'].rstrip('/')}/{city.slug}/",
    }


def _received(complaint, payload, locale):
    if payload.get("channel") == "sms":  # the SMS receipt, as an SMS report gets it
        from cps.sms.replies import fit, received

        return "", fit(received(complaint, locale or complaint.city.default_locale))
    f = _facts(complaint, locale)
    body = say("notice.received", **f)
    if payload.get("owner_key"):
        link = f"{f['url']}track/{complaint.reference}?key={payload['owner_key']}"
        body += "\n\n" + say("notice.private_link", link=link)
    return say("notice.received.subject", ref=f["ref"]), body


def _state_changed(complaint, payload, locale):
    f = _facts(complaint, locale)
    state = complaint.state.title
    facts = {"ref": f["ref"], "state": state, "category": f["category"],
             "department": f["department"]}
    if payload.get("channel") == "sms":
        from cps.sms.replies import within

        body = within("notice.state_changed", facts)
    else:
        body = say("notice.state_changed", **facts)
    if payload.get("public_text"):
        body = f"{body} {payload['public_text']}"
    if (payload.get("channel") == "sms" and complaint.state == State.RESOLVED
            and complaint.rating is None):
        body = f"{body} " + say("notice.rate", ref=f["ref"])
    return say("notice.state_changed.subject", ref=f["ref"], state=state), body


def _department_new(complaint, payload, locale):
    f = _facts(complaint, locale)
    place = complaint.address_text or (complaint.district.name if complaint.district else "")
    subject = say("staff.department_new.subject", ref=f["ref"], category=f["category"])
    body = say("staff.department_new", place=place or "—", description=complaint.description,
               **f)
    return subject, body


def _escalation(complaint, payload, locale):
    f = _facts(complaint, locale)
    subject = say("staff.escalation.subject", ref=f["ref"], category=f["category"])
    body = say("staff.escalation", state=complaint.state.title, **f)
    return subject, body


TEMPLATES = {"received": _received, "state_changed": _state_changed,
             "department_new": _department_new, "escalation": _escalation}
