"""An in-memory index per city: point -> district, nearest landmark, gazetteer, routing rules.

Built from the database once per city and rebuilt when the city's `geo_version` changes (a city
pack import, or an edit of boundaries or routing rules: whatever changes them must bump it).
Shapely's STRtree answers a point lookup in microseconds, where a query through SQLAlchemy
costs a round trip; see bench/routing.py.
"""

import json
import math
import threading
from dataclasses import dataclass, replace

import shapely
from flask import current_app
from geoalchemy2.shape import to_shape
from shapely.geometry import Point, mapping
from sqlalchemy import select

from cps.cities.models import Category, City
from cps.extensions import db
from cps.routing.gazetteer import Gazetteer, Place
from cps.routing.models import District, Landmark, RoutingRule
from cps.routing.spelling import variants
from cps.routing.words import everyday, function_words, problem_words

_lock = threading.Lock()
# Degrees: outlines for maps keep shapes to about 10 m, coordinates to about 1 m.
OUTLINE_TOLERANCE = 0.0001
OUTLINE_GRID = 0.00001


@dataclass(frozen=True)
class RuleRow:
    """What the index keeps of a routing rule."""

    id: int
    category_id: int | None
    district_id: int | None
    department_id: int
    priority: int


def rule_rank(rule) -> tuple:
    """Sort key: category+district first, then category, then district, then the default."""
    specificity = (rule.category_id is not None) * 2 + (rule.district_id is not None)
    return (-specificity, -rule.priority, rule.id or 0)


@dataclass(frozen=True)
class DistrictShape:
    """What the index keeps of a district."""

    id: int
    code: str
    name: str


class CityGeoIndex:
    """Districts and landmarks of one city, indexed for lookups by point and by name."""

    def __init__(self, districts, landmarks, rules=(), ignore=frozenset(), everyday=None):
        """`districts`: (DistrictShape, polygon or None, aliases); `landmarks`: (Place, variants);
        `rules`: the city's RoutingRule rows; `ignore`: words that never name a place;
        `everyday(word)`: whether a word is in everyday use in the city's languages."""
        self.ignore, self.everyday = ignore, everyday
        self.rules = sorted(rules, key=rule_rank)
        # Name-only districts (no polygon) stay out of the tree and the outlines: no point is
        # ever in them. The gazetteer still knows them.
        self.districts = [d for d, g, _a in districts if g is not None]
        self.polygons = [g for _d, g, _a in districts if g is not None]
        for polygon in self.polygons:
            shapely.prepare(polygon)
        self.tree = shapely.STRtree(self.polygons)
        # Each landmark lies in the district district_at() gives (one rule for shared borders).
        landmarks = [(self._placed(place), names) for place, names in landmarks]
        self.landmarks = [place for place, _v in landmarks]
        self.landmark_tree = shapely.STRtree([Point(p.lon, p.lat) for p in self.landmarks])
        self._named = list(districts)
        self._landmark_names = list(landmarks)
        self._gazetteer = None
        self._outlines = None

    @property
    def gazetteer(self) -> Gazetteer:
        """The city's place names, built on the first search (routing by point needs none)."""
        if self._gazetteer is None:
            places = [(district_place(d, polygon), variants(d.name, aliases, district=True))
                      for d, polygon, aliases in self._named]
            self._gazetteer = Gazetteer(places + self._landmark_names, self.ignore,
                                        self.everyday)
        return self._gazetteer

    def outline_geojson(self) -> str:
        """The districts as a GeoJSON text for maps: simplified to about 10 m, built once."""
        if self._outlines is None:
            features = [{"type": "Feature", "properties": {"code": d.code, "name": d.name},
                         "geometry": mapping(shapely.set_precision(
                             polygon.simplify(OUTLINE_TOLERANCE), OUTLINE_GRID))}
                        for d, polygon in zip(self.districts, self.polygons, strict=True)]
            self._outlines = json.dumps({"type": "FeatureCollection", "features": features},
                                        separators=(",", ":"))
        return self._outlines

    def department_for(self, category_id: int | None, district_id: int | None) -> int | None:
        """The department of the most specific matching rule, or None (triage queue)."""
        for rule in self.rules:
            if rule.category_id in (None, category_id) and rule.district_id in (None, district_id):
                return rule.department_id
        return None

    def district_at(self, lon: float, lat: float) -> DistrictShape | None:
        """The district covering the point; on a shared border, the one with the lowest code."""
        hits = self.tree.query(Point(lon, lat), predicate="covered_by")
        if len(hits) == 0:
            return None
        return min((self.districts[i] for i in hits), key=lambda d: d.code)

    def nearest_landmark(self, lon: float, lat: float, max_m: float) -> tuple[Place, float] | None:
        """The closest landmark within `max_m` metres, with its distance."""
        if not self.landmarks:
            return None
        place = self.landmarks[int(self.landmark_tree.nearest(Point(lon, lat)))]
        distance = distance_m(lat, lon, place.lat, place.lon)
        return (place, distance) if distance <= max_m else None

    @property
    def centre(self) -> tuple[float, float] | None:
        """(lat, lon) of the middle of the city's extent, a reference for short Plus Codes."""
        if not self.polygons:
            return None
        minx, miny, maxx, maxy = shapely.total_bounds(self.polygons)
        return (miny + maxy) / 2, (minx + maxx) / 2

    def _placed(self, place: Place) -> Place:
        district = self.district_at(place.lon, place.lat)
        return replace(place, district_id=district.id if district else None)


