"""Understanding benchmark: how well a message's place and problem are read, and how fast.

Imports the demo cities into a throwaway SQLite database, then runs every message of the
labelled corpus (tests/routing/corpus.yaml) through `locate_text` and `guess_category`:
place precision and recall, silent misplacements, questions asked, category accuracy. Then
times the place-name index on San Fernando's 59 barangays and on synthetic national layers
(tests/routing/national.py): build time, memory, and search latency per message (the corpus'
texts plus generated complaints). Pinned to one core. Prints one JSON object.

    .venv/bin/python bench/understand.py [--sizes 1000,40000] [--messages 5000] [--corpus PATH]
"""

import argparse
import gc
import json
import operator
import os
import platform
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from geoalchemy2.shape import to_shape  # noqa: E402
from sqlalchemy import select  # noqa: E402

from cps import create_app  # noqa: E402
from cps.cities.packs.service import load_pack  # noqa: E402
from cps.extensions import db  # noqa: E402
from cps.routing.errors import AmbiguousPlace, LocationError  # noqa: E402
from cps.routing.gazetteer import Place  # noqa: E402
from cps.routing.index import geo_index, ordinary_words  # noqa: E402
from cps.routing.locate import locate_text  # noqa: E402
from cps.routing.models import District, Landmark  # noqa: E402
from cps.routing.spelling import fold, variants  # noqa: E402
from cps.sms.understand import guess_category  # noqa: E402
from tests.routing.national import (  # noqa: E402
    complaint_sentences,
    gazetteer,
    layer_places,
    national_layer,
)

CITIES = ("san-fernando-la-union", "pokhara")
DEMO = "san-fernando-la-union"
# The index's targets (see `checks`) hold for a national layer of this many districts.
AT_SCALE = 40000


def read_corpus(path: str | None) -> tuple[list[dict], str | None]:
    """The labelled messages, or none and why."""
    try:
        from tests.routing.corpus import CORPUS, load_corpus
    except ImportError as exc:
        return [], f"the corpus loader tests/routing/corpus.py is missing ({exc})"
    where = Path(path) if path else CORPUS
    try:
        return load_corpus(path=where), None
    except FileNotFoundError:
        return [], f"no corpus file at {where}: place and category figures are not measured"
    except ValueError as exc:
        return [], f"the corpus {where} is malformed: {exc}"


def outcome(city, text: str) -> tuple[str, object]:
    """What locating the text gives: ("taken", Location), ("asked", None) or ("none", None)."""
    try:
        return "taken", locate_text(city, text)
    except AmbiguousPlace:
        return "asked", None
    except LocationError:
        return "none", None


def label_district(city, name: str | None) -> int | None:
    """The district a label names: the district itself, or the one its landmark lies in."""
    if name is None:
        return None
    district = db.session.scalar(select(District.id).where(
        District.city_id == city.id, District.name == name))
    if district is not None:
        return district
    mark = db.session.scalar(select(Landmark).where(
        Landmark.city_id == city.id, Landmark.name == name))
    if mark is None:
        return None
    point = to_shape(mark.point)
    found = geo_index(city).district_at(point.x, point.y)
    return found.id if found else None


def judged(cities: dict, entry: dict) -> dict:
    """One message read by CPS, beside its label."""
    city = cities[entry["city"]]
    kind, where = outcome(city, entry["text"])
    guess = guess_category(city, entry["text"])
    expected = label_district(city, entry["place"])
    right = kind == "taken" and entry["place"] is not None and (
        (expected is not None and where.district_id == expected)
        or fold(where.place_name or "") == fold(entry["place"]))
    return {**entry, "kind": kind, "right": right, "guess": guess.code if guess else None,
            "taken": _taken_name(where) if kind == "taken" else None,
            "unknown_label": entry["place"] is not None and expected is None}


def _taken_name(where) -> str:
    if where.place_name:
        return where.place_name
    district = db.session.get(District, where.district_id) if where.district_id else None
    return district.name if district else where.source


def ratio(part: int, whole: int) -> float | None:
    """part / whole to four places, or None when there is no whole."""
    return round(part / whole, 4) if whole else None


