"""Tests for mobile number canonicalisation (SECURITY_TESTS D1)."""
import pytest
from hypothesis import given, strategies as st

from app.validators import ValidationError, canonical_mobile
from app.validators.errors import message_text


@pytest.mark.parametrize("value", [
    "+86 138 0013 8000", "8613800138000", "138-0013-8000", "13800138000",
    "１３８００１３８０００", "+86-138-0013-8000", " 138 0013 8000 ", "008613800138000",
])
def test_accepted_forms_become_11_digits(value):
    assert canonical_mobile(value) == "13800138000"


@pytest.mark.parametrize("value", ["19212345678", "16212345678", "14512345678", "17012345678"])
def test_newer_mobile_ranges_are_accepted(value):
    assert canonical_mobile(value) == value


@pytest.mark.parametrize("value, code", [
    ("10012345678", "invalid"),
    ("12012345678", "invalid"),
    ("1380013800", "length"),
    ("1380013", "length"),
    ("158081802", "length"),
    ("+86 138 0013 80001", "length"),
    ("010 8888 8888", "not_mobile"),  # Beijing fixed line
    ("+852 5123 4567", "not_cn"),
    ("+1 202 555 0147", "not_cn"),
    ("138-ABCD-8000", "characters"),
    ("13800138000 ext. 12", "characters"),
    ("138\x0000138000", "control_character"),
    ("1" * 33, "too_long"),
    ("", "required"),
    (None, "required"),
    ("+", "characters"),
    ("+86", "format"),
    ("()", "format"),
])
def test_refused_with_a_code(value, code):
    with pytest.raises(ValidationError) as info:
        canonical_mobile(value)
    assert info.value.code == code
    assert str(info.value)


@pytest.mark.parametrize("value, count", [("1380013", 7), ("158081802", 9), ("12345", 5)])
def test_a_short_mobile_is_told_it_needs_11_digits(value, count):
    with pytest.raises(ValidationError) as info:
        canonical_mobile(value)
    assert message_text(info.value.message) == (
        f"A mobile phone number has 11 digits; this one has {count}.")


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_valid_results_are_11_digit_mobiles(number):
    try:
        result = canonical_mobile(number)
    except ValidationError as error:
        assert error.code in {"invalid", "not_mobile"}
    else:
        assert result == number
        assert canonical_mobile("+86 " + number) == result


@given(st.text(max_size=40))
def test_arbitrary_text_never_crashes(text):
    try:
        result = canonical_mobile(text)
    except ValidationError as error:
        assert error.code
    else:
        assert len(result) == 11 and result.isascii() and result.isdigit()
