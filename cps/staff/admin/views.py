"""Admin pages under /staff/admin/: lists and forms for what defines the city.

Only the city's admins see them (anyone else: 404, as for any page they may not see); a row of
another city does not exist either. A refused form comes back with what was typed and the
reason, and nothing is saved."""

import json
from datetime import datetime
from functools import wraps
from zoneinfo import ZoneInfo

from babel.dates import get_day_names
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import extract, func, select
from werkzeug.datastructures import MultiDict

from cps.cities.models import Category, Department, Holiday
from cps.domain import DomainError
from cps.extensions import db
from cps.i18n import locale_name
from cps.routing.models import District, RoutingRule
from cps.staff.admin import city as city_settings
from cps.staff.admin import services
from cps.staff.models import Role, StaffUser
from cps.staff.views import bp


def admin_only(view):
    """Signed in as an admin of the city, or the page does not exist (404)."""
    @wraps(view)
    def checked(*args, **kwargs):
        if current_user.role != Role.ADMIN:
            abort(404)
        return view(*args, **kwargs)
    return login_required(checked)


def _item(model, item_id):
    found = services._owned(model, current_user.city, item_id)
    if found is None:
        abort(404)
    return found


def _lang_values(prefix: str, texts: dict | None) -> list[tuple[str, str]]:
    return [(f"{prefix}-{code}", value) for code, value in (texts or {}).items()]


def _edit(template: str, item, values_of, save, done: str, back: str, **context):
    """Show a form (GET) or save it (POST); on a refusal, show it again with the reason."""
    error, status = None, 200
    values = MultiDict(values_of(item) if item is not None and values_of else ())
    if request.method == "POST":
        values = request.form
        try:
            save(current_user, item, request.form)
            db.session.commit()
        except DomainError as refused:
            db.session.rollback()
            error, status = refused, refused.status
        else:
            flash(done, "success")
            return redirect(url_for(back))
    return render_template(template, item=item, values=values, error=error, city=current_user.city,
                           **context), status


def _rows(model, *order, where=()):
    """The rows of `model` that belong to the admin's city, in `order`."""
    return db.session.scalars(select(model).where(
        model.city_id == current_user.city_id, *where).order_by(*order)).all()


def _active(model):
    return _rows(model, model.code, where=[model.active])


@bp.route("/admin/")
@admin_only
def admin_index():
    """What an admin can manage, with how many of each the city has."""
    city_id = current_user.city_id

    def count(model):
        return db.session.scalar(select(func.count(model.id)).where(model.city_id == city_id))

    return render_template("staff/admin/index.html", counts={
        "accounts": count(StaffUser), "departments": count(Department),
        "categories": count(Category), "districts": count(District),
        "rules": count(RoutingRule), "holidays": count(Holiday)})


# Accounts ------------------------------------------------------------------------------------

@bp.route("/admin/accounts")
@admin_only
def admin_accounts():
    return render_template("staff/admin/accounts.html", people=_rows(
        StaffUser, StaffUser.active.desc(), StaffUser.name))


def _account_values(user):
    return [("email", user.email), ("name", user.name), ("role", user.role.value),
            ("department", str(user.department_id or "")), ("locale", user.locale or ""),
            *([("can_triage", "y")] if user.can_triage else []),
            *([("active", "y")] if user.active else [])]


@bp.route("/admin/accounts/new", methods=["GET", "POST"])
@bp.route("/admin/accounts/<int:item_id>", methods=["GET", "POST"])
@admin_only
def admin_account(item_id=None):
    user = _item(StaffUser, item_id) if item_id else None
    return _edit("staff/admin/account.html", user, _account_values, services.save_account,
                 _("The account was saved."), "staff.admin_accounts",
                 role_options=[(r.value, r.title) for r in Role],
                 department_options=_department_options(),
                 locale_options=[(c, locale_name(c))
                                 for c in current_app.config["SUPPORTED_LOCALES"]])


def _department_options() -> list[tuple[int, str]]:
    locale = str(get_locale())
    return [(d.id, d.name(locale)) for d in _active(Department)]


# Departments ---------------------------------------------------------------------------------

@bp.route("/admin/departments")
@admin_only
def admin_departments():
    return render_template("staff/admin/departments.html", departments=_rows(
        Department, Department.active.desc(), Department.code))


