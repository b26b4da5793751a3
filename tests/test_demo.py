"""The demo command: staff per role and department, complaints with histories, and serving."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

from sqlalchemy import func, select

from cps import PROJECT_ROOT
from cps.complaints.models import Complaint
from cps.complaints.states import State, can_transition
from cps.demo import set_up_demo
from cps.extensions import db
from cps.staff.models import Role, StaffUser


def test_demo_creates_staff_for_every_role_and_department(app):
    lines = []
    city = set_up_demo(40, echo=lines.append)[0]
    staff = db.session.scalars(select(StaffUser).where(StaffUser.city_id == city.id)).all()
    roles = {(u.role, u.department_id) for u in staff}
    for dept in city.departments:
        assert (Role.MANAGER, dept.id) in roles and (Role.OFFICER, dept.id) in roles
    assert {Role.ADMIN, Role.VIEWER} <= {u.role for u in staff}
    admin = next(u for u in staff if u.role == Role.ADMIN)
    printed = next(line for line in lines if admin.email in line)
    assert admin.check_password(printed.split()[1])


def test_demo_complaints_have_consistent_histories(app):
    city = set_up_demo(60, echo=lambda _line: None)[0]
    complaints = db.session.scalars(select(Complaint).where(Complaint.city_id == city.id)).all()
    assert len(complaints) == 60
    assert len({c.state for c in complaints}) >= 3
    for c in complaints:
        assert c.point is not None and c.district_id and c.department_id and c.deadline
        assert c.events[0].kind == "created"
        for event in c.events[1:]:
            assert can_transition(event.from_state, event.to_state)
        assert (c.events[-1].to_state or State.RECEIVED) == c.state


def test_running_the_demo_again_adds_no_complaints(app):
    set_up_demo(20, echo=lambda _line: None)
    city = set_up_demo(20, echo=lambda _line: None)[0]
    assert db.session.scalar(select(func.count()).where(Complaint.city_id == city.id)) == 20


def test_the_demo_serves_a_second_city_in_another_script_and_timezone(app, client):
    sanfernando, pokhara = set_up_demo(30, echo=lambda _line: None)
    assert (pokhara.slug, pokhara.timezone, pokhara.default_locale) == (
        "pokhara", "Asia/Kathmandu", "ne")
    assert db.session.scalar(select(func.count()).where(Complaint.city_id == pokhara.id)) == 10
    assert sanfernando.locales == ["en", "fil", "ilo"]
    # Nepal works Sunday to Friday, writes digits in lakhs and starts its week on Sunday.
    assert pokhara.working_days == [1, 2, 3, 4, 5, 7]
    assert pokhara.formats["first_weekday"] == 6
    # Its complaints are written in its own languages, each filed in the language of its text,
    # and staff answer in Nepali.
    made = db.session.scalars(select(Complaint).where(Complaint.city_id == pokhara.id)).all()
    for complaint in made:
        nepali = any("\u0900" <= ch <= "\u097f" for ch in complaint.description)
        assert complaint.reporter_locale == ("ne" if nepali else "en"), complaint.description
        for event in complaint.events:
            assert not event.public_text or any("\u0900" <= ch <= "\u097f"
                                                for ch in event.public_text)
    assert "ne" in {c.reporter_locale for c in made}
    page = client.get("/pokhara/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en"' in page and "Pokhara" in page
    page = client.get("/pokhara/").get_data(as_text=True)
    assert '<html lang="ne"' in page and "पोखरा" in page
    chooser = client.get("/").get_data(as_text=True)
    assert "/pokhara/" in chooser and "/san-fernando-la-union/" in chooser


def test_the_demo_command_serves_the_demo_city(tmp_path):
    port = _free_port()
    env = {**os.environ, "CPS_INSTANCE_PATH": str(tmp_path), "CPS_SECRET_KEY": "demo-test"}
    env.pop("CPS_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "cps", "demo", "--port", str(port),
         "--complaints", "15"], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    try:
        chooser = _get_when_up(f"http://127.0.0.1:{port}/", server)
        assert "/san-fernando-la-union/" in chooser and "/pokhara/" in chooser
        page = _get_when_up(f"http://127.0.0.1:{port}/san-fernando-la-union/", server)
        assert "Report a problem in City of San Fernando, La Union" in page
        assert "15 complaints" in page or "complaints open" in page
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "admin@san-fernando-la-union.example" in output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_when_up(url: str, server, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the demo stopped: {server.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                return response.read().decode()
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the demo did not answer in time")
