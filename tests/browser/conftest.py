"""Browser tests: the app served on a real port, driven by Debian's Chromium with Playwright."""

import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from cps import PROJECT_ROOT
from cps.complaints.models import Channel
from cps.complaints.services import submit_complaint
from cps.complaints.states import State
from cps.complaints.workflow import change_state
from cps.extensions import db
from cps.staff.models import Role, StaffUser
from tests.staff.people import PASSWORD

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
SCREENSHOTS = PROJECT_ROOT / "build" / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 412, "height": 915}
OFFICER_EMAIL = "officer@environment.example"


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise RuntimeError("Chromium is not installed: run scripts/bootstrap test")
    return found


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(),
                                             args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def server(live_app):
    """The demo city served on 127.0.0.1 with a few public complaints; yields its base URL."""
    yield from _serve(live_app)


@pytest.fixture
def server_every_language(live_app):
    """The same, with every shipped language offered to citizens."""
    yield from _serve(live_app, every_language=True)


def _serve(live_app, every_language=False):
    app = live_app()
    with app.app_context():
        _some_complaints(app)
        if every_language:
            from cps.cities.models import City

            db.session.query(City).one().locales = list(app.config["SUPPORTED_LOCALES"])
            db.session.commit()
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}/san-fernando-la-union"
    http.shutdown()
    thread.join()


def _some_complaints(app) -> None:
    from cps.cities.models import City

    city = db.session.query(City).one()
    for category, place in (("garbage", "Catbangen"), ("flooding", "Poro"),
                            ("streetlight", "Lingsat")):
        complaint = submit_complaint(city, Channel.WEB, {
            "category": category, "description": "Reported for the browser tests.",
            "location_text": place})
        if category == "streetlight":
            change_state(complaint, State.RESOLVED, public_text="The lamp was replaced.")
    officer = StaffUser(city_id=city.id, email=OFFICER_EMAIL, name="Environment officer",
                        role=Role.OFFICER, department_id=next(
                            d.id for d in city.departments if d.code == "environment"))
    officer.set_password(PASSWORD)
    db.session.add(officer)
    db.session.commit()


@pytest.fixture
def page(browser):
    """A fresh phone-sized page (its own cookies), in English unless the test switches."""
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under build/screenshots/ (named in the README)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_accessibility_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page, as readable lines."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            f"{[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def pytest_collection_modifyitems(items):
    """Chromium may drop a connection while the threaded development server is still sending a
    static image; that server then leaves the file to the garbage collector, which pytest reports
    at some later test's teardown. It is the test server's behaviour, not the app's: ignored here,
    and only for the browser tests."""
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.filterwarnings(
                "ignore::pytest.PytestUnraisableExceptionWarning"))
