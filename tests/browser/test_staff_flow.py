"""An officer in Chromium: signs in, finds the complaint in the queue, resolves it."""

from playwright.sync_api import expect

from tests.browser.conftest import OFFICER_EMAIL, screenshot, serious_accessibility_problems
from tests.staff.people import PASSWORD


def test_an_officer_signs_in_and_resolves_a_complaint(server, page):
    page.goto(server.rsplit("/", 1)[0] + "/staff/login")
    assert serious_accessibility_problems(page) == []
    page.get_by_label("E-mail").fill(OFFICER_EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Complaints")).to_be_visible()
    page.get_by_text("Map view").click()
    expect(page.locator(".mapview path.leaflet-interactive[fill='#a4000f']").first).to_be_visible()
    screenshot(page, "staff-queue")
    assert serious_accessibility_problems(page) == []
    page.locator("table.list a.ref").first.click()
    page.get_by_label("New status").select_option("resolved")
    page.get_by_label("Message to the citizen (public)").fill("The garbage was collected.")
    page.get_by_role("button", name="Change the status").click()
    expect(page.locator(".flash")).to_contain_text("The status was changed.")
    expect(page.locator(".facts")).to_contain_text("Resolved")
    screenshot(page, "staff-complaint")
    assert serious_accessibility_problems(page) == []
    reference = page.locator("h1 .ref").inner_text()
    page.goto(f"{server}/track/{reference}")
    expect(page.get_by_text("The garbage was collected.")).to_be_visible()


def test_the_dashboard_draws_its_charts(server, page):
    page.goto(server.rsplit("/", 1)[0] + "/staff/login")
    page.get_by_label("E-mail").fill(OFFICER_EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator("canvas[data-chart='category']")).to_be_visible()
    page.wait_for_function("Object.keys(Chart.instances).length === 4")
    screenshot(page, "staff-dashboard")
    assert serious_accessibility_problems(page) == []
