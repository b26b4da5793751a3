"""Districts of a city and the rules that send complaints to departments."""

from geoalchemy2 import Geometry
from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cps.cities.models import Category, City, Department
from cps.extensions import db
from cps.i18n import pick_text


class District(db.Model):
    """A barangay, ward or other area of one city, with its boundary."""

    __tablename__ = "district"
    __table_args__ = (UniqueConstraint("city_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    # {locale: name} where the name differs by language.
    names: Mapped[dict] = mapped_column(JSON, default=dict)
    # Other spellings and abbreviations citizens use ("Brgy. I", "Poblacion" ...).
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    # NULL for a district known by name only (boundary layers lack some polygons): found by
    # name and routed by its rules, never by a point.
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=True)

    city: Mapped[City] = relationship()

    def display_name(self, locale: str | None = None) -> str:
        """The district's name in `locale` where it has one, else its official name."""
        return pick_text(self.names, locale) or self.name


class RoutingRule(db.Model):
    """Sends complaints of a category and/or district to a department.

    The most specific rule wins: category+district, then category, then district, then the
    rule with neither (the city's default department). `priority` breaks ties (higher first).
    """

    __tablename__ = "routing_rule"
    __table_args__ = (UniqueConstraint("city_id", "category_id", "district_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("category.id", ondelete="CASCADE"), index=True
    )
    district_id: Mapped[int | None] = mapped_column(
        ForeignKey("district.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"))
    priority: Mapped[int] = mapped_column(Integer, default=0)

    category: Mapped[Category | None] = relationship()
    district: Mapped[District | None] = relationship()
    department: Mapped[Department] = relationship()


class Landmark(db.Model):
    """A named place citizens give as a location (a plaza, a market, a school)."""

    __tablename__ = "landmark"
    __table_args__ = (UniqueConstraint("city_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    point = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=False)