def _department_values(dept):
    return [("code", dept.code), ("email", dept.email or ""), ("phone", dept.phone or ""),
            *_lang_values("name", dept.names), *([("active", "y")] if dept.active else [])]


@bp.route("/admin/departments/new", methods=["GET", "POST"])
@bp.route("/admin/departments/<int:item_id>", methods=["GET", "POST"])
@admin_only
def admin_department(item_id=None):
    dept = _item(Department, item_id) if item_id else None
    return _edit("staff/admin/department.html", dept, _department_values,
                 services.save_department, _("The department was saved."),
                 "staff.admin_departments")


# Categories ----------------------------------------------------------------------------------

@bp.route("/admin/categories")
@admin_only
def admin_categories():
    return render_template("staff/admin/categories.html", categories=_rows(
        Category, Category.active.desc(), Category.position, Category.code))


def _category_values(cat):
    return [("code", cat.code), ("group", cat.group or ""),
            ("deadline_days", str(cat.deadline_days)), ("position", str(cat.position)),
            ("questions", json.dumps(cat.questions or [], ensure_ascii=False, indent=2)),
            *_lang_values("name", cat.names), *_lang_values("description", cat.descriptions),
            *[(f"keywords-{code}", ", ".join(words))
              for code, words in (cat.keywords or {}).items()],
            *([("active", "y")] if cat.active else [])]


@bp.route("/admin/categories/new", methods=["GET", "POST"])
@bp.route("/admin/categories/<int:item_id>", methods=["GET", "POST"])
@admin_only
def admin_category(item_id=None):
    cat = _item(Category, item_id) if item_id else None
    return _edit("staff/admin/category.html", cat, _category_values, services.save_category,
                 _("The category was saved."), "staff.admin_categories")


# Districts and routing -----------------------------------------------------------------------

@bp.route("/admin/districts")
@admin_only
def admin_districts():
    return render_template("staff/admin/districts.html",
                           districts=_rows(District, District.name))


def _district_values(district):
    return [("aliases", "\n".join(district.aliases or [])),
            *_lang_values("name", district.names)]


@bp.route("/admin/districts/<int:item_id>", methods=["GET", "POST"])
@admin_only
def admin_district(item_id):
    return _edit("staff/admin/district.html", _item(District, item_id), _district_values,
                 services.save_district, _("The area was saved."), "staff.admin_districts")


@bp.route("/admin/routing", methods=["GET", "POST"])
@admin_only
def admin_routing():
    """The rules that send complaints to departments, most specific first; add one."""
    return _edit("staff/admin/routing.html", None, None,
                 lambda actor, _item, form: services.save_rule(actor, None, form),
                 _("The rule was added."), "staff.admin_routing", **_routing_context())


def _routing_context() -> dict:
    from cps.routing.index import rule_rank

    return {"rules": sorted(_rows(RoutingRule, RoutingRule.id), key=rule_rank),
            "departments": _active(Department),
            "categories": _rows(Category, Category.position, Category.code),
            "districts": _rows(District, District.name)}


@bp.post("/admin/routing/<int:item_id>")
@admin_only
def admin_rule(item_id):
    rule = _item(RoutingRule, item_id)
    return _edit("staff/admin/routing.html", rule, None, services.save_rule,
                 _("The rule was changed."), "staff.admin_routing", **_routing_context())


@bp.post("/admin/routing/<int:item_id>/delete")
@admin_only
def admin_rule_delete(item_id):
    services.delete_rule(current_user, _item(RoutingRule, item_id))
    db.session.commit()
    flash(_("The rule was removed."), "success")
    return redirect(url_for("staff.admin_routing"))


# Holidays ------------------------------------------------------------------------------------

@bp.route("/admin/holidays", methods=["GET", "POST"])
@admin_only
def admin_holidays():
    """The city's holidays of one year; add one (and move open deadlines past it)."""
    year = request.args.get("year", type=int) or datetime.now(
        ZoneInfo(current_user.city.timezone)).year
    year = min(max(year, 1970), 2200)
    error, status, values = None, 200, MultiDict({"extend": "y"})
    if request.method == "POST":
        values = request.form
        try:
            holiday, moved = services.add_holiday(current_user, request.form)
            db.session.commit()
        except DomainError as refused:
            db.session.rollback()
            error, status = refused, refused.status
        else:
            flash(_("The holiday was added; %(n)d deadlines moved by a working day.", n=moved),
                  "success")
            return redirect(url_for("staff.admin_holidays", year=holiday.day.year))
    days = _rows(Holiday, Holiday.day, where=[extract("year", Holiday.day) == year])
    return render_template("staff/admin/holidays.html", holidays=days, year=year,
                           values=values, error=error, city=current_user.city), status


