"""Coordinates texted as people copy them, and a swapped pair offered the right way round."""

import pytest
from geoalchemy2.shape import to_shape

from tests.places import district, inside
from tests.sms.test_conversations import complaint_in


def dms(value: float, letters: str) -> str:
    """14°38'49.2"N, as a map app shows a coordinate."""
    seconds = round(abs(value) * 3600, 1)
    degrees, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{int(degrees)}°{int(minutes):02d}'{seconds:04.1f}\"{letters[value < 0]}"


def test_a_swapped_pair_is_offered_then_picked(phone):
    lat, lon = (round(x, 6) for x in inside("Catbangen"))
    reply = phone.text(f"garbage not collected at {lon}, {lat}")
    assert f"Did you mean {lat}, {lon} (Catbangen)?" in reply
    complaint = complaint_in(phone.text("yes"))
    assert complaint.district_id == district("Catbangen").id
    assert complaint.category.code == "garbage"
    point = to_shape(complaint.point)
    assert (point.y, point.x) == pytest.approx((lat, lon))


def test_degrees_minutes_and_seconds_file_the_report_at_once(phone):
    lat, lon = inside("Poro")
    complaint = complaint_in(phone.text(f"baha dito {dms(lat, 'NS')} {dms(lon, 'EW')}"))
    assert complaint.district_id == district("Poro").id
