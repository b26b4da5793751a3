"""Checks of the translation catalogs: template up to date, catalogs complete, placeholders kept."""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

from cps import PROJECT_ROOT
from cps.locales import register_extra_locales

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TEMPLATE = PROJECT_ROOT / "translations" / "messages.pot"


def extract(output: Path) -> None:
    """Extract every translatable string of the source into the template `output`."""
    subprocess.run(  # noqa: S603  (fixed argument list, no shell)
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
         str(PROJECT_ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext", "--no-location",
         "--sort-output", "--project", "CPS", "-o", str(output), str(PROJECT_ROOT)],
        check=True, capture_output=True, cwd=PROJECT_ROOT)


def message_ids(path: Path) -> set:
    """The message ids of a .po or .pot file."""
    with path.open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


def missing_from_template() -> set:
    """Source strings that the committed template lacks."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "now.pot"
        extract(fresh)
        return message_ids(fresh) - message_ids(TEMPLATE)


def catalog_problems(locale: str) -> list[str]:
    """Untranslated, fuzzy or placeholder-changing messages of one locale's catalog."""
    register_extra_locales()
    path = PROJECT_ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=locale)
    missing = message_ids(TEMPLATE) - {m.id for m in catalog if m.id}
    problems = [f"{locale}: missing {mid!r}" for mid in sorted(map(str, missing))]
    for m in catalog:
        if m.id:
            problems += [f"{locale}: {p} {m.id!r}" for p in _message_problems(m)]
    return problems


def _message_problems(m) -> list[str]:
    ids = m.id if isinstance(m.id, tuple) else (m.id,)
    strings = m.string if isinstance(m.string, tuple) else (m.string,)
    if m.fuzzy:
        return ["fuzzy"]
    if not all(strings):
        return ["untranslated"]
    wanted = set(PLACEHOLDER.findall(ids[-1]))
    if any(set(PLACEHOLDER.findall(s)) != wanted for s in strings):
        return ["placeholders differ in"]
    return []
