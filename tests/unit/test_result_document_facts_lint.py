"""Lint warns when an item approved by rule prints an answer nobody checked in its
``result_document`` (app.engine.lint_document_facts): the document would state whatever the
applicant typed (SC-3's certificate did, security review finding 1). A warning, not an error:
the item still publishes."""
import pytest

from app.engine.lint import check_text

BASE = """\
schema: 1
code: certificate
region: '510000'
name: 出具凭证
filers: [self, agent]
result_document:
  title: {zh: 参保凭证, en: Certificate}
  body:
    zh: |
      兹证明 {{person.name}} 参加{{answers.kind}}，
      参保区划：{{ answers.place }}，用途：{{answers.purpose}}。
    en: "{{person.name}} is enrolled in {{answers.kind}} in {{answers.place}}."
pages:
  - key: p1
    title: 页
    fields:
      - key: kind
        type: text
        label: 险种
      - key: place
        type: region
        label: 区划
      - key: purpose
        type: select
        label: 用途
        options: [入学, 就业]
approval:
  - {key: auto_issue, name: 自动出具, auto: 'kind != null && place != null'}
"""
WARNING = ('x.yaml:%d: result_document: "{{answers.%s}}" prints an answer the applicant may '
           "type, and a step of this item approves by rule (auto): the document would state it "
           "unchecked. Make the question readonly, or check it against the registry with a rule "
           "reading person")


def checked(text: str):
    result = check_text(text, "x.yaml")
    return [str(p) for p in result.problems], sorted(
        str(p) for p in result.warnings if "result_document" in p.message)


def test_an_auto_step_with_typed_answers_in_the_document_warns_at_the_placeholders_line(app):
    with app.app_context():
        problems, warnings = checked(BASE)
    assert problems == []  # it still publishes
    # select offers only the definition's own words: not warned
    assert warnings == [WARNING % (10, "kind"), WARNING % (11, "place"),  # the block's lines
                        WARNING % (12, "kind"), WARNING % (12, "place")]  # a one-line text


@pytest.mark.parametrize("change", [
    # no auto step: a person reads the answers before anything is issued
    ("auto: 'kind != null && place != null'", "level: county"),
    # each read with person: by a rule, or by the auto step itself
    ("        label: 险种\n", "        label: 险种\n        rules:\n          - {check: "
     "'person.enrollments.exists(e, e.insutype == kind && e.region == place)', message: 不符}\n"),
    ("auto: 'kind != null && place != null'",
     "auto: 'person.enrollments.exists(e, e.insutype == kind && e.region == place)'"),
    # never typed: readonly (from the registry or a default)
    ("        label: 险种\n", "        label: 险种\n        readonly: true\n        prefill: "
     "person.region\n", ),
])
def test_no_warning_when_nothing_typed_is_printed_unchecked(app, change):
    text = BASE.replace(*change)
    assert text != BASE
    with app.app_context():
        problems, warnings = checked(text)
    assert problems == []
    if "readonly" in change[1]:
        assert warnings == [WARNING % (11, "place"), WARNING % (12, "place")]
    else:
        assert warnings == []
