"""The role x action matrix in one table: what each kind of account gets from every staff page
and action, on a complaint of its department, of another department, without a department,
and from another city. 2xx/3xx: allowed; 403: seen but not theirs to do; 404: does not exist
for them. A refused action changes nothing."""

import pytest
from sqlalchemy import select

from cps.cities.models import Department
from cps.cities.packs.service import load_pack
from cps.complaints.models import Complaint
from cps.extensions import db
from cps.staff.models import Role
from tests.cities.packs import PackCopy
from tests.conftest import FreshContextClient
from tests.staff.people import complaint, sign_in, staff, token

ROLES = ["admin", "manager", "officer", "triager", "viewer", "stranger"]
OK, GO, NO, GONE = 200, 302, 403, 404


def _act(action, target, form):
    def run(client, c):
        made = c[target]
        return client.post(f"/staff/complaints/{made.reference}/{action}", data={
            "csrf_token": token(client), "version": made.version, **form(c)}), made
    return run


def _get(path):
    def run(client, c):
        return client.get(path(c)), None
    return run


def _health(c):
    return {"department": c["health"], "reason": "Not ours"}


ACTIONS = {
    # name: (how, {role: expected status})
    "see own": (_get(lambda c: f"/staff/complaints/{c['own'].reference}"),
                dict(admin=OK, manager=OK, officer=OK, triager=OK, viewer=OK, stranger=GONE)),
    "see other dept": (_get(lambda c: f"/staff/complaints/{c['other'].reference}"),
                       dict(admin=OK, manager=GONE, officer=GONE, triager=GONE, viewer=OK,
                            stranger=GONE)),
    "see untriaged": (_get(lambda c: f"/staff/complaints/{c['lost'].reference}"),
                      dict(admin=OK, manager=GONE, officer=GONE, triager=OK, viewer=OK,
                           stranger=GONE)),
    "change state": (_act("state", "own", lambda c: {"state": "acknowledged"}),
                     dict(admin=GO, manager=GO, officer=GO, triager=GO, viewer=NO,
                          stranger=GONE)),
    "change state, other dept": (_act("state", "other", lambda c: {"state": "acknowledged"}),
                                 dict(admin=GO, manager=GONE, officer=GONE, triager=GONE,
                                      viewer=NO, stranger=GONE)),
    "route untriaged": (_act("transfer", "lost", _health),
                        dict(admin=GO, manager=GONE, officer=GONE, triager=GO, viewer=NO,
                             stranger=GONE)),
    "assign": (_act("assign", "own", lambda c: {"assignee": "none"}),
               dict(admin=GO, manager=GO, officer=GO, triager=GO, viewer=NO, stranger=GONE)),
    "transfer": (_act("transfer", "own", _health),
                 dict(admin=GO, manager=GO, officer=GO, triager=GO, viewer=NO, stranger=GONE)),
    "reclassify": (_act("reclassify", "own", lambda c: {"category": "illegal-dumping"}),
                   dict(admin=GO, manager=GO, officer=GO, triager=GO, viewer=NO,
                        stranger=GONE)),
    "note": (_act("note", "own", lambda c: {"note": "Called the reporter"}),
             dict(admin=GO, manager=GO, officer=GO, triager=GO, viewer=NO, stranger=GONE)),
    "merge": (_act("merge", "own", lambda c: {"into": c["own2"].reference}),
              dict(admin=GO, manager=GO, officer=GO, triager=GO, viewer=NO, stranger=GONE)),
    "hide": (_act("hide", "own", lambda c: {"reason": "Insults"}),
             dict(admin=GO, manager=GO, officer=NO, triager=NO, viewer=NO, stranger=GONE)),
    "edit text": (_act("edit", "own", lambda c: {"description": "Garbage, name removed"}),
                  dict(admin=GO, manager=GO, officer=NO, triager=NO, viewer=NO,
                       stranger=GONE)),
    "bulk": (lambda client, c: (client.post("/staff/bulk", data={
        "csrf_token": token(client), "ids": [c["own"].reference], "action": "state",
        "state": "acknowledged"}), c["own"]),
        dict(admin=GO, manager=GO, officer=GO, triager=GO, viewer=NO, stranger=GONE)),
    "queue": (_get(lambda c: "/staff/queue"), dict.fromkeys(ROLES, OK)),
    "triage queue": (_get(lambda c: "/staff/triage"),
                     dict(admin=OK, manager=GONE, officer=GONE, triager=OK, viewer=GONE,
                          stranger=OK)),
    "file for a citizen": (_get(lambda c: "/staff/new"),
                           dict(admin=OK, manager=OK, officer=OK, triager=OK, viewer=NO,
                                stranger=OK)),
    "dashboard": (_get(lambda c: "/staff/dashboard"), dict.fromkeys(ROLES, OK)),
    "export": (_get(lambda c: "/staff/export.csv"), dict.fromkeys(ROLES, OK)),
    "outbox": (_get(lambda c: "/staff/outbox"),
               dict(admin=OK, manager=GONE, officer=GONE, triager=GONE, viewer=GONE,
                    stranger=OK)),
    "audit log": (_get(lambda c: "/staff/audit"),
                  dict(admin=OK, manager=GONE, officer=GONE, triager=GONE, viewer=GONE,
                       stranger=OK)),
    "administration": (_get(lambda c: "/staff/admin/accounts"),
                       dict(admin=OK, manager=GONE, officer=GONE, triager=GONE, viewer=GONE,
                            stranger=OK)),
    "edit a department": (_get(lambda c: f"/staff/admin/departments/{c['health']}"),
                          dict(admin=OK, manager=GONE, officer=GONE, triager=GONE,
                               viewer=GONE, stranger=GONE)),
}


def _account(city, other_city, role: str):
    return {
        "admin": lambda: staff(city, Role.ADMIN),
        "manager": lambda: staff(city, Role.MANAGER, "environment"),
        "officer": lambda: staff(city, Role.OFFICER, "environment"),
        "triager": lambda: staff(city, Role.OFFICER, "environment", can_triage=True),
        "viewer": lambda: staff(city, Role.VIEWER),
        "stranger": lambda: staff(other_city(), Role.ADMIN),
    }[role]()


@pytest.mark.parametrize("role", ROLES)
def test_role_action_matrix(app, city, role, tmp_path):
    def other_city():
        pack = PackCopy(tmp_path)
        pack.edit_settings(lambda s: s.update(slug="other-town", reference_prefix="OT",
                                              sms_number=None))
        return load_pack(pack.path)[0]

    user = _account(city, other_city, role)
    health = db.session.scalar(select(Department.id).where(Department.city_id == city.id,
                                                           Department.code == "health"))
    app.test_client_class = FreshContextClient
    client = app.test_client()
    sign_in(client, user)
    wrong = []
    for name, (how, expected) in ACTIONS.items():
        c = {"own": complaint(city, "garbage"), "own2": complaint(city, "garbage"),
             "other": complaint(city, "pothole"), "lost": complaint(city, None, partial=True),
             "health": health}
        response, target = how(client, c)
        got = response.status_code
        if got != expected[role]:
            wrong.append(f"{name}: {got}, expected {expected[role]}")
        if target is not None and got in (NO, GONE):
            version = db.session.scalar(select(Complaint.version).where(
                Complaint.id == target.id))
            if version != target.version:
                wrong.append(f"{name}: refused with {got} but the complaint changed")
    assert not wrong, f"{role}: " + "; ".join(wrong)
