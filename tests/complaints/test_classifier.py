"""The per-city classifier: what it learns from, when it is used, what it suggests, how it is
retrained, and where staff see its suggestion.

Tests of what a stored model does share one model, fitted once on the corpus as plain data;
tests of training itself (train_city, the scheduler, the CLI) file 100 complaints and train on
them: with fewer, the held-back ones share too few sentences with the rest for a model to learn.
"""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from cps.cities.models import Category
from cps.classify.examples import Example, confirmed_examples
from cps.classify.models import CityClassifier
from cps.classify.store import CACHE_KEY, save_model
from cps.classify.suggest import suggest
from cps.classify.training import fit, learnable, split_by_time, train_city
from cps.complaints.models import Channel, Complaint, ComplaintEvent
from cps.complaints.services import submit_complaint
from cps.complaints.states import State
from cps.complaints.workflow import change_state
from cps.db import utcnow
from cps.extensions import db
from cps.jobs.tasks import run_periodic
from cps.notify.models import JobRun
from cps.sms.understand import keyword_category
from cps.staff import services
from cps.staff.models import Role
from tests.complaints.corpus import DESCRIBED, NAMED, file, texts
from tests.staff.people import sign_in, staff, token

GARBAGE_FIL = "Ang baho na ng mga supot sa tapat namin, hindi dumadaan ang trak"


@pytest.fixture
def admin(city):
    return staff(city, Role.ADMIN)


@pytest.fixture(scope="module")
def fitted():
    """The model a city's 100 confirmed corpus complaints give, fitted once for the module."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    examples = [Example(n, text, code, start + timedelta(hours=n))
                for n, (code, text) in enumerate(texts(DESCRIBED, 25))]
    return fit(learnable(examples))


def store(city, model) -> CityClassifier:
    """Make `model` the city's used classifier, as a training that chose it leaves it."""
    row = db.session.get(CityClassifier, city.id) or CityClassifier(city_id=city.id)
    db.session.add(row)
    row.trained_at, row.used = utcnow(), True
    save_model(row, model)
    db.session.commit()
    return row


def train(city):
    row = train_city(city, keyword_category)
    db.session.commit()
    return row


def trained(city, admin, bank=DESCRIBED, per_category=25):
    file(city, texts(bank, per_category), confirmed_by=admin)
    return train(city)


def test_without_history_the_keywords_work_alone(city):
    row = train(city)
    assert (row.n_examples, row.used, row.model, row.model_accuracy) == (0, False, None, None)
    assert suggest(city, GARBAGE_FIL) is None


def test_too_little_history_gives_no_model(city, admin):
    row = trained(city, admin, per_category=10)
    assert row.n_examples == 40 and not row.used and row.model is None
    assert row.model_accuracy is None and suggest(city, GARBAGE_FIL) is None


def test_one_category_is_nothing_to_learn(city, admin):
    file(city, texts({"garbage": DESCRIBED["garbage"]}, 60), confirmed_by=admin)
    row = train(city)
    assert row.n_examples == 60 and not row.used and row.model_accuracy is None


def test_only_complaints_staff_confirmed_or_reclassified_are_learnt(city, admin):
    received, acked, by_system, moved, rejected, blank = file(city, texts(DESCRIBED, 2)[:6])
    blank.description = "  "
    for c in (acked, rejected, blank):
        change_state(c, State.ACKNOWLEDGED, actor_id=admin.id)
    change_state(rejected, State.REJECTED, actor_id=admin.id)
    change_state(by_system, State.ACKNOWLEDGED, actor_label="system")
    new_code = "noise" if moved.category.code != "noise" else "garbage"
    services.reclassify(moved, admin, new_code, None, None, None, version=moved.version)
    db.session.commit()
    learnt = {e.complaint_id: e.category for e in confirmed_examples(city.id, 100)}
    assert learnt == {acked.id: acked.category.code, moved.id: new_code}


def test_the_newest_fifth_is_held_back(city, admin):
    file(city, texts(DESCRIBED, 10), confirmed_by=admin)
    older, held = split_by_time(confirmed_examples(city.id, 100))
    assert (len(older), len(held)) == (32, 8)
    assert max(e.created_at for e in older) < min(e.created_at for e in held)


@pytest.mark.parametrize("town", ["city", "pokhara"])
def test_the_model_is_used_when_it_beats_the_keywords(app, town, request):
    place = request.getfixturevalue(town)
    row = trained(place, staff(place, Role.ADMIN))
    assert row.used and row.model_accuracy > row.keyword_accuracy
    assert (row.n_examples, row.n_held_back) == (100, 20) and row.model
    assert row.labels == {"flooding": 25, "garbage": 25, "stray-animals": 25,
                          "streetlight": 25}
    # The stored model is the one suggest() loads.
    assert suggest(place, GARBAGE_FIL)[0].code == "garbage"


def test_suggest_gives_the_category_and_its_probability(city, fitted):
    store(city, fitted)
    for text in (GARBAGE_FIL, "बजारमा प्लास्टिकका झोला थुप्रिएर गन्हाउँछ",
                 "Bins overflowing behind the market, the smell is awful"):
        category, confidence = suggest(city, text)
        assert isinstance(category, Category) and category.code == "garbage", text
        assert 0.25 < confidence <= 1, text


def test_the_model_is_not_used_when_the_keywords_do_as_well(city, admin):
    row = trained(city, admin, bank=NAMED)
    assert row.keyword_accuracy == 1.0 and row.model_accuracy <= 1.0
    assert not row.used and row.model is None and suggest(city, "Walang ilaw") is None


