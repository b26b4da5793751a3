"""`flask cps ...` commands: city packs, the demo, workers, classifiers and translations."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.serving import run_simple

from cps.cities.packs.service import PackFailure, load_pack
from cps.extensions import db


@click.group("cps")
def cps_group():
    """CPS administration commands."""


@cps_group.group("city")
def city_group():
    """Import, export and list cities."""


@city_group.command("import")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@click.option("--repair", is_flag=True, help="Repair invalid polygons (with a warning) instead "
              "of refusing the pack.")
@click.option("--allow-missing-geometry", is_flag=True, help="Import districts whose geometry "
              "is null by name only (with a warning) instead of refusing the pack.")
@with_appcontext
def city_import(path: Path, repair: bool, allow_missing_geometry: bool):
    """Load or update the city in the pack folder PATH, in one transaction."""
    try:
        city, changes, warnings = load_pack(path, repair=repair, show_progress=True,
                                            allow_missing_geometry=allow_missing_geometry)
    except PackFailure as failure:
        click.echo(_("Import failed, nothing was changed: %(error)s", error=failure), err=True)
        sys.exit(1)
    for warning in warnings:
        click.echo(_("Warning: %(warning)s", warning=warning), err=True)
    summary = ", ".join(f"{n} {what}" for what, n in sorted(changes.items()))
    click.echo(_("Imported %(city)s: %(summary)s.", city=city.slug,
                 summary=summary or _("no changes")))


@city_group.command("export")
@click.argument("slug")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def city_export(slug: str, folder: Path | None):
    """Write the city SLUG as a pack into FOLDER (default: cities/<slug>-export)."""
    from cps.cities.models import City
    from cps.cities.packs.exporter import export_pack

    city = db.session.scalar(select(City).where(City.slug == slug))
    if city is None:
        click.echo(_("No city with the slug %(slug)s.", slug=slug), err=True)
        sys.exit(1)
    folder = folder or Path(current_app.config["CITY_PACKS_DIR"]) / f"{slug}-export"
    for file in export_pack(city, folder):
        click.echo(_("Wrote %(file)s", file=file))


@city_group.command("list")
@with_appcontext
def city_list():
    """List the cities this install serves."""
    from cps.cities.models import City

    for city in db.session.scalars(select(City).order_by(City.slug)):
        click.echo(f"{city.slug}\t{city.name()}\t{city.timezone}\t{','.join(city.locales)}")


@city_group.command("gateway-secret")
@click.argument("slug")
@click.option("--remove", is_flag=True, help="Stop using a gateway: SMS leave by SMS_TRANSPORT.")
@with_appcontext
def city_gateway_secret(slug: str, remove: bool):
    """Make a new shared secret for the SMS gateway of city SLUG (printed once, kept hashed)."""
    import hashlib
    import secrets

    from cps.cities.models import City

    city = db.session.scalar(select(City).where(City.slug == slug))
    if city is None:
        click.echo(_("No city with the slug %(slug)s.", slug=slug), err=True)
        sys.exit(1)
    secret = None if remove else secrets.token_urlsafe(32)
    city.sms_gateway_secret_hash = secret and hashlib.sha256(secret.encode()).hexdigest()
    db.session.commit()
    if secret is None:
        click.echo(_("The SMS gateway of %(city)s was removed.", city=slug))
        return
    click.echo(_("Give this secret to the SMS gateway of %(city)s; it is not shown again:",
                 city=slug))
    click.echo(secret)


@cps_group.group("classifier")
def classifier_group():
    """Train the per-city classifiers of complaints."""


@classifier_group.command("train")
@click.argument("slug", required=False)
@with_appcontext
def classifier_train(slug: str | None):
    """Train the classifier of city SLUG (default: every city) and print how it did."""
    from cps.cities.models import City
    from cps.classify.training import train_city
    from cps.sms.understand import keyword_category

    query = select(City).order_by(City.slug)
    cities = db.session.scalars(query.where(City.slug == slug) if slug else query).all()
    if slug and not cities:
        click.echo(_("No city with the slug %(slug)s.", slug=slug), err=True)
        sys.exit(1)
    for city in cities:
        row = train_city(city, keyword_category)
        db.session.commit()
        for line in _classifier_figures(city.slug, row):
            click.echo(line)


def _classifier_figures(slug: str, row) -> list[str]:
    from flask_babel import format_percent

    lines = [_("%(city)s: %(examples)d complaints confirmed by staff, %(held)d of them held "
               "back.", city=slug, examples=row.n_examples, held=row.n_held_back)]
    if row.model_accuracy is None:
        return [*lines, _("No model: at least %(n)d examples in two categories are needed.",
                          n=current_app.config["CLASSIFIER_MIN_EXAMPLES"])]
    lines.append(_("Right on the held-back complaints: model %(model)s, keywords "
                   "%(keywords)s.", model=format_percent(row.model_accuracy),
                   keywords=format_percent(row.keyword_accuracy)))
    lines.append(_("The model is used.") if row.used else
                 _("The model is not used: the keywords do as well or better."))
    return lines


@cps_group.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--complaints", "count", default=300, show_default=True, type=int,
              help="Synthetic complaints to add when the demo city has none.")
@click.option("--no-serve", is_flag=True, help="Set up the demo data and stop.")
@with_appcontext
def demo(host: str, port: int, count: int, no_serve: bool):
    """Create the database, import the demo city, add staff and complaints, and serve."""
    from cps.demo import set_up_demo

    set_up_demo(count, echo=click.echo)
    if not no_serve:
        click.echo(_("Serving the demo at http://%(host)s:%(port)d/ (Ctrl+C stops it)",
                     host=host, port=port))
        from cps.jobs.queue import mode
        from cps.jobs.runner import embedded_runner

        if mode() == "thread":
            embedded_runner(current_app._get_current_object()).start()
        # app.run() refuses to run inside a `flask` command; serve the app directly.
        run_simple(host, port, current_app._get_current_object(), threaded=True)



@cps_group.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker(burst: bool):
    """Run an RQ worker for this install's queues (needs CPS_REDIS_URL)."""
    from rq import SimpleWorker

    from cps.jobs.queue import redis_connection, rq_queue

    if not current_app.config["REDIS_URL"]:
        click.echo(_("CPS_REDIS_URL is not set: the embedded default needs no worker."), err=True)
        sys.exit(1)
    # SimpleWorker runs jobs in this process, inside the app context (no fork per job).
    SimpleWorker([rq_queue()], connection=redis_connection()).work(burst=burst)


