"""Open311 speed under gunicorn on PostgreSQL/PostGIS with a million complaints.

Starts a throwaway PostgreSQL (fsync off, as every benchmark here), migrates it, loads the demo
city, fills ROWS complaints (each with its "received" event) spread over 400 days, and serves
the app with gunicorn on 127.0.0.1. A load generator (aiohttp, CONCURRENCY connections) then
measures for SECONDS each:

  post    POST requests.json (locate, route, save: the whole intake)
  list    GET requests.json (the default window: the newest 1,000 of the last 90 days)
  one     GET requests/{id}.json
  limit   a bare Flask endpoint, under the same gunicorn settings, that inserts one row into
          the same database: what this machine can do at best

Both servers are measured once all their workers have loaded the app (a worker still importing
takes the CPU from the first measurement).

Targets: post at least 50% of limit's requests per second with p99 under 100 ms; list p99 under
150 ms. Rate limits are off (they are tested, not measured). Prints one JSON object.

    .venv/bin/python bench/open311.py [--rows 1000000] [--seconds 20] [--concurrency 16]
"""

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from tests.servers import ThrowawayPostgres  # noqa: E402

FILL = """
INSERT INTO complaint (city_id, reference, channel, category_id, description, answers, point,
    address_text, district_id, department_id, state, notify, show_name, hidden, created_at,
    updated_at, deadline, escalation_level, version)
SELECT :city, 'SF-B' || lpad(i::text, 8, '0'), 'web', c.ids[1 + i % array_length(c.ids, 1)],
    'Benchmark complaint ' || i, '{}', ST_SetSRID(ST_MakePoint(120.30 + (i % 1000) / 20000.0,
    16.59 + (i / 1000 % 1000) / 20000.0), 4326), NULL, NULL, c.dept,
    (ARRAY['received','acknowledged','in_progress','resolved','closed'])[1 + i % 5],
    false, false, false, t.at, t.at, t.at + interval '7 days', 0, 1
FROM generate_series(1, :rows) AS i,
     LATERAL (SELECT now() - (i::float / :rows) * interval '400 days' AS at) AS t,
     (SELECT array_agg(id) AS ids, min(dept) AS dept FROM (SELECT id,
        (SELECT min(id) FROM department WHERE city_id = :city) AS dept
      FROM category WHERE city_id = :city) AS x) AS c
"""
EVENTS = """
INSERT INTO complaint_event (city_id, complaint_id, kind, actor_label, to_state, data, created_at)
SELECT city_id, id, 'created', 'web', 'received', '{}', created_at FROM complaint
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str, folder: str, rows: int) -> dict:
    """Migrate, load the demo city, fill the complaints, issue an API key."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from cps import create_app
    from cps.cities.packs.service import load_pack
    from cps.extensions import db
    from cps.open311.models import ApiKey

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": folder, "SECRET_KEY": "bench",
                      "JOBS_MODE": "off"})
    with app.app_context():
        upgrade()
        city = load_pack(ROOT / "cities" / "san-fernando-la-union")[0]
        started = time.perf_counter()
        db.session.execute(text(FILL), {"city": city.id, "rows": rows})
        db.session.execute(text(EVENTS))
        db.session.commit()
        filled = time.perf_counter() - started
        db.session.execute(text("CREATE TABLE bench_row (id serial PRIMARY KEY, body text, "
                                "created_at timestamptz DEFAULT now())"))
        row, key = ApiKey.issue(city.id, "bench")
        db.session.add(row)
        points = db.session.execute(text(
            "SELECT ST_Y(p), ST_X(p) FROM (SELECT ST_PointOnSurface(geom) AS p FROM district "
            "WHERE city_id = :city) AS x"), {"city": city.id}).all()
        references = [r for (r,) in db.session.execute(text(
            "SELECT reference FROM complaint ORDER BY random() LIMIT 2000"))]
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()
    return {"key": key, "points": points, "references": references,
            "fill_seconds": round(filled, 1)}


BARE = '''
import os
from flask import Flask
from sqlalchemy import create_engine, text
engine = create_engine(os.environ["BENCH_DB"], pool_size=2)
app = Flask(__name__)
@app.post("/insert")
def insert():
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO bench_row (body) VALUES ('x')"))
    return "ok"
'''


