"""Loading a pack into the database as one all-or-nothing operation."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from cps.cities.packs.errors import PackError
from cps.cities.packs.importer import import_pack
from cps.cities.packs.reader import read_pack
from cps.extensions import db


class PackFailure(Exception):
    """The pack was refused; the database is as it was before."""


def load_pack(path: Path, repair: bool = False, show_progress: bool = False,
              allow_missing_geometry: bool = False):
    """Read, validate and import the pack at `path`, then commit; roll back on any failure.

    `allow_missing_geometry`: districts without geometry are imported by name only."""
    supported = current_app.config["SUPPORTED_LOCALES"]
    try:
        pack = _read(path, supported, repair, show_progress, allow_missing_geometry)
        city, changes = import_pack(pack)
        db.session.commit()
    except PackError as exc:
        db.session.rollback()
        raise PackFailure(str(exc)) from exc
    except SQLAlchemyError as exc:
        db.session.rollback()
        raise PackFailure(_("the database refused the pack: %(error)s",
                            error=str(exc.orig if hasattr(exc, "orig") else exc))) from exc
    return city, changes, pack.warnings


def _read(path: Path, supported, repair: bool, show_progress: bool, allow_missing: bool):
    progress = _progress_bar if show_progress else None
    return read_pack(path, supported, repair=repair, progress=progress,
                     allow_missing_geometry=allow_missing)


def _progress_bar(total: int):
    return click.progressbar(length=total, label=_("Reading boundaries"), file=sys.stderr,
                             show_pos=True)
