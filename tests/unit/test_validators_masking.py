"""Tests for display masking (SECURITY_TESTS F1)."""
import pytest
from hypothesis import given, strategies as st

from app.validators import mask_bank_account, mask_id_number, mask_mobile, mask_name

digits18 = st.from_regex(r"[0-9]{17}[0-9X]", fullmatch=True)


def test_examples():
    assert mask_id_number("130203199001011234") == "1302**********1234"
    assert mask_id_number("130203900101123") == "1302********123"
    assert mask_mobile("13800138000") == "138****8000"
    assert mask_bank_account("6222021234561234") == "************1234"
    assert mask_name("张三丰") == "张**"
    assert mask_name("张三") == "张*"


@pytest.mark.parametrize("func", [mask_id_number, mask_mobile, mask_bank_account, mask_name])
@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_gives_empty(func, value):
    assert func(value) == ""


@pytest.mark.parametrize("func", [mask_id_number, mask_mobile, mask_bank_account, mask_name])
@pytest.mark.parametrize("value", ["张", "1", "12", b"\xff", 3.5, object(), "\ud800", "a\x00b"])
def test_odd_input_never_raises_and_masks_most(func, value):
    result = func(value)
    assert isinstance(result, str)
    assert sum(c != "*" for c in result) <= max(1, len(result) // 2)


def test_single_character_name_is_fully_masked():
    assert mask_name("张") == "*"


def test_full_width_and_spaced_id_is_masked():
    assert mask_id_number("１３０２ ０３１９ ９００１ ０１１２ ３４") == "1302**********1234"


@given(digits18, st.text(alphabet=" \t", max_size=3), st.text(alphabet=" \t", max_size=3))
def test_id_birth_digits_are_never_shown(number, before, after):
    masked = mask_id_number(before + number + after)
    assert len(masked) == 18
    assert masked[6:14] == "*" * 8
    assert masked[:4] == number[:4] and masked[14:] == number[14:]


@given(digits18, st.integers(0, 17).filter(lambda cut: cut != 15))
def test_truncated_id_never_shows_birth_digits(number, cut):
    # 15 characters are read as a legacy number (see the next test), not as a truncated one.
    masked = mask_id_number(number[:cut])
    assert set(masked[6:14]) <= {"*"}
    assert set(masked[min(4, len(masked) // 3):min(14, len(masked))]) <= {"*"}


@given(st.from_regex(r"[0-9]{15}", fullmatch=True))
def test_legacy_id_birth_digits_are_never_shown(number):
    masked = mask_id_number(number)
    assert masked[4:12] == "*" * 8  # birth date YYMMDD is at positions 7-12
    assert masked[:4] == number[:4] and masked[12:] == number[12:]


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_mobile_middle_is_hidden(number):
    masked = mask_mobile(number)
    assert masked == number[:3] + "****" + number[7:]


@given(st.from_regex(r"[0-9]{12,19}", fullmatch=True))
def test_bank_account_shows_last_four_only(number):
    masked = mask_bank_account(number)
    assert masked == "*" * (len(number) - 4) + number[-4:]


@given(st.text(max_size=50))
def test_arbitrary_text_never_raises(text):
    for func in (mask_id_number, mask_mobile, mask_bank_account, mask_name):
        assert isinstance(func(text), str)
