"""The accountability figures on known data."""

from datetime import timedelta

import pytest

from cps.complaints.states import State
from cps.complaints.workflow import change_state
from cps.db import utcnow
from cps.extensions import db
from cps.staff.kpis import _p90, figures, per_department
from tests.staff.people import complaint


def aged(city, category, hours_to_ack=None, hours_to_resolve=None, rating=None,
         days_ago=10, place="Poro", reopen=False):
    c = complaint(city, category, place=place)
    c.created_at = utcnow() - timedelta(days=days_ago)
    if hours_to_ack is not None:
        change_state(c, State.ACKNOWLEDGED)
        c.acknowledged_at = c.created_at + timedelta(hours=hours_to_ack)
    if hours_to_resolve is not None:
        change_state(c, State.RESOLVED)
        c.resolved_at = c.created_at + timedelta(hours=hours_to_resolve)
        if reopen:
            change_state(c, State.REOPENED)
            change_state(c, State.RESOLVED)
            c.resolved_at = c.created_at + timedelta(hours=hours_to_resolve)
    c.rating = rating
    db.session.commit()
    return c


def test_known_figures(city):
    aged(city, "garbage", 1, 24, rating=5)
    aged(city, "garbage", 3, 48, rating=3, reopen=True)
    aged(city, "garbage", 5, 24 * 30)  # resolved long after its 3-working-day deadline
    overdue = aged(city, "pothole", place="Lingsat")
    overdue.deadline = utcnow() - timedelta(days=1)
    db.session.commit()
    f = figures(city)
    assert f.total == 4
    assert f.by_category == {"garbage": 3, "pothole": 1}
    assert f.by_district == {"Poro": 3, "Lingsat": 1} and f.by_channel == {"web": 4}
    assert (f.acknowledge_median_h, f.acknowledge_p90_h) == (3.0, 5.0)
    assert (f.resolve_median_h, f.resolve_p90_h) == (48.0, 720.0)
    assert f.resolved == 3 and f.resolved_in_time_share == pytest.approx(0.667)
    assert f.overdue_now == 1 and f.reopened_share == pytest.approx(0.333)
    assert (f.rating_average, f.ratings) == (4.0, 2)


def test_no_data_is_none_not_zero(city):
    f = figures(city)
    assert f.total == 0 and f.resolve_median_h is None and f.rating_average is None


def test_per_department_and_period(city):
    aged(city, "garbage", days_ago=40)
    aged(city, "garbage", days_ago=5)
    aged(city, "pothole", days_ago=5)
    recent = figures(city, start=utcnow() - timedelta(days=30))
    assert recent.total == 2
    by_code = {d.code: f.total for d, f in per_department(city)}
    assert by_code["environment"] == 2 and by_code["engineering"] == 1


def test_hidden_complaints_are_left_out_of_public_figures(city):
    c = aged(city, "garbage")
    c.hidden = True
    db.session.commit()
    assert figures(city).total == 1 and figures(city, public=True).total == 0


@pytest.mark.parametrize("values,p90", [([1], 1), ([1, 2], 2), (list(range(1, 11)), 9),
                                        (list(range(1, 21)), 18)])
def test_the_90th_percentile(values, p90):
    assert _p90(values) == p90
