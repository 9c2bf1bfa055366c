"""Free text is stored as typed (full-width punctuation kept), identifiers normalised; control and
bidirectional characters refused; long numbers masked in any width of digits."""
import pytest

from app.commands.applications.errors import ApplicationInvalidError
from app.commands.notifications import redact
from app.commands.reviews import ApproveCommand, RefuseCommand, ReturnCommand
from app.commands.reviews.reveal import RevealIdentityCommand
from app.engine.fields import EngineContext, get_type
from app.validators import ValidationError, normalize_text
from app.validators.text import clean_text
from tests.accounts_support import valid_id
from tests.review_support import (HB1, LUBEI, fresh, hb1, history,  # noqa: F401
                                  reviewer, submitted, workday_clock)

COMMENT = "材料齐全，同意受理（经核对）：无误！"
REASON = "号码无法接通，请核实（含区号）"


def test_clean_text_keeps_what_was_typed_and_refuses_unsafe_characters():
    assert clean_text("  材料齐全，同意受理（）ＡＢＣ  ") == "材料齐全，同意受理（）ＡＢＣ"
    assert clean_text("第一行\r\n第二行\t完") == "第一行\r\n第二行\t完"
    assert clean_text(None) == ""
    for bad, code in (("a\x00b", "control_character"), ("a\x1bb", "control_character"),
                      ("abc\u202etxt.exe", "bidi_control"), ("\u2066x\u2069", "bidi_control"),
                      (12, "type")):
        with pytest.raises(ValidationError) as error:
            clean_text(bad)
        assert error.value.code == code, bad
    with pytest.raises(ValidationError):
        clean_text("长" * 11, max_length=10)
    # Identifiers still read full-width forms as the code they are.
    assert normalize_text(" ＡＢＣ１２３ ") == "ABC123"
    with pytest.raises(ValidationError):
        normalize_text("13800\u202e138000")


def test_redact_masks_numbers_in_any_width_and_leaves_the_rest_as_written():
    subject = valid_id("13020319900101002")
    wide = subject.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    shown = redact(f"核对（身份证{wide}），卡号6222021234567890123。")
    assert shown == f"核对（身份证{subject[:4]}{'*' * 10}{subject[-4:]}），卡号{'*' * 15}0123。"


def test_decisions_store_comments_and_reasons_as_typed(hb1):
    application = submitted(HB1, answers={"mobile": "13800138000"})
    county, city = reviewer(LUBEI), reviewer("130200")
    ApproveCommand(application.id, county, COMMENT, application.lock_version).run()
    [event] = history(application, "application.approve")
    assert event.detail["comment"] == COMMENT
    missing = {"fields": {"mobile": REASON}}
    ReturnCommand(application.id, city, "请补正：手机号（本人）", fresh(application).lock_version,
                  missing).run()
    request = fresh(application).return_request
    assert request["fields"] == {"mobile": REASON}
    assert request["comment"] == "请补正：手机号（本人）"


def test_refusal_with_a_direction_override_is_refused_with_a_message(hb1):
    application = submitted(HB1)
    with pytest.raises(ApplicationInvalidError) as error:
        RefuseCommand(application.id, reviewer(LUBEI), "不符合\u202e条件",
                      application.lock_version).run()
    assert list(error.value.errors) == ["comment"]


def test_reveal_reason_is_recorded_as_typed(hb1):
    subject = valid_id("13020319900101002")
    application = submitted(HB1, subject_id_number=subject)
    assert RevealIdentityCommand(application, reviewer(LUBEI), "核对身份（窗口）").run()[0] \
        == "id_number"
    [event] = history(application, "identity.reveal")
    assert event.detail["reason"] == "核对身份（窗口）"


@pytest.mark.parametrize("kind", ["text", "textarea"])
def test_citizen_text_answers_are_kept_as_typed_unless_they_follow_a_pattern(ctx, kind):
    parse, context = get_type(kind).parser, EngineContext(locale="zh")
    assert parse("单位：某某（有限）公司，", {"key": "x", "type": kind}, context) \
        == "单位：某某（有限）公司，"
    coded = {"key": "x", "type": kind, "pattern": "[0-9]{11}"}
    assert parse("１３８００１３８０００", coded, context) == "13800138000"
    with pytest.raises(ValidationError):
        parse("a\u202eb", {"key": "x", "type": kind}, context)


def test_typed_signature_is_kept_as_typed(ctx):
    parse = get_type("signature").parser
    signed = parse({"kind": "typed", "value": "阿卜杜·热合曼（Ａ）"}, {"key": "s", "type": "signature"},
                   EngineContext(locale="zh"))
    assert signed["value"] == "阿卜杜·热合曼（Ａ）"
