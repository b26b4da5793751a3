"""Staff actions: the state table, assignment, transfer, notes, stale edits, the audit log."""

from sqlalchemy import select

from cps.cities.models import Department
from cps.complaints.models import ComplaintEvent
from cps.complaints.states import State
from cps.extensions import db
from cps.notify.models import Outbox
from cps.staff.models import AuditEntry, Role
from tests.staff.people import complaint, sign_in, staff, token


def act(client, c, action, **form):
    return client.post(f"/staff/complaints/{c.reference}/{action}",
                       data={"csrf_token": token(client), "version": c.version, **form})


def dept(city, code) -> Department:
    return db.session.scalar(select(Department).where(Department.city_id == city.id,
                                                      Department.code == code))


def test_an_officer_moves_a_complaint_through_the_table(client, city):
    c = complaint(city, "garbage")
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    assert act(client, c, "state", state="in_progress", public_text="On our way",
               note="truck 3").status_code == 302
    db.session.refresh(c)
    assert c.state == State.IN_PROGRESS
    event = db.session.scalars(select(ComplaintEvent).where(
        ComplaintEvent.complaint_id == c.id).order_by(ComplaintEvent.id.desc())).first()
    assert (event.public_text, event.internal_note) == ("On our way", "truck 3")
    public = client.get(f"/{city.slug}/track/{c.reference}").get_data(as_text=True)
    assert "On our way" in public and "truck 3" not in public


def test_a_transition_the_table_forbids_is_409(client, city):
    c = complaint(city, "garbage")
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    response = act(client, c, "state", state="closed")
    assert response.status_code == 409 and "cannot go from" in response.get_data(as_text=True)
    db.session.refresh(c)
    assert c.state == State.RECEIVED


def test_viewers_cannot_act(client, city):
    c = complaint(city, "garbage")
    sign_in(client, staff(city, Role.VIEWER))
    assert act(client, c, "state", state="acknowledged").status_code == 403
    assert act(client, c, "note", note="x").status_code == 403


def test_acting_on_another_departments_complaint_is_404(client, city):
    c = complaint(city, "pothole")
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    assert act(client, c, "state", state="acknowledged").status_code == 404
    db.session.refresh(c)
    assert c.state == State.RECEIVED


def test_a_forged_csrf_token_is_refused(client, city):
    c = complaint(city, "garbage")
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    response = client.post(f"/staff/complaints/{c.reference}/note",
                           data={"csrf_token": "forged", "note": "x"})
    assert response.status_code == 400


def test_a_stale_edit_is_told_not_applied(client, city):
    c = complaint(city, "garbage")
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    old_version = c.version
    assert act(client, c, "state", state="acknowledged").status_code == 302
    response = client.post(f"/staff/complaints/{c.reference}/state", data={
        "csrf_token": token(client), "version": old_version, "state": "in_progress"})
    assert response.status_code == 409 and "Someone else changed" in response.get_data(
        as_text=True)
    db.session.refresh(c)
    assert c.state == State.ACKNOWLEDGED


def test_transfer_keeps_the_reference_records_it_and_tells_the_new_department(client, city):
    c = complaint(city, "garbage")
    sign_in(client, staff(city, Role.MANAGER, "environment"))
    response = act(client, c, "transfer", department=dept(city, "health").id,
                   reason="Dead animal: health office")
    assert response.status_code == 302 and response.headers["Location"].endswith("/queue")
    db.session.refresh(c)
    assert c.department.code == "health" and c.reference
    assert db.session.scalar(select(Outbox).where(
        Outbox.complaint_id == c.id, Outbox.recipient == "health@sanfernando-lu.example"))
    event = db.session.scalar(select(ComplaintEvent).where(ComplaintEvent.kind == "transfer"))
    assert event.internal_note == "Dead animal: health office"
    # now out of this manager's sight
    assert client.get(f"/staff/complaints/{c.reference}").status_code == 404


def test_transfer_needs_a_reason_and_a_department_of_this_city(client, city, tmp_path):
    from cps.cities.packs.service import load_pack
    from tests.cities.packs import PackCopy

    pack = PackCopy(tmp_path)
    pack.edit_settings(lambda s: s.update(slug="other-town", reference_prefix="OT",
                                          sms_number=None))
    other, _c, _w = load_pack(pack.path)
    foreign = db.session.scalar(select(Department).where(Department.city_id == other.id))
    c = complaint(city, "garbage")
    sign_in(client, staff(city, Role.MANAGER, "environment"))
    assert act(client, c, "transfer", department=foreign.id, reason="x").status_code == 422
    assert act(client, c, "transfer", department=dept(city, "health").id,
               reason=" ").status_code == 422
    db.session.refresh(c)
    assert c.department.code == "environment"


def test_assign_only_to_people_of_the_department(client, city):
    c = complaint(city, "garbage")
    colleague = staff(city, Role.OFFICER, "environment")
    stranger = staff(city, Role.OFFICER, "engineering")
    sign_in(client, staff(city, Role.MANAGER, "environment"))
    assert act(client, c, "assign", assignee=stranger.id).status_code == 422
    assert act(client, c, "assign", assignee=colleague.id).status_code == 302
    db.session.refresh(c)
    assert c.assignee_id == colleague.id
    page = client.get("/staff/queue?assignee=none").get_data(as_text=True)
    assert c.reference not in page


def test_ids_that_are_no_ids_are_refused_not_crashed_on(client, city):
    """"²" passes str.isdigit() but not int(); 10**20 overflows the databases' integers."""
    c = complaint(city, "garbage")
    sign_in(client, staff(city, Role.MANAGER, "environment"))
    for bad in ("²", "४२", str(10**20), "-1", " "):
        assert act(client, c, "assign", assignee=bad).status_code == 422, bad
        assert act(client, c, "transfer", department=bad, reason="wrong desk").status_code == \
            422, bad
        page = client.get("/staff/queue", query_string={"assignee": bad})
        assert page.status_code == 200 and c.reference in page.get_data(as_text=True), bad
    db.session.refresh(c)
    assert c.assignee_id is None and c.department.code == "environment"


def test_every_action_is_in_the_audit_log(client, city):
    c = complaint(city, "garbage")
    officer = staff(city, Role.OFFICER, "environment")
    sign_in(client, officer)
    act(client, c, "note", note="called the reporter")
    act(client, c, "state", state="acknowledged")
    actions = [e.action for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.actor_id == officer.id).order_by(AuditEntry.id))]
    assert actions == ["login", "note", "state"]
    last = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.before, last.after) == ({"state": "received"}, {"state": "acknowledged"})


def test_the_queue_filters_and_searches(client, city):
    a = complaint(city, "garbage", place="Poro", description="smelly pile near the school")
    b = complaint(city, "garbage", place="Lingsat")
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    assert a.reference in client.get("/staff/queue?q=smelly").get_data(as_text=True)
    assert b.reference not in client.get("/staff/queue?q=smelly").get_data(as_text=True)
    assert a.reference in client.get(f"/staff/queue?q={a.reference.lower()}").get_data(
        as_text=True)
    assert client.get("/staff/queue?state=bogus").status_code == 400
    page = client.get(f"/staff/queue?district={b.district.code}").get_data(as_text=True)
    assert b.reference in page and a.reference not in page


def test_the_queue_pages_keep_their_filters(app, client, city, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for _ in range(3):
        complaint(city, "garbage")
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    page = client.get("/staff/queue?state=open").get_data(as_text=True)
    assert "Page 1 of 2" in page and "page=2" in page and "state=open" in page
