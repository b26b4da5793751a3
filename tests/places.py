"""Places of the demo city for tests: a district by name, and a point inside it."""

from geoalchemy2.shape import to_shape
from sqlalchemy import select

from cps.extensions import db
from cps.routing.models import District


def district(name: str) -> District:
    """The demo city's district called `name`."""
    return db.session.scalar(select(District).where(District.name == name))


def inside(name: str) -> tuple[float, float]:
    """(lat, lon) of a point surely inside the district `name`."""
    point = to_shape(district(name).geom).representative_point()
    return point.y, point.x
