"""Locating a complaint from whatever the citizen gave: coordinates, a Plus Code, a place name,
an address (optional online geocoder) or a photo's GPS. Offline by default."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from cps.routing.coordinates import checked, coordinates_in, decode_plus_code, plus_code_in
from cps.routing.errors import AmbiguousPlace, LocationError, OutsideCity, PlaceNotFound
from cps.routing.geocoder import geocode
from cps.routing.index import geo_index

MAX_PLACE_TEXT = 500


@dataclass
class Location:
    """Where a complaint is: a point and its district, or nothing (it then needs triage)."""

    lat: float | None = None
    lon: float | None = None
    district_id: int | None = None
    source: str = "none"
    place_name: str | None = None

    @property
    def found(self) -> bool:
        return self.lat is not None


def locate(city, lat=None, lon=None, text: str | None = None, photo_positions=()) -> Location:
    """Locate from coordinates, else from `text`, else from the first photo with GPS.

    Raises a LocationError subclass when what was given cannot be used; returns an empty
    Location when nothing was given.
    """
    text = (text or "").strip()
    if len(text) > MAX_PLACE_TEXT:
        raise LocationError(_("The place description is too long (at most %(max)d characters).",
                              max=MAX_PLACE_TEXT))
    if lat not in (None, "") or lon not in (None, ""):
        return place_point(city, *checked(lat, lon), source="coordinates")
    if text:
        return locate_text(city, text)
    for position in photo_positions:
        if position is not None:
            return place_point(city, *position, source="photo")
    return Location()


def locate_text(city, text: str) -> Location:
    """Locate from free text: a Plus Code, coordinates, a known place, or an address."""
    plus = plus_code_in(text)
    if plus is not None:
        return place_point(city, *decode_plus_code(plus[0], _reference(city, plus[1])),
                           source="plus_code")
    coordinates = coordinates_in(text)
    if coordinates is not None:
        return place_point(city, *coordinates, source="coordinates")
    match = geo_index(city).gazetteer.search(text)
    if match.winner is not None:
        return _from_place(city, match.winner)
    if match.ambiguous:
        raise AmbiguousPlace(_("Several places match “%(text)s”. Which one do you mean?",
                               text=text), candidates=match.candidates)
    found = geocode(text, city)
    if found is not None:
        return place_point(city, *found, source="geocoder")
    raise PlaceNotFound(_("We could not find “%(text)s”. Give a barangay, a landmark, a Plus "
                          "Code, or pick the place on the map.", text=text))


def place_point(city, lat: float, lon: float, source: str) -> Location:
    """A Location for a point, refused when it lies outside every district of the city."""
    district = geo_index(city).district_at(lon, lat)
    if district is None:
        raise OutsideCity(_("That place is outside %(city)s.", city=city.name()))
    return Location(lat, lon, district.id, source)


def _from_place(city, place) -> Location:
    location = place_point(city, place.lat, place.lon, source=place.kind)
    location.place_name = place.name
    return location


def _reference(city, locality: str) -> tuple[float, float] | None:
    """Where a short Plus Code is near: the named locality, else the city itself."""
    if locality:
        match = geo_index(city).gazetteer.search(locality)
        if match.winner is not None:
            return match.winner.lat, match.winner.lon
    return geo_index(city).centre


def describe(city, lat: float, lon: float, locale: str | None = None) -> dict:
    """Reverse lookup for display: the district's name and the nearest landmark, if any."""
    index = geo_index(city)
    district = index.district_at(lon, lat)
    near = index.nearest_landmark(lon, lat, current_app.config["NEAREST_LANDMARK_M"])
    return {"district": district.name if district else None,
            "landmark": near[0].name if near else None,
            "landmark_distance_m": round(near[1]) if near else None}
