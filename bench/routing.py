"""Routing benchmark: locate + route per second and latency, in-process, on both backends.

For each backend (SQLite + SpatiaLite, PostgreSQL + PostGIS on a throwaway server) it loads the
demo city (59 barangays) and synthetic grid cities of 1,000 and 50,000 districts, then times
locating random points and routing them, through the path CPS uses (the in-memory per-city
index: Shapely STRtree + rules) and, for comparison, through the database alone (a spatial
query using SpatiaLite's SpatialIndex or PostGIS's GiST index, plus a rules query).
Pinned to one core. Prints one JSON object.

    .venv/bin/python bench/routing.py [--sizes 1000,50000] [--ops 20000] [--db-ops 2000]
"""

import argparse
import gc
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import shapely  # noqa: E402
from flask import current_app  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from geoalchemy2.shape import from_shape  # noqa: E402
from shapely.geometry import MultiPolygon, box  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from cps import create_app  # noqa: E402
from cps.cities.models import Category, City, Department  # noqa: E402
from cps.cities.packs.service import load_pack  # noqa: E402
from cps.extensions import db  # noqa: E402
from cps.routing.errors import OutsideCity  # noqa: E402
from cps.routing.index import geo_index  # noqa: E402
from cps.routing.locate import place_point  # noqa: E402
from cps.routing.models import District, RoutingRule  # noqa: E402
from cps.routing.services import route  # noqa: E402
from tests.servers import ThrowawayPostgres  # noqa: E402

CELL = 0.01  # degrees: about 1.1 km
TARGET_P99_MS, TARGET_OPS = 2.0, 5000
SQLITE_DISTRICT = (
    "SELECT d.id FROM district d WHERE d.city_id = :c AND "
    "ST_Covers(d.geom, MakePoint(:x, :y, 4326)) AND d.ROWID IN (SELECT ROWID FROM SpatialIndex "
    "WHERE f_table_name = 'district' AND f_geometry_column = 'geom' "
    "AND search_frame = MakePoint(:x, :y, 4326)) ORDER BY d.code LIMIT 1")