@cps_group.command("scheduler")
@click.option("--once", is_flag=True, help="Run one round and stop.")
@with_appcontext
def scheduler(once: bool):
    """Run periodic work: the sweep that hands due outbox rows to workers."""
    import time

    from cps.jobs.queue import mode
    from cps.jobs.runner import embedded_runner
    from cps.jobs.tasks import run_periodic, sweep

    while True:
        run_periodic()
        if mode() == "rq":
            count = len(sweep())
        else:
            count = embedded_runner(current_app._get_current_object()).run_once()
        db.session.remove()
        if once:
            click.echo(_("Handed out %(count)d outbox rows.", count=count))
            return
        time.sleep(current_app.config["SWEEP_INTERVAL_S"])


@cps_group.group("translations")
def translations_group():
    """Extract, update, compile and check the translation catalogs."""


@translations_group.command("extract")
def translations_extract():
    """Write every translatable string of the source to translations/messages.pot."""
    from cps.catalogs import TEMPLATE, extract

    extract(TEMPLATE)
    click.echo(TEMPLATE)


@translations_group.command("update")
def translations_update():
    """Merge messages.pot into every shipped catalog (new messages arrive untranslated)."""
    from cps.catalogs import update

    click.echo(" ".join(update()))


@translations_group.command("compile")
@with_appcontext
def translations_compile():
    """Compile the shipped catalogs and the instance's overrides (install-wide and per city)."""
    from cps.catalogs import compile_catalogs
    from cps.i18n import translation_directories

    roots = translation_directories()
    roots += sorted((Path(current_app.instance_path) / "cities").glob("*/translations"))
    try:
        written = compile_catalogs([r for r in roots if r.is_dir()])
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(_("%(n)d catalogs compiled.", n=len(written)))


@translations_group.command("check")
@with_appcontext
def translations_check():
    """Fail if a source string is missing from messages.pot or a shipped locale's catalog has
    untranslated or fuzzy messages or changed placeholders."""
    from cps.catalogs import check

    problems = check(current_app.config["SUPPORTED_LOCALES"])
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(_("%(n)d problems in the translations.", n=len(problems)))
    click.echo(_("The translations are complete."))
