"""Loads the three configuration tiers and reads per-city settings (tier 3)."""

import os
import secrets
from pathlib import Path

from flask import Flask, current_app


class ConfigError(RuntimeError):
    """The configuration cannot run safely (e.g. production without a secret key)."""


def load_settings(app: Flask, overrides: dict | None) -> None:
    """Tier 1 defaults, tier 2 instance/config.py and CPS_* environment, then explicit overrides."""
    app.config.from_object("cps.config")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("CPS")
    app.config.update({k: v for k, v in (overrides or {}).items() if k != "INSTANCE_PATH"})
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = translation_dirs(app)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config["DEFAULT_LOCALE"])
    _finish_secret_key(app)
    _finish_web(app)
    if app.config["ENV"] == "production":
        app.config["SESSION_COOKIE_SECURE"] = True
        _refuse_unsigned_twilio(app)


def database_url(app: Flask) -> str:
    """The SQLAlchemy URL: CPS_DATABASE_URL, else SQLite in the instance folder."""
    url = app.config.get("DATABASE_URL") or ""
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        return "sqlite:///" + os.path.join(app.instance_path, "cps.sqlite")
    for plain in ("postgres://", "postgresql://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain):]
    return url


def translation_dirs(app: Flask) -> str:
    """The install's catalog folders (later ones win), ';'-separated, for Flask-Babel."""
    from cps.i18n import translation_directories

    return ";".join(str(d) for d in translation_directories(app=app))


def _finish_secret_key(app: Flask) -> None:
    if app.config["SECRET_KEY"]:
        return
    if app.config["ENV"] == "production":
        raise ConfigError("SECRET_KEY must be set in production (CPS_SECRET_KEY)")
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _refuse_unsigned_twilio(app: Flask) -> None:
    """Twilio in use but no auth token: webhooks could not be verified, nor SMS sent."""
    config = app.config
    if (config["SMS_TRANSPORT"] == "twilio" or config["TWILIO_ACCOUNT_SID"]) \
            and not config["TWILIO_AUTH_TOKEN"]:
        raise ConfigError("TWILIO_AUTH_TOKEN must be set in production when Twilio is used "
                          "(CPS_TWILIO_AUTH_TOKEN)")


def _finish_web(app: Flask) -> None:
    """Derived settings of the web side: upload folder and rate-limit storage."""
    upload = app.config["UPLOAD_DIR"] or os.path.join(app.instance_path, "uploads")
    app.config["UPLOAD_DIR"] = str(Path(upload).resolve())
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or "memory://"
    # Redis down must not turn every limited page into a 500: count in memory meanwhile.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {
        "socket_timeout": app.config["REDIS_TIMEOUT_S"],
        "socket_connect_timeout": app.config["REDIS_TIMEOUT_S"]})


def city_setting(city, key: str):
    """A per-city setting: the city's own value (tier 3) or the install's (tiers 1-2)."""
    if key not in current_app.config["CITY_SETTING_KEYS"]:
        raise KeyError(f"{key} is not a per-city setting")
    return (city.settings or {}).get(key, current_app.config[key])
