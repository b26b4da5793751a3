"""Public entry: the city chooser at `/` and the lookup of the city named in the URL."""

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import select

from cps.cities.models import City
from cps.extensions import db

bp = Blueprint("cities", __name__)


@bp.app_url_value_preprocessor
def load_city(endpoint, values):
    """Put the city named by the `city` URL segment on `g` (404 when there is none)."""
    if not values or "city" not in values:
        return
    slug = values.pop("city")
    city = db.session.scalar(select(City).where(City.slug == slug))
    if city is None:
        abort(404)
    g.city = city


@bp.app_url_defaults
def add_city(endpoint, values):
    """Fill in the current city's slug for url_for() on city pages."""
    city = getattr(g, "city", None)
    if city is not None and "city" not in values and _takes_city(endpoint):
        values["city"] = city.slug


def _takes_city(endpoint: str) -> bool:
    return any("city" in rule.arguments for rule in current_app.url_map.iter_rules(endpoint))


@bp.route("/")
def choose():
    """One city: go to it. Several: let the citizen choose."""
    cities = db.session.scalars(select(City).order_by(City.slug)).all()
    if len(cities) == 1:
        return redirect(url_for("complaints.home", city=cities[0].slug))
    return render_template("cities/choose.html", cities=cities)


@bp.route("/<city>/lang/<code>")
def set_language(code):
    """Remember the citizen's language choice and go back to the city's home page."""
    if code not in g.city.locales:
        abort(404)
    session["lang"] = code
    back = request.args.get("next", "")
    # Only a path of this city's own pages: never an open redirect.
    if back.startswith((f"/{g.city.slug}/", "/staff/")) and "//" not in back and "\\" not in back:
        return redirect(back)
    return redirect(url_for("complaints.home"))
