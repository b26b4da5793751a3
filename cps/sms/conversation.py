"""Handling one inbound SMS: a command, the next answer of a conversation, or a new report.

Functions flush; the webhook (or job) commits. Replies are plain text in the citizen's language,
at most three segments; the caller sends them (TwiML, or the outbox for a gateway).
"""

import re
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select

from cps.complaints import citizen
from cps.complaints.models import Channel, Complaint
from cps.complaints.references import normalize
from cps.complaints.services import submit_complaint
from cps.complaints.states import State
from cps.complaints.validation import CONTROL
from cps.db import utcnow
from cps.domain import DomainError
from cps.extensions import db
from cps.notify.models import OptOut, Outbox
from cps.routing.errors import AmbiguousPlace, LocationError
from cps.routing.locate import locate_text
from cps.sms import replies
from cps.sms.commands import parse_command
from cps.sms.models import InboundSms, SmsCitizen, SmsConversation
from cps.sms.understand import examples, guess_category, guess_locale

MAX_BODY = 1600
MEANINGFUL = re.compile(r"\w", re.U)


def handle(city, inbound: InboundSms) -> str | None:
    """Act on one stored inbound message and return the reply (None: say nothing)."""
    phone = inbound.from_number
    if _throttled(city, inbound):
        return inbound.reply
    text = CONTROL.sub(" ", inbound.body or "").strip()[:MAX_BODY]
    expire_conversations(city, phone)
    command = parse_command(text)
    locale = _locale(city, phone, text, command)
    with force_locale(locale):
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
    if re.fullmatch(r"[1-5]", text):
        return _rate_latest(city, phone, text, locale)
    data = {"description": text, "media": list(inbound.media or []), "locale": locale}
    category = guess_category(city, text)
    if category is not None:
        data["category"] = category.code
    return _advance(city, phone, data, text, None, inbound)


def _locale(city, phone: str, text: str, command) -> str:
    chosen = db.session.scalar(select(SmsCitizen.locale).where(
        SmsCitizen.city_id == city.id, SmsCitizen.phone == phone))
    if chosen in city.locales:
        return chosen
    if command is not None and command[1] != "en" and command[1] in city.locales:
        return command[1]
    return guess_locale(city, text) or city.default_locale


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
    if conversation.step == "awaiting_place":
        candidates = data.pop("candidates", [])
        if text.isdigit() and 1 <= int(text) <= len(candidates):
            chosen = candidates[int(text) - 1]
            data.update(lat=chosen["lat"], lon=chosen["lon"], place=chosen["name"])
    elif conversation.step == "awaiting_category":
        category = guess_category(city, text)
        if category is not None:
            data["category"] = category.code
        data["description"] = f"{data['description']}\n{text}"
    return _advance(city, conversation.phone, data, text, conversation, inbound)


def _advance(city, phone, data: dict, place_text: str, conversation, inbound) -> str:
    """Ask for what is still missing, or file the complaint when nothing is."""
    if "lat" not in data:
        try:
            location = locate_text(city, place_text)
        except AmbiguousPlace as error:
            data["candidates"] = [{"name": c.place.name, "lat": c.place.lat, "lon": c.place.lon}
                                  for c in error.details.get("candidates", [])[:4]]
            return _ask(city, phone, conversation, "awaiting_place", data,
                        replies.ask_place([c["name"] for c in data["candidates"]]))
        except LocationError as error:
            prefix = "" if conversation is None else f"{error.message} "
            return _ask(city, phone, conversation, "awaiting_location", data,
                        prefix + replies.ask_location())
        data.update(lat=location.lat, lon=location.lon, place=location.place_name)
    if "category" not in data:
        return _ask(city, phone, conversation, "awaiting_category", data,
                    replies.ask_category(examples(city, data["locale"])))
    complaint = file_report(city, phone, data, conversation)
    inbound.complaint_id = complaint.id
    return replies.received(complaint, data["locale"])


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
    from cps.cities.models import City

    city = db.session.get(City, conversation.city_id)
    data = {**conversation.data, "locale": conversation.locale}
    complaint = file_report(city, conversation.phone, data, conversation, partial=True)
    with force_locale(conversation.locale):
        text = replies.fit(replies.filed_to_triage(complaint.reference))
    db.session.add(Outbox(city_id=city.id, complaint_id=complaint.id, channel="sms",
                          recipient=conversation.phone, template="text",
                          locale=conversation.locale, payload={"text": text}))
    db.session.flush()


# Commands ---------------------------------------------------------------------------------

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
    """A reference (which may be typed with a space or dash after the prefix) and the rest."""
    words = rest.split()
    for take in (2, 1):
        if len(words) >= take and re.fullmatch(r"[A-Za-z]{1,5}[- ]?[0-9A-Za-z]{4,12}",
                                               " ".join(words[:take])):
            return " ".join(words[:take]), " ".join(words[take:])
    return "", rest


def _status(city, phone, rest, locale) -> str:
    complaint, name = _find(city, phone, _split(rest)[0])
    if complaint is None:
        return replies.not_found(name) if name else replies.no_complaint()
    return replies.status(complaint, locale)


def _reopen(city, phone, rest, locale) -> str:
    reference, reason = _split(rest)
    complaint, name = _find(city, phone, reference)
    if complaint is None:
        return replies.not_found(name) if name else replies.no_complaint()
    if complaint.reporter_phone != phone:
        return replies.not_yours(complaint.reference)
    if not reason:
        return replies.reopen_usage(complaint.reference)
    return _act(lambda: citizen.reopen(complaint, reason, actor_label="sms"),
                replies.reopened(complaint.reference))


def _rate(city, phone, rest, locale) -> str:
    reference, value = _split(rest)
    complaint, name = _find(city, phone, reference)
    if complaint is None:
        return replies.not_found(name) if name else replies.no_complaint()
    if complaint.reporter_phone != phone:
        return replies.not_yours(complaint.reference)
    if not re.fullmatch(r"[1-5]", value.strip()):
        return replies.rate_usage(complaint.reference)
    return _act(lambda: citizen.rate(complaint, value.strip(), actor_label="sms"),
                replies.rated(complaint.reference))


def _rate_latest(city, phone, value, locale) -> str:
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
