"""The publish page names settings and parts by their labels in lint's messages (列表摘要（问题键）：…,
显示条件（表达式）…), in the page's language; ``flask formdefs lint`` keeps the keys."""
import html as html_module

from app.commands.drafts import SaveDraftCommand
from tests.integration.designer_support import CITY, PROVINCE, item, load, staff, text


def _field(draft, key):
    return next(f for p in draft["pages"] for f in p["fields"] if f["key"] == key)


def broken_province():
    """The province's draft with a wrong summary, an unknown name in a field's and a material's
    condition, a rule that does not compile and a step condition on an unknown name."""
    load(PROVINCE, publish=False)
    it = item()
    draft = dict(it.draft, summary=["nosuch"])
    _field(draft, "special_type")["visible_when"] = 'specail == "1"'
    _field(draft, "amount")["rules"] = [{"check": "amount >", "message": "金额须大于0"}]
    draft["materials"][1] = dict(draft["materials"][1], required_when='filer == "agent" || x')
    draft["approval"][1] = dict(draft["approval"][1], when="amount > limit")
    SaveDraftCommand(it, draft, it.revision).run()
    return item()


def publish_page(client, it) -> str:
    return html_module.unescape(text(client.get(f"/items/{it.id}/publish")))


def test_publish_page_names_settings_by_their_labels(client, ctx):
    it = broken_province()
    staff(client)
    html = publish_page(client, it)
    assert 'Summary on list rows (question keys): unknown field "nosuch"' in html
    assert 'Visible when (expression) uses "specail"' in html
    assert "Rule 1: Expression does not compile" in html
    assert 'Required when (expression) uses "x"' in html
    assert 'Only when (expression) uses "limit"' in html
    for key in ("summary:", "visible_when of", "rule 1 of", "required_when of", "when of step"):
        assert key not in html, key
    client.get("/lang/zh")
    html = publish_page(client, it)
    assert "列表摘要（问题键）：未知字段“nosuch”" in html
    assert "显示条件（表达式）引用了“specail”" in html
    assert "第1条规则：" in html
    for key in ("summary：", "visible_when", "的第1条规则", "required_when", "when引用"):
        assert key not in html, key


def test_the_command_line_keeps_the_keys(app, runner, tmp_path):
    with app.app_context():
        it = broken_province()
        path = tmp_path / "demo_allowance.yaml"
        path.write_text(it.draft_text, encoding="utf-8")
    result = runner.invoke(args=["formdefs", "lint", str(path)])
    assert result.exit_code == 1
    assert 'summary: unknown field "nosuch"' in result.output
    assert 'visible_when of field "special_type" uses "specail"' in result.output
    assert 'rule 1 of field "amount": Expression does not compile' in result.output
    assert 'required_when of material "agent_id" uses "x"' in result.output
    assert 'when of step "review" uses "limit"' in result.output


def test_another_parts_setting_is_named_by_both_labels(client, ctx):
    """A variant hides a field another field's condition reads: the problem stands at the
    hidden field and names the other by its label and its setting's."""
    load(PROVINCE)
    load(CITY, publish=False)
    variant = item("demo_allowance", "130200")
    draft = dict(variant.draft)
    draft["pages"] = [{"key": "applicant", "fields": [{"key": "special", "hidden": True}]}]
    SaveDraftCommand(variant, draft, variant.revision).run()
    staff(client, "RegionAdmin", "130200")
    html = publish_page(client, variant)
    assert ('"special" cannot be hidden: Visible when (expression) of field "特殊人员类型" '
            "uses it") in html
    client.get("/lang/zh")
    html = publish_page(client, variant)
    assert "不能隐藏“special”：字段“特殊人员类型”的 显示条件（表达式）引用了它" in html
