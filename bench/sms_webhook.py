"""SMS webhook latency: how long the city takes to answer Twilio, per kind of message.

Runs the real webhook (signature check, storage, understanding, routing, saving, TwiML) through
Flask's test client on each backend (SQLite + SpatiaLite in a temporary folder, PostgreSQL +
PostGIS on a throwaway server), after the demo city is loaded. The target is under one second.
Prints one JSON object with p50, p95 and max in milliseconds.

    .venv/bin/python bench/sms_webhook.py [--messages 200]
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from cps import create_app  # noqa: E402
from cps.cities.packs.service import load_pack  # noqa: E402
from cps.extensions import db  # noqa: E402
from tests.servers import ThrowawayPostgres  # noqa: E402
from tests.sms.phone import TOKEN, Phone  # noqa: E402

KINDS = {"full report": ["garbage near Catbangen plaza"],
         "report, then the place": ["may basura dito", "Catbangen"],
         "status": ["STATUS"]}


def run(url: str, folder: str, count: int) -> dict:
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": folder, "SECRET_KEY": "bench",
                      "JOBS_MODE": "off", "TWILIO_AUTH_TOKEN": TOKEN,
                      "BASE_URL": "http://127.0.0.1:5000", "SMS_MAX_PER_HOUR": 10**6})
    with app.app_context():
        upgrade()
        load_pack(ROOT / "cities" / "san-fernando-la-union")
    client = app.test_client()
    out = {}
    for kind, messages in KINDS.items():
        times = []
        for i in range(count):
            phone = Phone(client, f"+6391712{i:05d}")
            for body in messages:
                start = time.perf_counter()
                assert phone.send(body).status_code == 200
                times.append((time.perf_counter() - start) * 1000)
        times.sort()
        out[kind] = {"messages": len(times), "p50_ms": round(statistics.median(times), 1),
                     "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
                     "max_ms": round(times[-1], 1)}
    with app.app_context():
        db.engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = run(f"sqlite:///{folder}/bench.sqlite", folder, args.messages)
    server = ThrowawayPostgres()
    try:
        with tempfile.TemporaryDirectory() as folder:
            results["postgres"] = run(server.start(), folder, args.messages)
    finally:
        server.stop()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
