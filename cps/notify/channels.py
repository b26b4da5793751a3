"""Transports for outbound messages, behind one interface: send(message) -> provider id.

"db" keeps the message in the outbox for staff to read (the embedded default and demos);
"twilio" sends SMS through Twilio's REST API; "smtp" sends e-mail through an SMTP relay.
Failures raise TemporaryFailure (retried with backoff) or PermanentFailure (dead at once).
"""

import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app


@dataclass(frozen=True)
class Message:
    """What a transport needs to send one outbox row (read before the provider is called)."""

    id: int
    channel: str
    recipient: str | None
    subject: str
    body: str
    # Tasks (channel "task") are work, not messages: the handler is named by the template.
    template: str | None = None
    payload: dict = field(default_factory=dict)
    complaint_id: int | None = None
    # Whom an SMS comes from: the city's number or Messaging Service SID ("MG…").
    sender: str | None = None


# Handlers of task rows, registered by the packages that own them: name -> fn(Message) -> id.
TASKS: dict = {}


class TemporaryFailure(Exception):
    """The provider may accept the message later."""


class PermanentFailure(Exception):
    """The provider will never accept this message (e.g. an invalid number)."""


def send(message: Message) -> str:
    """Send through the transport configured for the message's medium; return a provider id."""
    if message.channel == "task":
        handler = TASKS.get(message.template or "")
        if handler is None:
            raise PermanentFailure(f"unknown task {message.template!r}")
        return handler(message)
    transport = current_app.config[f"{message.channel.upper()}_TRANSPORT"]
    return TRANSPORTS[transport](message)


def _database(message: Message) -> str:
    return f"db-{message.id}"


def _twilio(message: Message) -> str:
    from twilio.base.exceptions import TwilioRestException
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    config = current_app.config
    client = Client(config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"],
                    http_client=TwilioHttpClient(timeout=config["PROVIDER_TIMEOUT"]))
    if config["TWILIO_API_URL"]:
        client.api.base_url = config["TWILIO_API_URL"]
    try:
        sender = message.sender or config["TWILIO_FROM"]
        origin = ({"messaging_service_sid": sender} if sender.startswith("MG")
                  else {"from_": sender})
        sent = client.messages.create(to=message.recipient, body=message.body, **origin)
    except TwilioRestException as exc:
        # 4xx other than throttling: the request itself is wrong (invalid number, blocked).
        if 400 <= exc.status < 500 and exc.status != 429:
            raise PermanentFailure(f"Twilio error {exc.code} (HTTP {exc.status}): {exc.msg}") \
                from exc
        raise TemporaryFailure(f"Twilio error {exc.code} (HTTP {exc.status}): {exc.msg}") from exc
    except (OSError, ValueError) as exc:
        raise TemporaryFailure(f"Twilio unreachable: {type(exc).__name__}") from exc
    return sent.sid


def _smtp(message: Message) -> str:
    config = current_app.config
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = (
        config["MAIL_FROM"], message.recipient, message.subject)
    email["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    email.set_content(message.body)
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"],
                          timeout=config["PROVIDER_TIMEOUT"]) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USER"]:
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
            smtp.send_message(email)
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentFailure(f"SMTP refused the recipient: {_codes(exc)}") from exc
    except smtplib.SMTPResponseException as exc:
        failure = PermanentFailure if 500 <= exc.smtp_code < 600 else TemporaryFailure
        raise failure(f"SMTP {exc.smtp_code}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TemporaryFailure(f"SMTP unreachable: {type(exc).__name__}") from exc
    return email["Message-ID"]


def _codes(exc: smtplib.SMTPRecipientsRefused) -> str:
    return ", ".join(str(code) for code, _msg in exc.recipients.values())


TRANSPORTS = {"db": _database, "twilio": _twilio, "smtp": _smtp}
