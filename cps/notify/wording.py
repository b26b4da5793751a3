"""The texts CPS sends citizens, each with the city's own wording when it has one.

Every text has a key, a shipped default (translated in every shipped locale through the
catalogs) and the placeholders it may use. A city may reword any of them per locale
(City.messages, edited by its admins or set in its city pack); a locale the city has not
reworded keeps the shipped translation, never an empty text.
"""

import re
from dataclasses import dataclass

from flask import g, has_app_context
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cps.complaints.states import TITLES, State
from cps.notify.segments import count_segments

PLACEHOLDER = re.compile(r"%\((\w+)\)s|%(.)")


@dataclass(frozen=True)
class Wording:
    """One text: its shipped default, placeholders, the SMS segments it may take (None: never
    sent by SMS on its own) and, for short names, the characters it may take."""

    default: object
    placeholders: tuple[str, ...]
    max_segments: int | None
    title: object
    group: str
    max_chars: int | None = None

    @property
    def one_line(self) -> bool:
        return bool(self.max_segments or self.max_chars)


# Every SMS text, notice or reply, fits two segments in every shipped locale once filled in
# (tests/notify/test_templates.py); a city's own wording is held to the same.
SMS = 2

GROUPS = {
    "notice": _l("Notices to citizens (SMS and e-mail)"),
    "sms": _l("SMS replies"),
    "staff": _l("E-mails to departments"),
    "name": _l("Names used in messages and pages"),
}


def _w(group, default, placeholders="", segments=SMS, title="", max_chars=None):
    return Wording(default, tuple(placeholders.split()), segments, title, group, max_chars)


