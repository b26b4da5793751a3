"""Routing: which department handles a complaint of a category in a district."""

from cps.routing.index import geo_index


def route(city, category_id: int | None, district_id: int | None) -> int | None:
    """The department id for the most specific matching rule of `city`, or None (triage)."""
    return geo_index(city).department_for(category_id, district_id)
