"""The figures: staff dashboard, the public transparency page, and exports (staff: what they
may see; the public: anonymised open data). Never a reporter's name, phone or e-mail."""

import csv
import io
import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, g, render_template, request, url_for
from flask_login import current_user, login_required
from geoalchemy2.shape import to_shape
from sqlalchemy import select

from cps.cities.models import Department
from cps.complaints.models import Complaint
from cps.extensions import db
from cps.staff import services
from cps.staff.access import CITY_WIDE
from cps.staff.kpis import figures, per_department
from cps.staff.queries import queue, read_filters
from cps.staff.views import bp

public_bp = Blueprint("transparency", __name__, url_prefix="/<city>",
                      template_folder="templates")
DEFAULT_DAYS = 90
EXPORT_FIELDS = ["reference", "category", "district", "department", "state", "channel",
                 "created_at", "acknowledged_at", "resolved_at", "deadline", "lat", "lon",
                 "address", "description", "rating"]
OPEN_DATA_FIELDS = ["reference", "category", "district", "department", "state", "channel",
                    "created_at", "resolved_at", "deadline", "lat", "lon"]


def _period(city) -> tuple[date, date, datetime, datetime]:
    """The [from, to] days asked for (default: the last 90 days), as UTC bounds."""
    tz = ZoneInfo(city.timezone)
    today = datetime.now(tz).date()
    first, last = _day(request.args.get("from")), _day(request.args.get("to"))
    last = last or today
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        first, last = last, first
    return (first, last, datetime.combine(first, time(), tz),
            datetime.combine(last + timedelta(days=1), time(), tz))


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value or "")[:10])
    except ValueError:
        return None


@bp.route("/dashboard")
@login_required
def dashboard():
    """The city's (or the department's) figures for a period, with charts."""
    city = current_user.city
    first, last, start, end = _period(city)
    department_id = _department_scope()
    shown = figures(city, start, end, department_id)
    departments = per_department(city, start, end) if department_id is None else []
    charts = {name: {"labels": list(counter), "values": list(counter.values())}
              for name, counter in (("week", dict(sorted(shown.by_week.items()))),
                                    ("category", shown.by_category),
                                    ("district", dict(shown.by_district.most_common(15))),
                                    ("channel", shown.by_channel))}
    return render_template(
        "staff/dashboard.html", figures=shown, departments=departments, first=first,
        last=last, charts=json.dumps(charts), department_id=department_id,
        choices=db.session.scalars(select(Department).where(
            Department.city_id == city.id, Department.active).order_by(Department.code)).all()
        if current_user.role in CITY_WIDE else [])


def _department_scope() -> int | None:
    """City-wide roles pick (or not) a department; others see their own department only."""
    if current_user.role not in CITY_WIDE:
        return current_user.department_id or -1
    chosen = request.args.get("department", type=int)
    if chosen and db.session.get(Department, chosen) is not None and db.session.get(
            Department, chosen).city_id == current_user.city_id:
        return chosen
    return None


@bp.route("/export.<kind>")
@login_required
def export(kind):
    """The complaints this staff member sees (queue filters apply), as CSV or GeoJSON."""
    if kind not in ("csv", "geojson"):
        abort(404)
    filters, problems = read_filters(request.args)
    if problems:
        abort(400)
    rows = db.session.scalars(queue(current_user, filters)).all()
    services.audit(current_user, "export", after={"kind": kind, "count": len(rows),
                                                  "filters": {k: v for k, v in filters.items()
                                                              if v}})
    db.session.commit()
    return _export(kind, [_row(c) for c in rows], EXPORT_FIELDS, "complaints")


@public_bp.route("/transparency")
def transparency():
    """How each department serves the citizens: public figures, no personal data."""
    first, last, start, end = _period(g.city)
    return render_template("staff/transparency.html", first=first, last=last,
                           city_figures=figures(g.city, start, end, public=True),
                           departments=per_department(g.city, start, end, public=True))


@public_bp.route("/open-data/complaints.<kind>")
def open_data(kind):
    """Public complaints, anonymised: no descriptions or addresses, places to about 100 m."""
    if kind not in ("csv", "geojson"):
        abort(404)
    rows = db.session.scalars(select(Complaint).where(
        Complaint.city_id == g.city.id, Complaint.hidden.is_(False))
        .order_by(Complaint.id)).all()
    return _export(kind, [_row(c, precision=3) for c in rows], OPEN_DATA_FIELDS,
                   f"{g.city.slug}-complaints")


def _row(c: Complaint, precision: int = 6) -> dict:
    point = to_shape(c.point) if c.point is not None else None
    return {"reference": c.reference, "category": c.category.code if c.category else "",
            "district": c.district.name if c.district else "",
            "department": c.department.code if c.department else "",
            "state": c.state.value, "channel": c.channel.value,
            "created_at": _iso(c.created_at), "acknowledged_at": _iso(c.acknowledged_at),
            "resolved_at": _iso(c.resolved_at), "deadline": _iso(c.deadline),
            "lat": round(point.y, precision) if point else None,
            "lon": round(point.x, precision) if point else None,
            "address": c.address_text or "", "description": c.description,
            "rating": c.rating}


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _export(kind: str, rows: list[dict], fields: list[str], name: str):
    if kind == "geojson":
        body = json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {k: r[k] for k in fields if k not in ("lat", "lon")},
             "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]}
             if r["lat"] is not None else None} for r in rows]}, ensure_ascii=False)
        mimetype = "application/geo+json"
    else:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in r.items()} for r in rows)
        body, mimetype = out.getvalue(), "text/csv"
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


def _cell(value):
    """A spreadsheet never runs a cell as a formula (=, +, -, @ at the start)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


@bp.app_template_filter("duration")
def _duration(hours) -> str:
    """Hours for people: "5 h" under two days, else days."""
    from flask_babel import gettext as _

    from cps.cities.formats import format_decimal

    if hours is None:
        return "—"
    if hours < 48:
        return _("%(n)s h", n=format_decimal(round(hours, 1)))
    return _("%(n)s days", n=format_decimal(round(hours / 24, 1)))


@bp.app_template_filter("share")
def _share_text(value) -> str:
    from flask_babel import format_percent

    return "—" if value is None else format_percent(value)


@bp.route("/complaints.geojson")
@login_required
def staff_geojson():
    """The queue's complaints (what this staff member sees, filtered) for the map view."""
    filters, problems = read_filters(request.args)
    if problems:
        abort(400)
    rows = db.session.scalars(queue(current_user, filters).where(
        Complaint.point.is_not(None)).limit(current_app.config["MAP_MAX_POINTS"])).all()
    features = []
    for c in rows:
        row = _row(c)
        features.append({"type": "Feature",
                         "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                         "properties": {"reference": c.reference, "category": row["category"],
                                        "state": c.state.value, "state_title": str(c.state.title),
                                        "open": c.state.is_open,
                                        "url": url_for("staff.complaint",
                                                       reference=c.reference)}})
    response = current_app.response_class(json.dumps({"type": "FeatureCollection",
                                                      "features": features}),
                                          mimetype="application/geo+json")
    return response
