"""What admins change in their city, each change checked and written to the audit log.

Functions flush; the views commit or roll back. Everything is scoped to the admin's city."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from cps.cities.calendar import add_working_days, end_of_day
from cps.cities.models import Category, City, Department, Holiday
from cps.complaints.models import Complaint, ComplaintEvent
from cps.complaints.states import CLOSED_STATES
from cps.extensions import db
from cps.routing.models import District, RoutingRule
from cps.staff import services
from cps.staff.admin import fields as f
from cps.staff.admin.fields import Invalid
from cps.staff.models import Role, StaffUser

ACCOUNT_FIELDS = ("email", "name", "role", "department_id", "can_triage", "locale", "active")
DEPARTMENT_FIELDS = ("code", "names", "email", "phone", "active")
CATEGORY_FIELDS = ("code", "names", "descriptions", "keywords", "group", "deadline_days",
                   "position", "active", "questions")
DEPARTMENT_ROLES = (Role.MANAGER, Role.OFFICER)
def snapshot(item, names) -> dict:
    """The listed attributes of `item`, as JSON-safe values for the audit log."""
    if item is None:
        return {}
    out = {}
    for name in names:
        value = getattr(item, name)
        out[name] = value.value if hasattr(value, "value") else value
    return out


def _audited(actor, action: str, item, names, change) -> None:
    """Apply `change()` to `item` and log the values before and after."""
    before = snapshot(item, names) if item.id is not None else {}
    change()
    db.session.flush()
    services.audit(actor, action, item, before, snapshot(item, names))


def _owned(model, city: City, item_id):
    """A row of `model` in `city` by id, or None."""
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(select(model).where(model.id == item_id, model.city_id == city.id))


# Accounts ------------------------------------------------------------------------------------

def save_account(actor: StaffUser, user: StaffUser | None, form) -> StaffUser:
    """Create an account in the admin's city, or change one; passwords are never logged."""
    city = actor.city
    email = f.email(form, "email", _("E-mail"), required=True)
    taken = db.session.scalar(select(StaffUser.id).where(func.lower(StaffUser.email) == email))
    if taken is not None and (user is None or taken != user.id):
        raise Invalid(_("This e-mail address already has an account."), "email")
    role = Role(f.choice(form, "role", [r.value for r in Role], _("Role")))
    department = None
    if role in DEPARTMENT_ROLES:
        department = _owned(Department, city, form.get("department"))
        if department is None or not department.active:
            raise Invalid(_("Managers and officers belong to a department: please choose one."),
                          "department")
    active = f.flag(form, "active") if user is not None else True
    values = {
        "email": email, "name": f.text(form, "name", _("Name"), required=True),
        "role": role, "department_id": department.id if department else None,
        "can_triage": f.flag(form, "can_triage") and role in DEPARTMENT_ROLES,
        "locale": f.choice(form, "locale", current_app.config["SUPPORTED_LOCALES"], _("Language"),
                           required=False),
        "active": active}
    password = f.password(form, "password", user is None, email)
    if user is not None:
        _keep_an_admin(actor, user, role, active)
    creating = user is None
    if creating:
        user = StaffUser(city_id=city.id, password_hash="")
        db.session.add(user)

    def change():
        for name, value in values.items():
            setattr(user, name, value)
        if password:
            user.set_password(password)

    _audited(actor, "account.create" if creating else "account.update", user, ACCOUNT_FIELDS,
             change)
    if password and not creating:
        services.audit(actor, "account.password", user)
    if not creating:
        _release_complaints(actor, user)
    return user


def _keep_an_admin(actor, user, role, active) -> None:
    """An admin cannot lock themselves out, and a city never loses its last admin."""
    if user.role != Role.ADMIN or (role == Role.ADMIN and active):
        return
    if user.id == actor.id:
        raise Invalid(_("You cannot take away your own administrator rights or disable your "
                        "own account."), "role")
    others = db.session.scalar(select(func.count(StaffUser.id)).where(
        StaffUser.city_id == user.city_id, StaffUser.role == Role.ADMIN, StaffUser.active,
        StaffUser.id != user.id))
    if not others:
        raise Invalid(_("The city needs at least one active administrator."), "role")


