"""API keys of the client applications that file complaints through Open311."""

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cps.cities.models import City
from cps.db import UTCDateTime, utcnow
from cps.extensions import db

KEY_PREFIX_CHARS = 8


class ApiKey(db.Model):
    """A client application's key for one city. Only the key's SHA-256 is stored; the key
    itself is shown once, when an admin creates it."""

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # The key's first characters, to recognise it in lists (never enough to use it).
    prefix: Mapped[str] = mapped_column(String(KEY_PREFIX_CHARS))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # A Flask-Limiter limit such as "120 per minute"; empty: the install's OPEN311_KEY_LIMIT.
    rate_limit: Mapped[str | None] = mapped_column(String(40))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    city: Mapped[City] = relationship()

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()

    @classmethod
    def issue(cls, city_id: int, name: str, rate_limit: str | None = None,
              created_by_id: int | None = None) -> tuple["ApiKey", str]:
        """A new key row and the key in clear (to show once)."""
        key = secrets.token_urlsafe(30)
        return cls(city_id=city_id, name=name, prefix=key[:KEY_PREFIX_CHARS],
                   key_hash=cls.digest(key), rate_limit=rate_limit,
                   created_by_id=created_by_id), key

    @property
    def active(self) -> bool:
        return self.revoked_at is None
