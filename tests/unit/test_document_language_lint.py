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