def district_place(district: DistrictShape, polygon) -> Place:
    """A district as a place of the gazetteer; one known by name only has no point (lon and
    lat None), so whatever takes it routes by the district, never by a point."""
    if polygon is None:
        return Place("district", district.id, district.name, None, None)
    point = polygon.representative_point()
    return Place("district", district.id, district.name, point.x, point.y)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(a))


def geo_index(city) -> CityGeoIndex:
    """The city's index, built on first use and again whenever its geography changed."""
    cache = current_app.extensions.setdefault("cps_geo_index", {})
    cached = cache.get(city.id)
    if cached is not None and cached[0] == city.geo_version:
        return cached[1]
    with _lock:
        cached = cache.get(city.id)
        if cached is None or cached[0] != city.geo_version:
            cached = (city.geo_version, build_index(city.id))
            cache[city.id] = cached
    return cached[1]


def build_index(city_id: int) -> CityGeoIndex:
    """Read the city's districts and landmarks from the database into a new index."""
    rows = db.session.scalars(
        select(District).where(District.city_id == city_id).order_by(District.code)).all()
    districts = [(DistrictShape(d.id, d.code, d.name),
                  None if d.geom is None else to_shape(d.geom), d.aliases) for d in rows]
    marks = db.session.scalars(select(Landmark).where(Landmark.city_id == city_id)).all()
    landmarks = [(_landmark_place(m), variants(m.name, m.aliases)) for m in marks]
    rules = [RuleRow(r.id, r.category_id, r.district_id, r.department_id, r.priority)
             for r in db.session.scalars(select(RoutingRule).where(RoutingRule.city_id == city_id))]
    locales = tuple(db.session.get(City, city_id).locales or ())
    return CityGeoIndex(districts, landmarks, rules, ordinary_words(city_id), everyday(locales))


def ordinary_words(city_id: int) -> frozenset[str]:
    """The words that never name a place in this city: its languages' function words and the
    words of its problems."""
    city = db.session.get(City, city_id)
    categories = db.session.scalars(select(Category).where(Category.city_id == city_id)).all()
    return function_words(tuple(city.locales or ())) | problem_words(categories)


def _landmark_place(mark: Landmark) -> Place:
    point = to_shape(mark.point)
    return Place("landmark", mark.id, mark.name, point.x, point.y)
