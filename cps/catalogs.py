"""The translation catalogs: extract, update, compile and check them (`flask cps translations`).

Babel's own command line cannot handle a locale missing from CLDR (Ilocano), so every step runs
here, in-process, after cps.locales has taught Babel those locales. Usable without an app too:
`python -m cps.catalogs compile` (the bootstrap script compiles this way).
"""

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


def catalog_folders(root: Path) -> list[tuple[str, Path]]:
    """(locale, messages.po) of every catalog under `root`."""
    return [(po.parent.parent.name, po)
            for po in sorted(root.glob("*/LC_MESSAGES/messages.po"))]


def update(root: Path = TEMPLATE.parent) -> list[str]:
    """Merge the template's messages into every catalog of `root` (no fuzzy guesses: a changed
    message is left untranslated for a translator, never silently half-right)."""
    from babel.messages.pofile import write_po

    register_extra_locales()
    with TEMPLATE.open("rb") as f:
        template = read_po(f)
    updated = []
    for locale, path in catalog_folders(root):
        with path.open("rb") as f:
            catalog = read_po(f, locale=locale)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with path.open("wb") as f:
            write_po(f, catalog, width=100, omit_header=False)
        updated.append(locale)
    return updated


def compile_catalogs(roots: list[Path]) -> list[Path]:
    """Write messages.mo beside every messages.po under `roots` (instance overrides included);
    a catalog with an error is refused with the file and line."""
    from babel.messages.mofile import write_mo

    register_extra_locales()
    written = []
    for root in roots:
        for locale, path in catalog_folders(root):
            with path.open("rb") as f:
                catalog = read_po(f, locale=locale, abort_invalid=True)
            errors = [f"{path}:{m.lineno}: {e}" for m, errs in catalog.check() for e in errs]
            if errors:
                raise ValueError("\n".join(errors))
            with path.with_suffix(".mo").open("wb") as f:
                write_mo(f, catalog, use_fuzzy=False)
            written.append(path.with_suffix(".mo"))
    return written


def check(locales) -> list[str]:
    """Everything wrong with the shipped catalogs: source strings missing from the template,
    and untranslated, fuzzy or placeholder-changing messages in each shipped locale."""
    missing = sorted(map(str, missing_from_template()))
    problems = [f"messages.pot: missing {mid!r}" for mid in missing]
    for locale in locales:
        problems += catalog_problems(locale)
    return problems


if __name__ == "__main__":
    if sys.argv[1:] != ["compile"]:
        raise SystemExit("usage: python -m cps.catalogs compile")
    compile_catalogs([TEMPLATE.parent])
