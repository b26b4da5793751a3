"""The app factory and the three configuration tiers."""

import subprocess
import sys

import pytest

from cps import PROJECT_ROOT, create_app
from cps.settings import ConfigError, city_setting


def make(tmp_path, **config):
    return create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", **config})


def test_importing_the_app_module_touches_nothing(tmp_path):
    code = "import cps, cps.models, cps.config; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, env={"PYTHONPATH": str(PROJECT_ROOT)}, check=True)
    assert out.stdout.strip() == "ok"
    assert list(tmp_path.iterdir()) == []


def test_defaults_put_sqlite_in_the_instance_folder(tmp_path):
    app = make(tmp_path)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'cps.sqlite'}"
    assert app.config["DUPLICATE_RADIUS_M"] == 50


def test_instance_config_overrides_defaults(tmp_path):
    (tmp_path / "config.py").write_text("DUPLICATE_RADIUS_M = 80\nPAGE_SIZE = 10\n")
    app = make(tmp_path)
    assert (app.config["DUPLICATE_RADIUS_M"], app.config["PAGE_SIZE"]) == (80, 10)


def test_environment_overrides_instance_config(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("DUPLICATE_RADIUS_M = 80\n")
    monkeypatch.setenv("CPS_DUPLICATE_RADIUS_M", "120")
    monkeypatch.setenv("CPS_SUPPORTED_LOCALES", '["en", "fil", "vi"]')
    app = make(tmp_path)
    assert app.config["DUPLICATE_RADIUS_M"] == 120
    assert app.config["SUPPORTED_LOCALES"] == ["en", "fil", "vi"]


def test_explicit_config_overrides_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CPS_PAGE_SIZE", "7")
    assert make(tmp_path, PAGE_SIZE=3).config["PAGE_SIZE"] == 3


def test_postgres_urls_use_psycopg3(tmp_path):
    app = make(tmp_path, DATABASE_URL="postgres://u@h/db")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_secret_key_is_made_once_and_kept(tmp_path):
    first = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    second = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    assert len(first) == 64 and first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"INSTANCE_PATH": str(tmp_path), "ENV": "production"})


def test_production_sets_secure_cookies(tmp_path):
    assert make(tmp_path, ENV="production").config["SESSION_COOKIE_SECURE"] is True


def test_city_setting_prefers_the_city_then_the_install(app, city, monkeypatch):
    assert city_setting(city, "REOPEN_WINDOW_DAYS") == 14
    city.settings = {}
    monkeypatch.setitem(app.config, "REOPEN_WINDOW_DAYS", 9)
    assert city_setting(city, "REOPEN_WINDOW_DAYS") == 9


def test_city_setting_rejects_keys_that_are_not_per_city(app, city):
    with pytest.raises(KeyError):
        city_setting(city, "SECRET_KEY")
