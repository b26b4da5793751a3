"""Staff actions on complaints: state, assignment, transfer, notes. Each records the
complaint's history and the audit log, and refuses stale edits. They flush; views commit."""

from flask_babel import gettext as _
from sqlalchemy import select

from cps.cities.models import Department
from cps.complaints.models import Complaint, ComplaintEvent
from cps.complaints.services import reroute, tell_department
from cps.complaints.states import State
from cps.complaints.workflow import change_state
from cps.db import row_id
from cps.domain import DomainError
from cps.extensions import db
from cps.staff.models import AuditEntry, Role, StaffUser

MAX_TEXT = 4000


class StaleEdit(DomainError):
    """Someone changed the complaint since this staff member loaded it."""

    status = 409
    code = "stale_edit"


def audit(actor: StaffUser, action: str, target=None, before=None, after=None) -> AuditEntry:
    """Append one entry to the city's audit log."""
    entry = AuditEntry(city_id=actor.city_id, actor_id=actor.id, action=action,
                       target_type=type(target).__name__.lower() if target is not None else None,
                       target_id=getattr(target, "id", None), before=before or {},
                       after=after or {})
    db.session.add(entry)
    return entry


def check_version(complaint: Complaint, version) -> None:
    """Refuse an edit made on an older copy of the complaint."""
    if str(version) != str(complaint.version):
        raise StaleEdit(_("Someone else changed this complaint while you were working on it. "
                          "Please look at its new state and try again."))


def _text(value, what: str, required: bool = False) -> str | None:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(_("Please write %(what)s.", what=what))
    if len(text) > MAX_TEXT:
        raise DomainError(_("The text is too long (at most %(max)d characters).", max=MAX_TEXT))
    return text or None


def set_state(complaint, actor, to_state, public_text=None, note=None, version=None):
    """Move the complaint to another state (as the state table allows)."""
    check_version(complaint, version)
    try:
        target = State(to_state)
    except ValueError:
        raise DomainError(_("Unknown status.")) from None
    before = complaint.state.value
    event = change_state(complaint, target, actor_id=actor.id,
                         public_text=_text(public_text, ""), internal_note=_text(note, ""))
    audit(actor, "state", complaint, {"state": before}, {"state": target.value})
    return event


def assign(complaint, actor, assignee_id, version=None) -> ComplaintEvent:
    """Give the complaint to an officer of its department (or to nobody)."""
    check_version(complaint, version)
    assignee = None
    if assignee_id not in (None, "", "none"):
        assignee = db.session.scalar(select(StaffUser).where(
            StaffUser.id == row_id(assignee_id), StaffUser.city_id == complaint.city_id,
            StaffUser.active, StaffUser.role != Role.VIEWER))
        if assignee is None or (assignee.department_id not in (None, complaint.department_id)):
            raise DomainError(_("This person cannot be given this complaint."))
    before = complaint.assignee_id
    complaint.assignee_id = assignee.id if assignee else None
    event = _event(complaint, actor, "assign", data={"from": before,
                                                     "to": complaint.assignee_id})
    audit(actor, "assign", complaint, {"assignee_id": before},
          {"assignee_id": complaint.assignee_id})
    return event


def transfer(complaint, actor, department_id, reason, version=None) -> ComplaintEvent:
    """Send the complaint to another department of the city, with a reason."""
    check_version(complaint, version)
    department = db.session.scalar(select(Department).where(
        Department.id == row_id(department_id), Department.city_id == complaint.city_id,
        Department.active))
    if department is None:
        raise DomainError(_("Please choose a department of this city."))
    if department.id == complaint.department_id:
        raise DomainError(_("The complaint is already with this department."))
    reason = _text(reason, _("the reason for the transfer"), required=True)
    before = complaint.department_id
    complaint.department_id, complaint.assignee_id = department.id, None
    event = _event(complaint, actor, "transfer", note=reason,
                   data={"from": before, "to": department.id})
    tell_department(complaint, department)
    audit(actor, "transfer", complaint, {"department_id": before},
          {"department_id": department.id, "reason": reason})
    return event


def reclassify(complaint, actor, category_code, location_text, department_id, note,
               version=None) -> ComplaintEvent:
    """Change the category and/or the place; the department follows the routing rules unless
    staff choose one. A new department is told, as for a transfer."""
    check_version(complaint, version)
    department = None
    if department_id not in (None, "", "rules"):
        department = db.session.scalar(select(Department).where(
            Department.id == row_id(department_id), Department.city_id == complaint.city_id,
            Department.active))
        if department is None:
            raise DomainError(_("Please choose a department of this city."))
    category_code = (category_code or "").strip() or None
    if category_code == (complaint.category.code if complaint.category else None):
        category_code = None
    location_text = _text(location_text, "")
    if category_code is None and location_text is None and (
            department is None or department.id == complaint.department_id):
        raise DomainError(_("Please choose a new category, a new place or another "
                            "department."))
    before = complaint.department_id
    event = reroute(complaint, actor.id, category_code=category_code,
                    location_text=location_text, department_id=department and department.id,
                    note=_text(note, ""))
    if complaint.department_id != before:
        complaint.assignee_id = None
        tell_department(complaint, complaint.department)
    audit(actor, "reroute", complaint, event.data["before"], event.data["after"])
    return event


def add_note(complaint, actor, note) -> ComplaintEvent:
    """An internal note, for staff only."""
    event = _event(complaint, actor, "note", note=_text(note, _("a note"), required=True))
    audit(actor, "note", complaint, after={"event": "note"})
    return event


def _event(complaint, actor, kind, note=None, data=None) -> ComplaintEvent:
    event = ComplaintEvent(city_id=complaint.city_id, complaint_id=complaint.id, kind=kind,
                           actor_id=actor.id, internal_note=note, data=data or {})
    db.session.add(event)
    db.session.flush()
    return event
