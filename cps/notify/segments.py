"""How many SMS segments a text takes: GSM-7 when every character fits, else UCS-2.

GSM 03.38: 160 septets in one segment, 153 a segment when concatenated; the extension table's
characters (such as € [ ] { }) take two septets. UCS-2 (any other character, so Vietnamese,
Nepali or Korean text): 70 UTF-16 code units in one segment, 67 a segment when concatenated; an
emoji outside the Basic Multilingual Plane takes two.
"""

import math
from dataclasses import dataclass

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXTENSION = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SegmentCount:
    """The encoding a text needs, its length in that encoding's units, and its segments."""

    encoding: str
    units: int
    segments: int


def count_segments(text: str) -> SegmentCount:
    """Encoding and segment count of `text` as an SMS."""
    if all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text):
        units = sum(2 if ch in GSM_EXTENSION else 1 for ch in text)
        return SegmentCount("GSM-7", units, _segments(units, 160, 153))
    units = len(text.encode("utf-16-le")) // 2
    return SegmentCount("UCS-2", units, _segments(units, 70, 67))


def _segments(units: int, single: int, multi: int) -> int:
    if units == 0:
        return 0
    return 1 if units <= single else math.ceil(units / multi)
