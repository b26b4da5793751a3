"""Overdue complaints go to the department's managers, then to the city's admins, once each."""

from datetime import timedelta

from sqlalchemy import select

from cps.complaints.models import Channel, ComplaintEvent
from cps.complaints.services import submit_complaint
from cps.complaints.states import State
from cps.db import utcnow
from cps.demo import demo_accounts
from cps.extensions import db
from cps.jobs.escalation import escalate_overdue
from cps.notify.models import Outbox
from cps.staff.models import Role, StaffUser


def overdue(city, days_late: float, category="garbage"):
    demo_accounts(city)
    c = submit_complaint(city, Channel.WEB, {"category": category, "description": "basura",
                                             "location_text": "Poro"})
    c.deadline = utcnow() - timedelta(days=days_late)
    db.session.commit()
    return c


def notified(c) -> list[StaffUser]:
    emails = db.session.scalars(select(Outbox.recipient).where(
        Outbox.complaint_id == c.id, Outbox.template == "escalation")).all()
    return db.session.scalars(select(StaffUser).where(StaffUser.email.in_(emails))).all()


def test_an_overdue_complaint_goes_to_its_department_managers_once(city):
    c = overdue(city, 0.5)
    assert escalate_overdue() == 1
    people = notified(c)
    assert people and {(p.role, p.department_id) for p in people} == {
        (Role.MANAGER, c.department_id)}
    event = db.session.scalar(select(ComplaintEvent).where(
        ComplaintEvent.complaint_id == c.id, ComplaintEvent.kind == "escalation"))
    assert event.data["level"] == 1 and event.actor_label == "system"
    assert escalate_overdue() == 0 and len(notified(c)) == len(people)


def test_long_overdue_complaints_go_to_the_admins(city):
    c = overdue(city, 10)
    escalate_overdue()
    assert c.escalation_level == 2
    assert {p.role for p in notified(c)} == {Role.ADMIN}


def test_complaints_on_time_or_closed_are_left_alone(city):
    on_time = overdue(city, -3)
    done = overdue(city, 5)
    done.state = State.RESOLVED
    db.session.commit()
    assert escalate_overdue() == 0
    assert notified(on_time) == [] and notified(done) == []


def test_the_escalation_message_renders(city):
    from cps.notify.delivery import deliver

    c = overdue(city, 1)
    escalate_overdue()
    row = db.session.scalar(select(Outbox).where(Outbox.complaint_id == c.id,
                                                 Outbox.template == "escalation"))
    deliver(row.id)
    assert c.reference in row.subject and "Please act on it" in row.body