POSTGIS_DISTRICT = (
    "SELECT d.id FROM district d WHERE d.city_id = :c AND "
    "ST_Covers(d.geom, ST_SetSRID(ST_MakePoint(:x, :y), 4326)) ORDER BY d.code LIMIT 1")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def grid_city(n: int) -> City:
    """A synthetic city of about `n` square districts, one department, a default rule."""
    city = City(slug=f"grid-{n}", names={"en": f"Grid {n}"}, reference_prefix="G",
                default_locale="en", locales=["en"], timezone="UTC", country_code="PH")
    db.session.add(city)
    db.session.flush()
    dept = Department(city_id=city.id, code="works", names={"en": "Works"})
    cat = Category(city_id=city.id, code="pothole", names={"en": "Pothole"})
    db.session.add_all([dept, cat])
    db.session.flush()
    side = int(n ** 0.5 + 0.999)
    rows = [{"city_id": city.id, "code": f"{i:06d}", "name": f"Cell {i}", "names": {},
             "aliases": [], "geom": from_shape(MultiPolygon([box(
                 (i % side) * CELL, (i // side) * CELL,
                 (i % side + 1) * CELL, (i // side + 1) * CELL)]), srid=4326)}
            for i in range(n)]
    for start in range(0, n, 5000):
        db.session.execute(insert(District), rows[start:start + 5000])
    db.session.add(RoutingRule(city_id=city.id, department_id=dept.id))
    db.session.commit()
    return city


def sample_points(city: City, count: int, rng: random.Random) -> list[tuple[float, float]]:
    index = geo_index(city)
    minx, miny, maxx, maxy = shapely.total_bounds(index.polygons)
    return [(rng.uniform(miny, maxy), rng.uniform(minx, maxx)) for _ in range(count)]


def timed(fn, points) -> dict:
    latencies = []
    outside = 0
    start = time.perf_counter()
    for lat, lon in points:
        t0 = time.perf_counter_ns()
        try:
            fn(lat, lon)
        except OutsideCity:
            outside += 1
        latencies.append(time.perf_counter_ns() - t0)
    total = time.perf_counter() - start
    latencies.sort()
    pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] / 1e6, 4)  # noqa: E731
    return {"ops": len(points), "ops_per_s": round(len(points) / total), "p50_ms": pick(0.5),
            "p99_ms": pick(0.99), "outside": outside}


def index_build(city: City) -> dict:
    """Build the city's index from an empty cache: seconds and resident memory it adds."""
    current_app.extensions.get("cps_geo_index", {}).pop(city.id, None)
    gc.collect()
    before = rss_mb()
    t0 = time.perf_counter()
    geo_index(city)
    return {"build_s": round(time.perf_counter() - t0, 3),
            "index_memory_mb": round(rss_mb() - before, 1)}


def index_path(city: City, category_id: int, points) -> dict:
    def op(lat, lon):
        found = place_point(city, lat, lon, source="bench")
        route(city, category_id, found.district_id)
    return timed(op, points)


def database_path(city: City, category_id: int, points, dialect: str) -> dict:
    district_sql = text(SQLITE_DISTRICT if dialect == "sqlite" else POSTGIS_DISTRICT)
    rule_sql = text(
        "SELECT department_id FROM routing_rule WHERE city_id = :c AND "
        "(category_id = :cat OR category_id IS NULL) AND (district_id = :d OR district_id IS "
        "NULL) ORDER BY (category_id IS NOT NULL) DESC, (district_id IS NOT NULL) DESC, "
        "priority DESC, id LIMIT 1")

    def op(lat, lon):
        district = db.session.execute(district_sql, {"c": city.id, "x": lon, "y": lat}).scalar()
        if district is None:
            raise OutsideCity("outside")
        db.session.execute(rule_sql, {"c": city.id, "cat": category_id, "d": district}).scalar()
    return timed(op, points)


def run_backend(name: str, url: str, folder: Path, sizes, ops: int, db_ops: int) -> list[dict]:
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(folder), "SECRET_KEY": "bench"})
    results = []
    with app.app_context():
        upgrade()
        demo, _changes, _warnings = load_pack(ROOT / "cities" / "san-fernando-la-union")
        cities = [("demo", demo)]
        for n in sizes:
            t0 = time.perf_counter()
            cities.append(("grid", grid_city(n)))
            print(f"{name}: loaded grid of {n} in {time.perf_counter() - t0:.1f}s",
                  file=sys.stderr)
        for source, city in cities:
            category_id = city.categories[0].id
            rng = random.Random(7)
            n = db.session.query(District).filter_by(city_id=city.id).count()
            build = index_build(city)
            results.append({
                "backend": name, "source": source, "districts": n,
                "memory_index": {**build, **index_path(city, category_id,
                                                       sample_points(city, ops, rng))},
                "database": database_path(city, category_id, sample_points(city, db_ops, rng),
                                          db.engine.dialect.name),
            })
        db.session.remove()
        db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,50000")
    parser.add_argument("--ops", type=int, default=20000)
    parser.add_argument("--db-ops", type=int, default=2000)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results += run_backend("spatialite", f"sqlite:///{folder / 'bench.sqlite'}", folder,
                               sizes, args.ops, args.db_ops)
        server = ThrowawayPostgres()
        try:
            results += run_backend("postgis", server.start(), folder, sizes, args.ops,
                                   args.db_ops)
        finally:
            server.stop()
    biggest = [r["memory_index"] for r in results if r["districts"] == max(sizes + [59])]
    print(json.dumps({
        "benchmark": "routing", "path_used": "memory_index (Shapely STRtree per city)",
        "cpu": platform.processor() or platform.machine(), "cores_used": 1,
        "targets": {"p99_ms_at_largest": TARGET_P99_MS, "ops_per_s": TARGET_OPS},
        "targets_met": all(r["p99_ms"] < TARGET_P99_MS and r["ops_per_s"] >= TARGET_OPS
                           for r in biggest),
        "results": results,
    }, indent=1))


if __name__ == "__main__":
    main()
