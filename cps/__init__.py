"""CPS, the Civic Participation System: create_app() builds the Flask application."""

import os
from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings from cps.config, instance/config.py, CPS_* env, then `config`."""
    app = Flask(__name__, instance_relative_config=True, instance_path=_instance_path(config))
    from cps.settings import load_settings

    load_settings(app, config)
    _register_extensions(app)
    _register_blueprints(app)
    _register_commands(app)
    _register_daily_work(app)
    _register_errors(app)
    _buffer_static_files(app)
    return app


def _instance_path(config: dict | None) -> str:
    given = (config or {}).get("INSTANCE_PATH") or os.environ.get("CPS_INSTANCE_PATH")
    return str(Path(given).resolve()) if given else str(PROJECT_ROOT / "instance")


def _register_extensions(app: Flask) -> None:
    from cps.db import install_spatialite
    from cps.extensions import babel, compress, csrf, db, limiter, login_manager, migrate
    from cps.i18n import CityDomain, register_template_helpers, select_locale, select_timezone
    from cps.locales import register_extra_locales

    register_extra_locales()

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            install_spatialite(db.engine, app.config["SPATIALITE_LIBRARY"])
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), compare_type=True)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    if not isinstance(babel.__dict__.get("domain_instance"), CityDomain):  # shared by apps
        babel.domain_instance = CityDomain()
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    compress.init_app(app)
    _trust_proxies(app)
    _redact_request_logs()
    register_template_helpers(app)
    from cps.caching import install as install_cache_hooks
    from cps.jobs.hooks import install as install_job_hooks

    install_cache_hooks()
    install_job_hooks()
    import cps.models  # noqa: F401  (every model registered before the first query)


def _trust_proxies(app: Flask) -> None:
    count = int(app.config["PROXY_COUNT"])
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def _redact_request_logs() -> None:
    """Access logs (the development server's, gunicorn's) never show an API key."""
    import logging

    from cps.logs import RedactSecrets

    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())


def _register_blueprints(app: Flask) -> None:
    from cps.cities.views import bp as cities_bp
    from cps.complaints.views import bp as complaints_bp
    from cps.sms.views import bp as sms_bp

    app.register_blueprint(cities_bp)
    app.register_blueprint(complaints_bp)
    app.register_blueprint(sms_bp)
    from cps.staff.reports import public_bp as transparency_bp
    from cps.staff.views import bp as staff_bp

    app.register_blueprint(staff_bp)
    app.register_blueprint(transparency_bp)
    from cps.open311.views import bp as open311_bp

    app.register_blueprint(open311_bp)
    import cps.sms.media  # noqa: F401  (registers the MMS photo task)


def _register_commands(app: Flask) -> None:
    from cps.cli import cps_group

    app.cli.add_command(cps_group)


def _buffer_static_files(app: Flask) -> None:
    """Static files are read whole so that Flask-Compress compresses them (and closes them):
    they are small, and on a 2G phone the bytes saved matter more than the memory."""
    serve = app.view_functions["static"]

    def static(filename):
        response = serve(filename=filename)
        response.direct_passthrough = False
        response.make_sequence()
        return response

    app.view_functions["static"] = static


def _register_daily_work(app: Flask) -> None:
    """Work the scheduler runs once a day. The classifier is measured against the SMS keyword
    guess, which the classify package does not import itself (dependencies run one way)."""
    from cps.jobs.tasks import register_daily

    def retrain_classifiers() -> dict:
        from cps.classify.training import train_all
        from cps.sms.understand import keyword_category

        return train_all(keyword_category)

    register_daily(app, "classifier", retrain_classifiers)


def _register_errors(app: Flask) -> None:
    from cps.errors import register_error_pages

    register_error_pages(app)
