"""Lint: each broken definition produces exactly the problems its header announces.

A file in ``tests/fixtures/formdefs/broken/`` starts with comment lines::

    # expect: 12: unknown field type "txt"      (line, then a fragment of the message)
    # with: other.yaml                          (another broken file linted in the same batch)

It is linted together with ``valid/`` (the parents variants derive from), against the database's
code tables and regions, as ``flask formdefs lint`` does.
"""
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from app.commands.publish import db_lint_context
from app.engine.lint import LintContext, lint_batch, lint_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formdefs"
BROKEN, VALID = FIXTURES / "broken", FIXTURES / "valid"
EXPECT = re.compile(r"# expect: (\d+): (.+)")
WITH = re.compile(r"# with: (.+)")


@pytest.fixture
def english(ctx):
    """Messages in English (the msgids), whatever the Chinese catalogue says."""
    with force_locale("en"):
        yield ctx


def _batch(path: Path) -> dict[str, str]:
    files = {str(p): p.read_text(encoding="utf-8") for p in sorted(VALID.glob("*.yaml"))}
    text = path.read_text(encoding="utf-8")
    for other in WITH.findall(text):
        files[str(BROKEN / other.strip())] = (BROKEN / other.strip()).read_text(encoding="utf-8")
    files[str(path)] = text
    return files


@pytest.mark.parametrize("name", sorted(p.name for p in BROKEN.glob("*.yaml")))
def test_broken_definition_reports_exactly_its_problems(english, name):
    path = BROKEN / name
    expected = [(int(line), fragment.strip())
                for line, fragment in EXPECT.findall(path.read_text(encoding="utf-8"))]
    assert expected, f"{name} announces no problem"
    problems = lint_batch(_batch(path), db_lint_context())[str(path)].problems
    unmatched = list(problems)
    for line, fragment in expected:
        match = next((p for p in unmatched if p.line == line and fragment in p.message), None)
        assert match is not None, f"{name}: no problem at line {line} with {fragment!r} in " \
                                  f"{[str(p) for p in problems]}"
        unmatched.remove(match)
    assert unmatched == [], f"{name}: unexpected problems"
    assert problems == sorted(problems, key=lambda p: (p.line, p.message))
    assert all(p.path == str(path) for p in problems)


def test_valid_fixtures_and_bundled_definitions_lint_clean(english):
    bundled = Path(__file__).resolve().parents[2] / "app" / "formdefs"
    files = {str(p): p.read_text(encoding="utf-8")
             for folder in (VALID, bundled) for p in sorted(folder.rglob("*.yaml"))}
    problems = [str(p) for checked in lint_batch(files, db_lint_context()).values()
                for p in checked.problems]
    assert problems == []


def test_lint_without_database_skips_what_needs_it():
    text = (BROKEN / "fields_meaning.yaml").read_text(encoding="utf-8")
    messages = [p.message for p in lint_text(text, "x.yaml")]
    assert not any("dictionary" in m for m in messages)  # no code tables known: not checked
    assert any("never shown" in m for m in messages)
    known = lint_text(text, "x.yaml", LintContext(known_dictionaries={"psn_cert_type"}))
    assert any('unknown dictionary "no_such_table"' in p.message for p in known)


def test_problem_prints_as_path_line_message():
    problems = lint_text("schema: 1\ncode: x\nregion: '130000'\nname: 名\npages: 3\n"
                         "approval: [{key: a, name: 审, level: county}]\n", "f.yaml")
    assert [str(p) for p in problems] == ["f.yaml:5: pages: must be a list"]


def test_every_problem_at_once_sorted_by_line():
    text = (BROKEN / "shape_materials_steps.yaml").read_text(encoding="utf-8")
    lines = [p.line for p in lint_text(text, "x.yaml")]
    assert len(lines) == 10 and lines == sorted(lines)


def test_unknown_key_hint_in_both_languages(ctx):
    text = (BROKEN / "unknown_key_hints.yaml").read_text(encoding="utf-8")
    for locale, aproval, colour in (
            ("zh", "未知键“aproval”：是不是要写“approval”？", "text 类型的字段不支持键“colour”"),
            ("en", 'unknown key "aproval": did you mean "approval"?',
             'unknown key "colour" for a field of type text')):
        with force_locale(locale):
            messages = {p.line: p.message for p in lint_text(text, "x.yaml")}
        assert messages[16] == aproval and messages[24] == colour  # nothing close: no hint
