"""What a repeating group may hold: not a field showing the person's records (enrollments: the
same table on every row), refused by lint at its line; and a text without English is exported
as a plain string, a display's in a row too, never ``en: null``."""
from app.engine.export import export
from app.engine.lint import lint_text
from app.engine.schema import load_definition
from app.yamlio import load_with_lines

HEAD = ("schema: 1\ncode: rows\nregion: '130000'\nname: 行\npages:\n  - key: p\n    title: 页\n"
        "    fields:\n      - key: members\n        type: repeat\n        label: 成员\n"
        "        fields:\n          - {key: name, type: text, label: 姓名}\n")
STEPS = "approval:\n  - {key: accept, name: 受理, role: Reviewer, level: province}\n"


def test_enrollments_in_a_repeat_is_refused_at_its_line():
    text = HEAD + "          - {key: insured, type: enrollments, label: 参保记录}\n" + STEPS
    problems = lint_text(text, "rows.yaml")
    assert [(p.line, "enrollments" in p.message and "repeating group" in p.message)
            for p in problems] == [(14, True)]


def test_ordinary_columns_and_a_display_are_fine():
    text = HEAD + "          - {key: note, type: display, label: 说明, text: 每行填写一人}\n" + STEPS
    assert lint_text(text, "rows.yaml") == []


def test_a_display_text_without_english_is_exported_plain_in_a_row_too():
    source, errors = load_definition({
        "schema": 1, "code": "rows", "region": "130000", "name": "行", "pages": [{
            "key": "p", "title": "页", "fields": [
                {"key": "intro", "type": "display", "label": "说明",
                 "text": {"zh": "顶层", "en": None}},
                {"key": "members", "type": "repeat", "label": "成员",
                 "add_label": {"zh": "再加一人", "en": None}, "fields": [
                     {"key": "note", "type": "display", "label": "说明",
                      "text": {"zh": "每行", "en": None}}]}]}]})
    assert errors == []
    written = export(source)
    assert "null" not in written
    assert "text: 每行" in written and "text: 顶层" in written and "add_label: 再加一人" in written
    assert export(load_definition(load_with_lines(written))[0]) == written
