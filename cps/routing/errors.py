"""Why a location could not be used."""

from cps.domain import DomainError


class LocationError(DomainError):
    """The location given cannot be used."""

    code = "location"


class InvalidCoordinates(LocationError):
    code = "invalid_coordinates"


class InvalidPlusCode(LocationError):
    code = "invalid_plus_code"


class OutsideCity(LocationError):
    code = "outside_city"


class PlaceNotFound(LocationError):
    code = "place_not_found"


class AmbiguousPlace(LocationError):
    """Several places fit; `details["candidates"]` lists them for the citizen to choose."""

    code = "ambiguous_place"
