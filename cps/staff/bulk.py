"""Bulk actions on a selection of the queue: all applied, or none (the first refusal says why)."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from cps.domain import DomainError
from cps.extensions import db
from cps.staff import services
from cps.staff.access import complaint_for, may_act
from cps.staff.views import bp

BULK = {
    "assign": lambda c, f: services.assign(c, current_user, f.get("assignee"), c.version),
    "transfer": lambda c, f: services.transfer(c, current_user, f.get("department"),
                                               f.get("reason"), c.version),
    "state": lambda c, f: services.set_state(c, current_user, f.get("state"),
                                             f.get("public_text"), f.get("note"), c.version),
}


@bp.post("/bulk")
@login_required
def bulk():
    """Apply one action to every selected complaint, in one transaction."""
    if not may_act(current_user):
        abort(403)
    references = list(dict.fromkeys(request.form.getlist("ids")))
    action = request.form.get("action", "")
    if action not in BULK:
        abort(400)
    if len(references) > current_app.config["BULK_MAX"]:
        return _refused(_("At most %(n)d complaints at once, please.",
                          n=current_app.config["BULK_MAX"]), 413)
    if not references:
        return _refused(_("Please select at least one complaint."), 422)
    complaints = [complaint_for(current_user, ref) for ref in references]  # 404 if any is not
    try:
        for complaint in complaints:
            _apply(action, complaint)
        db.session.commit()
    except _Refusal as refusal:
        db.session.rollback()
        return _refused(refusal.message, refusal.status)
    except StaleDataError:
        db.session.rollback()
        return _refused(_("Someone else changed one of these complaints meanwhile. Nothing "
                          "was changed; please try again."), 409)
    flash(ngettext("%(num)d complaint was changed.", "%(num)d complaints were changed.",
                   len(complaints)), "success")
    return redirect(request.form.get("back") if str(request.form.get("back", "")).startswith(
        "/staff/") else url_for("staff.queue_page"))


class _Refusal(Exception):
    def __init__(self, message, status):
        super().__init__(message)
        self.message, self.status = message, status


def _apply(action: str, complaint) -> None:
    try:
        BULK[action](complaint, request.form)
    except DomainError as error:
        raise _Refusal(_("%(ref)s: %(reason)s Nothing was changed.", ref=complaint.reference,
                         reason=error.message), error.status) from error


def _refused(message: str, status: int):
    return render_template("staff/refused.html", message=message), status
