"""Column types and engine set-up shared by all models: UTC datetimes, string enums, SpatiaLite."""

import enum
import re
from datetime import UTC, datetime

from geoalchemy2.admin.dialects.sqlite import init_spatialite
from sqlalchemy import DateTime, Engine, String, event
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime stored in UTC on every backend (SQLite keeps no zone itself)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; CPS stores aware datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class StrEnum(TypeDecorator):
    """Stores a Python Enum by its value in a plain VARCHAR (no native enum types to migrate)."""

    impl = String(24)
    cache_ok = True

    def __init__(self, enum_class: type[enum.Enum], length: int = 24):
        super().__init__(length)
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return self.enum_class(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum_class(value)


def row_id(value) -> int:
    """A row id typed in a form or URL, or 0 (no row has it) unless it is 1 to 9 digits 0-9:
    "²" and 10**30 are no ids, and a too large one would overflow the database's integer."""
    text = str(value if value is not None else "").strip()
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else 0


def utcnow() -> datetime:
    """The current time, aware, in UTC (for Python-side defaults, called per row)."""
    return datetime.now(UTC)


def install_spatialite(engine: Engine, library: str) -> None:
    """Make every new SQLite connection load SpatiaLite, enforce foreign keys and wait on locks."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not the sqlite3 module, begin transactions, so that SAVEPOINTs and
        # transactional DDL work as on PostgreSQL.
        dbapi_conn.isolation_level = None
        dbapi_conn.enable_load_extension(True)
        dbapi_conn.load_extension(library)
        dbapi_conn.enable_load_extension(False)
        dbapi_conn.execute("PRAGMA foreign_keys = ON")
        dbapi_conn.execute("PRAGMA busy_timeout = 5000")
        # Readers do not block the writer, nor the writer readers.
        dbapi_conn.execute("PRAGMA journal_mode = WAL")
        # WGS84 only and in one transaction: well under 0.1 s instead of ~30 s row by row.
        init_spatialite(dbapi_conn, transaction=True, init_mode="WGS84")

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # IMMEDIATE takes the write lock up front, waiting on busy_timeout: a deferred
        # transaction that read first fails at once ("database is locked") when it then writes
        # while another connection has written.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