def _release_complaints(actor, user) -> None:
    """Open complaints this person can no longer hold go back to their department's pool."""
    query = select(Complaint).where(Complaint.assignee_id == user.id,
                                    Complaint.state.not_in(CLOSED_STATES))
    for complaint in db.session.scalars(query).all():
        holds = user.active and user.role != Role.VIEWER and user.department_id in (
            None, complaint.department_id)
        if not holds:
            services.assign(complaint, actor, None, complaint.version)


# Departments ---------------------------------------------------------------------------------

def save_department(actor, department: Department | None, form) -> Department:
    city = actor.city
    code = _free_code(Department, city, form, department, _("Another department has this code."))
    values = {
        "code": code,
        "names": f.names(form, "name", city.locales, city.default_locale, _("Name")),
        "email": f.email(form, "email", _("E-mail")),
        "phone": f.phone(form, "phone", city.country_code, _("Phone")),
        "active": f.flag(form, "active") if department is not None else True}
    if department is not None and not values["active"] and department.active:
        rules = db.session.scalar(select(func.count(RoutingRule.id)).where(
            RoutingRule.department_id == department.id))
        if rules:
            raise Invalid(_("Routing rules still send complaints to this department: change "
                            "them first."), "active")
    creating = department is None
    if creating:
        department = Department(city_id=city.id)
        db.session.add(department)
    _audited(actor, "department.create" if creating else "department.update", department,
             DEPARTMENT_FIELDS, lambda: _set(department, values))
    return department


def _free_code(model, city: City, form, item, taken_message) -> str:
    """The form's code, refused when another row of the city's `model` has it."""
    code = f.code(form)
    clash = db.session.scalar(select(model.id).where(model.city_id == city.id,
                                                     model.code == code))
    if clash is not None and (item is None or clash != item.id):
        raise Invalid(taken_message, "code")
    return code


def _set(item, values: dict) -> None:
    for name, value in values.items():
        setattr(item, name, value)


# Categories ----------------------------------------------------------------------------------

def save_category(actor, category: Category | None, form) -> Category:
    city = actor.city
    code = _free_code(Category, city, form, category, _("Another category has this code."))
    values = {
        "code": code,
        "names": f.names(form, "name", city.locales, city.default_locale, _("Name")),
        "descriptions": f.names(form, "description", city.locales, city.default_locale,
                                _("Description"), required=False, max_len=1000),
        "keywords": f.words(form, "keywords", city.locales),
        "group": f.text(form, "group", _("Group"), max_len=64),
        "deadline_days": f.integer(form, "deadline_days", _("Working days to resolve"), 1, 365),
        "position": f.integer(form, "position", _("Position in lists"), 0, 9999, default=0),
        "active": f.flag(form, "active") if category is not None else True,
        "questions": f.questions(form, "questions", city.locales, city.default_locale)}
    creating = category is None
    if creating:
        category = Category(city_id=city.id)
        db.session.add(category)
    _audited(actor, "category.create" if creating else "category.update", category,
             CATEGORY_FIELDS, lambda: _set(category, values))
    # Its words are problem words, never place names, in the city's place index.
    _geo_changed(city)
    return category


# Districts and routing (the city's geo index is rebuilt after each change) ------------------

def save_district(actor, district: District, form) -> District:
    """Names of a district in the city's languages, and the other names citizens use."""
    city = actor.city
    values = {"names": f.names(form, "name", city.locales, city.default_locale, _("Name"),
                               required=False),
              "aliases": f.lines(form, "aliases")}
    _audited(actor, "district.update", district, ("names", "aliases"),
             lambda: _set(district, values))
    _geo_changed(city)
    return district


def save_rule(actor, rule: RoutingRule | None, form) -> RoutingRule:
    """Add a rule (category and/or district -> department), or change where one sends."""
    city = actor.city
    department = _owned(Department, city, form.get("department"))
    if department is None or not department.active:
        raise Invalid(_("Please choose a department of this city."), "department")
    priority = f.integer(form, "priority", _("Priority"), -100, 100, default=0)
    creating = rule is None
    if creating:
        category = _optional(Category, city, form.get("category"), "category")
        district = _optional(District, city, form.get("district"), "district")
        same = select(RoutingRule.id).where(
            RoutingRule.city_id == city.id,
            RoutingRule.category_id.is_(None) if category is None
            else RoutingRule.category_id == category.id,
            RoutingRule.district_id.is_(None) if district is None
            else RoutingRule.district_id == district.id)
        if db.session.scalar(same) is not None:
            raise Invalid(_("A rule for this category and area already exists: change it in "
                            "the list."), "category")
        rule = RoutingRule(city_id=city.id, category_id=category and category.id,
                           district_id=district and district.id)
        db.session.add(rule)
    names = ("category_id", "district_id", "department_id", "priority")
    _audited(actor, "rule.create" if creating else "rule.update", rule, names,
             lambda: _set(rule, {"department_id": department.id, "priority": priority}))
    _geo_changed(city)
    return rule


