"""The texts CPS answers by SMS, in the citizen's language, kept within three segments."""

from flask_babel import gettext as _

from cps.cities.formats import format_date
from cps.i18n import locale_name
from cps.notify.segments import count_segments, is_gsm, plain_for_sms
from cps.notify.wording import say

MAX_SEGMENTS = 3
# A menu is a question like any other: it fits the two segments of every shipped text.
MENU_SEGMENTS = 2


def fit(text: str, max_segments: int = MAX_SEGMENTS) -> str:
    """`text` in GSM-7 look-alikes where that spares UCS-2, cut (with an ellipsis) so that it
    never takes more than `max_segments`."""
    text = plain_for_sms(" ".join(text.split()))
    if count_segments(text).segments <= max_segments:
        return text
    ellipsis = "..." if is_gsm(text) else "…"
    while text and count_segments(text + ellipsis).segments > max_segments:
        text = text[:-1]
    return text.rstrip() + ellipsis


def received(complaint, locale: str) -> str:
    facts = _facts(complaint, locale)
    if complaint.department is None:
        return within("sms.received_desk", facts)
    return within("sms.received", facts)


def status(complaint, locale: str) -> str:
    facts = _facts(complaint, locale)
    if complaint.state.is_open and complaint.deadline:
        return within("sms.status", facts)
    return within("sms.status_closed", facts)


# Names shortened to fit are never cut below this many characters.
SHORTEST_NAME = 12


def within(key: str, facts: dict, budget: int = MENU_SEGMENTS,
           names: tuple[str, ...] = ("department", "category")) -> str:
    """The text `key` with `facts`, within `budget` segments: a long department or category
    name ("सडक बत्ती तथा विद्युत् समन्वय एकाइ (नेपाल विद्युत् प्राधिकरण सम्पर्क)") loses its
    bracketed part, then its last words, until the text fits; the reference and the date are
    never touched."""
    facts = dict(facts)
    text = say(key, **facts)
    for name in names:
        while (count_segments(plain_for_sms(text)).segments > budget
               and len(facts.get(name) or "") > SHORTEST_NAME):
            shorter = _shorter(facts[name])
            if shorter == facts[name]:
                break
            facts[name] = shorter
            text = say(key, **facts)
    return text


def _shorter(name: str) -> str:
    """The name without its bracketed part, else without its last word (marked by "…")."""
    if "(" in name and name.split("(")[0].strip():
        return name.split("(")[0].strip()
    words = name.rstrip("…").split()
    if len(words) < 2:
        return name
    return " ".join(words[:-1]).rstrip(",;:-") + "…"


def _facts(complaint, locale: str) -> dict:
    return {"ref": complaint.reference, "state": complaint.state.title,
            "category": complaint.category.name(locale) if complaint.category else _("Problem"),
            "department": complaint.department.name(locale) if complaint.department
            else say("name.desk"),
            "date": format_date(complaint.deadline, "medium", complaint.city)}


def ask_location() -> str:
    return say("sms.ask_location")


def ask_place(names: list[str]) -> str:
    if len(names) == 1:
        return say("sms.confirm_place", place=names[0])
    return say("sms.ask_place", options=numbered(names))


def ask_place_again(names: list[str]) -> str:
    """The same places offered once more, after an answer that picked none of them."""
    if len(names) == 1:
        return say("sms.confirm_place_again", place=names[0])
    return say("sms.ask_place_again", options=numbered(names))


def numbered(names: list[str]) -> str:
    return " ".join(f"{i}) {name}" for i, name in enumerate(names, 1))


def ask_category(examples: list[str]) -> str:
    return say("sms.ask_category", examples=", ".join(examples))


def ask_category_choice(names: list[str]) -> str:
    return say("sms.ask_category_choice", options=numbered(names))


def category_menu(names: list[str]) -> tuple[str, int]:
    """The numbered menu of problems with as many of `names` as fit MENU_SEGMENTS, and how
    many it shows."""
    for count in range(len(names), 1, -1):
        text = " ".join(say("sms.ask_category_menu", options=numbered(names[:count])).split())
        if count_segments(text).segments <= MENU_SEGMENTS:
            return text, count
    return say("sms.ask_category_menu", options=numbered(names[:1])), min(len(names), 1)


def filed_unclear(reference: str) -> str:
    return say("sms.filed_unclear", ref=reference)


def help_text() -> str:
    return say("sms.help")


def not_found(reference: str) -> str:
    return say("sms.not_found", ref=reference)


def no_complaint() -> str:
    return say("sms.no_complaint")


def not_yours(reference: str) -> str:
    return say("sms.not_yours", ref=reference)


def reopen_usage(reference: str) -> str:
    return say("sms.reopen_usage", ref=reference)


def reopened(reference: str) -> str:
    return say("sms.reopened", ref=reference)


def rate_usage(reference: str) -> str:
    return say("sms.rate_usage", ref=reference)


def rated(reference: str) -> str:
    return say("sms.rated", ref=reference)


def stopped() -> str:
    return say("sms.stopped")


def started() -> str:
    return say("sms.started")


def language_set(code: str) -> str:
    return say("sms.language_set", language=locale_name(code))


def language_usage(codes: list[str]) -> str:
    return say("sms.language_usage", codes=", ".join(codes))


def filed_to_triage(reference: str) -> str:
    return say("sms.filed_to_triage", ref=reference)


def slow_down() -> str:
    return say("sms.slow_down")
