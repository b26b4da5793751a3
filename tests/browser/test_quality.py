"""The citizen pages are accessible (axe-core) and light (the report form's first load)."""

import pytest

from tests.browser.conftest import serious_accessibility_problems

BUDGET_BYTES = 150_000
PAGES = ["/", "/report", "/report/pothole", "/complaints", "/track", "/track/SF-NOPE",
         "/transparency"]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_problems(server, page, path):
    page.goto(f"{server}{path}")
    page.wait_for_load_state("networkidle")
    assert serious_accessibility_problems(page) == []


def test_no_serious_accessibility_problems_on_the_confirmation_and_tracking(server, page):
    page.goto(f"{server}/report/pothole")
    page.get_by_label("What is the problem?").fill("Hole")
    page.get_by_label("Place, landmark or address").fill("Poro")
    page.get_by_role("button", name="Send my report").click()
    page.wait_for_selector("#reference")
    assert serious_accessibility_problems(page) == []
    page.locator("a[href*='/track/']").first.click()
    page.wait_for_load_state("networkidle")
    assert serious_accessibility_problems(page) == []


def test_no_serious_accessibility_problems_on_a_form_with_errors(server, page):
    page.goto(f"{server}/report/pothole")
    page.get_by_role("button", name="Send my report").click()
    page.wait_for_selector("#problems")
    assert serious_accessibility_problems(page) == []


def first_load_bytes(page, url: str) -> dict:
    """Bytes sent over the wire for the page and all it loads (tiles and photos aside)."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page.evaluate("""() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const out = {[nav.name]: nav.transferSize};
        for (const r of performance.getEntriesByType('resource')) {
            if (/\\/photos\\/|tile/.test(r.name)) continue;
            out[r.name] = r.transferSize;
        }
        return out;
    }""")


def test_the_report_forms_first_load_is_under_150_kb(server, page):
    sizes = first_load_bytes(page, f"{server}/report/pothole")
    assert any(name.endswith("leaflet.js") for name in sizes)  # the map is part of it
    assert any(name.endswith("districts.geojson") for name in sizes)
    assert sum(sizes.values()) < BUDGET_BYTES, sizes
