"""A date field's min and max are said in the reader's way of writing dates, as every other
Chinese page writes them (2026年11月25日), not as ISO text."""
import pytest
from flask_babel import force_locale

from app.engine.fields.dates import _bounded
from app.validators import ValidationError


@pytest.mark.parametrize("locale, said", [
    ("zh", "日期不能早于2026年11月25日。"), ("en", "The date must be on or after November 25, 2026.")])
def test_the_earliest_date_is_said_in_the_readers_style(app, locale, said):
    with pytest.raises(ValidationError) as refused:
        _bounded("2026-11-01", {"min": "2026-11-25"}, None)
    with app.test_request_context("/"), force_locale(locale):
        assert str(refused.value.message) == said


def test_the_latest_date_is_said_in_the_readers_style(app):
    with pytest.raises(ValidationError) as refused:
        _bounded("2027-01-01", {"max": "2026-12-31"}, None)
    with app.test_request_context("/"), force_locale("zh"):
        assert "2026年12月31日" in str(refused.value.message)
