"""A city and what defines it: departments, categories (Open311 services) and holidays."""

from datetime import date, datetime

from geoalchemy2 import Geometry
from sqlalchemy import JSON, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cps.db import UTCDateTime, utcnow
from cps.extensions import db
from cps.i18n import pick_text


class City(db.Model):
    """A jurisdiction served by this install; every city-owned row points to one."""

    __tablename__ = "city"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    # A domain a city is reached by (Open311 jurisdiction_id may give it instead of the slug).
    domain: Mapped[str | None] = mapped_column(String(255), unique=True)
    # The city's SMS number in E.164 form: citizens text it, and inbound SMS find the city by it.
    sms_number: Mapped[str | None] = mapped_column(String(32), unique=True, index=True)
    # SHA-256 of the shared secret of the city's own SMS gateway (set by
    # `flask cps city gateway-secret`); when set, the city's SMS leave through that gateway.
    sms_gateway_secret_hash: Mapped[str | None] = mapped_column(String(64))
    names: Mapped[dict] = mapped_column(JSON, default=dict)
    reference_prefix: Mapped[str] = mapped_column(String(8))
    default_locale: Mapped[str] = mapped_column(String(16))
    locales: Mapped[list] = mapped_column(JSON, default=list)
    timezone: Mapped[str] = mapped_column(String(64))
    country_code: Mapped[str] = mapped_column(String(2))
    # ISO weekday numbers (1 = Monday ... 7 = Sunday) on which the city's offices work.
    working_days: Mapped[list] = mapped_column(JSON, default=lambda: [1, 2, 3, 4, 5])
    boundary = mapped_column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=True)
    # Bumped whenever districts or landmarks change, so in-memory indexes know to rebuild.
    geo_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Tier-3 settings: overrides of the keys in config.CITY_SETTING_KEYS.
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    # The city's own date, time and number patterns and first weekday (cities.formats).
    formats: Mapped[dict | None] = mapped_column(JSON, default=dict)
    # The city's own wording of citizen messages: {template: {locale: text}} (notify.wording).
    messages: Mapped[dict | None] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    holidays: Mapped[list["Holiday"]] = relationship(
        back_populates="city", cascade="all, delete-orphan", order_by="Holiday.day"
    )
    departments: Mapped[list["Department"]] = relationship(
        back_populates="city", order_by="Department.code"
    )
    categories: Mapped[list["Category"]] = relationship(
        back_populates="city", order_by="(Category.position, Category.code)"
    )

    def name(self, locale: str | None = None) -> str:
        """The city's name in `locale`, falling back to its default locale."""
        return pick_text(self.names, locale, self.default_locale)

    def __repr__(self) -> str:
        return f"<City {self.slug}>"


class Holiday(db.Model):
    """A day the city's offices are closed; deadlines skip it."""

    __tablename__ = "holiday"
    __table_args__ = (UniqueConstraint("city_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    names: Mapped[dict] = mapped_column(JSON, default=dict)

    city: Mapped[City] = relationship(back_populates="holidays")


class Department(db.Model):
    """A city department (or office) that handles complaints."""

    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("city_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    names: Mapped[dict] = mapped_column(JSON, default=dict)
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True)

    city: Mapped[City] = relationship(back_populates="departments")

    def name(self, locale: str | None = None) -> str:
        """The department's name in `locale`, falling back to the city's default locale."""
        return pick_text(self.names, locale, self.city.default_locale)


class Category(db.Model):
    """A kind of problem a citizen can report; it is also the Open311 service."""

    __tablename__ = "category"
    __table_args__ = (UniqueConstraint("city_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    names: Mapped[dict] = mapped_column(JSON, default=dict)
    descriptions: Mapped[dict] = mapped_column(JSON, default=dict)
    # {locale: [keyword, ...]} used to recognise the category in an SMS.
    keywords: Mapped[dict] = mapped_column(JSON, default=dict)
    group: Mapped[str | None] = mapped_column(String(64))
    icon: Mapped[str | None] = mapped_column(String(64))
    deadline_days: Mapped[int] = mapped_column(Integer, default=5)
    # Extra questions: [{code, datatype, required, names, values: [{key, names}]}].
    questions: Mapped[list] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(default=True)

    city: Mapped[City] = relationship(back_populates="categories")

    def name(self, locale: str | None = None) -> str:
        """The category's name in `locale`, falling back to the city's default locale."""
        return pick_text(self.names, locale, self.city.default_locale)

    def description(self, locale: str | None = None) -> str:
        """The category's description in `locale`, falling back to the city's default locale."""
        return pick_text(self.descriptions, locale, self.city.default_locale)
