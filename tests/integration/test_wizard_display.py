"""Answers as the confirmation and 我要查 pages show them: labels, dates, 元, rows, masks."""
import pytest
from flask_babel import force_locale

from app.commands.applications.context import engine_context
from app.views.citizen.answer_display import sections, show_value

CHOICES = [{"value": "a", "label": {"zh": "甲", "en": "A"}},
           {"value": "b", "label": {"zh": "乙", "en": "B"}}]


@pytest.fixture
def zh(app):
    with app.test_request_context("/"):
        yield engine_context("130203", "zh")


@pytest.mark.parametrize("field, value, shown", [
    ({"type": "money"}, "12000.5", "12,000.50 元"),
    ({"type": "date"}, "2026-03-01", "2026年3月1日"),
    ({"type": "daterange"}, {"start": "2026-03-01", "end": "2026-03-02"},
     "2026年3月1日 – 2026年3月2日"),
    ({"type": "radio", "options": CHOICES}, "b", "乙"),
    ({"type": "checkboxes", "options": CHOICES}, ["a", "b"], "甲、乙"),
    ({"type": "yesno"}, True, "是"),
    ({"type": "dictionary", "dictionary": "insutype"}, "310", "职工基本医疗保险"),
    ({"type": "region"}, "130203", "河北省 唐山市 路北区"),
    ({"type": "acknowledge"}, True, "已确认"),
    ({"type": "signature"}, {"kind": "typed", "value": "李明",
                             "signed_at": "2026-11-20T10:00:00+08:00"},
     "李明（签署于2026年11月20日 10:00）"),
    ({"type": "signature"}, {"kind": "typed", "value": "李明",  # UTC stored: China time shown
                             "signed_at": "2026-11-20T02:00:00+00:00"},
     "李明（签署于2026年11月20日 10:00）"),
    ({"type": "text"}, "<b>x</b>", "<b>x</b>"),  # text: autoescaped by the template
])
def test_values_read_as_a_person_reads_them(zh, field, value, shown):
    assert show_value({"key": "k", **field}, value, zh) == shown


def test_checked_options_are_joined_as_the_language_joins_them(app):
    field = {"key": "k", "type": "checkboxes", "options": CHOICES}
    with app.test_request_context("/"), force_locale("en"):
        assert show_value(field, ["a", "b"], engine_context("130203", "en")) == "A, B"


def test_personal_numbers_are_masked_outside_the_confirmation(zh):
    field = {"key": "id", "type": "id_card"}
    assert show_value(field, "13020319800101001X", zh) == "13020319800101001X"
    assert "*" in show_value(field, "13020319800101001X", zh, mask=True)


def test_sections_follow_pages_and_rows(zh):
    definition = {"pages": [
        {"key": "p", "title": {"zh": "页"}, "fields": [
            {"key": "note", "type": "display", "label": {"zh": "说明"}},
            {"key": "users", "type": "repeat", "label": {"zh": "使用人"}, "fields": [
                {"key": "name", "type": "text", "label": {"zh": "姓名"}}]}]},
        {"key": "empty", "title": {"zh": "空"}, "fields": [
            {"key": "x", "type": "text", "label": {"zh": "X"}}]}]}
    shown = sections(definition, {"users": [{"name": "王芳"}, {"name": "李老"}]}, zh)
    assert [s.title for s in shown] == ["页"]
    row = shown[0].rows[0]
    assert row.label == "使用人" and [[c.value for c in r] for r in row.rows] == [["王芳"],
                                                                               ["李老"]]