WORDINGS = {
    # Notices: sent when a complaint is filed or changes state, by SMS or e-mail.
    "notice.received": _w(
        "notice",
        _l("Thank you. Your complaint %(ref)s (%(category)s) went to %(department)s. "
           "Expected by %(date)s."), "ref category department date",
        title=_l("Complaint received (SMS and e-mail)")),
    "notice.received.subject": _w(
        "notice", _l("We received your complaint %(ref)s"), "ref", None,
        title=_l("Complaint received: e-mail subject")),
    "notice.private_link": _w(
        "notice",
        _l("Follow it, and reopen or rate it when it is resolved, at this private link: "
           "%(link)s"), "link", None, title=_l("Private link to follow a complaint (e-mail)")),
    "notice.state_changed": _w(
        "notice", _l("%(ref)s is now: %(state)s."), "ref state category department",
        title=_l("Status changed (SMS and e-mail)")),
    "notice.state_changed.subject": _w(
        "notice", _l("Complaint %(ref)s: %(state)s"), "ref state", None,
        title=_l("Status changed: e-mail subject")),
    "notice.rate": _w(
        "notice",
        _l("How did we do? Text RATE %(ref)s and a number from 1 (bad) to 5 (very good)."),
        "ref", title=_l("Request for a rating once resolved (SMS)")),
    # Replies: the answer to a citizen's SMS.
    "sms.received": _w(
        "sms",
        _l("Thank you. Your complaint is %(ref)s, sent to %(department)s, expected by "
           "%(date)s. Text STATUS %(ref)s to follow it."), "ref category department date",
        title=_l("SMS reply: complaint filed")),
    "sms.received_desk": _w(
        "sms",
        _l("Thank you. Your complaint is %(ref)s. The city's complaints desk will send it to "
           "the right office. Text STATUS %(ref)s to follow it."), "ref category",
        title=_l("SMS reply: complaint filed, department not yet known")),
    "sms.ask_location": _w(
        "sms", _l("Where is it? Reply with the barangay or a landmark."),
        title=_l("SMS reply: asking where the problem is")),
    "sms.ask_place": _w(
        "sms", _l("Did you mean %(options)s? Reply with the number."), "options",
        title=_l("SMS reply: asking which of several places")),
    "sms.ask_category": _w(
        "sms", _l("What is the problem? Reply with a word like: %(examples)s."), "examples",
        title=_l("SMS reply: asking what the problem is")),
    "sms.confirm_place": _w(
        "sms", _l("Did you mean %(place)s? Reply YES or NO."), "place",
        title=_l("SMS reply: asking whether the one place found is the right one")),
    "sms.confirm_place_again": _w(
        "sms", _l("Please reply YES or NO: did you mean %(place)s?"), "place",
        title=_l("SMS reply: asking again whether the place found is the right one")),
    "sms.ask_place_again": _w(
        "sms", _l("Reply with the number: %(options)s"), "options",
        title=_l("SMS reply: offering the same places again after a wrong answer")),
    "sms.ask_category_choice": _w(
        "sms", _l("Which problem is it? %(options)s. Reply with the number."), "options",
        title=_l("SMS reply: asking which of several problems the message names")),
    "sms.ask_category_menu": _w(
        "sms", _l("Reply with the number of the problem: %(options)s"), "options",
        title=_l("SMS reply: the numbered list of problems, after an answer not understood")),
    "sms.filed_unclear": _w(
        "sms",
        _l("We could not tell what the problem is, so your report %(ref)s went to the city's "
           "complaints desk. Text STATUS %(ref)s to follow it."), "ref",
        title=_l("SMS reply: a report filed without knowing the problem")),
    "sms.status": _w(
        "sms", _l("%(ref)s: %(state)s. %(category)s, %(department)s. Expected by %(date)s."),
        "ref state category department date", title=_l("SMS reply: status of an open complaint")),
    "sms.status_closed": _w(
        "sms", _l("%(ref)s: %(state)s. %(category)s, %(department)s."),
        "ref state category department", title=_l("SMS reply: status of a closed complaint")),
    "sms.not_found": _w(
        "sms", _l("We found no complaint %(ref)s. Please check the reference."), "ref",
        title=_l("SMS reply: no complaint with that reference")),
    "sms.no_complaint": _w(
        "sms", _l("You have no complaint yet. Text the problem and the place to report one."),
        title=_l("SMS reply: this phone has no complaint yet")),
    "sms.not_yours": _w(
        "sms", _l("Only the person who reported %(ref)s can do this."), "ref",
        title=_l("SMS reply: the complaint is someone else's")),
    "sms.reopen_usage": _w(
        "sms", _l("Please say why: REOPEN %(ref)s and the reason."), "ref",
        title=_l("SMS reply: how to reopen")),
    "sms.reopened": _w(
        "sms", _l("%(ref)s was reopened and sent back to the department."), "ref",
        title=_l("SMS reply: complaint reopened")),
    "sms.rate_usage": _w(
        "sms", _l("To rate, text RATE %(ref)s and a number from 1 (bad) to 5 (very good)."),
        "ref", title=_l("SMS reply: how to rate")),
    "sms.rated": _w(
        "sms", _l("Thank you for rating %(ref)s."), "ref", title=_l("SMS reply: rating saved")),
    "sms.help": _w(
        "sms",
        _l("Text the problem and the place, e.g. garbage near the plaza. Commands: STATUS ref, "
           "REOPEN ref reason, RATE ref 1-5, LANG code, STOP."),
        title=_l("SMS reply: help")),
    "sms.language_set": _w(
        "sms", _l("Language set to %(language)s."), "language",
        title=_l("SMS reply: language changed")),
    "sms.language_usage": _w(
        "sms", _l("Text LANG and one of: %(codes)s."), "codes",
        title=_l("SMS reply: how to change the language")),
    "sms.stopped": _w(
        "sms", _l("You will get no more messages from us. Text START to get them again."),
        title=_l("SMS reply: after STOP")),
    "sms.started": _w(
        "sms", _l("You will get messages about your complaints again."),
        title=_l("SMS reply: after START")),
    "sms.slow_down": _w(
        "sms", _l("You sent many messages. Please wait a while before sending more."),
        title=_l("SMS reply: too many messages")),
    "sms.filed_to_triage": _w(
        "sms",
        _l("We did not hear back, so your report %(ref)s went to the city's complaints desk. "
           "Text STATUS %(ref)s to follow it."), "ref",
        title=_l("SMS: an unfinished report was filed")),
    # E-mails to the department a complaint is sent to.
    "staff.department_new.subject": _w(
        "staff", _l("New complaint %(ref)s: %(category)s"), "ref category", None,
        title=_l("New complaint: e-mail subject")),
    "staff.department_new": _w(
        "staff",
        _l("A new complaint was sent to %(department)s.\n\nReference: %(ref)s\nProblem: "
           "%(category)s\nPlace: %(place)s\nDue: %(date)s\n\n%(description)s"),
        "ref category department place date description", None,
        title=_l("New complaint (e-mail to the department)")),
    "staff.escalation.subject": _w(
        "staff", _l("Overdue: complaint %(ref)s (%(category)s)"), "ref category", None,
        title=_l("Overdue complaint: e-mail subject")),
    "staff.escalation": _w(
        "staff",
        _l("Complaint %(ref)s (%(category)s) for %(department)s was due on %(date)s and is "
           "still “%(state)s”. Please act on it or explain the delay in its history."),
        "ref category department date state", None,
        title=_l("Overdue complaint (e-mail to the department and its manager)")),
    # Names that messages and pages use.
    "name.desk": _w(
        "name", _l("the city's complaints desk"), "", None, max_chars=60,
        title=_l("Who handles a complaint before it has a department")),
    **{f"state.{state.value}": _w("name", TITLES[state], "", None, max_chars=40,
                                  title=_l("Status name: %(state)s", state=TITLES[state]))
       for state in State},
}

