"""The route id pattern takes exactly the numbers from 0 to its bound (app.url_ids)."""
import re

from hypothesis import given
from hypothesis import strategies as st

from app.url_ids import digits_up_to
from app.views.admin.list_guard import MAX_INTEGER_ID


@given(bound=st.integers(0, 10 ** 12), number=st.integers(0, 10 ** 13))
def test_the_pattern_takes_the_numbers_up_to_its_bound(bound, number):
    pattern = re.compile(digits_up_to(bound) + r"\Z")
    for value in (number, bound, bound + 1, max(bound - 1, 0)):
        assert bool(pattern.match(str(value))) == (value <= bound), (bound, value)


def test_the_id_bound():
    pattern = re.compile(digits_up_to(MAX_INTEGER_ID) + r"\Z")
    assert pattern.match("2147483647") and pattern.match("0") and pattern.match("007")
    for refused in ("2147483648", "9223372036854775808", "99999999999999999999999", "１", "-1"):
        assert not pattern.match(refused), refused
