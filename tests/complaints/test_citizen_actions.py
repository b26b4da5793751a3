"""After filing: "this is my problem too", duplicates offered, reopen and rate by the reporter."""

from datetime import timedelta

from sqlalchemy import func, select

from cps.complaints.models import Complaint, ComplaintEvent, Supporter
from cps.complaints.states import State
from cps.complaints.workflow import change_state
from cps.db import utcnow
from cps.extensions import db
from tests.complaints.web import CITY, complaint_of, hidden, open_form, report, text
from tests.places import inside


def filed(client, **fields):
    base = {"description": "Hole", "location_text": "Pindangan Ruins"}
    return complaint_of(report(client, **{**base, **fields}))


def csrf(client, reference: str) -> str:
    return hidden(text(client.get(f"{CITY}/track/{reference}")), "csrf_token")


def resolved(complaint: Complaint, days_ago: float = 0) -> Complaint:
    change_state(complaint, State.RESOLVED, public_text="Fixed")
    complaint.resolved_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return complaint


def test_similar_open_complaints_nearby_are_offered_before_filing(app, client, city):
    first = filed(app.test_client())
    response = report(client, description="Same hole", location_text="Pindangan Ruins")
    page = text(response)
    assert response.status_code == 200 and "Is it one of these?" in page
    assert first.reference in page and "This is my problem too" in page
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 1


def test_other_categories_and_far_places_are_not_offered(app, client, city):
    filed(app.test_client())
    assert "Is it one of these?" not in text(report(client, "garbage", description="x",
                                                    location_text="Pindangan Ruins"))
    lat, lon = inside("Lingsat")
    assert report(client, description="x", lat=str(lat), lon=str(lon)).status_code == 302


def test_saying_it_is_different_files_a_new_complaint(app, client, city):
    filed(app.test_client())
    page = text(report(client, description="Another hole", location_text="Pindangan Ruins"))
    form = {"csrf_token": hidden(page, "csrf_token"),
            "submission_key": hidden(page, "submission_key"),
            "confirmed_new": hidden(page, "confirmed_new")}
    assert report(client, form=form, description="Another hole",
                  location_text="Pindangan Ruins").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 2


def test_this_is_my_problem_too_adds_a_supporter_not_a_complaint(app, client, city):
    first = filed(app.test_client())
    page = text(report(client, description="Same", location_text="Pindangan Ruins",
                       email="ana@example.ph", notify="y"))
    response = client.post(f"{CITY}/track/{first.reference}/support", data={
        "csrf_token": hidden(page, "csrf_token"), "email": "ana@example.ph", "notify": "y",
        "submission_key": hidden(page, "submission_key")})
    assert response.status_code == 302
    [supporter] = db.session.scalars(select(Supporter)).all()
    assert (supporter.complaint_id, supporter.email, supporter.notify) == (
        first.id, "ana@example.ph", True)
    track = text(client.get(response.headers["Location"]))
    assert "1 more person has this problem" in track and "ana@" not in track


def test_the_same_supporter_counts_once(client, city):
    complaint = filed(client)
    for _ in range(2):
        client.post(f"{CITY}/track/{complaint.reference}/support", data={
            "csrf_token": csrf(client, complaint.reference), "phone": "09171234567"})
    assert db.session.scalar(select(func.count()).select_from(Supporter)) == 1


def test_support_needs_a_valid_token_and_an_open_complaint(app, client, city):
    complaint = filed(client)
    forged = client.post(f"{CITY}/track/{complaint.reference}/support", data={
        "csrf_token": "forged"})
    assert forged.status_code == 400
    resolved(complaint)
    closed = client.post(f"{CITY}/track/{complaint.reference}/support", data={
        "csrf_token": csrf(client, complaint.reference)})
    assert closed.status_code == 403 and "closed" in text(closed)
    assert db.session.scalar(select(func.count()).select_from(Supporter)) == 0


def test_the_reporter_sees_reopen_and_rate_once_resolved(client, city):
    complaint = filed(client)
    page = text(client.get(f"{CITY}/track/{complaint.reference}"))
    assert "Still a problem?" not in page and "Rate how it was handled" not in page
    resolved(complaint)
    page = text(client.get(f"{CITY}/track/{complaint.reference}"))
    assert "Still a problem?" in page and "Rate how it was handled" in page


