"""Reference numbers: short, read aloud and keyed on a phone pad safely, with a check character.

A reference is the city's prefix, a dash, and random Crockford base32 characters (no I, L, O, U)
followed by a Luhn mod 32 check character, which catches every single mistyped character and
every swap of two neighbours. Example: SF-4K7Q2XB.
"""

import secrets

from cps.locales import ascii_digits

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# What people type for the characters the alphabet leaves out.
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})
# Where the random characters come from (tests seed their own to draw a reference twice).
_random = secrets.SystemRandom()


def check_character(body: str) -> str:
    """The Luhn mod 32 check character for `body` (Crockford characters)."""
    total, factor = 0, 2
    for ch in reversed(body):
        addend = factor * _VALUE[ch]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def new_reference(prefix: str, length: int = 6) -> str:
    """A new random reference for a city with `prefix`."""
    body = "".join(_random.choice(ALPHABET) for _ in range(length))
    return f"{prefix}-{body}{check_character(body)}"


def normalize(text: str, prefix: str) -> str | None:
    """Canonical form of a typed reference, or None when it is malformed or fails its check.

    Accepts lower case, spaces and dashes anywhere, a missing prefix, and I/L/O/U typed for 1/0/V.
    """
    compact = "".join(ch for ch in ascii_digits(text or "").upper() if ch.isalnum())
    if compact.startswith(prefix.upper()):
        compact = compact[len(prefix):]
    compact = compact.translate(_READ_AS)
    if len(compact) < 3 or any(ch not in _VALUE for ch in compact):
        return None
    body, check = compact[:-1], compact[-1]
    if check_character(body) != check:
        return None
    return f"{prefix.upper()}-{body}{check}"
