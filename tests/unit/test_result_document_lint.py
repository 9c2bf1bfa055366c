"""``result_document`` (the document an approved application delivers): its shape, the lint of
its placeholders (by line), variants, the canonical export, and rendering with hostile answers."""
from app.engine.documents import placeholders, render_document, render_text
from app.engine.export import export
from app.engine.lint import lint_batch, lint_text
from app.engine.schema import load_definition
from app.yamlio import load_with_lines

BASE = """\
schema: 1
code: certificate
region: '510000'
name: 出具凭证
filers: [self]
time_limit_days: 3
result_document:
  title: {zh: 参保凭证, en: Certificate}
  body:
    zh: |
      兹证明 **{{person.name}}**（{{ person.id_number }}）参加{{answers.kind}}。

      {{agency}} {{approved_on}} {{serial}} {{item}}
    en: "{{person.name}} is enrolled in {{answers.kind}}."
pages:
  - key: p1
    title: 页
    fields:
      - key: kind
        type: radio
        label: 类型
        options: ['1', '2']
      - key: people
        type: repeat
        label: 人员
        fields:
          - {key: who, type: text, label: 姓名}
      - {key: sign, type: signature, label: 签名}
approval:
  - {key: accept, name: 受理, level: county}
"""


def problems(text: str) -> list[str]:
    return [str(p) for p in lint_text(text, "x.yaml")]


def test_a_document_with_known_placeholders_passes_and_loads(app):
    with app.app_context():
        assert problems(BASE) == []
        definition, errors = load_definition(load_with_lines(BASE))
    assert errors == []
    assert definition["result_document"]["title"] == {"zh": "参保凭证", "en": "Certificate"}


def test_unknown_and_malformed_placeholders_are_lint_errors_at_their_line(app):
    broken = (BASE.replace("{{agency}}", "{{agency_name}}")
              .replace("{{serial}}", "{{ serial | upper }}")
              .replace("{{item}}", "{{answers.missing}} {{answers.who}} {{answers.sign}}")
              .replace('en: "{{person.name}}', 'en: "{{person.name}'))
    with app.app_context():
        found = problems(broken)
    assert len(found) == 6, found
    # Each at its own line: the block's placeholders on line 13, the unclosed one on 14.
    assert all(p.startswith("x.yaml:13:") for p in found if '"{{" is no' not in p), found
    assert [p for p in found if '"{{" is no' in p][0].startswith("x.yaml:14:"), found
    text = "\n".join(found)
    for part in ('unknown placeholder "{{agency_name}}"', '"{{ serial | upper }}" is no placeholder',
                 '"{{answers.missing}}" names no question', '"{{answers.who}}" names no question',
                 '"{{answers.sign}}" is a signature question', '"{{" is no placeholder'):
        assert part in text, (part, found)


def test_the_document_needs_a_title_and_a_body(app):
    text = BASE.replace("  title: {zh: 参保凭证, en: Certificate}\n", "")
    with app.app_context():
        found = problems(text)
    assert found == ['x.yaml:7: "title" is required'], found


def test_a_variant_inherits_or_replaces_the_document_and_export_keeps_it(app):
    variant = ("schema: 1\ncode: certificate\nregion: '510100'\nderives: certificate\n"
               "result_document:\n  title: 成都凭证\n  body: '{{person.name}} {{answers.nope}}'\n")
    with app.app_context():
        checked = lint_batch({"a.yaml": BASE, "b.yaml": variant})
    assert [str(p) for p in checked["a.yaml"].problems] == []
    assert [str(p) for p in checked["b.yaml"].problems] == [
        'b.yaml:7: result_document: "{{answers.nope}}" names no question of the item '
        "(outside a repeating group)"]
    assert checked["b.yaml"].definition["result_document"]["title"]["zh"] == "成都凭证"
    with app.app_context():
        definition, _errors = load_definition(load_with_lines(BASE))
    written = export(definition)
    assert written.index("result_document:") < written.index("pages:")
    assert load_definition(load_with_lines(written))[0] == definition


def test_placeholders_are_parsed_strictly():
    assert placeholders("{{a}} {{ b.c }}") == (["a", "b.c"], [])
    assert placeholders("{{a + 1}} {{x") == ([], ["{{a + 1}}", "{{"])


def test_answers_render_inert():
    values = {"person.name": "<script>alert(1)</script>",
              "answers.kind": "[click](javascript:alert(1)) **bold** {{serial}}"}
    html = str(render_document("**{{person.name}}** in {{answers.kind}}\n\n- {{missing}}",
                               values))
    assert "<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>" in html
    assert "[click](javascript:alert(1)) **bold** {{serial}}" in html
    assert "<script" not in html and "href" not in html and "<li></li>" in html
    assert render_text("凭证 {{serial}}", {"serial": "R1"}) == "凭证 R1"
