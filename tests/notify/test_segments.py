"""SMS segment counting for GSM-7, UCS-2 and emoji."""

import pytest

from cps.notify.segments import count_segments


@pytest.mark.parametrize("text,encoding,units,segments", [
    ("", "GSM-7", 0, 0),
    ("a" * 160, "GSM-7", 160, 1),
    ("a" * 161, "GSM-7", 161, 2),
    ("a" * 306, "GSM-7", 306, 2),
    ("a" * 307, "GSM-7", 307, 3),
    ("€" * 80, "GSM-7", 160, 1),
    ("€" * 81, "GSM-7", 162, 2),
    ("Natanggap ang reklamo SF-4K7Q2XB. Salamat!", "GSM-7", 42, 1),
    ("Đã nhận khiếu nại", "UCS-2", 17, 1),
    ("ए" * 70, "UCS-2", 70, 1),
    ("ए" * 71, "UCS-2", 71, 2),
    ("민원" * 35, "UCS-2", 70, 1),
    ("민원" * 36, "UCS-2", 72, 2),
    ("ok 👍", "UCS-2", 5, 1),
    ("👍" * 35, "UCS-2", 70, 1),
    ("👍" * 36, "UCS-2", 72, 2),
])
def test_segments(text, encoding, units, segments):
    count = count_segments(text)
    assert (count.encoding, count.units, count.segments) == (encoding, units, segments)
