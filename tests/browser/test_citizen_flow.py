"""A citizen in Chromium: files by map tap, by landmark text, without JavaScript, in Filipino."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, screenshot

REFERENCE = re.compile(r"SF-[0-9A-Z]{7}")


def district_drawn(page) -> None:
    """Wait until the map has drawn the city's districts."""
    expect(page.locator(".leaflet-overlay-pane path.leaflet-interactive").first).to_be_visible()


def send_and_read_reference(page) -> str:
    page.get_by_role("button", name="Send my report").click()
    expect(page.locator("#reference")).to_be_visible()
    reference = page.locator("#reference").inner_text()
    assert REFERENCE.fullmatch(reference)
    return reference


def test_file_by_tapping_the_map_then_track_it(server, page):
    page.goto(f"{server}/")
    screenshot(page, "home")
    page.get_by_role("link", name="Report a problem").first.click()
    screenshot(page, "report-choose")
    page.get_by_role("link", name=re.compile("Pothole or damaged road")).click()
    page.get_by_label("What is the problem?").fill("Deep pothole in front of the school.")
    page.get_by_label("About a tyre").check()
    district_drawn(page)
    screenshot(page, "report-form")
    page.locator(".map").scroll_into_view_if_needed()
    box = page.locator(".map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.5)
    expect(page.locator("#lat")).not_to_have_value("")
    expect(page.locator("[data-map-status]")).to_have_text("The place was set on the map.")
    reference = send_and_read_reference(page)
    screenshot(page, "confirmation")
    expect(page.get_by_text("City Engineering Office")).to_be_visible()
    page.goto(f"{server}/track?ref={reference.lower().replace('-', ' ')}")
    expect(page.locator("h1")).to_contain_text(reference)
    expect(page.locator(".facts")).to_contain_text("Received")
    expect(page.locator(".leaflet-marker-icon")).to_be_visible()
    screenshot(page, "tracking")


def test_file_by_landmark_text_with_suggestions(server, page):
    page.goto(f"{server}/report/garbage")
    page.get_by_label("What is the problem?").fill("Garbage not collected for a week.")
    field = page.get_by_label("Place, landmark or address")
    field.press_sequentially("Pindangan", delay=30)
    expect(page.locator("#place-suggestions option").first).to_have_attribute(
        "value", "Pindangan Ruins")
    field.fill("Pindangan Ruins")
    reference = send_and_read_reference(page)
    page.goto(f"{server}/track/{reference}")
    expect(page.locator(".facts")).to_contain_text("Parian")


def test_use_my_location(server, browser):
    context = browser.new_context(viewport=PHONE, geolocation={
        "latitude": 16.6159, "longitude": 120.3166}, permissions=["geolocation"])
    page = context.new_page()
    page.goto(f"{server}/report/flooding")
    page.get_by_label("What is the problem?").fill("Flooded street after the rain.")
    district_drawn(page)
    page.get_by_role("button", name="Use my location").click()
    expect(page.locator("#lat")).to_have_value("16.615900")
    send_and_read_reference(page)
    context.close()


def test_the_form_works_without_javascript(server, browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/report/pothole")
    expect(page.get_by_role("button", name="Use my location")).to_be_hidden()
    page.get_by_label("What is the problem?").fill("Broken road near the hall.")
    page.get_by_label("Place, landmark or address").fill("Narra")
    page.get_by_role("button", name="Send my report").click()
    expect(page.get_by_text("Which place do you mean?")).to_be_visible()
    expect(page.get_by_label("What is the problem?")).to_have_value(
        "Broken road near the hall.")
    page.get_by_label("Narra Este").check()
    send_and_read_reference(page)
    context.close()


def test_a_duplicate_nearby_is_offered_and_joined(server, page):
    page.goto(f"{server}/report/garbage")
    page.get_by_label("What is the problem?").fill("Same garbage pile.")
    page.get_by_label("Place, landmark or address").fill("Catbangen")
    page.get_by_role("button", name="Send my report").click()
    expect(page.get_by_role("heading", name="Is it one of these?")).to_be_visible()
    screenshot(page, "report-duplicates")
    page.get_by_role("button", name="This is my problem too").first.click()
    expect(page.get_by_text("1 more person has this problem")).to_be_visible()


def test_a_citizen_in_filipino(server, page):
    page.goto(f"{server}/")
    page.get_by_role("link", name="Filipino").click()
    expect(page.locator("html")).to_have_attribute("lang", "fil")
    screenshot(page, "home-fil")
    page.goto(f"{server}/report/pothole")
    page.get_by_label("Ano ang problema?").fill("Malalim na lubak sa harap ng paaralan.")
    page.get_by_label("Lugar, palatandaan (landmark) o address").fill("Pindangan Ruins")
    screenshot(page, "report-form-fil")
    page.get_by_role("button", name="Ipadala ang aking ulat").click()
    reference = page.locator("#reference").inner_text()
    expect(page.get_by_text("Tanggapan ng Inhinyero ng Lungsod")).to_be_visible()
    screenshot(page, "confirmation-fil")
    page.goto(f"{server}/track/{reference}")
    expect(page.locator(".facts")).to_contain_text("Natanggap")
    screenshot(page, "tracking-fil")


def test_the_public_list_and_map(server, page):
    page.goto(f"{server}/complaints")
    expect(page.locator(".leaflet-interactive").first).to_be_visible()
    expect(page.locator("path.leaflet-interactive[fill='#a4000f']").first).to_be_attached()
    page.get_by_label("Status").select_option("closed")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    screenshot(page, "public-list")