def place_figures(rows: list[dict]) -> dict:
    """Precision, recall, silent misplacements and questions of a set of judged messages."""
    taken = [r for r in rows if r["kind"] == "taken"]
    labelled = [r for r in rows if r["place"] is not None]
    right = sum(r["right"] for r in taken)
    wrong = [r for r in taken if not r["right"]]
    return {
        "messages": len(rows), "labelled": len(labelled), "taken": len(taken), "right": right,
        "precision": ratio(right, len(taken)), "recall": ratio(right, len(labelled)),
        "silent_misplacements": len(wrong),
        "taken_when_none_labelled": sum(r["place"] is None for r in wrong),
        "wrong_district": sum(r["place"] is not None for r in wrong),
        **questions(rows, labelled),
        "labels_in_no_district": sorted({r["place"] for r in rows if r["unknown_label"]}),
        "misplaced": [{"text": r["text"], "label": r["place"], "taken": r["taken"]}
                      for r in wrong[:15]],
    }


def questions(rows: list[dict], labelled: list[dict]) -> dict:
    """Questions the citizen gets: which place (AmbiguousPlace), or where (a place, unread)."""
    asked = sum(r["kind"] == "asked" for r in rows)
    missed = sum(r["kind"] == "none" for r in labelled)
    return {"questions": asked + missed, "ambiguous_place_asked": asked,
            "labelled_but_none_taken": missed,
            "questions_per_message": ratio(asked + missed, len(rows)),
            "labelled_ambiguous": sum(r["ambiguous"] for r in rows),
            "asked_when_labelled_ambiguous": sum(r["kind"] == "asked" for r in rows
                                                 if r["ambiguous"])}


def category_figures(rows: list[dict]) -> dict:
    """Accuracy and wrong guesses of the category read from each message."""
    labelled = [r for r in rows if r["category"] is not None]
    right = sum(r["guess"] == r["category"] for r in labelled)
    wrong = [r for r in rows if r["guess"] is not None and r["guess"] != r["category"]]
    guessed = sum(r["guess"] is not None for r in rows)
    return {"labelled": len(labelled), "right": right,
            "accuracy": ratio(right, len(labelled)), "guessed": guessed,
            "accuracy_when_guessed": ratio(right, guessed), "wrong_guesses": len(wrong),
            "wrong_share": ratio(len(wrong), len(labelled)),
            "none_when_labelled": sum(r["guess"] is None for r in labelled),
            "wrong": [{"text": r["text"], "label": r["category"], "guess": r["guess"]}
                      for r in wrong[:15]],
            "unread": [{"text": r["text"], "label": r["category"]}
                       for r in labelled if r["guess"] is None][:int(os.environ.get("UNREAD", 15))]}


def understanding(cities: dict, entries: list[dict]) -> dict:
    """Place and category figures for the whole corpus and for each city."""
    rows = [judged(cities, e) for e in entries if e["city"] in cities]
    by_city = {slug: [r for r in rows if r["city"] == slug] for slug in cities}
    spoken = [r for r in rows if in_city_language(cities[r["city"]], r["lang"])]
    return {"place": place_figures(rows), "category": category_figures(rows),
            "category_in_city_languages": _brief(category_figures(spoken)),
            "by_city": {slug: {"place": _brief(place_figures(r)),
                               "category": _brief(category_figures(r))}
                        for slug, r in by_city.items() if r}}


def in_city_language(city, lang: str) -> bool:
    """Whether a corpus message is written in one of its city's languages (Nepali typed in
    Latin letters is Nepali): the languages the city's keywords are written in."""
    return lang.split("-")[0] in city.locales


def _brief(figures: dict) -> dict:
    return {k: v for k, v in figures.items()
            if k not in ("misplaced", "wrong", "labels_in_no_district", "unread")}


def demo_places(city) -> list[tuple[Place, set[str]]]:
    """San Fernando's barangays as the place-name index takes them."""
    rows = db.session.scalars(select(District).where(District.city_id == city.id)
                              .order_by(District.code)).all()
    return [(Place("district", d.id, d.name, *_point(d)),
             variants(d.name, d.aliases or [], district=True)) for d in rows]


def _point(district: District) -> tuple[float, float]:
    if district.geom is None:
        return 0.0, 0.0
    point = to_shape(district.geom).representative_point()
    return point.x, point.y


def built(places, ignore) -> dict:
    """Seconds to build the index, then (in a second build) the memory it keeps and its peak."""
    gc.collect()
    t0 = time.perf_counter()
    index = gazetteer(places, ignore)
    seconds = time.perf_counter() - t0
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    kept = gazetteer(places, ignore)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return {"index": index, "build_s": round(seconds, 3),
            "memory_mb": round((current - base) / 2**20, 1),
            "peak_mb": round((peak - base) / 2**20, 1)}


