"""SMS webhooks: Twilio (signed requests, TwiML replies) and a generic gateway (shared secret,
replies queued for the gateway to collect). Every message is stored before it is handled."""

import hashlib
import hmac
import logging

import phonenumbers
from flask import Blueprint, abort, current_app, jsonify, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from cps.cities.models import City
from cps.extensions import csrf, db
from cps.sms.gateway import acknowledge, collect
from cps.sms.inbound import handle_stored, queue_reply
from cps.sms.models import InboundSms

bp = Blueprint("sms", __name__, url_prefix="/sms")
log = logging.getLogger(__name__)
MAX_MEDIA = 10


@bp.post("/twilio")
@csrf.exempt
def twilio():
    """Twilio's inbound webhook: checked signature, stored, handled, answered with TwiML."""
    if not _twilio_signed():
        log.warning("SMS webhook: refused a request with a missing or wrong Twilio signature "
                    "from %s", request.remote_addr)
        abort(403)
    form = request.form
    media = [form.get(f"MediaUrl{i}", "") for i in range(min(_int(form.get("NumMedia")),
                                                             MAX_MEDIA))]
    inbound, city = _store("twilio", form.get("MessageSid", ""), form.get("From", ""),
                           form.get("To", ""), form.get("Body", ""), [m for m in media if m])
    response = MessagingResponse()
    # A retry of a message already handled gets no second reply; one whose handling failed is
    # handled now. When handling fails, the message stays stored for the scheduler, which
    # answers through the outbox: the provider is told nothing went wrong, so as not to send
    # it again.
    outcome = handle_stored(city, inbound.id)
    if outcome.reply:
        response.message(outcome.reply)
    return _twiml(response)


def _twilio_signed() -> bool:
    token = current_app.config["TWILIO_AUTH_TOKEN"]
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    url = current_app.config["BASE_URL"].rstrip("/") + request.full_path.rstrip("?")
    return RequestValidator(token).validate(url, request.form.to_dict(flat=True), signature)


def _twiml(response: MessagingResponse):
    return current_app.response_class(str(response), mimetype="application/xml")


def _int(value) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


@bp.post("/gateway/<slug>")
@csrf.exempt
def gateway(slug):
    """A generic SMS gateway's callback (from, message, sent_to, message_id)."""
    city = _gateway_city(slug)
    form = request.form
    inbound, _city = _store("gateway", form.get("message_id", ""), form.get("from", ""),
                            form.get("sent_to", ""), form.get("message", ""), [], city=city)
    outcome = handle_stored(city, inbound.id)
    if not outcome.handled and inbound.fresh is False:
        return jsonify(status="duplicate")
    if outcome.reply:
        queue_reply(city, inbound.id, outcome.reply)
    return jsonify(status="accepted", reply_queued=bool(outcome.reply))


@bp.get("/gateway/<slug>/outbox")
@csrf.exempt
def gateway_outbox(slug):
    """Messages for the gateway to send: each handed out once (again if never acknowledged)."""
    city = _gateway_city(slug)
    return jsonify(messages=[{"id": m.id, "to": m.recipient, "message": m.body}
                             for m in collect(city, _int(request.args.get("limit")) or 50)])


@bp.post("/gateway/<slug>/outbox/<int:outbox_id>")
@csrf.exempt
def gateway_report(slug, outbox_id: int):
    """The gateway says whether it sent a message: status=sent (with an id) or failed."""
    city = _gateway_city(slug)
    status = request.form.get("status", "")
    if status not in ("sent", "failed"):
        abort(400)
    if not acknowledge(city, outbox_id, status == "sent", request.form.get("error", ""),
                       request.form.get("provider_id", "")):
        abort(404)
    return jsonify(status="recorded")


def _gateway_city(slug: str) -> City:
    """The city whose gateway secret the request carries; 403 otherwise (404 is not said)."""
    city = db.session.scalar(select(City).where(City.slug == slug[:64]))
    given = request.headers.get("X-Gateway-Secret") or request.form.get("secret") or ""
    expected = city.sms_gateway_secret_hash if city else None
    digest = hashlib.sha256(given.encode()).hexdigest()
    if not expected or not given or not hmac.compare_digest(digest, expected):
        log.warning("SMS gateway: refused a request with a missing or wrong secret from %s",
                    request.remote_addr)
        abort(403)
    return city


def _store(provider, provider_id, sender, to, body, media, city=None):
    """Save the message (once per provider id) and return it with its city; a message stored
    before (a provider's retry) is returned as it was stored, with `fresh` False."""
    if not provider_id or len(provider_id) > 64:
        abort(400)
    number = _e164(sender)
    if number is None:
        abort(400)
    city = city or db.session.scalar(select(City).where(City.sms_number == _e164(to)))
    inbound = InboundSms(city_id=city.id if city else None, provider=provider,
                         provider_id=provider_id, from_number=number, to_number=_e164(to),
                         body=(body or "")[:5000], media=media,
                         state="received" if city else "unrouted")
    try:
        db.session.add(inbound)
        db.session.commit()  # kept whatever happens next
        inbound.fresh = True
    except IntegrityError:
        db.session.rollback()
        inbound = db.session.scalar(select(InboundSms).where(
            InboundSms.provider == provider, InboundSms.provider_id == provider_id))
        if inbound is None or inbound.city_id is None:
            abort(404)
        inbound.fresh = False
        return inbound, city
    if city is None:
        log.warning("SMS webhook: message %s was sent to a number no city owns", inbound.id)
        abort(404)
    return inbound, city


def _e164(value: str) -> str | None:
    try:
        number = phonenumbers.parse(str(value or "")[:40], None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
