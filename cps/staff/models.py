"""Staff accounts of a city, with their role and department."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from cps.cities.models import City, Department
from cps.db import StrEnum, UTCDateTime, utcnow
from cps.extensions import db


class Role(enum.StrEnum):
    """What a staff member may do, from most to least."""

    ADMIN = "admin"
    MANAGER = "manager"
    OFFICER = "officer"
    VIEWER = "viewer"

    @property
    def title(self):
        """The role's name for people, translated lazily."""
        return ROLE_TITLES[self]


ROLE_TITLES = {
    Role.ADMIN: _l("City administrator"),
    Role.MANAGER: _l("Department manager"),
    Role.OFFICER: _l("Officer"),
    Role.VIEWER: _l("Viewer"),
}


class StaffUser(UserMixin, db.Model):
    """A person who works on complaints for one city."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(StrEnum(Role, 16))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    can_triage: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    city: Mapped[City] = relationship()
    department: Mapped[Department | None] = relationship()

    def set_password(self, password: str) -> None:
        """Store a salted scrypt hash of `password`."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        """True when `password` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        return self.active


class AuditEntry(db.Model):
    """One staff action: who did what to which record, when, with the values before and after.

    Append-only: nothing in CPS updates or deletes these rows."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    # e.g. login, state, assign, transfer, note, reroute, hide, user.create
    action: Mapped[str] = mapped_column(String(32))
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[int | None] = mapped_column(index=True)
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    after: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor: Mapped[StaffUser | None] = relationship()