def test_others_see_neither_and_are_refused(app, client, city):
    complaint = resolved(filed(client))
    stranger = app.test_client()
    assert "Still a problem?" not in text(stranger.get(f"{CITY}/track/{complaint.reference}"))
    token = open_form(stranger)["csrf_token"]
    refused = stranger.post(f"{CITY}/track/{complaint.reference}/reopen",
                            data={"csrf_token": token, "reason": "still there"})
    assert refused.status_code == 403
    assert stranger.post(f"{CITY}/track/{complaint.reference}/rate", data={
        "csrf_token": token, "rating": "1"}).status_code == 403
    db.session.expire_all()
    assert complaint.state == State.RESOLVED and complaint.rating is None


def test_reopening_sends_it_back_with_the_reason_kept_internal(client, city):
    complaint = resolved(filed(client))
    response = client.post(f"{CITY}/track/{complaint.reference}/reopen", data={
        "csrf_token": csrf(client, complaint.reference), "reason": "Bumalik ang butas"})
    assert response.status_code == 302
    db.session.expire_all()
    assert complaint.state == State.REOPENED and complaint.deadline > utcnow()
    event = db.session.scalars(select(ComplaintEvent).where(
        ComplaintEvent.complaint_id == complaint.id).order_by(ComplaintEvent.id.desc())).first()
    assert (event.to_state, event.internal_note, event.actor_label) == (
        State.REOPENED, "Bumalik ang butas", "citizen")
    page = text(client.get(f"{CITY}/track/{complaint.reference}"))
    assert "Reopened" in page and "Bumalik ang butas" not in page


def test_reopening_needs_a_reason(client, city):
    complaint = resolved(filed(client))
    response = client.post(f"{CITY}/track/{complaint.reference}/reopen", data={
        "csrf_token": csrf(client, complaint.reference), "reason": "  "})
    assert response.status_code == 422 and "Please say why" in text(response)


def test_reopening_is_refused_after_the_window(client, city):
    complaint = resolved(filed(client), days_ago=15)  # the demo city allows 14 days
    assert "Still a problem?" not in text(client.get(f"{CITY}/track/{complaint.reference}"))
    response = client.post(f"{CITY}/track/{complaint.reference}/reopen", data={
        "csrf_token": csrf(client, complaint.reference), "reason": "still"})
    assert response.status_code == 403 and "can no longer be reopened" in text(response)


def test_rating_is_kept_once(client, city):
    complaint = resolved(filed(client))
    token = csrf(client, complaint.reference)
    first = client.post(f"{CITY}/track/{complaint.reference}/rate", data={
        "csrf_token": token, "rating": "4", "comment": "Mabilis"})
    assert first.status_code == 302
    second = client.post(f"{CITY}/track/{complaint.reference}/rate", data={
        "csrf_token": token, "rating": "1"})
    assert second.status_code == 409 and "already rated" in text(second)
    db.session.expire_all()
    assert (complaint.rating, complaint.rating_comment) == (4, "Mabilis")


def test_a_rating_out_of_range_is_refused(client, city):
    complaint = resolved(filed(client))
    for bad in ("0", "6", "five", ""):
        response = client.post(f"{CITY}/track/{complaint.reference}/rate", data={
            "csrf_token": csrf(client, complaint.reference), "rating": bad})
        assert response.status_code == 422
    db.session.expire_all()
    assert complaint.rating is None


def test_the_private_link_lets_another_browser_act(app, client, city):
    complaint = filed(client)
    page = text(client.get(f"{CITY}/report/done/{complaint.reference}"))
    link = page[page.index(f"{CITY}/track/{complaint.reference}?key="):]
    link = link[:link.index('"')]
    resolved(complaint)
    phone = app.test_client()
    opened = phone.get(link)
    assert opened.status_code == 302 and "key=" not in opened.headers["Location"]
    assert "Still a problem?" in text(phone.get(f"{CITY}/track/{complaint.reference}"))


def test_a_wrong_private_link_grants_nothing(app, client, city):
    complaint = resolved(filed(client))
    phone = app.test_client()
    phone.get(f"{CITY}/track/{complaint.reference}?key=guess")
    page = text(phone.get(f"{CITY}/track/{complaint.reference}"))
    assert "not valid" in page and "Still a problem?" not in page
