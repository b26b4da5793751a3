"""What SMS keeps: every inbound message (stored before it is handled), open conversations,
and each citizen's language choice. Phone numbers here are personal data: never in logs."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cps.db import UTCDateTime, utcnow
from cps.extensions import db


class InboundSms(db.Model):
    """One message a citizen sent, as the provider delivered it. The same provider message id
    is stored once, so a provider's retry never makes a second complaint or reply."""

    __tablename__ = "inbound_sms"
    __table_args__ = (UniqueConstraint("provider", "provider_id"),
                      Index("ix_inbound_sms_sender", "city_id", "from_number", "created_at"),
                      Index("ix_inbound_sms_unhandled", "state", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL: written to a number no city owns (kept, answered 404).
    city_id: Mapped[int | None] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"))
    provider: Mapped[str] = mapped_column(String(16))
    provider_id: Mapped[str] = mapped_column(String(64))
    from_number: Mapped[str | None] = mapped_column(String(32))
    to_number: Mapped[str | None] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text, default="")
    media: Mapped[list] = mapped_column(JSON, default=list)
    # received (not handled yet), handling (inside the transaction that handles it), replied,
    # throttled, unrouted, failed (handling failed: tried again), dead (failed too often)
    state: Mapped[str] = mapped_column(String(16), default="received")
    # Times its handling failed.
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reply: Mapped[str | None] = mapped_column(Text)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id",
                                                                ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SmsConversation(db.Model):
    """A report being completed over several messages (where? which place? what problem?)."""

    __tablename__ = "sms_conversation"
    __table_args__ = (Index("ix_sms_conversation_open", "city_id", "phone", "closed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"))
    phone: Mapped[str | None] = mapped_column(String(32))
    # awaiting_location, awaiting_place, awaiting_category
    step: Mapped[str] = mapped_column(String(24))
    # What is known so far: description, category, location text, candidates, media URLs.
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    locale: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the report was filed (complete, or partial to triage on expiry).
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id",
                                                                ondelete="SET NULL"))


class SmsCitizen(db.Model):
    """A phone number's language choice (LANG) in one city."""

    __tablename__ = "sms_citizen"
    __table_args__ = (UniqueConstraint("city_id", "phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"))
    phone: Mapped[str] = mapped_column(String(32))
    locale: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
