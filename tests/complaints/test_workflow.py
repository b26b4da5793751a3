"""State changes follow the table, record history, and tell the citizen."""

import pytest
from sqlalchemy import select

from cps.complaints.errors import TransitionNotAllowed
from cps.complaints.models import Channel
from cps.complaints.services import submit_complaint
from cps.complaints.states import TRANSITIONS, State
from cps.complaints.workflow import change_state
from cps.extensions import db
from cps.notify.models import Outbox


def sms_complaint(city):
    return submit_complaint(city, Channel.SMS, {
        "category": "garbage", "description": "basura", "location_text": "Poro",
        "reporter_phone": "09171234567", "reporter_locale": "fil"})


def notices(complaint):
    return db.session.scalars(select(Outbox).where(
        Outbox.complaint_id == complaint.id, Outbox.template == "state_changed")).all()


def test_every_public_change_is_recorded_and_notified(city):
    c = sms_complaint(city)
    change_state(c, State.ACKNOWLEDGED, public_text="Natanggap na.")
    event = change_state(c, State.RESOLVED, public_text="Nakolekta na.", internal_note="truck 3")
    assert c.state == State.RESOLVED and c.resolved_at and c.acknowledged_at
    assert (event.from_state, event.to_state, event.internal_note) == (
        State.ACKNOWLEDGED, State.RESOLVED, "truck 3")
    sent = notices(c)
    assert [n.payload["public_text"] for n in sent] == ["Natanggap na.", "Nakolekta na."]
    assert {(n.channel, n.recipient, n.locale) for n in sent} == {
        ("sms", "+639171234567", "fil")}


FORBIDDEN = [(s, t) for s in State for t in State if t not in TRANSITIONS[s]]


@pytest.mark.parametrize("start,target", FORBIDDEN)
def test_transitions_the_table_forbids_are_refused(city, start, target):
    c = sms_complaint(city)
    c.state = start
    with pytest.raises(TransitionNotAllowed) as caught:
        change_state(c, target)
    assert caught.value.status == 409 and c.state == start and notices(c) == []


@pytest.mark.parametrize("start,target", [(s, t) for s in State for t in TRANSITIONS[s]])
def test_transitions_the_table_allows_are_made(city, start, target):
    c = sms_complaint(city)
    c.state = start
    assert change_state(c, target).to_state == target and c.state == target


def test_reopening_clears_the_resolution(city):
    c = sms_complaint(city)
    change_state(c, State.RESOLVED)
    change_state(c, State.REOPENED, actor_label="citizen")
    assert c.state == State.REOPENED and c.resolved_at is None