# Values of a typical length, to check that a text still fits its SMS segments once filled.
SAMPLE = {"ref": "SF-7K3QX9P", "category": "x" * 20, "department": "x" * 40,
          "date": "x" * 12, "state": "x" * 12, "examples": "x" * 30, "link": "x" * 60,
          "place": "x" * 30, "options": "x" * 50}


def say(key: str, **values) -> str:
    """The text `key` in the current locale, in the current city's wording if it has one."""
    wording = WORDINGS[key]
    city = g.get("city") if has_app_context() else None
    custom = custom_text(city, key, str(get_locale() or "")) if city is not None else ""
    if custom:
        return fill(custom, wording, values)
    text = str(wording.default)
    return text % values if values else text


def custom_text(city, key: str, locale: str) -> str:
    """The city's own wording of `key` in `locale`, or "" when it keeps the shipped one."""
    messages = (getattr(city, "messages", None) or {}) if city is not None else {}
    return str((messages.get(key) or {}).get(locale) or "")


def fill(text: str, wording: Wording, values: dict) -> str:
    return text % {name: values.get(name, "") for name in wording.placeholders}


def problems(key: str, text: str) -> str | None:
    """Why `text` cannot replace the wording `key` (translated), or None if it can."""
    wording = WORDINGS[key]
    used = set()
    for name, other in PLACEHOLDER.findall(text):
        if other and other != "%":
            return _("Write a placeholder as %(example)s; a single %% sign is written %%%%.",
                     example="%(ref)s")
        if name:
            used.add(name)
    unknown = sorted(used - set(wording.placeholders))
    if unknown:
        return _("%(name)s cannot be used here. You may use: %(names)s.",
                 name=f"%({unknown[0]})s",
                 names=", ".join(f"%({n})s" for n in wording.placeholders) or "—")
    if "ref" in wording.placeholders and "ref" not in used:
        return _("The text must contain the complaint's reference, %(ref)s.", ref="%(ref)s")
    try:
        filled = fill(text, wording, SAMPLE)
    except (ValueError, TypeError, KeyError):
        return _("Write a placeholder as %(example)s; a single %% sign is written %%%%.",
                 example="%(ref)s")
    if wording.max_chars and len(filled) > wording.max_chars:
        return _("Too long: at most %(n)d characters.", n=wording.max_chars)
    if wording.max_segments and count_segments(filled).segments > wording.max_segments:
        return _("Too long for SMS: with its values filled in it would take more than %(n)d "
                 "messages. Please shorten it.", n=wording.max_segments)
    return None


def clean_messages(raw, locales) -> dict:
    """A city's wording overrides, checked: {key: {locale: text}}; ValueError(key, locale,
    problem) names what is wrong."""
    if not isinstance(raw, dict):
        raise ValueError("", "", _("must be a mapping"))
    out = {}
    for key, by_locale in raw.items():
        if key not in WORDINGS:
            raise ValueError(key, "", _("is not a message CPS sends"))
        if not isinstance(by_locale, dict):
            raise ValueError(key, "", _("must be a mapping"))
        for locale, text in by_locale.items():
            if locale not in locales:
                raise ValueError(key, locale, _("is not one of the city's languages"))
            text = " ".join(str(text or "").split()) if WORDINGS[key].one_line else str(
                text or "").strip()
            if not text:
                continue
            problem = problems(key, text)
            if problem:
                raise ValueError(key, locale, problem)
            out.setdefault(key, {})[locale] = text
    return out
