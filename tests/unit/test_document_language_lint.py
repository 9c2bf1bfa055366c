"""``result_document.language`` (app.engine.document_language): lint refuses a key naming no
choice question, an option naming no language and a language the title or body lacks, each
at its line; the answer's option chooses the languages, in order."""
import pytest

from app.engine.document_language import document_languages
from app.engine.lint import lint_text

DEFINITION = """\
schema: 1
code: proof
region: '510000'
name: 证明
filers: [self]
time_limit_days: 3
result_document:
  title: {zh: 证明, en: Proof}
  language: %s
  body: %s
pages:
  - key: p1
    title: 页
    fields:
      - {key: lang, type: radio, label: 语言, options: [%s]}
      - {key: note, type: text, label: 说明}
approval:
  - {key: accept, name: 受理, level: county}
"""


def problems(language: str, body: str, options: str) -> list[str]:
    return [str(p) for p in lint_text(DEFINITION % (language, body, options), "x.yaml")]


def test_a_language_question_of_language_codes_passes(app):
    with app.app_context():
        assert problems("lang", "{zh: 甲, en: A}", "zh, zh_en, en_zh, en") == []


@pytest.mark.parametrize(("language", "body", "options", "said"), [
    ("note", "{zh: 甲, en: A}", "zh, en",
     'x.yaml:9: result_document: language "note" names no select or radio question'),
    ("nothing", "{zh: 甲, en: A}", "zh, en", 'x.yaml:9: result_document: language "nothing"'),
    ("lang", "{zh: 甲, en: A}", "zh, fr",
     'x.yaml:9: result_document: option "fr" of "lang" names no document language'),
    ("lang", "{zh: 甲, en: A}", "zh, zh_zh", 'option "zh_zh" of "lang" names no document'),
    ("lang", "甲", "zh, zh_en",
     'x.yaml:10: result_document: "lang" may choose en, and the body has no text in it'),
])
def test_a_language_that_cannot_choose_is_refused(app, language, body, options, said):
    with app.app_context():
        found = problems(language, body, options)
        assert any(said in problem for problem in found), found


def test_the_answer_chooses_the_languages_in_order():
    document = {"language": "lang"}
    assert document_languages(document, {"lang": "zh_en"}) == ("zh", "en")
    assert document_languages(document, {"lang": "en"}) == ("en",)
    assert document_languages(document, {}) is None  # the reader's language
    assert document_languages({}, {"lang": "zh"}) is None


BLOCKS = DEFINITION.replace("  body: %s", "  body: '%s'") % (
    "lang", "%s", "zh")


@pytest.mark.parametrize(("body", "said"), [
    ("甲{{if answers.note}}乙", '"{{if answers.note}}" opens or closes no block'),
    ("甲{{end}}", '"{{end}}" opens or closes no block'),
    ("{{if answers.note}}{{if not answers.note}}乙{{end}}", "opens or closes no block"),
    ("{{if answers.nothing}}乙{{end}}", '"{{answers.nothing}}" names no question'),
])
def test_a_broken_block_is_refused(app, body, said):
    with app.app_context():
        found = [str(p) for p in lint_text(BLOCKS % body, "x.yaml")]
        assert any(said in problem and "x.yaml:10" in problem for problem in found), found
        fine = [str(p) for p in lint_text(BLOCKS % "{{if not answers.note}}甲{{end}}",
                                          "x.yaml")]
        assert fine == [], fine


def test_a_block_shows_its_text_by_the_value():
    from app.engine.documents import render_document, render_text

    body = "甲{{if answers.p}}（{{answers.p}}）{{end}}{{if not answers.p}}全部{{end}}"
    assert str(render_document(body, {"answers.p": "2020"})).strip() == "<p>甲（2020）</p>"
    assert str(render_document(body, {})).strip() == "<p>甲全部</p>"
    assert render_text(body, {"answers.p": " "}) == "甲全部"


AUTO = """\
schema: 1
code: proof
region: '510000'
name: 证明
filers: [self]
time_limit_days: 3
result_document:
  title: 证明
  body: '用途：{{answers.detail}}'
pages:
  - key: p1
    title: 页
    fields:
      - {key: purpose, type: radio, label: 用途, required: true, options: [a, other]}
      - {key: detail, type: text, label: 说明, visible_when: 'purpose == "other"'}
approval:
  - {key: auto, name: 自动, when: '%s', auto: 'filer == "self"'}
  - {key: accept, name: 受理, level: county}
"""


def test_an_answer_no_rule_approves_is_not_warned_about(app):
    from app.engine.lint import check_text

    with app.app_context():
        never = check_text(AUTO % 'purpose != "other"', "x.yaml").warnings
        assert not [w for w in never if "answers.detail" in str(w)], never
        sometimes = check_text(AUTO % 'purpose != "a"', "x.yaml").warnings
        assert any("{{answers.detail}}" in str(w) for w in sometimes), sometimes