def _optional(model, city, item_id, field):
    if item_id in (None, "", "any"):
        return None
    item = _owned(model, city, item_id)
    if item is None:
        raise Invalid(_("Please choose from the list."), field)
    return item


def delete_rule(actor, rule: RoutingRule) -> None:
    services.audit(actor, "rule.delete", rule, snapshot(rule, (
        "category_id", "district_id", "department_id", "priority")))
    db.session.delete(rule)
    db.session.flush()
    _geo_changed(actor.city)


def _geo_changed(city: City) -> None:
    """Every process rebuilds its routing and gazetteer index for the city."""
    city.geo_version = (city.geo_version or 0) + 1
    db.session.flush()


# Holidays ------------------------------------------------------------------------------------

def add_holiday(actor, form) -> tuple[Holiday, int]:
    """A day off; with `extend` set, open complaints due on or after it get one more day.

    Returns the holiday and how many deadlines moved."""
    city = actor.city
    day = f.day(form, "day", _("Date"))
    if db.session.scalar(select(Holiday.id).where(Holiday.city_id == city.id,
                                                  Holiday.day == day)) is not None:
        raise Invalid(_("This day is already a holiday."), "day")
    holiday = Holiday(city_id=city.id, day=day, names=f.names(
        form, "name", city.locales, city.default_locale, _("Name"), required=False))
    db.session.add(holiday)
    db.session.flush()
    db.session.expire(city, ["holidays"])
    moved = _extend_deadlines(actor, city, day) if f.flag(form, "extend") else 0
    services.audit(actor, "holiday.create", holiday, after={
        "day": day.isoformat(), "names": holiday.names, "deadlines_moved": moved})
    return holiday, moved


def _extend_deadlines(actor, city: City, day) -> int:
    """Open complaints received before `day` and due on or after it: one working day more."""
    if day.isoweekday() not in city.working_days:
        return 0
    tz = ZoneInfo(city.timezone)
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    off = {h.day for h in city.holidays}
    moved = 0
    for complaint in db.session.scalars(select(Complaint).where(
            Complaint.city_id == city.id, Complaint.state.not_in(CLOSED_STATES),
            Complaint.deadline >= start, Complaint.created_at < start)).all():
        due = complaint.deadline.astimezone(tz).date()
        new = end_of_day(city, add_working_days(due, 1, set(city.working_days), off))
        db.session.add(ComplaintEvent(
            city_id=city.id, complaint_id=complaint.id, kind="deadline", actor_id=actor.id,
            data={"from": complaint.deadline.isoformat(), "to": new.isoformat(),
                  "holiday": day.isoformat()}))
        complaint.deadline = new
        moved += 1
    db.session.flush()
    return moved


def delete_holiday(actor, holiday: Holiday) -> None:
    services.audit(actor, "holiday.delete", holiday, {"day": holiday.day.isoformat(),
                                                      "names": holiday.names})
    db.session.delete(holiday)
    db.session.flush()


# Open311 API keys ----------------------------------------------------------------------------

def create_api_key(actor, form):
    """A key for a client application of the city; returns the row and the key, shown once."""
    from limits import parse_many

    from cps.open311.models import ApiKey

    name = f.text(form, "name", _("Application"), required=True, max_len=100)
    limit = f.text(form, "rate_limit", _("Rate limit"), max_len=40)
    if limit:
        try:
            parse_many(limit)
        except ValueError:
            raise Invalid(_("Write the limit like “120 per minute” or “1000 per day”."),
                          "rate_limit") from None
    row, key = ApiKey.issue(actor.city_id, name, limit, actor.id)
    db.session.add(row)
    db.session.flush()
    services.audit(actor, "apikey.create", row, after={"name": name, "prefix": row.prefix,
                                                       "rate_limit": limit})
    return row, key


def revoke_api_key(actor, row) -> None:
    from cps.db import utcnow

    if row.revoked_at is None:
        row.revoked_at = utcnow()
        services.audit(actor, "apikey.revoke", row, {"revoked": False}, {"revoked": True})
    db.session.flush()
