"""The texts CPS answers by SMS, in the citizen's language, kept within three segments."""

from flask_babel import gettext as _

from cps.cities.formats import format_date
from cps.i18n import locale_name
from cps.notify.segments import count_segments
from cps.notify.wording import say

MAX_SEGMENTS = 3


def fit(text: str, max_segments: int = MAX_SEGMENTS) -> str:
    """`text` cut (with an ellipsis) so that it never takes more than `max_segments`."""
    text = " ".join(text.split())
    if count_segments(text).segments <= max_segments:
        return text
    while text and count_segments(text + "…").segments > max_segments:
        text = text[:-1]
    return text.rstrip() + "…"


def received(complaint, locale: str) -> str:
    facts = _facts(complaint, locale)
    if complaint.department is None:
        return say("sms.received_desk", **facts)
    return say("sms.received", **facts)


def status(complaint, locale: str) -> str:
    facts = _facts(complaint, locale)
    if complaint.state.is_open and complaint.deadline:
        return _("%(ref)s: %(state)s. %(category)s, %(department)s. Expected by %(date)s.",
                 **facts)
    return _("%(ref)s: %(state)s. %(category)s, %(department)s.", **facts)


def _facts(complaint, locale: str) -> dict:
    return {"ref": complaint.reference, "state": complaint.state.title,
            "category": complaint.category.name(locale) if complaint.category else _("Problem"),
            "department": complaint.department.name(locale) if complaint.department
            else _("the city's complaints desk"),
            "date": format_date(complaint.deadline, "medium", complaint.city)}


def ask_location() -> str:
    return say("sms.ask_location")


def ask_place(names: list[str]) -> str:
    options = " ".join(f"{i}) {name}" for i, name in enumerate(names, 1))
    return _("Did you mean %(options)s? Reply with the number.", options=options)


def ask_category(examples: list[str]) -> str:
    return say("sms.ask_category", examples=", ".join(examples))


def help_text() -> str:
    return say("sms.help")


def not_found(reference: str) -> str:
    return _("We found no complaint %(ref)s. Please check the reference.", ref=reference)


def no_complaint() -> str:
    return _("You have no complaint yet. Text the problem and the place to report one.")


def not_yours(reference: str) -> str:
    return _("Only the person who reported %(ref)s can do this.", ref=reference)


def reopen_usage(reference: str) -> str:
    return _("Please say why: REOPEN %(ref)s and the reason.", ref=reference)


def reopened(reference: str) -> str:
    return _("%(ref)s was reopened and sent back to the department.", ref=reference)


def rate_usage(reference: str) -> str:
    return _("To rate, text RATE %(ref)s and a number from 1 (bad) to 5 (very good).",
             ref=reference)


def rated(reference: str) -> str:
    return _("Thank you for rating %(ref)s.", ref=reference)


def stopped() -> str:
    return say("sms.stopped")


def started() -> str:
    return _("You will get messages about your complaints again.")


def language_set(code: str) -> str:
    return _("Language set to %(language)s.", language=locale_name(code))


def language_usage(codes: list[str]) -> str:
    return _("Text LANG and one of: %(codes)s.", codes=", ".join(codes))


def filed_to_triage(reference: str) -> str:
    return say("sms.filed_to_triage", ref=reference)


def slow_down() -> str:
    return _("You sent many messages. Please wait a while before sending more.")
