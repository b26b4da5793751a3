"""Handling one inbound SMS: a command, the next answer of a conversation, or a new report.

Functions flush; the webhook (or job) commits. Replies are plain text in the citizen's language,
at most three segments; the caller sends them (TwiML, or the outbox for a gateway).
"""

import re
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select

from cps.complaints.models import Channel, Complaint
from cps.complaints.services import submit_complaint
from cps.complaints.validation import CONTROL
from cps.db import utcnow
from cps.extensions import db
from cps.i18n import city_context
from cps.locales import ascii_digits
from cps.notify.models import Outbox
from cps.routing.errors import AmbiguousPlace, LocationError, OutsideCity, PlaceNotFound
from cps.routing.locate import locate_text
from cps.sms import replies
from cps.sms.actions import COMMANDS, rate_latest
from cps.sms.commands import parse_command
from cps.sms.models import InboundSms, SmsCitizen, SmsConversation
from cps.sms.understand import (
    active_categories,
    answer_category,
    category_candidates,
    choice_number,
    examples,
    guess_locale,
    pick_option,
    yes_or_no,
)

MAX_BODY = 1600
MEANINGFUL = re.compile(r"\w", re.U)
# Places or problems offered in one numbered question, at most.
MAX_OPTIONS = 4
# What makes an expired conversation worth a complaint: a problem, a place, a photo.
HOLDS = ("category", "category_options", "lat", "place", "candidates", "media")
# Commands that no limit and no conversation stand in the way of.
ALWAYS = {"STOP", "START", "HELP"}


def handle(city, inbound: InboundSms) -> str | None:
    """Act on one stored inbound message and return the reply (None: say nothing).

    STOP, START and HELP are honoured whatever else holds: past the hourly limit, and in the
    middle of a conversation."""
    phone = inbound.from_number
    text = CONTROL.sub(" ", inbound.body or "").strip()[:MAX_BODY]
    command = parse_command(text, city.locales, city.reference_prefix)
    if (command is None or command[0] not in ALWAYS) and _throttled(city, inbound):
        return inbound.reply
    expire_conversations(city, phone)
    locale = _locale(city, phone, text, command)
    with force_locale(locale), city_context(city):
        reply = replies.fit(_reply(city, inbound, text, command, locale))
    inbound.state, inbound.reply = "replied", reply
    db.session.flush()
    return reply


def _reply(city, inbound, text: str, command, locale: str) -> str:
    phone = inbound.from_number
    if command is not None:
        return COMMANDS[command[0]](city, phone, command[2], locale)
    if not MEANINGFUL.search(text):
        return replies.help_text()
    conversation = _open_conversation(city, phone)
    if conversation is not None:
        return _continue(city, conversation, inbound, text, locale)
    rating = ascii_digits(text)
    if re.fullmatch(r"[1-5]", rating):
        return rate_latest(city, phone, rating)
    found = category_candidates(city, text)
    if not found and not inbound.media and not _names_a_place(city, text):
        # "hello", "ok thanks", a mistyped command: no report to start. Say what to send.
        return replies.help_text()
    data = {"description": text, "media": list(inbound.media or []), "locale": locale}
    _note_categories(data, found)
    return _advance(city, phone, data, text, None, inbound)


def _names_a_place(city, text: str) -> bool:
    """Whether the text gives a place, even one to ask about or one outside the city."""
    try:
        locate_text(city, text)
    except (AmbiguousPlace, OutsideCity):
        return True
    except LocationError:
        return False
    return True


def _locale(city, phone: str, text: str, command) -> str:
    """LANG's choice, else the message's language, else the language of the conversation or
    complaint this citizen wrote in last, else the city's."""
    chosen = db.session.scalar(select(SmsCitizen.locale).where(
        SmsCitizen.city_id == city.id, SmsCitizen.phone == phone))
    if chosen in city.locales:
        return chosen
    if command is not None and command[1] != "en" and command[1] in city.locales:
        return command[1]
    guessed = guess_locale(city, text)
    if guessed:
        return guessed
    conversation = _open_conversation(city, phone)
    if conversation is not None:
        return conversation.locale
    last = db.session.scalar(select(Complaint.reporter_locale).where(
        Complaint.city_id == city.id, Complaint.reporter_phone == phone)
        .order_by(Complaint.id.desc()).limit(1))
    return last if last in city.locales else city.default_locale


