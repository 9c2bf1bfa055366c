"""The designer's result document page (/items/<id>/document): written in the browser in both
languages, lint's messages at the input, the placeholders listed, a preview with samples, and
the item page's section (inherited/overridden on a variant)."""
import re

from tests.integration.designer_support import PROVINCE, field_errors, item, load, staff, text
from tests.integration.test_designer_variants import adapt

DOCUMENT = {"title_zh": "津贴发放凭证", "title_en": "Allowance certificate",
            "body_zh": "兹证明 **{{person.name}}** 申领 {{answers.amount}} 元，办件编号 {{serial}}。",
            "body_en": "{{person.name}} claimed {{answers.amount}}."}


def test_an_administrator_writes_previews_and_saves_the_document(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    assert "result_document" not in it.draft
    overview = text(client.get(f"/items/{it.id}/"))
    assert f'href="/items/{it.id}/document"' in overview
    assert "None: approving delivers no document." in overview
    page = text(client.get(f"/items/{it.id}/document"))
    assert "{{answers.amount}}" in page and "{{enrollment.period}}" in page
    assert "{{answers.children}}" not in page  # a repeat has no short answer
    response = client.post(f"/items/{it.id}/document", data={
        **DOCUMENT, "revision": it.revision, "_action": "preview",
        "sample__answers.amount": "1,200.00"})
    html = text(response)
    assert response.status_code == 200
    preview = re.search(r'class="panel panel-default document-preview" lang="zh">(.*?)</div></div>',
                        html, re.S).group(1)
    assert "津贴发放凭证" in preview and "<strong>张三</strong>" in preview
    assert "1,200.00" in preview
    assert "result_document" not in item().draft  # a preview saves nothing
    response = client.post(f"/items/{it.id}/document", data={
        **DOCUMENT, "revision": it.revision, "_action": "save"})
    assert response.status_code == 302, text(response)
    assert item().draft["result_document"] == {
        "title": {"zh": "津贴发放凭证", "en": "Allowance certificate"},
        "body": {"zh": DOCUMENT["body_zh"], "en": DOCUMENT["body_en"]}}
    overview = text(client.get(f"/items/{it.id}/"))
    assert re.search(r'id="document-title"><th>[^<]*</th><td>津贴发放凭证', overview)


def test_lint_messages_stand_at_the_input_they_are_about(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    response = client.post(f"/items/{it.id}/document", data={
        "title_zh": "凭证 {{answers.nosuch}}", "body_zh": "参保期间 {{enrollment.period}}",
        "revision": it.revision, "_action": "save"})
    assert response.status_code == 302
    html = text(client.get(f"/items/{it.id}/document"))
    title = re.search(r'id="input-title_zh">(.*?)</div>', html, re.S).group(1)
    body = re.search(r'id="input-body_zh">(.*?)</div>', html, re.S).group(1)
    assert "names no question of the item" in " ".join(field_errors(title))
    assert "the document has no &#34;enrollment&#34;" in " ".join(field_errors(body))
    response = client.post(f"/items/{it.id}/document", data={
        "title_zh": "凭证", "body_zh": "参保期间 {{enrollment.period}}",
        "body_en": "Insured {{enrolment.period}}", "enrollment": 'e.statu == "1"',
        "revision": item().revision, "_action": "save"})
    assert response.status_code == 302
    html = text(client.get(f"/items/{it.id}/document"))
    body_en = re.search(r'id="input-body_en">(.*?)</div>', html, re.S).group(1)
    condition = re.search(r'id="input-enrollment">(.*?)</div>', html, re.S).group(1)
    assert "enrolment.period" in " ".join(field_errors(body_en))
    assert "statu" in " ".join(field_errors(condition))
    assert not field_errors(re.search(r'id="input-body_zh">(.*?)</div>', html, re.S).group(1))
    response = client.post(f"/items/{it.id}/document", data={
        "title_zh": "凭证", "body_zh": "参保期间 {{enrollment.period}}",
        "enrollment": 'e.status == "1"', "revision": item().revision, "_action": "save"})
    assert response.status_code == 302
    assert item().draft["result_document"]["enrollment"] == 'e.status == "1"'
    assert not field_errors(text(client.get(f"/items/{it.id}/document")))
    response = client.post(f"/items/{it.id}/document", data={
        "revision": item().revision, "_action": "save"})  # emptied: the item delivers none
    assert response.status_code == 302 and "result_document" not in item().draft


def test_a_variant_shows_the_document_it_inherits_and_overrides(client, ctx):
    variant = adapt(client)
    html = text(client.get(f"/items/{variant.id}/"))
    assert re.search(r'<strong>Result document</strong> <span class="label label-default">'
                     r'inherited', html)
    response = client.post(f"/items/{variant.id}/document", data={
        **DOCUMENT, "revision": variant.revision, "_action": "save"})
    assert response.status_code == 302, text(response)
    assert item("demo_allowance", "130200").draft["result_document"]["title"]["zh"] == \
        "津贴发放凭证"
    html = text(client.get(f"/items/{variant.id}/"))
    assert re.search(r'<strong>Result document</strong> <span class="label label-warning">'
                     r'overridden', html)
    assert "兹证明 <strong>{{person.name}}</strong>" in html


def test_only_administrators_of_the_item_s_region_open_the_document_page(client, ctx):
    load(PROVINCE, publish=False)
    it = item()
    staff(client, "RegionAdmin", "440000")  # another province: the item does not exist for them
    assert client.get(f"/items/{it.id}/document").status_code == 404
    assert client.post(f"/items/{it.id}/document", data={
        **DOCUMENT, "revision": it.revision}).status_code == 404
    assert "result_document" not in item().draft


def test_a_reviewer_may_not_open_the_document_page(client, ctx):
    load(PROVINCE, publish=False)
    staff(client, "Reviewer")
    assert client.get(f"/items/{item().id}/document").status_code == 403
