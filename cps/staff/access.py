"""Who sees what: a staff member sees their city's complaints, and an officer or manager only
their department's (plus the triage queue if granted). Anything else does not exist (404)."""

from flask import abort
from sqlalchemy import or_, select

from cps.complaints.models import Complaint
from cps.complaints.references import normalize
from cps.extensions import db
from cps.staff.models import Role, StaffUser

CITY_WIDE = (Role.ADMIN, Role.VIEWER)


def visible(user: StaffUser) -> list:
    """SQL conditions on Complaint for what `user` may see."""
    conditions = [Complaint.city_id == user.city_id]
    if user.role in CITY_WIDE:
        return conditions
    mine = Complaint.department_id == user.department_id
    if user.can_triage:
        mine = or_(mine, Complaint.department_id.is_(None))
    return [*conditions, mine]


def complaint_for(user: StaffUser, reference: str) -> Complaint:
    """The complaint `user` may see by this reference; 404 for any other, even if it exists."""
    canonical = normalize(str(reference)[:40], user.city.reference_prefix)
    complaint = canonical and db.session.scalar(
        select(Complaint).where(Complaint.reference == canonical, *visible(user)))
    if not complaint:
        abort(404)
    return complaint


def may_act(user: StaffUser) -> bool:
    """Viewers read; everyone else may act on what they see."""
    return user.role != Role.VIEWER


def may_triage(user: StaffUser) -> bool:
    return user.role == Role.ADMIN or user.can_triage


def may_moderate(user: StaffUser) -> bool:
    """Hiding and editing what the public sees: managers and admins."""
    return user.role in (Role.ADMIN, Role.MANAGER)
