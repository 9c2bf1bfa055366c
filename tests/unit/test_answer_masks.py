"""One rule masks identifier answers (SECURITY_TESTS F1): mask_answer, and every masked view
that shows answers (the reviewers' pages, the citizen's masked pages, staff through the API)."""
import pytest

from app.api.applications.replies import masked_value
from app.engine.fields import EngineContext
from app.validators.masking import ANSWER_MASKS, mask_answer
from app.views.citizen.answer_display import show_value
from app.views.review.display import Formatter

ID = "440106198505050030"
CASES = [("id_card", ID, "4401**********0030"),
         ("mobile", "13800138000", "138****8000"),
         ("mobile", "138-0013-8000", "138****8000"),
         ("bank_account", "6217000000000000123", "***************0123")]


@pytest.mark.parametrize("field_type, value, masked", CASES)
def test_identifier_types_are_masked(field_type, value, masked):
    assert mask_answer(field_type, value) == masked


@pytest.mark.parametrize("field_type", ["text", "textarea", "number", "signature", "repeat",
                                        "uscc", "postcode", "", None, 3, "ID_CARD"])
def test_other_types_are_left_to_the_caller(field_type):
    assert mask_answer(field_type, ID) is None


def test_the_table_holds_the_identifier_types_only():
    assert set(ANSWER_MASKS) == {"id_card", "mobile", "bank_account"}


@pytest.mark.parametrize("field_type", sorted(ANSWER_MASKS))
@pytest.mark.parametrize("value", ["", "  ", "12", "abc", "４４０１０６１９８５０５０５００３０"])
def test_odd_values_never_raise_and_never_show_more_than_the_mask(field_type, value):
    masked = mask_answer(field_type, value)
    assert isinstance(masked, str) and len(masked.replace("*", "")) <= 8


@pytest.mark.parametrize("field_type, value, masked", CASES)
def test_reviewers_citizens_and_api_show_the_same_mask(field_type, value, masked):
    field = {"key": "answer", "type": field_type}
    ctx = EngineContext()
    assert Formatter({}, ctx)(field, value) == masked
    assert show_value(field, value, ctx, mask=True) == masked
    assert masked_value(field, value) == masked
    assert show_value(field, value, ctx) == value  # the applicant's own confirmation: in full
