"""Page weight: bytes a phone downloads on the first load of each citizen page.

Serves the demo city (SQLite + SpatiaLite in a temporary folder) on 127.0.0.1, opens each
page in Debian's Chromium through Playwright with an empty cache, and sums what crossed the
wire (transferSize: compressed bodies plus headers) for the page and everything it loaded.
Map tiles and photos are left out (none are used offline). The report form's budget is
150 KB. Prints one JSON object.

    .venv/bin/python bench/page_weight.py
"""

import json
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from cps import create_app  # noqa: E402
from cps.cities.packs.service import load_pack  # noqa: E402
from tests.browser.conftest import CHROMIUM_FLAGS, PHONE, chromium_path  # noqa: E402

PAGES = {"home": "/", "report_choose": "/report", "report_form": "/report/pothole",
         "public_list": "/complaints", "track_form": "/track"}
BUDGET = {"report_form": 150_000}
MEASURE = """() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const rows = [nav, ...performance.getEntriesByType('resource')]
        .filter(r => !/\\/photos\\/|tile/.test(r.name));
    return rows.map(r => [r.name.replace(location.origin, ''), r.transferSize,
                          r.decodedBodySize]);
}"""


def serve(folder: str):
    app = create_app({"INSTANCE_PATH": folder, "SECRET_KEY": "bench", "JOBS_MODE": "off"})
    with app.app_context():
        upgrade()
        load_pack(ROOT / "cities" / "san-fernando-la-union")
    http = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    return http, f"http://127.0.0.1:{http.server_port}/san-fernando-la-union"


def measure(browser, url: str) -> dict:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    rows = page.evaluate(MEASURE)
    context.close()
    return {"bytes_on_wire": sum(r[1] for r in rows),
            "bytes_uncompressed": sum(r[2] for r in rows),
            "requests": len(rows),
            "largest": sorted(([r[0], r[1]] for r in rows), key=lambda r: -r[1])[:4]}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        http, base = serve(folder)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(),
                                                 args=CHROMIUM_FLAGS)
            results = {name: measure(browser, base + path) for name, path in PAGES.items()}
            browser.close()
        http.shutdown()
    for name, limit in BUDGET.items():
        results[name]["budget"] = limit
        results[name]["within_budget"] = results[name]["bytes_on_wire"] < limit
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
