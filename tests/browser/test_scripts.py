"""The report form in Arabic, Nepali and Korean: right-to-left where it must be, every glyph drawn.

Chromium tells which platform fonts drew each element's text (CSS.getPlatformFontsForNode);
fontconfig then says whether those fonts hold every character of it. A character no installed
font has would be drawn as an empty box ("tofu"), and this would fail.
"""

import subprocess
import unicodedata

import pytest

from tests.browser.conftest import PHONE, screenshot


def fonts_drawing(page, selector: str) -> list[str]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return [f["familyName"] for f in fonts if f["glyphCount"]]


def covers(families: list[str], text: str) -> bool:
    """Whether the fonts together have a glyph for every letter or mark of `text`."""
    for ch in {c for c in text if not c.isspace() and c.isprintable() and ord(c) > 0x7F}:
        if not any(_font_has(family, ch) for family in families):
            return False
    return True


def _font_has(family: str, ch: str) -> bool:
    found = subprocess.run(["fc-list", f"{family}:charset={ord(ch):x}", "family"],
                           capture_output=True, text=True, check=True).stdout
    return bool(found.strip())


@pytest.mark.parametrize("locale,script", [("ar", "ARABIC"), ("ne", "DEVANAGARI"),
                                           ("ko", "HANGUL")])
def test_the_report_form_in_another_script(server_every_language, browser, locale, script):
    context = browser.new_context(viewport=PHONE, locale=locale)
    page = context.new_page()
    page.goto(f"{server_every_language}/report/garbage?lang={locale}")
    html = page.locator("html")
    assert html.get_attribute("lang") == locale
    assert html.get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
    heading = page.locator("h1").inner_text()
    label = page.locator("label[for=description]").inner_text()

    assert any(unicodedata.name(c, "").startswith(script) for c in heading + label)
    for selector in ("h1", "label[for=description]", "button[type=submit]"):
        text = page.locator(selector).first.inner_text()
        families = fonts_drawing(page, selector)
        assert families and covers(families, text), (selector, families, text)
    direction = page.evaluate("getComputedStyle(document.body).direction")
    brand = page.locator(".brand").bounding_box()
    if locale == "ar":
        # Mirrored: the text runs right to left and the city's name sits at the right.
        assert direction == "rtl" and brand["x"] + brand["width"] > PHONE["width"] * 0.6
    else:
        assert direction == "ltr" and brand["x"] < PHONE["width"] * 0.4
    screenshot(page, f"report-form-{locale}")
    context.close()
