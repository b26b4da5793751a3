"""submit_complaint: one service for every channel; routing, triage, re-routing, duplicates."""

import random
from datetime import timedelta

import pytest
from geoalchemy2.shape import to_shape
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from cps.cities.models import City, Department
from cps.complaints.errors import (
    InvalidAnswer,
    InvalidContact,
    InvalidDescription,
    UnknownCategory,
)
from cps.complaints.models import Channel, Complaint, ComplaintEvent
from cps.complaints.services import find_duplicates, reroute, submit_complaint
from cps.complaints.states import State
from cps.domain import DomainError
from cps.extensions import db
from cps.notify.models import Outbox
from cps.routing.errors import AmbiguousPlace, InvalidCoordinates, OutsideCity
from cps.routing.models import RoutingRule
from cps.settings import city_setting
from tests.places import district, inside


def dept(code: str) -> Department:
    return db.session.scalar(select(Department).where(Department.code == code))


def point_in(name: str) -> dict:
    lat, lon = inside(name)
    return {"lat": lat, "lon": lon}


def submit(city, **fields):
    base = {"category": "garbage", "description": "Garbage not collected", "location_text": "Poro"}
    return submit_complaint(city, Channel.WEB, {**base, **fields})


def counts() -> tuple:
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (Complaint, ComplaintEvent, Outbox))


def test_a_complaint_is_located_routed_and_saved_with_its_history(city):
    complaint = submit(city, reporter_email="juan@example.ph", notify=True)
    assert complaint.reference.startswith("SF-")
    assert complaint.district.name == "Poro" and complaint.department.code == "environment"
    assert complaint.state == State.RECEIVED and complaint.deadline > complaint.created_at
    assert [e.kind for e in complaint.events] == ["created"]
    templates = {o.template for o in db.session.scalars(
        select(Outbox).where(Outbox.complaint_id == complaint.id))}
    assert templates == {"department_new", "received"}


def test_a_reference_drawn_twice_is_skipped_for_the_next_one(city, monkeypatch):
    from cps.complaints import references

    monkeypatch.setattr(references, "_random", random.Random(2026))
    first = submit(city)
    # The same seed again: the generator draws first's reference, taken, then a new one.
    monkeypatch.setattr(references, "_random", random.Random(2026))
    expected = [references.new_reference(city.reference_prefix,
                                         city_setting(city, "REFERENCE_LENGTH"))
                for _ in range(2)]
    assert first.reference == expected[0]
    monkeypatch.setattr(references, "_random", random.Random(2026))
    before = counts()
    second = submit(city, reporter_email="juan@example.ph", notify=True)
    assert second.reference == expected[1]
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 2)
    assert db.session.scalar(select(func.count()).select_from(Complaint).where(
        Complaint.reference == expected[0])) == 1
    db.session.expire_all()
    assert [e.kind for e in second.events] == ["created"]
    assert {o.template for o in db.session.scalars(select(Outbox).where(
        Outbox.complaint_id == second.id))} == {"department_new", "received"}
    assert [e.kind for e in first.events] == ["created"]


def test_the_same_form_sent_twice_still_conflicts(city):
    submit(city, submission_key="form-1")
    with pytest.raises(IntegrityError):
        submit(city, submission_key="form-1")


def test_district_rules_beat_category_rules(city):
    assert submit(city, category="flooding").department.code == "drrm"
    assert submit(city, category="flooding", location_text="Abut").department.code == \
        "engineering"


def test_rule_precedence_category_then_district_then_default(city):
    db.session.add(RoutingRule(city_id=city.id, district_id=district("Abut").id,
                               department_id=dept("health").id))
    city.geo_version += 1
    db.session.flush()
    assert submit(city, category="garbage", location_text="Abut").department.code == \
        "environment"
    assert submit(city, category="other", location_text="Abut").department.code == "health"
    assert submit(city, category="other", location_text="Bato").department.code == \
        "barangay-affairs"


def test_no_location_goes_to_triage_with_the_category_department(city):
    complaint = submit(city, location_text="")
    assert complaint.point is None and complaint.district_id is None
    assert complaint.department.code == "environment"


def test_no_rule_at_all_goes_to_the_triage_queue(city):
    db.session.execute(delete(RoutingRule).where(RoutingRule.city_id == city.id))
    city.geo_version += 1
    complaint = submit(city, category="other")
    assert complaint.department_id is None
    assert complaint.id in db.session.scalars(select(Complaint.id).where(
        Complaint.city_id == city.id, Complaint.department_id.is_(None))).all()


