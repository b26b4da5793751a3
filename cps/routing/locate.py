"""Locating a complaint from whatever the citizen gave: coordinates, a Plus Code, a place name,
an address (optional online geocoder) or a photo's GPS. Offline by default."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from cps.routing.coordinates import checked, coordinates_in, decode_plus_code, plus_code_in
from cps.routing.errors import (
    AmbiguousPlace,
    InvalidCoordinates,
    LocationError,
    OutsideCity,
    PlaceNotFound,
)
from cps.routing.gazetteer import Candidate, Place
from cps.routing.geocoder import geocode
from cps.routing.index import geo_index

MAX_PLACE_TEXT = 500
# The confidence of a swapped pair: the citizen wrote these numbers, only in the other order.
SWAPPED_CONFIDENCE = 0.9


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
        return place_point(city, *_unswapped(city, lambda: checked(lat, lon)),
                           source="coordinates")
    if text:
        return locate_text(city, text, whole=True)
    for position in photo_positions:
        if position is not None:
            return place_point(city, *position, source="photo")
    return Location()


def locate_text(city, text: str, whole: bool = False) -> Location:
    """Locate from free text: a Plus Code, coordinates, a known place, or an address.

    `whole`: the text is all a place (a place field, an answer to "Where is it?"), not a
    message that may mention one."""
    plus = plus_code_in(text)
    if plus is not None:
        return place_point(city, *decode_plus_code(plus[0], _reference(city, plus[1])),
                           source="plus_code")
    coordinates = _unswapped(city, lambda: coordinates_in(text))
    if coordinates is not None:
        return place_point(city, *coordinates, source="coordinates")
    match = geo_index(city).gazetteer.search(text, whole=whole)
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
    """A Location for a point, refused when it lies outside every district of the city.

    Coordinates the citizen gave whose swap (lon, lat) lies in the city are offered swapped
    (AmbiguousPlace with that one candidate)."""
    district = geo_index(city).district_at(lon, lat)
    if district is not None:
        return Location(lat, lon, district.id, source)
    offer = _swap_offer(city, lat, lon) if source == "coordinates" else None
    raise offer or OutsideCity(_("That place is outside %(city)s.", city=_city_name(city)))


def _unswapped(city, read):
    """What `read()` returns; when it refuses a pair out of range (latitude 120.31) whose swap
    lies in the city, the swap is offered instead."""
    try:
        return read()
    except InvalidCoordinates as error:
        given = error.details
        offer = _swap_offer(city, given["lat"], given["lon"]) if "lat" in given else None
        if offer is None:
            raise
        raise offer from None


def _swap_offer(city, lat: float, lon: float) -> AmbiguousPlace | None:
    """The "did you mean" for a pair outside the city whose swap lies in a district; None
    when the swap does not."""
    if not (-90 <= lon <= 90 and -180 <= lat <= 180):
        return None
    district = geo_index(city).district_at(lat, lon)  # x, y of the swapped point
    if district is None:
        return None
    name = _("%(lat)s, %(lon)s (%(district)s)", lat=_degrees(lon), lon=_degrees(lat),
             district=district.name)
    # Offered as a place of the district, as the gazetteer offers names.
    place = Place("coordinates", district.id, name, lon=lat, lat=lon, district_id=district.id)
    return AmbiguousPlace(
        _("%(lat)s, %(lon)s is outside %(city)s; did you mean %(lon)s, %(lat)s (%(district)s)?",
          lat=_degrees(lat), lon=_degrees(lon), city=_city_name(city), district=district.name),
        candidates=[Candidate(place, SWAPPED_CONFIDENCE)])


def _degrees(value: float) -> str:
    """A coordinate as people write it: at most 6 decimals (0.1 m), no trailing zeros."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _city_name(city) -> str:
    """The city's name in the language of the request (or of the SMS reply being written)."""
    locale = get_locale()
    return city.name(str(locale) if locale else None)


def _from_place(city, place) -> Location:
    if place.lat is None:  # a district known by name only: its rules route it, not a point
        return Location(district_id=place.id, source=place.kind, place_name=place.name)
    location = place_point(city, place.lat, place.lon, source=place.kind)
    location.place_name = place.name
    return location


def _reference(city, locality: str) -> tuple[float, float] | None:
    """Where a short Plus Code is near: the named locality, else the city itself."""
    if locality:
        match = geo_index(city).gazetteer.search(locality, whole=True)
        if match.winner is not None and match.winner.lat is not None:
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
