"""Deadlines: overdue complaints are escalated to the department's managers, then to the admins."""

from datetime import datetime

from sqlalchemy import select

from cps.cities.calendar import deadline_for
from cps.complaints.models import Complaint, ComplaintEvent
from cps.complaints.states import CLOSED_STATES
from cps.db import utcnow
from cps.extensions import db
from cps.notify.models import Outbox
from cps.settings import city_setting
from cps.staff.models import Role, StaffUser


def escalate_overdue(now: datetime | None = None) -> int:
    """Escalate every open overdue complaint one level where it is due; return how many."""
    now = now or utcnow()
    overdue = db.session.scalars(select(Complaint).where(
        Complaint.deadline < now, Complaint.state.not_in(CLOSED_STATES),
        Complaint.escalation_level < 2).order_by(Complaint.deadline)).all()
    count = sum(_escalate(c, now) for c in overdue)
    db.session.commit()
    return count


def _escalate(complaint: Complaint, now: datetime) -> bool:
    level = _due_level(complaint, now)
    if level <= complaint.escalation_level:
        return False
    people = _recipients(complaint, level)
    for person in people:
        db.session.add(Outbox(city_id=complaint.city_id, complaint_id=complaint.id,
                              channel="email", recipient=person.email, template="escalation",
                              locale=person.locale or complaint.city.default_locale))
    db.session.add(ComplaintEvent(
        city_id=complaint.city_id, complaint_id=complaint.id, kind="escalation",
        actor_label="system", data={"level": level, "notified": [p.id for p in people]}))
    complaint.escalation_level = level
    return True


def _due_level(complaint: Complaint, now: datetime) -> int:
    """1 once overdue (2 at once for the triage queue); 2 some working days after that."""
    if complaint.department_id is None:
        return 2
    days = city_setting(complaint.city, "ESCALATE_TO_ADMIN_AFTER_DAYS")
    return 2 if deadline_for(complaint.city, complaint.deadline, days) < now else 1


def _recipients(complaint: Complaint, level: int) -> list[StaffUser]:
    query = select(StaffUser).where(StaffUser.city_id == complaint.city_id, StaffUser.active)
    if level == 1:
        query = query.where(StaffUser.role == Role.MANAGER,
                            StaffUser.department_id == complaint.department_id)
    else:
        query = query.where(StaffUser.role == Role.ADMIN)
    return db.session.scalars(query.order_by(StaffUser.id)).all()