def test_sms_reporters_get_no_email_row_and_phone_numbers_are_normalised(city):
    complaint = submit_complaint(city, Channel.SMS, {
        "category": "garbage", "description": "basura", "location_text": "Poro",
        "reporter_phone": "0917 123 4567", "notify": True})
    assert complaint.reporter_phone == "+639171234567"
    assert {o.template for o in db.session.scalars(
        select(Outbox).where(Outbox.complaint_id == complaint.id))} == {"department_new"}


BAD = {
    "unknown category": ({"category": "weather"}, UnknownCategory),
    "no category": ({"category": None}, UnknownCategory),
    "no description": ({"description": "  "}, InvalidDescription),
    "long description": ({"description": "x" * 4001}, InvalidDescription),
    "latitude out of range": ({"lat": 91, "lon": 120.3, "location_text": ""},
                              InvalidCoordinates),
    "NaN": ({"lat": "NaN", "lon": 120.3}, InvalidCoordinates),
    "infinity": ({"lat": 16.6, "lon": "inf"}, InvalidCoordinates),
    "outside the city": ({"lat": 14.5995, "lon": 120.9842}, OutsideCity),
    "ambiguous place": ({"location_text": "Narra"}, AmbiguousPlace),
    "huge place text": ({"location_text": "Poro " * 1000}, DomainError),
    "bad phone": ({"reporter_phone": "12"}, InvalidContact),
    "bad e-mail": ({"reporter_email": "juan@"}, InvalidContact),
    "bad answer": ({"category": "pothole", "answers": {"size": "gigantic"}}, InvalidAnswer),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_raises_a_typed_error_and_saves_nothing(city, name):
    fields, error = BAD[name]
    before = counts()
    with pytest.raises(error) as caught:
        submit(city, **fields)
    assert caught.value.message and caught.value.status == 422
    assert counts() == before


def test_a_category_of_another_city_is_refused(city):
    other = City(slug="other", names={"en": "Other"}, reference_prefix="OT",
                 default_locale="en", locales=["en"], timezone="UTC", country_code="PH")
    db.session.add(other)
    db.session.flush()
    with pytest.raises(UnknownCategory):
        submit_complaint(other, Channel.WEB, {"category": "garbage", "description": "x"})


def test_html_is_kept_as_text_and_control_characters_dropped(city):
    complaint = submit(city, description="<script>alert(1)</script>\x01 ok")
    assert complaint.description == "<script>alert(1)</script> ok"


def test_rerouting_on_a_new_category_follows_the_rules_and_is_recorded(city):
    complaint = submit(city, category="garbage")
    event = reroute(complaint, None, category_code="flooding")
    assert complaint.department.code == "drrm"
    assert event.kind == "reroute" and event.data["before"]["department_id"] == dept(
        "environment").id


def test_rerouting_on_a_new_location_changes_the_district(city):
    complaint = submit(city, category="flooding")
    reroute(complaint, None, **point_in("Abut"))
    assert complaint.district.name == "Abut" and complaint.department.code == "engineering"


def test_staff_may_pick_the_department(city):
    complaint = submit(city)
    reroute(complaint, None, department_id=dept("health").id, note="health risk")
    assert complaint.department.code == "health"


def test_duplicates_are_open_same_category_near_and_recent(city):
    first = submit(city, **point_in("Tanqui"), location_text="")
    here = to_shape(first.point)
    assert [c.id for c, _d in find_duplicates(city, first.category_id, here.y, here.x)] == [
        first.id]
    assert find_duplicates(city, first.category_id, here.y + 0.001, here.x) == []  # ~110 m
    other = submit(city, category="noise", **point_in("Tanqui"), location_text="")
    assert find_duplicates(city, other.category_id, here.y, here.x)[0][0].id == other.id
    first.state = State.RESOLVED
    db.session.flush()
    assert find_duplicates(city, first.category_id, here.y, here.x) == []


def test_old_complaints_are_not_duplicates(city):
    first = submit(city, **point_in("Tanqui"), location_text="")
    first.created_at = first.created_at - timedelta(days=31)
    db.session.flush()
    here = to_shape(first.point)
    assert find_duplicates(city, first.category_id, here.y, here.x) == []
