"""Merges, moderation, and complaints filed on behalf of citizens."""

from sqlalchemy import select

from cps.complaints.citizen import add_supporter
from cps.complaints.models import Channel, Complaint
from cps.complaints.states import State
from cps.complaints.workflow import change_state
from cps.extensions import db
from cps.notify.models import Outbox
from cps.staff.models import Role
from tests.complaints.web import text
from tests.images import plain_jpeg
from tests.staff.people import complaint, sign_in, staff, token
from tests.staff.test_actions import act


def test_merging_closes_the_duplicate_and_its_people_follow_the_survivor(client, city):
    survivor = complaint(city, "garbage", reporter_email="first@example.ph", notify=True)
    duplicate = complaint(city, "garbage", reporter_email="second@example.ph", notify=True)
    add_supporter(duplicate, Channel.SMS, {"phone": "09181234567"})
    db.session.commit()
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    assert act(client, duplicate, "merge", into=survivor.reference).status_code == 302
    db.session.expire_all()
    assert duplicate.state == State.DUPLICATE and duplicate.merged_into_id == survivor.id
    assert {s.email or s.phone for s in survivor.supporters} == {"second@example.ph",
                                                                 "+639181234567"}
    public = text(client.get(f"/{city.slug}/track/{duplicate.reference}"))
    assert f"Merged into {survivor.reference}" in public
    change_state(survivor, State.RESOLVED, public_text="Collected")
    told = {r.recipient for r in db.session.scalars(select(Outbox).where(
        Outbox.complaint_id == survivor.id, Outbox.template == "state_changed"))}
    assert told == {"first@example.ph", "second@example.ph", "+639181234567"}


def test_merging_needs_another_open_visible_complaint(client, city):
    a, b = complaint(city, "garbage"), complaint(city, "pothole")
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    assert act(client, a, "merge", into=b.reference).status_code == 422  # not theirs
    assert act(client, a, "merge", into=a.reference).status_code == 422
    closed = complaint(city, "garbage")
    change_state(closed, State.RESOLVED)
    db.session.commit()
    assert act(client, a, "merge", into=closed.reference).status_code == 422
    db.session.refresh(a)
    assert a.state == State.RECEIVED


def test_a_manager_hides_a_complaint_with_a_reason(client, city):
    c = complaint(city, "garbage")
    sign_in(client, staff(city, Role.MANAGER, "environment"))
    assert act(client, c, "hide", reason=" ").status_code == 422
    assert act(client, c, "hide", reason="Offensive words").status_code == 302
    assert client.get(f"/{city.slug}/track/{c.reference}").status_code == 404
    assert c.reference not in text(client.get(f"/{city.slug}/complaints"))
    db.session.refresh(c)
    assert act(client, c, "unhide").status_code == 302
    assert client.get(f"/{city.slug}/track/{c.reference}").status_code == 200


def test_officers_cannot_moderate(client, city):
    c = complaint(city, "garbage")
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    assert act(client, c, "hide", reason="x").status_code == 403
    assert act(client, c, "edit", description="x").status_code == 403


def test_editing_the_description_keeps_the_original_for_admins(client, city):
    c = complaint(city, "garbage", description="Basura. Tawagan si Juan 09171234567")
    sign_in(client, staff(city, Role.MANAGER, "environment"))
    assert act(client, c, "edit", description="Basura.").status_code == 302
    db.session.refresh(c)
    assert (c.description, c.description_original) == (
        "Basura.", "Basura. Tawagan si Juan 09171234567")
    assert "09171234567" not in text(client.get(f"/{city.slug}/track/{c.reference}"))
    assert "09171234567" not in text(client.get(f"/staff/complaints/{c.reference}"))
    client.post("/staff/logout", data={"csrf_token": token(client)})
    sign_in(client, staff(city, Role.ADMIN))
    assert "09171234567" in text(client.get(f"/staff/complaints/{c.reference}"))


