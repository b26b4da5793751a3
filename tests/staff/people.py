"""Staff accounts for tests, and a browser signed in as one of them."""

import itertools

from sqlalchemy import select

from cps.cities.models import Department
from cps.complaints.models import Channel
from cps.complaints.services import submit_complaint
from cps.extensions import db
from cps.staff.models import Role, StaffUser
from tests.complaints.web import hidden

PASSWORD = "correct horse battery staple"
_n = itertools.count(1)


def staff(city, role: Role, department: str | None = None, can_triage=False) -> StaffUser:
    dept = department and db.session.scalar(select(Department).where(
        Department.city_id == city.id, Department.code == department))
    user = StaffUser(city_id=city.id, email=f"person{next(_n)}@{city.slug}.example",
                     name=f"{role.value} {department or ''}".strip(), role=role,
                     department_id=dept.id if dept else None, can_triage=can_triage)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


def sign_in(client, user: StaffUser, password: str = PASSWORD):
    page = client.get("/staff/login").get_data(as_text=True)
    return client.post("/staff/login", data={"csrf_token": hidden(page, "csrf_token"),
                                             "email": user.email, "password": password})


def token(client) -> str:
    """A CSRF token of the signed-in session."""
    return hidden(client.get("/staff/queue").get_data(as_text=True), "csrf_token")


def complaint(city, category="garbage", place="Poro", **fields):
    made = submit_complaint(city, Channel.WEB, {"category": category, "description": "desc",
                                                "location_text": place, **fields})
    db.session.commit()
    return made
