"""A complaint, its public and internal history, and its photos."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from geoalchemy2 import Geometry
from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cps.cities.models import Category, City, Department
from cps.complaints.states import State
from cps.db import StrEnum, UTCDateTime, utcnow
from cps.extensions import db
from cps.routing.models import District


class Channel(enum.StrEnum):
    """How a complaint reached the city."""

    WEB = "web"
    SMS = "sms"
    OPEN311 = "open311"
    PHONE = "phone"
    COUNTER = "counter"


class Complaint(db.Model):
    """A citizen's complaint. Reporter fields are private: never in public output or logs."""

    __tablename__ = "complaint"
    __table_args__ = (UniqueConstraint("city_id", "reference"),
                      # An index, not a constraint: SQLite cannot add constraints to a table.
                      Index("ix_complaint_submission", "city_id", "submission_key", unique=True),
                      # Open311 lists: a city's complaints by date received or changed.
                      Index("ix_complaint_city_created", "city_id", "created_at"),
                      Index("ix_complaint_city_updated", "city_id", "updated_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(24))
    channel: Mapped[Channel] = mapped_column(StrEnum(Channel, 16))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # Answers to the category's extra questions: {question code: value or [values]}.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    point = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=True)
    address_text: Mapped[str | None] = mapped_column(String(500))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"), index=True)
    # NULL: the complaint waits in the city's triage queue.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    state: Mapped[State] = mapped_column(StrEnum(State, 16), default=State.RECEIVED, index=True)
    reporter_name: Mapped[str | None] = mapped_column(String(200))
    reporter_phone: Mapped[str | None] = mapped_column(String(32), index=True)
    reporter_email: Mapped[str | None] = mapped_column(String(255))
    reporter_locale: Mapped[str | None] = mapped_column(String(16))
    notify: Mapped[bool] = mapped_column(default=False)
    show_name: Mapped[bool] = mapped_column(default=False)
    hidden: Mapped[bool] = mapped_column(default=False)
    # Why staff hid it from the public (moderation), and the citizen's own words before staff
    # edited personal data out of the description (admins only).
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    description_original: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"))
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The one-time key of the submission that made it: the web form's (the same form sent
    # twice makes one complaint), or the token an Open311 client can look the complaint up by.
    submission_key: Mapped[str | None] = mapped_column(String(64))
    # SHA-256 of the reporter's private follow-up key (reopen, rate); the key itself is not kept.
    owner_key_hash: Mapped[str | None] = mapped_column(String(64))
    # Open311: the client application's key, the device and account ids it gave, and the
    # URL of a photo it holds elsewhere (media_url).
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_key.id"))
    device_id: Mapped[str | None] = mapped_column(String(100))
    account_id: Mapped[str | None] = mapped_column(String(100))
    media_url: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # 0: not escalated; 1: the department's managers were told it is overdue; 2: the admins.
    escalation_level: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Optimistic locking: a stale edit fails instead of silently overwriting another's.
    version: Mapped[int] = mapped_column(Integer, default=1)

    city: Mapped[City] = relationship()
    category: Mapped[Category | None] = relationship()
    district: Mapped[District | None] = relationship()
    department: Mapped[Department | None] = relationship()
    events: Mapped[list["ComplaintEvent"]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.id", cascade="all, delete-orphan"
    )
    photos: Mapped[list["Photo"]] = relationship(
        back_populates="complaint", order_by="Photo.id", cascade="all, delete-orphan"
    )
    supporters: Mapped[list["Supporter"]] = relationship(
        back_populates="complaint", order_by="Supporter.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Complaint {self.reference}>"


# What each kind of history event is called, for staff pages.
EVENT_TITLES = {
    "created": _l("Received"), "state": _l("Status changed"), "assign": _l("Assigned"),
    "transfer": _l("Transferred"), "reroute": _l("Category or place changed"),
    "note": _l("Internal note"), "merge": _l("Duplicate merged in"),
    "rating": _l("Rated by the citizen"), "moderation": _l("Moderated"),
    "deadline": _l("Deadline moved"), "escalation": _l("Escalated"),
    "support": _l("Another citizen is affected"),
    "citizen_update": _l("Update from the citizen (Open311)"),
}


class ComplaintEvent(db.Model):
    """One step of a complaint's history: who did what, when, said what to whom."""

    __tablename__ = "complaint_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaint.id", ondelete="CASCADE"), index=True
    )
    # e.g. created, state, transfer, assign, reroute, note, merge, rating.
    kind: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # Who acted when no staff member did: "citizen", "system", or a channel name.
    actor_label: Mapped[str | None] = mapped_column(String(32))
    from_state: Mapped[State | None] = mapped_column(StrEnum(State, 16))
    to_state: Mapped[State | None] = mapped_column(StrEnum(State, 16))
    public_text: Mapped[str | None] = mapped_column(Text)
    internal_note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="events")

    @property
    def title(self) -> str:
        """What happened, for people: the new state's name, or the kind of event."""
        if self.to_state is not None:
            return str(self.to_state.title)
        return str(EVENT_TITLES.get(self.kind, self.kind))


class Photo(db.Model):
    """A photo of a complaint, stored stripped of metadata."""

    __tablename__ = "photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaint.id", ondelete="CASCADE"), index=True
    )
    # Path of the file under the install's upload folder.
    storage_key: Mapped[str] = mapped_column(String(255), unique=True)
    content_type: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    hidden: Mapped[bool] = mapped_column(default=False)
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="photos")


class Supporter(db.Model):
    """A citizen who has the same problem ("this is my problem too"). Contact fields are private."""

    __tablename__ = "supporter"
    __table_args__ = (UniqueConstraint("complaint_id", "phone"),
                      UniqueConstraint("complaint_id", "email"),
                      UniqueConstraint("city_id", "submission_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaint.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[Channel] = mapped_column(StrEnum(Channel, 16))
    name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(16))
    notify: Mapped[bool] = mapped_column(default=False)
    submission_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="supporters")
