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


# Typographic punctuation and spaces with a GSM-7 look-alike: one curly quote would otherwise
# send the whole text as UCS-2, two or three times the segments.
GSM_LOOKALIKES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2022": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u200b": "",
    "\u2026": "...", "\u00b7": ".", "\u2122": "TM",
})


def is_gsm(text: str) -> bool:
    """Whether every character of `text` is in GSM 03.38 (basic or extension table)."""
    return all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text)


def plain_for_sms(text: str) -> str:
    """`text` with typographic punctuation as its GSM-7 look-alike, when that makes the whole
    text GSM-7 (a Nepali or Vietnamese text, UCS-2 anyway, is left as it is)."""
    swapped = text.translate(GSM_LOOKALIKES)
    return swapped if swapped != text and is_gsm(swapped) else text


def count_segments(text: str) -> SegmentCount:
    """Encoding and segment count of `text` as an SMS."""
    if is_gsm(text):
        units = sum(2 if ch in GSM_EXTENSION else 1 for ch in text)
        return SegmentCount("GSM-7", units, _segments(units, 160, 153))
    units = len(text.encode("utf-16-le")) // 2
    return SegmentCount("UCS-2", units, _segments(units, 70, 67))


def _segments(units: int, single: int, multi: int) -> int:
    if units == 0:
        return 0
    return 1 if units <= single else math.ceil(units / multi)