@bp.post("/admin/holidays/<int:item_id>/delete")
@admin_only
def admin_holiday_delete(item_id):
    holiday = _item(Holiday, item_id)
    year = holiday.day.year
    services.delete_holiday(current_user, holiday)
    db.session.commit()
    flash(_("The holiday was removed."), "success")
    return redirect(url_for("staff.admin_holidays", year=year))


# The city ------------------------------------------------------------------------------------

def _city_values(city):
    return [*_lang_values("name", city.names), *[("locales", c) for c in city.locales],
            ("default_locale", city.default_locale), ("timezone", city.timezone),
            *[("working_days", str(d)) for d in city.working_days],
            ("sms_number", city.sms_number or ""),
            *[(f"setting-{k}", str(v)) for k, v in (city.settings or {}).items()],
            *[(k, str(v)) for k, v in (city.formats or {}).items()]]


@bp.route("/admin/city", methods=["GET", "POST"])
@admin_only
def admin_city():
    config = current_app.config
    return _edit("staff/admin/city.html", current_user.city, _city_values,
                 lambda actor, _item, form: city_settings.save_city(actor, form),
                 _("The city's settings were saved."), "staff.admin_city",
                 supported=config["SUPPORTED_LOCALES"],
                 defaults={k: config[k] for k in config["CITY_SETTING_KEYS"]},
                 settings_spec=city_settings.CITY_SETTINGS,
                 weekday_options=[(str(n - 1), _weekday_name(n)) for n in range(1, 8)],
                 calendar_options=[("bikram_sambat", _("Bikram Sambat (Nepal)"))],
                 weekday_name=_weekday_name)


@bp.route("/admin/messages", methods=["GET", "POST"])
@admin_only
def admin_messages():
    """The wording of the SMS and e-mails the city sends, and of state names, per language."""
    city = current_user.city
    return _edit("staff/admin/messages.html", city,
                 lambda c: [(f"{k}:{loc}", text) for k, by_locale in (c.messages or {}).items()
                            for loc, text in by_locale.items()],
                 lambda actor, _item, form: city_settings.save_wording(actor, form),
                 _("The messages were saved."), "staff.admin_messages",
                 groups=city_settings.wording_rows(city))


def _weekday_name(iso_day: int) -> str:
    """The name of ISO weekday 1 (Monday) to 7 (Sunday) in the page's language."""
    return get_day_names("wide", locale=get_locale())[iso_day - 1]


# Open311 API keys ----------------------------------------------------------------------------

@bp.route("/admin/api-keys", methods=["GET", "POST"])
@admin_only
def admin_api_keys():
    """Keys of the applications that file complaints through Open311; a new key is shown
    once, on the page that answers its creation, and only its digest is kept."""
    from cps.open311.models import ApiKey

    error, status, created = None, 200, None
    values = request.form if request.method == "POST" else MultiDict()
    if request.method == "POST":
        try:
            row, key = services.create_api_key(current_user, request.form)
            db.session.commit()
        except DomainError as refused:
            db.session.rollback()
            error, status = refused, refused.status
        else:
            created, status, values = (row, key), 201, MultiDict()
    keys = _rows(ApiKey, ApiKey.revoked_at.is_not(None), ApiKey.id)
    response = render_template("staff/admin/api_keys.html", keys=keys, created=created,
                               values=values, error=error,
                               default_limit=current_app.config["OPEN311_KEY_LIMIT"])
    return response, status, {"Cache-Control": "no-store"}


@bp.post("/admin/api-keys/<int:item_id>/revoke")
@admin_only
def admin_api_key_revoke(item_id):
    from cps.open311.models import ApiKey

    services.revoke_api_key(current_user, _item(ApiKey, item_id))
    db.session.commit()
    flash(_("The key was revoked: the application can no longer file complaints with it."),
          "success")
    return redirect(url_for("staff.admin_api_keys"))
