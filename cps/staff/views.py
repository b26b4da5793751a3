"""Staff pages: sign in, the department and triage queues, a complaint's page and actions,
and (for admins) the outbox and the audit log. The city is the signed-in account's."""

import time
from functools import cache

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import NotFound
from werkzeug.security import check_password_hash, generate_password_hash

from cps.cities.models import Category, Department
from cps.complaints.models import ComplaintEvent, Photo
from cps.complaints.states import TRANSITIONS, State
from cps.complaints.storage import path_of
from cps.db import row_id, utcnow
from cps.domain import DomainError
from cps.extensions import db, limiter, login_manager
from cps.notify.models import Outbox, OutboxState
from cps.routing.models import District
from cps.staff import editing, services
from cps.staff.access import complaint_for, may_act, may_moderate, may_triage
from cps.staff.models import AuditEntry, Role, StaffUser
from cps.staff.queries import queue, read_filters
from cps.staff.suggestions import suggestion_for, suggestions_for

bp = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")
OPEN_PAGES = ("staff.login", "staff.set_language")


@login_manager.user_loader
def _load(user_id: str):
    user = db.session.get(StaffUser, row_id(user_id)) if row_id(user_id) else None
    return user if user is not None and user.active else None


login_manager.login_view = "staff.login"
login_manager.login_message = None


@bp.before_request
def _session():
    """Idle timeout, and the account's city for every staff page."""
    if request.endpoint in OPEN_PAGES or not current_user.is_authenticated:
        return None
    idle = current_app.config["STAFF_IDLE_MINUTES"] * 60
    seen = session.get("staff_seen", 0)
    if seen and time.time() - seen > idle:
        logout_user()
        session.clear()
        flash(_("You were signed out after %(n)d minutes without activity.",
                n=idle // 60), "error")
        return redirect(url_for("staff.login", next=request.full_path.rstrip("?")))
    session["staff_seen"] = time.time()
    g.city = current_user.city
    return None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATE_LIMIT_LOGIN"], methods=["POST"])
def login():
    """Sign in with e-mail and password; the session is replaced by a new one."""
    error = None
    if request.method == "POST":
        email = request.form.get("email", "").strip().lower()[:255]
        user = db.session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == email))
        password = request.form.get("password", "")[:200]
        ok = _password_ok(user, password)
        if ok:
            session.clear()
            login_user(user)
            session["staff_seen"] = time.time()
            user.last_login_at = utcnow()
            services.audit(user, "login", user)
            db.session.commit()
            return redirect(_next() or url_for("staff.queue_page"))
        error = _("The e-mail or the password is wrong.")
    return render_template("staff/login.html", error=error), 401 if error else 200


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not a password", method="scrypt")


def _password_ok(user, password: str) -> bool:
    """Check the password; an unknown e-mail costs the same time, so it cannot be told apart."""
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return user.check_password(password) and user.active


def _next() -> str | None:
    target = request.args.get("next", "")
    # Only a staff page of this install: never an open redirect.
    ok = target.startswith("/staff/") and "//" not in target and "\\" not in target
    return target if ok else None


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("staff.login"))


@bp.route("/language/<code>")
def set_language(code):
    """The staff UI's language: kept on the account when signed in, else for this session."""
    if code not in current_app.config["SUPPORTED_LOCALES"]:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated and current_user.locale != code:
        current_user.locale = code
        db.session.commit()
    return redirect(_next() or url_for("staff.index"))


@bp.route("/")
@login_required
def index():
    return redirect(url_for("staff.queue_page"))


@bp.route("/queue")
@login_required
def queue_page():
    """The complaints this staff member handles, filtered and paginated."""
    return _queue(triage=False)


@bp.route("/triage")
@login_required
def triage():
    """Complaints without a department (or a place): to be sent where they belong."""
    if not may_triage(current_user):
        abort(404)
    return _queue(triage=True)


