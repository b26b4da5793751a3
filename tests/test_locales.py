"""Key pages in every shipped locale: translated, in the right direction, dates in the city's time.

"Translated" is checked against the catalogs: no text of a page may be a source message whose
translation in the page's language differs from the English, and no text may be a source
message at all when that page's language has it translated. Data the city wrote in only one
language (a category name, say) falls back to its default language and is not a source message.
"""

from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from babel.dates import format_date
from babel.messages.pofile import read_po

from cps import PROJECT_ROOT
from cps.complaints.models import Complaint
from cps.config import SUPPORTED_LOCALES
from cps.extensions import db
from cps.locales import register_extra_locales
from tests.staff.people import Role, complaint, sign_in, staff

RTL = {"ar"}


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class _Text(HTMLParser):
    """The visible text of a page in the page's own language, and its <html> attributes.

    Text inside an element marked with another language (a language's own name in the switcher,
    the wording of a message in each of the city's languages) is not the page's and is left out.
    """

    def __init__(self):
        super().__init__()
        self.nodes, self.html, self._skip, self._langs = [], {}, 0, []

    def _ours(self, lang=None) -> bool:
        own = self.html.get("lang")
        current = lang or next((x for x in reversed(self._langs) if x), own)
        return current == own

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html = attrs
        if tag in ("script", "style"):
            self._skip += 1
        if self._ours(attrs.get("lang")):
            self.nodes += [attrs[name].strip() for name in ("aria-label", "placeholder", "title",
                                                            "alt") if attrs.get(name)]
        if tag not in VOID:
            self._langs.append(attrs.get("lang"))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag not in VOID and self._langs:
            self._langs.pop()

    def handle_data(self, data):
        if not self._skip and data.strip() and self._ours():
            self.nodes.append(" ".join(data.split()))


def parse(page: str) -> _Text:
    parser = _Text()
    parser.feed(page)
    return parser


_catalogs: dict = {}


def translated_sources(locale: str) -> set[str]:
    """Source messages (without placeholders) whose translation in `locale` differs."""
    if locale not in _catalogs:
        register_extra_locales()
        path = PROJECT_ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as f:
            catalog = read_po(f, locale=locale)
        _catalogs[locale] = {
            m.id for m in catalog
            if m.id and isinstance(m.id, str) and "%" not in m.id and m.string
            and m.string != m.id and len(m.id) > 3}
    return _catalogs[locale]


def untranslated(page: str, locale: str) -> list[str]:
    sources = translated_sources(locale)
    return [text for text in parse(page).nodes if text in sources]


@pytest.fixture
def every_language(city):
    city.locales = list(SUPPORTED_LOCALES)
    db.session.commit()
    return city


PUBLIC_PAGES = ["", "report", "report/garbage", "complaints", "track", "transparency"]


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_public_pages_are_translated_and_face_the_right_way(client, every_language, locale):
    made = complaint(every_language)
    for path in [*PUBLIC_PAGES, f"track/{made.reference}"]:
        response = client.get(f"/san-fernando-la-union/{path}?lang={locale}")
        page = response.get_data(as_text=True)
        assert response.status_code == 200, path
        html = parse(page).html
        assert html["lang"] == locale and html["dir"] == ("rtl" if locale in RTL else "ltr")
        assert untranslated(page, locale) == [], (path, locale)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_staff_pages_are_in_the_staff_members_own_language(client, every_language, locale):
    officer = staff(every_language, Role.ADMIN)
    officer.locale = locale
    db.session.commit()
    sign_in(client, officer)
    made = complaint(every_language)
    for path in ["queue", "dashboard", f"complaints/{made.reference}", "admin/", "admin/city",
                 "admin/messages"]:
        # The browser asks for English: the account's language wins on staff pages.
        response = client.get(f"/staff/{path}", headers={"Accept-Language": "en"})
        page = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert parse(page).html["lang"] == locale, path
        assert untranslated(page, locale) == [], (path, locale)


def test_a_staff_member_changes_their_own_language(client, every_language):
    officer = staff(every_language, Role.ADMIN)
    sign_in(client, officer)
    response = client.get("/staff/language/ko?next=/staff/queue")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/queue"
    db.session.expire_all()
    assert db.session.get(type(officer), officer.id).locale == "ko"
    assert parse(client.get("/staff/queue").get_data(as_text=True)).html["lang"] == "ko"
    assert client.get("/staff/language/xx").status_code == 404
    evil = client.get("/staff/language/fil?next=https://evil.example/")
    assert evil.headers["Location"] == "/staff/"


@pytest.mark.parametrize("locale", ["en", "vi", "ar"])
def test_dates_are_shown_in_the_city_timezone(client, every_language, locale):
    made = complaint(every_language)
    # 20:30 UTC on 1 March is already 2 March in Manila (UTC+8).
    stored = db.session.get(Complaint, made.id)
    stored.created_at = datetime(2026, 3, 1, 20, 30, tzinfo=UTC)
    db.session.commit()
    page = client.get(f"/san-fernando-la-union/track/{made.reference}?lang={locale}"
                      ).get_data(as_text=True)
    register_extra_locales()
    assert format_date(date(2026, 3, 2), "medium", locale=locale) in page
    assert format_date(date(2026, 3, 1), "medium", locale=locale) not in page
