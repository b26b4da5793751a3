"""Reference numbers: short, unambiguous, and a typo never finds someone else's complaint."""

import itertools

from cps.complaints.references import ALPHABET, check_character, new_reference, normalize


def test_a_new_reference_has_prefix_body_and_check():
    ref = new_reference("SF")
    assert ref.startswith("SF-") and len(ref) == 3 + 7
    assert set(ref[3:]) <= set(ALPHABET)


def test_typed_variants_normalise_to_the_same_reference():
    ref = new_reference("SF")
    body = ref[3:]
    for typed in (ref.lower(), body, f"sf {body[:3]} {body[3:]}", f" {ref} "):
        assert normalize(typed, "SF") == ref


def test_look_alike_letters_read_as_digits():
    body = "1O0L2"
    canonical = "10012"
    ref = f"SF-{canonical}{check_character(canonical)}"
    assert normalize(f"SF-{body}{check_character(canonical)}", "SF") == ref


def test_every_single_character_typo_is_caught():
    body = "7K3M9Q"
    ref = body + check_character(body)
    for i, ch in itertools.product(range(len(ref)), ALPHABET):
        if ch != ref[i]:
            assert normalize(ref[:i] + ch + ref[i + 1:], "SF") is None


def test_every_swap_of_neighbours_is_caught():
    body = "7K3M9Q"
    ref = body + check_character(body)
    for i in range(len(ref) - 1):
        if ref[i] != ref[i + 1]:
            assert normalize(ref[:i] + ref[i + 1] + ref[i] + ref[i + 2:], "SF") is None


def test_malformed_input_is_refused():
    for typed in ("", "SF-", "SF-@@@@", "x" * 500, None):
        assert normalize(typed, "SF") is None
