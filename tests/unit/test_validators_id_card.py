"""Tests for resident ID number validation (SECURITY_TESTS D1, D3)."""
from datetime import date, datetime

import flask
import pytest
from hypothesis import given, strategies as st

from app.validators import ValidationError, canonical_id_number, id_number_facts, normalize_text
from app.validators.id_card import PROVINCE_CODES

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
TODAY = date(2024, 6, 1)


def check_char(body17):
    """Compute the GB 11643 check character independently of stdnum."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, WEIGHTS)) % 11]


def make_id(body17):
    return body17 + check_char(body17)


def refused(value, code, **kwargs):
    with pytest.raises(ValidationError) as info:
        canonical_id_number(value, today=TODAY, **kwargs)
    assert info.value.code == code, (info.value.code, str(info.value))
    assert str(info.value)  # a readable message, no app needed
    return info.value


def test_sample_is_valid():
    assert canonical_id_number("11010519491231002X") == "11010519491231002X"


def test_lower_case_x_is_upper_cased():
    assert canonical_id_number("11010519491231002x") == "11010519491231002X"


def test_full_width_digits_and_spaces_are_normalised():
    assert canonical_id_number(" １１０１０５ １９４９１２３１ ００２ｘ\u3000") == "11010519491231002X"


def test_wrong_check_digit_is_refused():
    error = refused("110105194912310021", "check_digit")
    assert "check digit" in str(error)


def test_impossible_date_is_refused():
    refused(make_id("11010519900230123"), "birth_date")


def test_future_birth_date_is_refused_and_today_is_accepted():
    refused(make_id("11010520240602123"), "birth_future")
    assert canonical_id_number(make_id("11010520240601123"), today=TODAY).endswith(
        check_char("11010520240601123"))
    assert canonical_id_number(make_id("11010520240601123"), today=datetime(2024, 6, 1, 9))


def test_birth_before_1900_is_refused():
    refused(make_id("11010518991231123"), "birth_too_early")


def test_bad_province_is_refused():
    refused(make_id("99010519491231002"), "province")
    refused(make_id("84000019491231002"), "province")


def test_taiwan_residence_permit_number_is_accepted():
    permit = make_id("83000019800101002")
    assert canonical_id_number(permit, today=TODAY) == permit


def test_legacy_15_digit_number_is_upgraded():
    full = make_id("13020319800101123")
    legacy = full[:6] + full[8:17]
    assert len(legacy) == 15
    assert canonical_id_number(legacy) == full
    assert canonical_id_number("110105491231002") == "11010519491231002X"


def test_legacy_number_with_impossible_date_is_refused():
    refused("130203800230123", "birth_date")


def test_region_valid_since_1999_with_1990_birth_is_accepted():
    # stdnum.cn.ric.validate rejects this (通川区 511702 dates from 1999); we must not.
    number = make_id("51170219900101123")
    assert canonical_id_number(number, today=TODAY) == number == "511702199001011231"
    assert id_number_facts(number) == (date(1990, 1, 1), "male", "511702")


def test_region_known_callable_is_consulted():
    seen = []

    def known(code):
        seen.append(code)
        return code == "110105"

    assert canonical_id_number("11010519491231002X", region_known=known)
    refused(make_id("51170219900101123"), "region", region_known=known)
    assert seen == ["110105", "511702"]


@pytest.mark.parametrize("value, code", [
    ("", "required"), (None, "required"), ("   ", "required"),
    ("1101051949123100", "length"), ("11010519491231002X1", "length"),
    ("11010519491231X02X", "characters"), ("11010549123100X", "characters"),
    ("110105194912310０2\u0663", "characters"),  # Arabic-Indic digit is not a digit here
    ("11010519491231002\x00", "control_character"), ("\x0011010519491231002X", "control_character"),
    ("1" * 33, "too_long"), ("1" * 100_000, "too_long"), (110105194912310021, "type"),
])
def test_malformed_input_is_refused_with_a_code(value, code):
    refused(value, code)


def test_facts_give_sex_and_refuse_non_canonical():
    assert id_number_facts("11010519491231002X") == (date(1949, 12, 31), "female", "110105")
    with pytest.raises(ValidationError):
        id_number_facts("11010519491231002x")


def test_message_renders_outside_and_inside_an_app_without_babel():
    error = refused("110105194912310021", "check_digit")
    expected = "The ID number's check digit is wrong."
    assert str(error) == expected
    with flask.Flask(__name__).app_context():  # lazy_gettext raises KeyError here
        assert str(error) == expected
        assert expected in repr(error)
    region = refused(make_id("51170219900101123"), "region", region_known=lambda c: False)
    with flask.Flask(__name__).app_context():
        assert "511702" in str(region)


def test_normalize_text_rules():
    assert normalize_text(" ＡＢＣ１２３ ") == "ABC123"
    assert normalize_text("a\tb\r\nc") == "a\tb\r\nc"
    for bad in ("a\x00b", "a\x1fb", "a\x7fb", "ab\x1c", "a\ud800b"):
        with pytest.raises(ValidationError):
            normalize_text(bad)


bodies = st.builds(
    lambda prov, area, born, order: f"{prov}{area}{born:%Y%m%d}{order}",
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.from_regex(r"[0-9]{3}", fullmatch=True),
)


@given(bodies)
def test_any_body_with_its_check_digit_validates(body):
    number = make_id(body)
    assert canonical_id_number(number, today=TODAY) == number
    assert canonical_id_number(number.lower(), today=TODAY) == number


@given(bodies, st.sampled_from("0123456789X"))
def test_any_other_check_digit_is_refused(body, wrong):
    if wrong == check_char(body):
        wrong = "X" if wrong != "X" else "0"
    refused(body + wrong, "check_digit")


@given(st.text(max_size=40))
def test_arbitrary_text_is_canonicalised_or_refused_never_crashes(text):
    try:
        result = canonical_id_number(text, today=TODAY)
    except ValidationError as error:
        assert error.code and str(error)
    else:
        assert len(result) == 18 and result[17] == check_char(result[:17])


def test_residence_permit_address_codes_are_known_regions():
    from app.commands.regions import known_region_code

    assert known_region_code("830000") and known_region_code("810000")
    assert known_region_code("130203")
    assert not known_region_code("830100")
