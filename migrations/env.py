"""Alembic environment: the app's engine and metadata, with GeoAlchemy2's spatial helpers."""

import logging
import sqlite3
from logging.config import fileConfig

from alembic import context
from flask import current_app
from geoalchemy2 import alembic_helpers
from geoalchemy2.admin.dialects.sqlite import init_spatialite

from cps.db import StrEnum, UTCDateTime

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")
target_db = current_app.extensions["migrate"].db


def render_item(type_, obj, autogen_context):
    """Write CPS's column types as the plain types they store; spatial ones via GeoAlchemy2."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, StrEnum):
        return f"sa.String(length={obj.impl.length})"
    return alembic_helpers.render_item(type_, obj, autogen_context)


def spatial_system_tables(connection) -> frozenset[str]:
    """Tables the spatial extension creates for itself, read off a fresh empty database."""
    if connection.dialect.name != "sqlite":
        return frozenset({"spatial_ref_sys"})
    probe = sqlite3.connect(":memory:")
    try:
        probe.enable_load_extension(True)
        probe.load_extension(current_app.config["SPATIALITE_LIBRARY"])
        init_spatialite(probe, transaction=True, init_mode="WGS84")
        return frozenset(row[0] for row in probe.execute("SELECT name FROM sqlite_master"))
    finally:
        probe.close()


def make_include_object(system_tables):
    """Leave the spatial extension's tables and R*Tree indexes out of comparisons."""

    def include_object(obj, name, type_, reflected, compare_to):
        if type_ == "table" and reflected and compare_to is None:
            if name in system_tables or name.startswith("idx_"):
                return False
        return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)

    return include_object


def _process_revision(context_, revision, directives):
    alembic_helpers.writer(context_, revision, directives)
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_online():
    """Run the migrations on the app's own database connection."""
    args = dict(current_app.extensions["migrate"].configure_args)
    args.setdefault("process_revision_directives", _process_revision)
    args["render_as_batch"] = False
    with target_db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_db.metadata,
            include_object=make_include_object(spatial_system_tables(connection)),
            render_item=render_item,
            **args,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("CPS migrations run online only: flask db upgrade")
run_migrations_online()
