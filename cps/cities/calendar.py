"""Working-day arithmetic in a city's own timezone, skipping its weekends and holidays."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def add_working_days(start: date, days: int, working_days, holidays) -> date:
    """The date `days` working days after `start` (a day off at `start` counts from the next)."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.isoweekday() in working_days and current not in holidays:
            left -= 1
    return current


def deadline_for(city, received_at: datetime, days: int, holidays=None) -> datetime:
    """End of the city's working day `days` working days after `received_at`, in UTC."""
    tz = ZoneInfo(city.timezone)
    off = set(holidays) if holidays is not None else {h.day for h in city.holidays}
    local_day = received_at.astimezone(tz).date()
    return end_of_day(city, add_working_days(local_day, days, set(city.working_days), off))


def end_of_day(city, day: date) -> datetime:
    """The last second of `day` in the city's timezone, in UTC: when a deadline falls."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(city.timezone)).astimezone(UTC)