def latency(index, texts: list[str]) -> dict:
    """Milliseconds per message searched, p50 and p99."""
    times = []
    for text in texts:
        t0 = time.perf_counter()
        index.search(text)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    pick = lambda q: round(times[min(len(times) - 1, int(q * len(times)))], 4)  # noqa: E731
    return {"messages": len(texts), "search_p50_ms": pick(0.5), "search_p99_ms": pick(0.99),
            "search_max_ms": round(times[-1], 3)}


def index_figures(demo, sizes, corpus_texts: list[str], messages: int) -> list[dict]:
    """Build and search figures for San Fernando's layer and each national size."""
    ignore = ordinary_words(demo.id)
    layers = [("san-fernando-la-union", demo_places(demo))]
    layers += [("national", layer_places(national_layer(n))) for n in sizes]
    out = []
    for source, places in layers:
        figures = built(places, ignore)
        index = figures.pop("index")
        texts = corpus_texts[:messages]
        texts += complaint_sentences(_rows(places), messages - len(texts))
        out.append({"source": source, "districts": len(places), **figures,
                    **latency(index, texts)})
        print(f"{source} {len(places)}: {out[-1]}", file=sys.stderr)
    return out


def _rows(places) -> list[dict]:
    return [{"name": p.name, "aliases": sorted(v - {fold(p.name)})} for p, v in places]


def checks(read: dict | None, indexes: list[dict]) -> list[dict]:
    """Each figure beside its target; `met` is null when it was not measured."""
    place = (read or {}).get("place", {})
    category = (read or {}).get("category", {})
    spoken = (read or {}).get("category_in_city_languages", {})
    largest = max(indexes, key=lambda r: r["districts"])
    scaled = largest["districts"] >= AT_SCALE
    at = f" at {largest['districts']} districts"
    return [_check(*row) for row in [
        ("silent misplacements", place.get("silent_misplacements"), operator.eq, 0, True),
        ("place precision", place.get("precision"), operator.ge, 0.98, True),
        ("category accuracy", category.get("accuracy"), operator.ge, 0.90, True),
        ("category accuracy in the city's languages", spoken.get("accuracy"), operator.ge, 0.90,
         True),
        ("wrong category guesses", category.get("wrong_share"), operator.le, 0.05, True),
        ("search p99 ms" + at, largest["search_p99_ms"], operator.lt, 5, scaled),
        ("index build s" + at, largest["build_s"], operator.lt, 10, scaled),
        ("index memory MB" + at, largest["memory_mb"], operator.lt, 200, scaled),
    ]]


def _check(figure: str, value, compare, target, judged: bool) -> dict:
    symbol = {operator.eq: "==", operator.ge: ">=", operator.lt: "<", operator.le: "<="}[compare]
    met = compare(value, target) if judged and value is not None else None
    return {"figure": figure, "value": value, "target": f"{symbol} {target}", "met": met}


def run(args) -> dict:
    """Everything measured, in a throwaway SQLite database."""
    sizes = [int(s) for s in args.sizes.split(",") if s]
    entries, problem = read_corpus(args.corpus)
    if problem:
        print(f"understand: {problem}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite'}",
                          "INSTANCE_PATH": tmp, "SECRET_KEY": "bench", "GEOCODER": ""})
        with app.app_context():
            upgrade()
            cities = {slug: load_pack(ROOT / "cities" / slug)[0] for slug in CITIES}
            t0 = time.perf_counter()
            read = understanding(cities, entries) if entries else None
            seconds = time.perf_counter() - t0
            indexes = index_figures(cities[DEMO], sizes, [e["text"] for e in entries],
                                    args.messages)
            db.session.remove()
            db.engine.dispose()
    return {"benchmark": "understand", "cpu": platform.processor() or platform.machine(),
            "cores_used": 1, "corpus": {"messages": len(entries), "problem": problem,
                                        "read_s": round(seconds, 2)},
            "checks": checks(read, indexes), "understanding": read, "index": indexes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,40000")
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--corpus", help="a corpus file other than tests/routing/corpus.yaml")
    args = parser.parse_args()
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    print(json.dumps(run(args), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