def _throttled(city, inbound: InboundSms) -> bool:
    since = utcnow() - timedelta(hours=1)
    count = db.session.scalar(select(func.count()).select_from(InboundSms).where(
        InboundSms.city_id == city.id, InboundSms.from_number == inbound.from_number,
        InboundSms.created_at >= since))
    limit = current_app.config["SMS_MAX_PER_HOUR"]
    if count <= limit:
        return False
    inbound.state = "throttled"
    if count == limit + 1:  # say it once, then stay silent
        with force_locale(_locale(city, inbound.from_number, "", None)):
            inbound.reply = replies.slow_down()
    return True


# Reports over several messages ------------------------------------------------------------

def _open_conversation(city, phone: str) -> SmsConversation | None:
    return db.session.scalar(select(SmsConversation).where(
        SmsConversation.city_id == city.id, SmsConversation.phone == phone,
        SmsConversation.closed_at.is_(None)).order_by(SmsConversation.id.desc()).limit(1))


def _continue(city, conversation: SmsConversation, inbound, text: str, locale: str) -> str:
    data = {**conversation.data, "media": [*conversation.data.get("media", []),
                                           *(inbound.media or [])]}
    if conversation.step == "awaiting_place" and data.get("candidates"):
        return _answer_place(city, conversation, inbound, text, data)
    if conversation.step == "awaiting_category":
        return _answer_category(city, conversation, inbound, text, data)
    return _advance(city, conversation.phone, data, text, conversation, inbound)


def _advance(city, phone, data: dict, place_text: str, conversation, inbound) -> str:
    """Ask for what is still missing, or file the complaint when nothing is."""
    if "lat" not in data:
        # The answer to "Where is it?" is all a place: "Abut" there is the barangay, not a hole.
        answer = conversation is not None and conversation.step == "awaiting_location"
        try:
            location = locate_text(city, place_text, whole=answer)
        except AmbiguousPlace as error:
            data["candidates"] = [{"name": c.place.name, "lat": c.place.lat, "lon": c.place.lon}
                                  for c in error.details.get("candidates", [])[:MAX_OPTIONS]]
            return _ask(city, phone, conversation, "awaiting_place", data,
                        replies.ask_place([c["name"] for c in data["candidates"]]))
        except LocationError as error:
            # A place that cannot be used (outside the city, coordinates that are no place) is
            # explained at once; "no place found" only once the citizen was asked where.
            explain = conversation is not None or not isinstance(error, PlaceNotFound)
            prefix = f"{error.message} " if explain else ""
            return _ask(city, phone, conversation, "awaiting_location", data,
                        prefix + replies.ask_location())
        data.update(lat=location.lat, lon=location.lon, place=location.place_name)
    if "category" not in data:
        return _ask_category(city, phone, conversation, data)
    complaint = file_report(city, phone, data, conversation)
    inbound.complaint_id = complaint.id
    return replies.received(complaint, data["locale"])


# Which place ------------------------------------------------------------------------------

def _answer_place(city, conversation, inbound, text: str, data: dict) -> str:
    """Read the answer to "which of these places?" ("did you mean ...?" for one)."""
    candidates, misses = data.pop("candidates"), data.pop("place_misses", 0)
    answer = yes_or_no(city, text)
    index = 0 if answer and len(candidates) == 1 else pick_option(
        city, text, [[c["name"]] for c in candidates])
    chosen = candidates[index] if index is not None else None
    if chosen is None and answer is not False:
        chosen = _clear_place(city, text)  # the citizen named another place instead
    if chosen is None:
        return _place_missed(city, conversation, data, candidates, bool(misses) or answer is False)
    data.update(lat=chosen["lat"], lon=chosen["lon"], place=chosen["name"])
    return _advance(city, conversation.phone, data, text, conversation, inbound)


def _place_missed(city, conversation, data: dict, candidates: list, give_up: bool) -> str:
    """A wrong answer gets the same places once more; a second one, or a no, "Where is it?"."""
    if give_up:
        return _ask(city, conversation.phone, conversation, "awaiting_location", data,
                    replies.ask_location())
    data.update(candidates=candidates, place_misses=1)
    return _ask(city, conversation.phone, conversation, "awaiting_place", data,
                replies.ask_place_again([c["name"] for c in candidates]))


def _clear_place(city, text: str) -> dict | None:
    """The place an answer names on its own, if it names one clearly (a number never does)."""
    if choice_number(text) is not None:
        return None
    try:
        location = locate_text(city, text, whole=True)
    except LocationError:
        return None
    return {"lat": location.lat, "lon": location.lon, "name": location.place_name}


# Which problem ----------------------------------------------------------------------------

