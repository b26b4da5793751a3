"""The texts CPS sends citizens, each with the city's own wording when it has one.

Every text has a key, a shipped default (translated in every shipped locale through the
catalogs) and the placeholders it may use. A city may reword any of them per locale
(City.messages, edited by its admins or set in its city pack); a locale the city has not
reworded keeps the shipped translation, never an empty text.
"""

import re
from dataclasses import dataclass

from flask import g
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cps.notify.segments import count_segments

PLACEHOLDER = re.compile(r"%\((\w+)\)s|%(.)")


@dataclass(frozen=True)
class Wording:
    """One citizen text: its shipped default, placeholders, and the SMS segments it may take."""

    default: object
    placeholders: tuple[str, ...]
    max_segments: int | None  # None: sent by e-mail only
    title: object


def _w(default, placeholders="", segments=2, title=""):
    return Wording(default, tuple(placeholders.split()), segments, title)


# SMS replies may take three segments (they answer the citizen at once); notices two.
WORDINGS = {
    "notice.received": _w(
        _l("Thank you. Your complaint %(ref)s (%(category)s) went to %(department)s. "
           "Expected by %(date)s."), "ref category department date",
        title=_l("Complaint received (SMS and e-mail)")),
    "notice.received.subject": _w(
        _l("We received your complaint %(ref)s"), "ref", None,
        title=_l("Complaint received: e-mail subject")),
    "notice.private_link": _w(
        _l("Follow it, and reopen or rate it when it is resolved, at this private link: "
           "%(link)s"), "link", None, title=_l("Private link to follow a complaint (e-mail)")),
    "notice.state_changed": _w(
        _l("%(ref)s is now: %(state)s."), "ref state category department",
        title=_l("Status changed (SMS and e-mail)")),
    "notice.state_changed.subject": _w(
        _l("Complaint %(ref)s: %(state)s"), "ref state", None,
        title=_l("Status changed: e-mail subject")),
    "notice.rate": _w(
        _l("How did we do? Text RATE %(ref)s and a number from 1 (bad) to 5 (very good)."),
        "ref", title=_l("Request for a rating once resolved (SMS)")),
    "sms.received": _w(
        _l("Thank you. Your complaint is %(ref)s, sent to %(department)s, expected by "
           "%(date)s. Text STATUS %(ref)s to follow it."), "ref category department date", 3,
        title=_l("SMS reply: complaint filed")),
    "sms.received_desk": _w(
        _l("Thank you. Your complaint is %(ref)s. The city's complaints desk will send it to "
           "the right office. Text STATUS %(ref)s to follow it."), "ref category", 3,
        title=_l("SMS reply: complaint filed, department not yet known")),
    "sms.ask_location": _w(
        _l("Where is it? Reply with the barangay or a landmark."), "", 3,
        title=_l("SMS reply: asking where the problem is")),
    "sms.ask_category": _w(
        _l("What is the problem? Reply with a word like: %(examples)s."), "examples", 3,
        title=_l("SMS reply: asking what the problem is")),
    "sms.help": _w(
        _l("Text the problem and the place, e.g. garbage near the plaza. Commands: STATUS ref, "
           "REOPEN ref reason, RATE ref 1-5, LANG code, STOP."), "", 3,
        title=_l("SMS reply: help")),
    "sms.stopped": _w(
        _l("You will get no more messages from us. Text START to get them again."), "", 3,
        title=_l("SMS reply: after STOP")),
    "sms.filed_to_triage": _w(
        _l("We did not hear back, so your report %(ref)s went to the city's complaints desk. "
           "Text STATUS %(ref)s to follow it."), "ref", 3,
        title=_l("SMS: an unfinished report was filed")),
}

# Values of a typical length, to check that a text still fits its SMS segments once filled.
SAMPLE = {"ref": "SF-7K3QX9P", "category": "x" * 20, "department": "x" * 40,
          "date": "x" * 12, "state": "x" * 12, "examples": "x" * 30, "link": "x" * 60}


def say(key: str, **values) -> str:
    """The text `key` in the current locale, in the current city's wording if it has one."""
    wording = WORDINGS[key]
    custom = custom_text(getattr(g, "city", None), key, str(get_locale() or ""))
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
            text = " ".join(str(text or "").split()) if WORDINGS[key].max_segments else str(
                text or "").strip()
            if not text:
                continue
            problem = problems(key, text)
            if problem:
                raise ValueError(key, locale, problem)
            out.setdefault(key, {})[locale] = text
    return out
