"""Bulk actions: one action on many complaints, all or nothing, within limits."""

from sqlalchemy import select

from cps.cities.models import Department
from cps.complaints.states import State
from cps.extensions import db
from cps.staff.models import Role
from tests.staff.people import complaint, sign_in, staff, token


def bulk(client, complaints, **form):
    return client.post("/staff/bulk", data={"csrf_token": token(client),
                                            "ids": [c.reference for c in complaints], **form})


def test_one_status_and_public_text_for_many(client, city):
    made = [complaint(city, "garbage") for _ in range(3)]
    sign_in(client, staff(city, Role.MANAGER, "environment"))
    response = bulk(client, made, action="state", state="in_progress",
                    public_text="Collection truck on the way")
    assert response.status_code == 302
    for c in made:
        db.session.refresh(c)
        assert c.state == State.IN_PROGRESS


def test_all_or_nothing(client, city):
    fine = complaint(city, "garbage")
    resolved = complaint(city, "garbage")
    from cps.complaints.workflow import change_state

    change_state(resolved, State.RESOLVED)
    db.session.commit()
    sign_in(client, staff(city, Role.MANAGER, "environment"))
    response = bulk(client, [fine, resolved], action="state", state="in_progress")
    assert response.status_code == 409 and resolved.reference in response.get_data(
        as_text=True)
    db.session.refresh(fine)
    assert fine.state == State.RECEIVED


def test_bulk_transfer_and_assign(client, city):
    made = [complaint(city, "garbage") for _ in range(2)]
    health = db.session.scalar(select(Department).where(Department.code == "health"))
    officer = staff(city, Role.OFFICER, "environment")
    sign_in(client, staff(city, Role.MANAGER, "environment"))
    assert bulk(client, made, action="assign", assignee=officer.id).status_code == 302
    assert bulk(client, made, action="transfer", department=health.id,
                reason="Dead animals").status_code == 302
    for c in made:
        db.session.refresh(c)
        assert c.department_id == health.id and c.assignee_id is None


def test_a_complaint_out_of_sight_makes_the_whole_selection_404(client, city):
    mine, theirs = complaint(city, "garbage"), complaint(city, "pothole")
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    assert bulk(client, [mine, theirs], action="state", state="acknowledged").status_code == 404
    db.session.refresh(mine)
    assert mine.state == State.RECEIVED


def test_oversized_and_empty_selections_are_refused(app, client, city, monkeypatch):
    monkeypatch.setitem(app.config, "BULK_MAX", 2)
    made = [complaint(city, "garbage") for _ in range(3)]
    sign_in(client, staff(city, Role.MANAGER, "environment"))
    assert bulk(client, made, action="state", state="acknowledged").status_code == 413
    assert bulk(client, [], action="state", state="acknowledged").status_code == 422
    assert bulk(client, made[:1], action="explode").status_code == 400


def test_viewers_cannot_bulk(client, city):
    c = complaint(city, "garbage")
    sign_in(client, staff(city, Role.VIEWER))
    assert bulk(client, [c], action="state", state="acknowledged").status_code == 403