# gunicorn settings: each worker says when it has loaded the app.
READY_HOOK = '''
import os
from pathlib import Path


def post_worker_init(worker):
    Path(os.environ["BENCH_READY"], str(worker.pid)).touch()
'''


def serve(app_spec: str, port: int, env: dict, workers: int, folder: str) -> subprocess.Popen:
    """gunicorn serving `app_spec`, returned once every worker has loaded it: workers still
    importing would take the CPU from whatever is measured first."""
    hook = Path(folder, "ready_hook.py")
    hook.write_text(READY_HOOK)
    ready = Path(tempfile.mkdtemp(dir=folder))
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--chdir", folder, "--log-level", "warning", "-c", str(hook), app_spec],
        env={**os.environ, **env, "BENCH_READY": str(ready)}, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(1200):
        if len(list(ready.iterdir())) >= workers:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode())
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


async def load(make_request, seconds: float, concurrency: int) -> dict:
    """Run `make_request(session)` from `concurrency` workers for `seconds`."""
    times, errors = [], 0
    stop = time.perf_counter() + seconds

    async def worker(session):
        nonlocal errors
        while time.perf_counter() < stop:
            began = time.perf_counter()
            async with make_request(session) as response:
                await response.read()
                if response.status >= 400:
                    errors += 1
            times.append((time.perf_counter() - began) * 1000)

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        began = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    times.sort()
    return {"requests": len(times), "errors": errors,
            "rps": round(len(times) / elapsed, 1),
            "p50_ms": round(statistics.median(times), 1),
            "p99_ms": round(times[max(0, int(len(times) * 0.99) - 1)], 1)}


def measure(base: str, bare: str, setup: dict, seconds: float, concurrency: int) -> dict:
    rng = random.Random(1)

    def post(session):
        lat, lon = rng.choice(setup["points"])
        return session.post(f"{base}/open311/v2/requests.json", data={
            "api_key": setup["key"], "service_code": rng.choice(["garbage", "pothole",
                                                                 "streetlight"]),
            "lat": f"{lat:.6f}", "long": f"{lon:.6f}", "description": "Benchmark report"})

    def listing(session):
        return session.get(f"{base}/open311/v2/requests.json")

    def one(session):
        return session.get(f"{base}/open311/v2/requests/{rng.choice(setup['references'])}"
                           ".json")

    def limit(session):
        return session.post(f"{bare}/insert")

    out = {}
    for name, make in (("limit", limit), ("post", post), ("list", listing), ("one", one)):
        asyncio.run(load(make, min(2.0, seconds / 4), concurrency))   # warm up
        out[name] = asyncio.run(load(make, seconds, concurrency))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    args = parser.parse_args()
    server = ThrowawayPostgres()
    url = server.start()
    processes = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            setup = prepare(url, folder, args.rows)
            Path(folder, "bare_insert.py").write_text(BARE)
            env = {"CPS_DATABASE_URL": url, "CPS_INSTANCE_PATH": folder,
                   "CPS_SECRET_KEY": "bench", "CPS_JOBS_MODE": "off",
                   "CPS_RATELIMIT_ENABLED": "false", "BENCH_DB": url}
            app_port, bare_port = free_port(), free_port()
            processes.append(serve("cps:create_app()", app_port, env, args.workers, folder))
            processes.append(serve("bare_insert:app", bare_port, env, args.workers, folder))
            figures = measure(f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{bare_port}",
                              setup, args.seconds, args.concurrency)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        server.stop()
    share = figures["post"]["rps"] / figures["limit"]["rps"] if figures["limit"]["rps"] else 0
    print(json.dumps({
        "rows": args.rows, "fill_seconds": setup["fill_seconds"], "workers": args.workers,
        "concurrency": args.concurrency, "seconds": args.seconds, "cpus": os.cpu_count(),
        **figures, "post_share_of_limit": round(share, 2),
        "targets": {"post_at_least_half_of_limit": share >= 0.5,
                    "post_p99_under_100_ms": figures["post"]["p99_ms"] < 100,
                    "list_p99_under_150_ms": figures["list"]["p99_ms"] < 150}}, indent=2))


if __name__ == "__main__":
    main()
