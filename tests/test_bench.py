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


def test_the_open311_benchmark_runs_under_gunicorn():
    out = subprocess.run(
        [sys.executable, "bench/open311.py", "--rows", "2000", "--seconds", "1",
         "--concurrency", "4", "--workers", "2"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600, check=True)
    figures = json.loads(out.stdout)
    assert figures["rows"] == 2000 and set(figures["targets"]) == {
        "post_at_least_half_of_limit", "post_p99_under_100_ms", "list_p99_under_150_ms"}
    for name in ("limit", "post", "list", "one"):
        assert figures[name]["requests"] > 0 and figures[name]["errors"] == 0, name


def test_the_understanding_benchmark_reads_a_corpus_and_times_the_index(tmp_path):
    corpus = tmp_path / "corpus.yaml"
    corpus.write_text(
        "- {text: 'basura sa Catbangen', city: san-fernando-la-union, lang: fil,"
        " place: Catbangen, category: garbage}\n"
        "- {text: 'the streetlight is broken', city: san-fernando-la-union, lang: en,"
        " place: null, category: streetlight}\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "bench/understand.py", "--sizes", "100", "--messages", "50",
         "--corpus", str(corpus)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=True)
    figures = json.loads(out.stdout)
    assert figures["understanding"]["place"]["messages"] == 2
    assert figures["understanding"]["category"]["labelled"] == 2
    assert figures["understanding"]["category_in_city_languages"]["labelled"] == 2
    assert [(r["districts"], r["messages"]) for r in figures["index"]] == [(59, 50), (100, 50)]
    assert len(figures["checks"]) == 8 and all("target" in c for c in figures["checks"])