def test_a_retired_category_is_never_suggested(city, fitted):
    store(city, fitted)
    db.session.scalar(select(Category).where(Category.city_id == city.id,
                                             Category.code == "garbage")).active = False
    db.session.commit()
    category, _confidence = suggest(city, GARBAGE_FIL)
    assert category.code != "garbage"


def test_a_model_whose_bytes_were_changed_is_not_loaded(city, fitted):
    row = store(city, fitted)
    row.model = row.model + b"\0"
    db.session.commit()
    assert suggest(city, GARBAGE_FIL) is None


def test_a_model_of_another_library_version_is_not_loaded(city, fitted):
    row = store(city, fitted)
    row.library_version = "0.1"
    db.session.commit()
    assert suggest(city, GARBAGE_FIL) is None


def test_each_process_loads_a_model_once_per_training(app, city, fitted):
    first = store(city, fitted).trained_at
    suggest(city, GARBAGE_FIL)
    entry = app.extensions[CACHE_KEY][city.id]
    suggest(city, "Madilim sa kanto")
    assert app.extensions[CACHE_KEY][city.id] is entry and entry[0] == first
    second = store(city, fitted).trained_at
    suggest(city, GARBAGE_FIL)
    again = app.extensions[CACHE_KEY][city.id]
    assert second > first and again[0] == second and again[1] is not entry[1]


def runs():
    return db.session.scalars(select(JobRun).where(JobRun.name == "classifier")).all()


def test_the_scheduler_retrains_every_city_once_a_day(city, admin):
    file(city, texts(DESCRIBED, 25), confirmed_by=admin)
    done = run_periodic()
    assert done["classifier"][city.slug]["used"] is True
    trained_at = db.session.get(CityClassifier, city.id).trained_at
    assert "classifier" not in run_periodic()
    db.session.expire_all()
    assert db.session.get(CityClassifier, city.id).trained_at == trained_at
    [run] = runs()
    assert run.finished_at is not None and run.details[city.slug]["examples"] == 100


def test_the_cli_trains_a_city_and_prints_its_figures(runner, city, admin):
    file(city, texts(DESCRIBED, 25), confirmed_by=admin)
    result = runner.invoke(args=["cps", "classifier", "train", city.slug])
    assert result.exit_code == 0, result.output
    assert "100 complaints confirmed by staff, 20 of them held back" in result.output
    assert "Right on the held-back complaints: model " in result.output
    assert "The model is used." in result.output
    assert db.session.get(CityClassifier, city.id).used


def test_the_cli_says_when_there_is_too_little_history(runner, city):
    result = runner.invoke(args=["cps", "classifier", "train"])
    assert result.exit_code == 0 and "No model: at least 50 examples" in result.output


def test_the_cli_refuses_an_unknown_city(runner, city):
    result = runner.invoke(args=["cps", "classifier", "train", "atlantis"])
    assert result.exit_code == 1 and "atlantis" in result.output


def unclassified(city):
    made = submit_complaint(city, Channel.SMS, {
        "partial": True, "description": GARBAGE_FIL, "reporter_phone": "09171234567"})
    db.session.commit()
    return made


def test_staff_see_the_suggestion_on_an_unclassified_complaint(client, city, admin, fitted):
    store(city, fitted)
    made = unclassified(city)
    sign_in(client, admin)
    page = client.get(f"/staff/complaints/{made.reference}").get_data(as_text=True)
    assert "Suggested: Uncollected garbage (" in page and "%)" in page
    triage = client.get(f"/staff/triage?q={made.reference}").get_data(as_text=True)
    assert "Suggested: Uncollected garbage (" in triage


def test_staff_take_the_suggestion_with_one_click(client, city, admin, fitted):
    store(city, fitted)
    made = unclassified(city)
    sign_in(client, admin)
    page = client.get(f"/staff/complaints/{made.reference}").get_data(as_text=True)
    assert "Use this category" in page and 'name="category" value="garbage"' in page
    response = client.post(f"/staff/complaints/{made.reference}/reclassify", data={
        "csrf_token": token(client), "version": made.version, "category": "garbage",
        "department": "rules"})
    assert response.status_code == 302
    db.session.expire_all()
    assert made.category.code == "garbage" and made.department is not None
    assert db.session.scalar(select(ComplaintEvent).where(
        ComplaintEvent.complaint_id == made.id, ComplaintEvent.kind == "reroute")).actor_id


def test_no_suggestion_without_a_used_model(client, city, admin):
    made = unclassified(city)
    sign_in(client, admin)
    page = client.get(f"/staff/complaints/{made.reference}").get_data(as_text=True)
    assert "Not yet classified" in page and "Suggested:" not in page


def test_an_sms_the_keywords_cannot_read_takes_the_confident_models_category(
        client, city, fitted, monkeypatch):
    from tests.sms.phone import BASE_URL, TOKEN, Phone

    monkeypatch.setitem(client.application.config, "TWILIO_AUTH_TOKEN", TOKEN)
    monkeypatch.setitem(client.application.config, "BASE_URL", BASE_URL)
    text = "The truck skipped our street again, sacks of leftovers are rotting, Catbangen"
    assert keyword_category(city, text) is None
    first, second = Phone(client, "+639170007001"), Phone(client, "+639170007002")
    assert first.text(text).startswith("What is the problem?")
    store(city, fitted)
    assert "SF-" in second.text(text)
    made = db.session.scalar(select(Complaint).where(Complaint.reporter_phone == second.number))
    assert made.category.code == "garbage"