def _note_categories(data: dict, found: list) -> None:
    """The category when one is named, or the tied ones to offer."""
    if len(found) == 1:
        data["category"] = found[0].code
    elif found:
        data["category_options"] = [category.code for category in found[:MAX_OPTIONS]]


def _answer_category(city, conversation, inbound, text: str, data: dict) -> str:
    """Read an answer about the problem. The same question is never asked twice in a row: an
    answer not understood gets the menu of problems, and a second one sends the report to the
    complaints desk."""
    offered = data.pop("category_options", [])
    found = answer_category(city, text, offered)
    if choice_number(text) is None:
        data["description"] = f"{data['description']}\n{text}"
    tied = [category.code for category in found[:MAX_OPTIONS]]
    if len(found) == 1 or (found and tied != offered):
        _note_categories(data, found)
    elif data.get("category_misses"):
        return _file_unclear(city, conversation, inbound, data)
    else:
        data["category_misses"] = 1
    return _advance(city, conversation.phone, data, text, conversation, inbound)


def _ask_category(city, phone, conversation, data: dict) -> str:
    """The tied categories to choose from; else, after an answer not understood, the menu of
    the city's problems; else the open question."""
    locale = data["locale"]
    categories = active_categories(city)
    if data.get("category_options"):
        names = [c.name(locale) for code in data["category_options"]
                 for c in categories if c.code == code]
        question = replies.ask_category_choice(names)
    elif data.get("category_misses"):
        question, count = replies.category_menu([c.name(locale) for c in categories])
        data["category_options"] = [c.code for c in categories[:count]]
    else:
        question = replies.ask_category(examples(city, locale))
    return _ask(city, phone, conversation, "awaiting_category", data, question)


def _file_unclear(city, conversation, inbound, data: dict) -> str:
    complaint = file_report(city, conversation.phone, data, conversation, partial=True)
    inbound.complaint_id = complaint.id
    return replies.filed_unclear(complaint.reference)


def _ask(city, phone, conversation, step: str, data: dict, question: str) -> str:
    expires = utcnow() + timedelta(minutes=current_app.config["SMS_CONVERSATION_MINUTES"])
    if conversation is None:
        conversation = SmsConversation(city_id=city.id, phone=phone, locale=data["locale"])
        db.session.add(conversation)
    conversation.step, conversation.data, conversation.expires_at = step, data, expires
    db.session.flush()
    return question


def file_report(city, phone: str, data: dict, conversation=None, partial=False) -> Complaint:
    """Make the complaint of a (complete or expired) SMS report; photos are fetched later."""
    complaint = submit_complaint(city, Channel.SMS, {
        "category": data.get("category"), "description": data["description"],
        "lat": data.get("lat"), "lon": data.get("lon"), "address_text": data.get("place"),
        # A district known by name only has no point: its name places the complaint.
        "location_text": data.get("place") if data.get("lat") is None else None,
        "reporter_phone": phone, "reporter_locale": data["locale"], "partial": partial})
    if data.get("media"):
        db.session.add(Outbox(city_id=city.id, complaint_id=complaint.id, channel="task",
                              template="fetch_media", payload={"urls": data["media"]}))
    if conversation is not None:
        conversation.closed_at, conversation.complaint_id = utcnow(), complaint.id
    db.session.flush()
    return complaint


def expire_conversations(city=None, phone: str | None = None) -> int:
    """File every expired conversation's partial report to the triage queue; tell the citizen."""
    query = select(SmsConversation).where(SmsConversation.closed_at.is_(None),
                                          SmsConversation.expires_at < utcnow())
    if city is not None:
        query = query.where(SmsConversation.city_id == city.id, SmsConversation.phone == phone)
    expired = db.session.scalars(query).all()
    for conversation in expired:
        _file_expired(conversation)
    return len(expired)


def _file_expired(conversation: SmsConversation) -> None:
    """File an expired conversation that holds a problem, a place or a photo; one that holds
    none of them is closed without a complaint, and without a message to the citizen."""
    from cps.cities.models import City

    city = db.session.get(City, conversation.city_id)
    data = {**conversation.data, "locale": conversation.locale}
    if not any(data.get(key) for key in HOLDS):
        conversation.closed_at = utcnow()
        db.session.flush()
        return
    complaint = file_report(city, conversation.phone, data, conversation, partial=True)
    with force_locale(conversation.locale):
        text = replies.fit(replies.filed_to_triage(complaint.reference))
    db.session.add(Outbox(city_id=city.id, complaint_id=complaint.id, channel="sms",
                          recipient=conversation.phone, template="text",
                          locale=conversation.locale, payload={"text": text}))
    db.session.flush()