def _queue(triage: bool):
    filters, problems = read_filters(request.args)
    page = db.paginate(queue(current_user, filters, triage),
                       page=request.args.get("page", 1, type=int) or 1,
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template(
        "staff/queue.html", page=page, filters=filters, problems=problems, triage=triage,
        states=list(State), now=utcnow(), suggestions=suggestions_for(page.items),
        **_choices()), 400 if problems else 200


def _choices() -> dict:
    city_id = current_user.city_id
    return {
        "categories": db.session.scalars(select(Category).where(
            Category.city_id == city_id).order_by(Category.position)).all(),
        "districts": db.session.scalars(select(District).where(
            District.city_id == city_id).order_by(District.name)).all(),
        "departments": db.session.scalars(select(Department).where(
            Department.city_id == city_id, Department.active).order_by(Department.code)).all(),
        "colleagues": db.session.scalars(select(StaffUser).where(
            StaffUser.city_id == city_id, StaffUser.active,
            StaffUser.role != Role.VIEWER).order_by(StaffUser.name)).all(),
    }


@bp.route("/complaints/<reference>")
@login_required
def complaint(reference):
    """Everything about one complaint, with the actions this staff member may take."""
    found = complaint_for(current_user, reference)
    return _complaint_page(found)


def _complaint_page(found, status=200, error=None):
    history = db.session.scalars(select(ComplaintEvent).where(
        ComplaintEvent.complaint_id == found.id).order_by(ComplaintEvent.id)).all()
    return render_template(
        "staff/complaint.html", complaint=found, history=history, error=error,
        can_act=may_act(current_user), can_moderate=may_moderate(current_user),
        next_states=sorted(TRANSITIONS[found.state]), suggestion=suggestion_for(found),
        **_choices()), status


ACTIONS = {
    "state": lambda c, f: services.set_state(c, current_user, f.get("state"),
                                             f.get("public_text"), f.get("note"),
                                             f.get("version")),
    "assign": lambda c, f: services.assign(c, current_user, f.get("assignee"),
                                           f.get("version")),
    "transfer": lambda c, f: services.transfer(c, current_user, f.get("department"),
                                               f.get("reason"), f.get("version")),
    "note": lambda c, f: services.add_note(c, current_user, f.get("note")),
    "merge": lambda c, f: editing.merge(c, current_user, f.get("into"), f.get("version")),
    "hide": lambda c, f: editing.hide(c, current_user, True, f.get("reason"), f.get("version")),
    "unhide": lambda c, f: editing.hide(c, current_user, False, None, f.get("version")),
    "hide_photo": lambda c, f: editing.hide_photo(c, current_user, f.get("photo"),
                                                  f.get("reason")),
    "unhide_photo": lambda c, f: editing.hide_photo(c, current_user, f.get("photo"), None,
                                                    hidden=False),
    "reclassify": lambda c, f: services.reclassify(
        c, current_user, f.get("category"), f.get("location_text"), f.get("department"),
        f.get("note"), f.get("version")),
    "edit": lambda c, f: editing.edit_description(c, current_user, f.get("description"),
                                                  f.get("version")),
}
MODERATION = {"hide", "unhide", "hide_photo", "unhide_photo", "edit"}
DONE = {"state": _l("The status was changed."), "assign": _l("The complaint was assigned."),
        "transfer": _l("The complaint was transferred."), "note": _l("The note was added."),
        "merge": _l("The complaint was merged."), "hide": _l("The complaint is now hidden."),
        "unhide": _l("The complaint is public again."),
        "hide_photo": _l("The photo is now hidden."),
        "unhide_photo": _l("The photo is public again."),
        "reclassify": _l("The category, place or department was changed."),
        "edit": _l("The description was changed.")}


@bp.post("/complaints/<reference>/<action>")
@login_required
def act(reference, action):
    """One action on one complaint; a refusal shows the page again with the reason."""
    found = complaint_for(current_user, reference)
    if action not in ACTIONS:
        abort(404)
    if not may_act(current_user) or (action in MODERATION and not may_moderate(current_user)):
        abort(403)
    try:
        ACTIONS[action](found, request.form)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _complaint_page(complaint_for(current_user, reference), error.status,
                               error.message)
    except StaleDataError:
        db.session.rollback()
        return _complaint_page(complaint_for(current_user, reference), 409, _(
            "Someone else changed this complaint while you were working on it. Please look "
            "at its new state and try again."))
    flash(str(DONE[action]), "success")
    if complaint_for_or_none(reference) is None:  # transferred out of this person's sight
        return redirect(url_for("staff.queue_page"))
    return redirect(url_for("staff.complaint", reference=found.reference))


@bp.route("/complaints/<reference>/photos/<int:photo_id>.jpg")
@login_required
def photo(reference, photo_id):
    """A photo of a complaint this staff member may see, hidden from the public or not."""
    found = complaint_for(current_user, reference)
    row = db.session.scalar(select(Photo).where(Photo.id == photo_id,
                                                Photo.complaint_id == found.id))
    if row is None or not path_of(row).is_file():
        abort(404)
    response = send_file(path_of(row), mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def complaint_for_or_none(reference):
    try:
        return complaint_for(current_user, reference)
    except NotFound:
        return None


@bp.route("/new", methods=["GET", "POST"])
@login_required
def file_complaint():
    """File a complaint for a citizen who phoned or came to the counter."""
    if not may_act(current_user):
        abort(403)
    error, status = None, 200
    if request.method == "POST":
        form = request.form
        try:
            made = editing.file_on_behalf(current_user.city, current_user, form.get("channel"), {
                "category": form.get("category"), "description": form.get("description"),
                "location_text": form.get("location_text"), "lat": form.get("lat") or None,
                "lon": form.get("lon") or None, "reporter_name": form.get("name"),
                "reporter_phone": form.get("phone"), "reporter_email": form.get("email"),
                "notify": bool(form.get("notify")),
                "reporter_locale": form.get("locale") or current_user.city.default_locale})
            db.session.commit()
        except DomainError as failure:
            db.session.rollback()
            error, status = failure.message, failure.status
        else:
            flash(_("Complaint %(ref)s was filed.", ref=made.reference), "success")
            if complaint_for_or_none(made.reference) is None:
                return redirect(url_for("staff.queue_page"))
            return redirect(url_for("staff.complaint", reference=made.reference))
    return render_template("staff/new.html", error=error, **_choices()), status


@bp.route("/outbox")
@login_required
def outbox():
    """Admins: messages and tasks waiting, sent or dead, with the reasons of failures."""
    if current_user.role != Role.ADMIN:
        abort(404)
    state = request.args.get("state", "")
    query = select(Outbox).where(Outbox.city_id == current_user.city_id)
    if state in [s.value for s in OutboxState]:
        query = query.where(Outbox.state == OutboxState(state))
    page = db.paginate(query.order_by(Outbox.id.desc()), page=request.args.get(
        "page", 1, type=int) or 1, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("staff/outbox.html", page=page, state=state,
                           states=list(OutboxState))


@bp.route("/audit")
@login_required
def audit_log():
    """Admins: every staff action of the city, newest first."""
    if current_user.role != Role.ADMIN:
        abort(404)
    page = db.paginate(select(AuditEntry).where(AuditEntry.city_id == current_user.city_id)
                       .order_by(AuditEntry.id.desc()), page=request.args.get(
                           "page", 1, type=int) or 1,
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("staff/audit.html", page=page)


# Their routes are on this blueprint.
from cps.staff import bulk, reports  # noqa: E402, F401
from cps.staff.admin import views as admin_views  # noqa: E402, F401