def test_a_photo_is_hidden_from_the_public(client, city):
    from cps.complaints.photos import process_photo
    from cps.complaints.storage import attach, pending, stash

    c = complaint(city, "garbage")
    [photo] = attach(c, [pending(stash(process_photo(plain_jpeg(), "a.jpg")))])
    db.session.commit()
    sign_in(client, staff(city, Role.MANAGER, "environment"))
    assert act(client, c, "hide_photo", photo=photo.id, reason="A face").status_code == 302
    response = client.get(f"/{city.slug}/photos/{photo.id}.jpg")
    assert response.status_code == 404
    page = client.get(f"/staff/complaints/{c.reference}").get_data(as_text=True)
    staff_url = f"/staff/complaints/{c.reference}/photos/{photo.id}.jpg"
    assert staff_url in page and "A face" in page
    with client.get(staff_url) as seen:
        assert seen.status_code == 200 and seen.data[:2] == b"\xff\xd8"
        assert "no-store" in seen.headers["Cache-Control"]
    assert act(client, c, "unhide_photo", photo=photo.id).status_code == 302
    with client.get(f"/{city.slug}/photos/{photo.id}.jpg") as public:
        assert public.status_code == 200


def test_staff_photos_follow_the_complaints_visibility(app, client, city):
    from cps.complaints.photos import process_photo
    from cps.complaints.storage import attach, pending, stash

    c = complaint(city, "pothole")
    [photo] = attach(c, [pending(stash(process_photo(plain_jpeg(), "a.jpg")))])
    db.session.commit()
    url = f"/staff/complaints/{c.reference}/photos/{photo.id}.jpg"
    assert client.get(url).status_code == 302   # signed out: to the sign-in page
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    assert client.get(url).status_code == 404   # another department's complaint
    other = complaint(city, "garbage")
    assert client.get(f"/staff/complaints/{other.reference}/photos/{photo.id}.jpg"
                      ).status_code == 404   # a photo of another complaint


def test_staff_change_the_category_and_the_rules_pick_the_department(client, city):
    c = complaint(city, "garbage", place="Poro")
    old_deadline = c.deadline
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    response = act(client, c, "reclassify", category="pothole", department="rules",
                   note="It is a hole, not garbage")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/staff/queue")   # out of this officer's sight
    db.session.expire_all()
    assert c.category.code == "pothole" and c.department.code == "engineering"
    assert c.deadline > old_deadline   # 10 working days instead of 3
    told = db.session.scalars(select(Outbox).where(Outbox.complaint_id == c.id,
                                                   Outbox.template == "department_new"))
    assert c.department.email in {o.recipient for o in told}


def test_staff_move_a_complaint_to_a_place_and_may_choose_the_department(client, city):
    c = complaint(city, "garbage", place="Poro")
    sign_in(client, staff(city, Role.MANAGER, "environment"))
    assert act(client, c, "reclassify", location_text="Abut",
               department="rules").status_code == 302
    db.session.expire_all()
    assert c.district.name == "Abut" and c.address_text == "Abut"
    health = db.session.scalar(select(Complaint.department_id).where(Complaint.id == c.id))
    assert health == c.department_id
    assert act(client, c, "reclassify", location_text="",
               department=str(c.department_id)).status_code == 422   # nothing to change
    response = act(client, c, "reclassify", location_text="Atlantis, far away",
                   department="rules")
    assert response.status_code == 422 and "could not find" in response.get_data(as_text=True)
    response = act(client, c, "reclassify", location_text="16.0, 121.9")
    assert response.status_code == 422 and "outside" in response.get_data(as_text=True)
    db.session.expire_all()
    assert c.district.name == "Abut"


def test_staff_file_for_a_citizen_who_phoned(client, city):
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    response = client.post("/staff/new", data={
        "csrf_token": token(client), "channel": "phone", "category": "garbage",
        "description": "Caller says garbage not collected", "location_text": "Poro",
        "name": "Lola Nena", "phone": "09171234567", "notify": "y", "locale": "fil"})
    assert response.status_code == 302
    made = db.session.scalar(select(Complaint))
    assert made.channel == Channel.PHONE and made.reporter_phone == "+639171234567"
    assert made.department.code == "environment" and made.events[0].actor_id is not None
    assert "Lola Nena" not in text(client.get(f"/{city.slug}/track/{made.reference}"))


def test_filing_on_behalf_refuses_bad_input(client, city):
    sign_in(client, staff(city, Role.OFFICER, "environment"))
    bad_channel = client.post("/staff/new", data={
        "csrf_token": token(client), "channel": "web", "category": "garbage",
        "description": "x", "location_text": "Poro"})
    assert bad_channel.status_code == 422
    no_description = client.post("/staff/new", data={
        "csrf_token": token(client), "channel": "counter", "category": "garbage",
        "description": "", "location_text": "Poro"})
    assert no_description.status_code == 422 and "Please describe" in text(no_description)
    assert db.session.scalar(select(Complaint)) is None
