"""The city's home page, the public list and map, and the data the maps draw."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import abort, current_app, g, jsonify, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from geoalchemy2.shape import to_shape
from sqlalchemy import func, select

from cps.cities.models import Category
from cps.complaints.models import Complaint, Photo
from cps.complaints.states import CLOSED_STATES, State
from cps.complaints.storage import path_of
from cps.complaints.views import bp
from cps.complaints.views.common import active_categories, limit
from cps.extensions import db, limiter
from cps.routing.index import geo_index
from cps.routing.models import District

RECENT_COUNT = 10


@bp.route("/")
def home():
    """The city's home page: what can be reported, and what was reported lately."""
    recent = db.session.scalars(
        _public().order_by(Complaint.created_at.desc()).limit(RECENT_COUNT)).all()
    counts = dict(db.session.execute(
        select(Complaint.state, func.count()).where(
            Complaint.city_id == g.city.id, Complaint.hidden.is_(False))
        .group_by(Complaint.state)).all())
    open_count = sum(n for state, n in counts.items() if State(state).is_open)
    resolved = counts.get(State.RESOLVED, 0) + counts.get(State.CLOSED, 0)
    return render_template("complaints/home.html", categories=active_categories(),
                           recent=recent, open_count=open_count, resolved_count=resolved)


@bp.route("/complaints")
def public_list():
    """Every public complaint, filtered and paginated; the map above draws the same filter."""
    filters, problems = _filters()
    query = _filtered(filters).order_by(Complaint.created_at.desc(), Complaint.id.desc())
    page = db.paginate(query, page=_page(), per_page=current_app.config["PAGE_SIZE"],
                       error_out=False)
    districts = db.session.scalars(select(District).where(
        District.city_id == g.city.id).order_by(District.name)).all()
    return render_template("complaints/list.html", page=page, filters=filters,
                           problems=problems, categories=active_categories(),
                           districts=districts, states=list(State)), 400 if problems else 200


@bp.route("/complaints.geojson")
@limiter.limit(limit("RATE_LIMIT_LOOKUP"))
def public_geojson():
    """The public complaints of the filter as GeoJSON points (no personal data)."""
    filters, problems = _filters()
    if problems:
        return jsonify(error=" ".join(problems)), 400
    rows = db.session.scalars(_filtered(filters).where(Complaint.point.is_not(None))
                              .order_by(Complaint.created_at.desc())
                              .limit(current_app.config["MAP_MAX_POINTS"])).all()
    response = jsonify(type="FeatureCollection", features=[_feature(c) for c in rows])
    response.mimetype = "application/geo+json"
    return response


@bp.route("/districts.geojson")
def districts_geojson():
    """The city's district outlines, simplified for drawing on a phone."""
    response = current_app.response_class(geo_index(g.city).outline_geojson(),
                                          mimetype="application/geo+json")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.route("/places")
@limiter.limit(limit("RATE_LIMIT_LOOKUP"))
def places():
    """Places whose names match what is being typed (barangays and landmarks)."""
    text = request.args.get("q", "")[:100]
    if len(text.strip()) < 2:
        return jsonify(places=[])
    suggestions = geo_index(g.city).gazetteer.suggest(text, limit=8)
    index = geo_index(g.city)
    out = []
    for candidate in suggestions:
        place = candidate.place
        if place.lat is None:  # a district known by name only
            out.append({"name": place.name, "kind": place.kind, "lat": None, "lon": None,
                        "district": None})
            continue
        district = index.district_at(place.lon, place.lat)
        out.append({"name": place.name, "kind": place.kind, "lat": round(place.lat, 6),
                    "lon": round(place.lon, 6),
                    "district": district.name if district and place.kind != "district" else None})
    return jsonify(places=out)


@bp.route("/photos/<int:photo_id>.jpg")
def photo(photo_id: int):
    """A public photo of a public complaint."""
    row = db.session.get(Photo, photo_id)
    if (row is None or row.city_id != g.city.id or row.hidden or row.complaint.hidden
            or not path_of(row).is_file()):
        abort(404)
    return send_file(path_of(row), mimetype="image/jpeg", max_age=86400)


@bp.app_template_filter("lat")
def _lat(point) -> float:
    return round(to_shape(point).y, 6)


@bp.app_template_filter("lon")
def _lon(point) -> float:
    return round(to_shape(point).x, 6)


def _public():
    return select(Complaint).where(Complaint.city_id == g.city.id, Complaint.hidden.is_(False))


def _page() -> int:
    try:
        return max(1, min(int(request.args.get("page", 1)), 10_000))
    except ValueError:
        return 1


def _filters() -> tuple[dict, list[str]]:
    """The list's filters from the query string, each checked; problems are translated."""
    args, out, problems = request.args, {}, []
    for key in ("category", "district", "state"):
        out[key] = args.get(key, "")[:64]
    if out["state"] not in ("", "open", "closed", *[s.value for s in State]):
        problems.append(_("Unknown status."))
        out["state"] = ""
    for key in ("from", "to"):
        out[key] = args.get(key, "")[:10]
        if out[key]:
            try:
                date.fromisoformat(out[key])
            except ValueError:
                problems.append(_("Dates look like 2026-11-23."))
                out[key] = ""
    return out, problems


def _filtered(filters: dict):
    query = _public()
    if filters["category"]:
        query = query.join(Category, Complaint.category_id == Category.id).where(
            Category.code == filters["category"])
    if filters["district"]:
        query = query.join(District, Complaint.district_id == District.id).where(
            District.code == filters["district"])
    state = filters["state"]
    if state == "open":
        query = query.where(Complaint.state.not_in(CLOSED_STATES))
    elif state == "closed":
        query = query.where(Complaint.state.in_(CLOSED_STATES))
    elif state:
        query = query.where(Complaint.state == State(state))
    tz = ZoneInfo(g.city.timezone)
    if filters["from"]:
        start = datetime.combine(date.fromisoformat(filters["from"]), time(), tz)
        query = query.where(Complaint.created_at >= start)
    if filters["to"]:
        end = datetime.combine(date.fromisoformat(filters["to"]) + timedelta(days=1), time(), tz)
        query = query.where(Complaint.created_at < end)
    return query


def _feature(complaint: Complaint) -> dict:
    point = to_shape(complaint.point)
    locale = str(get_locale())
    return {"type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(point.x, 6), round(point.y, 6)]},
            "properties": {
                "reference": complaint.reference,
                "category": complaint.category.name(locale) if complaint.category else "",
                "state": complaint.state.value, "state_title": str(complaint.state.title),
                "open": complaint.state.is_open,
                "url": url_for("complaints.track", reference=complaint.reference)}}
