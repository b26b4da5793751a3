"""Deadlines in working days, in the city's timezone, skipping weekends and holidays."""

from datetime import UTC, date, datetime

from cps.cities.calendar import add_working_days, deadline_for

WEEK = {1, 2, 3, 4, 5}


def test_working_days_skip_the_weekend():
    friday = date(2026, 11, 20)
    assert add_working_days(friday, 1, WEEK, set()) == date(2026, 11, 23)


def test_working_days_skip_holidays():
    assert add_working_days(date(2026, 12, 23), 2, WEEK, {date(2026, 12, 24),
                                                          date(2026, 12, 25)}) == date(2026, 12, 29)


def test_a_complaint_on_a_saturday_counts_from_monday():
    assert add_working_days(date(2026, 11, 21), 1, WEEK, set()) == date(2026, 11, 23)


def test_deadline_uses_the_city_day_and_its_holidays(city):
    # 17:30 UTC on Friday 27 November is already Saturday in Manila; Monday 30 Nov is a holiday.
    received = datetime(2026, 11, 27, 17, 30, tzinfo=UTC)
    due = deadline_for(city, received, 1)
    assert due == datetime(2026, 12, 1, 15, 59, 59, tzinfo=UTC)
