"""Tests for USCC, bank account and postcode validation (SECURITY_TESTS D1)."""
import pytest
from hypothesis import given, strategies as st

from app.validators import (
    ValidationError, canonical_bank_account, canonical_postcode, canonical_uscc,
)

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
SAMPLE = "91110000600037341L"


def uscc_check(body):
    """Compute the GB 32100 check character independently of the module."""
    return ALPHABET[(31 - sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS)) % 31) % 31]


def luhn_digit(body):
    """Compute a Luhn check digit independently of stdnum."""
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def refused(func, value, code):
    with pytest.raises(ValidationError) as info:
        func(value)
    assert info.value.code == code
    assert str(info.value)


def test_uscc_sample_is_valid_and_normalised():
    assert uscc_check(SAMPLE[:17]) == SAMPLE[17]
    assert canonical_uscc(SAMPLE) == SAMPLE
    assert canonical_uscc(" 91110000 6000 3734 1l ") == SAMPLE
    assert canonical_uscc("９１１１００００６０００３７３４１Ｌ") == SAMPLE


def test_uscc_letter_first_code_with_correct_check_is_accepted():
    for body in ("N1110000600037341", "A1110000600037341", "Y2440300MA5D0000Q"):
        code = body + uscc_check(body)
        assert canonical_uscc(code) == code


@pytest.mark.parametrize("value, code", [
    ("91110000600037341", "length"), ("91110000600037341LL", "length"),
    ("9111000060003734IL", "characters"), ("O1110000600037341L", "characters"),
    ("91110000600037341\x00", "control_character"), ("", "required"), ("9" * 40, "too_long"),
])
def test_uscc_malformed_refused(value, code):
    refused(canonical_uscc, value, code)


@given(st.integers(0, 17), st.sampled_from(ALPHABET))
def test_uscc_any_one_character_change_is_refused(position, char):
    if SAMPLE[position] == char:
        return
    changed = SAMPLE[:position] + char + SAMPLE[position + 1:]
    refused(canonical_uscc, changed, "check_digit")


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_uscc_any_body_with_its_check_validates(body):
    code = body + uscc_check(body)
    assert canonical_uscc(code.lower()) == code


def test_bank_account_luhn_valid_and_invalid():
    body = "622202123456789012"
    good = body + luhn_digit(body)
    assert canonical_bank_account(good) == (good, True)
    spaced = " ".join(good[i:i + 4] for i in range(0, len(good), 4))
    assert canonical_bank_account(spaced) == (good, True)
    assert canonical_bank_account(good.replace(good[:4], good[:4] + "-", 1)) == (good, True)
    wrong = body + str((int(good[-1]) + 1) % 10)
    assert canonical_bank_account(wrong) == (wrong, False)  # warning flag, not an exception


@pytest.mark.parametrize("value, code", [
    ("12345678901", "length"), ("12345678901234567890", "length"),
    ("6222 0212 3456 789O", "characters"), ("6222\x0002123456789", "control_character"),
    ("", "required"), ("6" * 65, "too_long"),
])
def test_bank_account_malformed_refused(value, code):
    refused(canonical_bank_account, value, code)


def test_postcode():
    assert canonical_postcode(" 100000 ") == "100000"
    assert canonical_postcode("５１８０００") == "518000"
    for value, code in [("10000", "format"), ("1000000", "format"), ("10 0000", "format"),
                        ("abcdef", "format"), ("", "required"), ("1" * 17, "too_long")]:
        refused(canonical_postcode, value, code)


@given(st.text(max_size=30))
def test_arbitrary_text_never_crashes(text):
    for func in (canonical_uscc, canonical_bank_account, canonical_postcode):
        try:
            func(text)
        except ValidationError as error:
            assert error.code
