"""The benchmarks run and print their figures (they are measured by hand, never asserted)."""

import json
import subprocess
import sys

from cps import PROJECT_ROOT


def test_the_routing_benchmark_runs_on_both_backends():
    out = subprocess.run(
        [sys.executable, "bench/routing.py", "--sizes", "100", "--ops", "200", "--db-ops", "20"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=True)
    figures = json.loads(out.stdout)
    assert {(r["backend"], r["districts"]) for r in figures["results"]} == {
        ("spatialite", 59), ("spatialite", 100), ("postgis", 59), ("postgis", 100)}
    for row in figures["results"]:
        assert row["memory_index"]["ops"] == 200 and row["database"]["ops"] == 20
