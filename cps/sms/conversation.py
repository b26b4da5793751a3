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
from cps.routing.errors import AmbiguousPlace, LocationError
from cps.routing.locate import locate_text
from cps.sms import replies
from cps.sms.actions import COMMANDS, rate_latest
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
    command = parse_command(text, city.locales, city.reference_prefix)
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
    data = {"description": text, "media": list(inbound.media or []), "locale": locale}
    category = guess_category(city, text)
    if category is not None:
        data["category"] = category.code
    return _advance(city, phone, data, text, None, inbound)


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
    if conversation.step == "awaiting_place":
        candidates = data.pop("candidates", [])
        choice = ascii_digits(text)
        if re.fullmatch(r"[0-9]{1,3}", choice) and 1 <= int(choice) <= len(candidates):
            chosen = candidates[int(choice) - 1]
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
