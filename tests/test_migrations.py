"""Migrations build the whole schema on both backends, and the drift check can tell."""

import pytest
from sqlalchemy import inspect, text

from cps import create_app
from cps.extensions import db
from tests.conftest import app_config, make_database

TABLES = {"city", "holiday", "department", "category", "district", "routing_rule", "complaint",
          "complaint_event", "photo", "staff_user", "outbox"}


@pytest.fixture
def fresh_app(backend, tmp_path, request):
    """An app on a new, empty database."""
    name = f"cps_mig_{abs(hash(request.node.name)) % 10**8}"
    app = create_app(app_config(tmp_path, make_database(backend, tmp_path, request, name)))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_upgrade_builds_every_table_with_spatial_indexes(fresh_app):
    result = fresh_app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with fresh_app.app_context():
        assert TABLES <= set(inspect(db.engine).get_table_names())
        assert _spatial_indexes(db.engine) >= {("district", "geom"), ("complaint", "point"),
                                               ("city", "boundary")}


def test_check_reports_no_drift_after_upgrade(fresh_app):
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


def test_check_fails_when_the_schema_drifts(fresh_app):
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with fresh_app.app_context(), db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE outbox ADD COLUMN stray INTEGER"))
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code != 0


def _spatial_indexes(engine) -> set[tuple[str, str]]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.execute(text(
                "SELECT f_table_name, f_geometry_column FROM geometry_columns "
                "WHERE spatial_index_enabled = 1"))
        else:
            rows = conn.execute(text(
                "SELECT t.relname, a.attname FROM pg_index i "
                "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am am ON am.oid = c.relam JOIN pg_attribute a "
                "ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey) WHERE am.amname = 'gist'"))
        return {(table.lower(), column.lower()) for table, column in rows}


def _geom_nullable(engine) -> bool:
    column = next(c for c in inspect(engine).get_columns("district") if c["name"] == "geom")
    return column["nullable"]


def test_district_geometry_becomes_optional_and_back(fresh_app):
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with fresh_app.app_context():
        assert _geom_nullable(db.engine)
    assert runner.invoke(args=["db", "downgrade", "831bd549d95b"]).exit_code == 0
    with fresh_app.app_context():
        assert not _geom_nullable(db.engine)
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with fresh_app.app_context():
        assert _geom_nullable(db.engine)
    assert runner.invoke(args=["db", "check"]).exit_code == 0


def test_downgrade_refuses_while_name_only_districts_exist(fresh_app, tmp_path, caplog):
    from cps.cities.packs.service import load_pack
    from tests.cities.packs import PackCopy, without_geometry

    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    pack = PackCopy(tmp_path)
    without_geometry(pack, {"103314047"})
    with fresh_app.app_context():
        load_pack(pack.path, allow_missing_geometry=True)
    result = runner.invoke(args=["db", "downgrade", "831bd549d95b"])
    assert result.exit_code != 0
    assert "1 districts have no geometry" in caplog.text + result.output
    with fresh_app.app_context():
        assert _geom_nullable(db.engine)
        assert db.session.scalar(text("SELECT count(*) FROM district")) == 59
