"""Fixtures: the app on each database backend, a rolled-back transaction per test, clients."""

import os
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session

from cps import PROJECT_ROOT, create_app
from cps.extensions import db
from tests.servers import ThrowawayPostgres

BACKENDS = ["sqlite", "postgres"]
DEMO_PACK = PROJECT_ROOT / "cities" / "san-fernando-la-union"


@pytest.fixture(scope="session")
def postgres():
    """A private PostgreSQL with PostGIS for the whole run (or CPS_TEST_POSTGRES_URL's)."""
    given = os.environ.get("CPS_TEST_POSTGRES_URL")
    if given:
        yield given, None
        return
    server = ThrowawayPostgres()
    url = server.start()
    yield url, server
    server.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    return request.param


def make_database(backend: str, folder: Path, request, name: str) -> str:
    """A new empty database on `backend`; returns its URL."""
    if backend == "sqlite":
        return f"sqlite:///{folder / (name + '.sqlite')}"
    url, server = request.getfixturevalue("postgres")
    if server is None:
        return url
    server.psql(f"CREATE DATABASE {name}", db="postgres")
    server.psql("CREATE EXTENSION IF NOT EXISTS postgis", db=name)
    return url.rsplit("/", 1)[0] + "/" + name


def app_config(folder: Path, url: str, **extra) -> dict:
    """Settings for an app under test."""
    return {"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": url,
            "INSTANCE_PATH": str(folder), "JOBS_MODE": "off", "RATELIMIT_ENABLED": False,
            "OPEN311_CACHE_SECONDS": 0, "TRANSLATIONS_RECHECK_SECONDS": 0,
            **extra}


@pytest.fixture(scope="session")
def _app(backend, tmp_path_factory, request):
    folder = tmp_path_factory.mktemp(f"instance-{backend}")
    url = make_database(backend, folder, request, "cps_suite")
    app = create_app(app_config(folder, url))
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


class _TestSession(Session):
    """Stays on the test's connection (Flask-SQLAlchemy 3 otherwise picks the engine)."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind if self.bind is not None else super().get_bind(mapper, clause, bind)


@pytest.fixture
def app(_app):
    """The app inside one outer transaction that is rolled back after the test."""
    # Indexes and copies of rows are cached by id (and geo_version): rolled-back tests reuse
    # both on SQLite.
    for cache in ("cps_geo_index", "cps_reference_cache", "cps_key_used"):
        _app.extensions.pop(cache, None)
    with _app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint",
             "class_": _TestSession})
        test_session = db.session
        try:
            yield _app
        finally:
            # Restore the app's own session first, whatever fails below.
            db.session = original
            try:
                test_session.remove()
                outer.rollback()
            finally:
                connection.close()


class FreshContextClient(FlaskClient):
    """Runs each request in its own app context, as a server does (fresh `g`, fresh locale)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = FreshContextClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def city(app):
    """The demo city, imported."""
    from cps.cities.packs.service import load_pack

    city, _changes, _warnings = load_pack(DEMO_PACK)
    return city


@pytest.fixture
def pokhara(app):
    """The second demo city, imported: Nepali first, Kathmandu time, Bikram Sambat dates."""
    from cps.cities.packs.service import load_pack

    city, _changes, _warnings = load_pack(PROJECT_ROOT / "cities" / "pokhara")
    return city


@pytest.fixture
def live_app(backend, tmp_path, request):
    """Makes apps on databases of their own where work really commits (threads, processes)."""
    apps = []

    def make(**config):
        name = f"cps_live_{len(apps)}_{abs(hash(request.node.nodeid)) % 10**9}"
        app = create_app(app_config(tmp_path / name, make_database(
            backend, tmp_path, request, name), **config))
        with app.app_context():
            upgrade()
            from cps.cities.packs.service import load_pack

            load_pack(DEMO_PACK)
        apps.append(app)
        return app

    yield make
    # Flask-Limiter keeps `enabled` on its one global instance: the last app to init it wins.
    # Tests run with limits off unless a test's own app turns them on.
    from cps.extensions import limiter

    limiter.enabled = False
    for app in apps:
        runner = app.extensions.get("cps_runner")
        if runner is not None:
            runner.stop()
        with app.app_context():
            db.engine.dispose()
