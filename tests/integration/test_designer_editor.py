"""The item designer's editor over HTTP: parts added, reordered, hidden, deleted; settings by
type; CEL refused with its message; a stale save answers 409 and keeps the input."""
import html as html_module
import re

from app.models.audit import AuditEvent
from app.extensions import db
from sqlalchemy import select, func

from tests.integration.designer_support import (PROVINCE, field_errors, fields, item, load,
                                                staff, text)


def post_change(client, it, action, kind, key, **extra):
    """Click a part's button; a delete is confirmed on the page it opens first."""
    if action == "delete":
        extra.setdefault("confirmed", "1")
    return client.post(f"/items/{it.id}/change", data={
        "kind": kind, "key": key, "action": action, "revision": it.revision, **extra})


def field_form(client, it, key, kind="field") -> dict:
    """Return the part form's current values, as a browser would send them back."""
    html = text(client.get(f"/items/{it.id}/{kind}/{key}"))
    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name is None or value is None or 'type="checkbox"' in tag or 'type="radio"' in tag:
            continue
        name, value = name.group(1), value.group(1)
        data[name] = html_module.unescape(value)
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="checkbox"' in tag and " checked" in tag:
            name, value = re.search(r'name="([^"]+)"', tag).group(1), re.search(
                r'value="([^"]*)"', tag).group(1)
            data.setdefault(name, [])
            data[name] = [*data[name], value] if isinstance(data[name], list) else [value]
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected',
                           body)
        data[name] = (chosen.group(1) or chosen.group(2) or "") if chosen else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html,
                                 re.S):
        data[name] = body.strip()
    for name in [n for n in data if n.startswith(("sample__", "person__"))]:
        del data[name]
    return data


def test_add_reorder_hide_delete_a_field(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    response = client.post(f"/items/{it.id}/add/field", data={
        "key": "bank_name", "type": "text", "label": "开户银行", "page": "applicant",
        "revision": it.revision})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/field/bank_name")
    it = item()
    assert fields(it.draft)[:5] == ["cert_type", "special", "special_type", "home_region",
                                    "bank_name"]
    assert post_change(client, it, "up", "field", "bank_name").status_code == 302
    it = item()
    assert fields(it.draft)[3:5] == ["bank_name", "home_region"]
    assert post_change(client, it, "down", "field", "home_region").status_code == 302  # to page 2
    it = item()
    assert it.draft["pages"][1]["fields"][0]["key"] == "home_region"
    assert post_change(client, it, "hide", "field", "special_type").status_code == 302
    hidden = next(f for f in item().draft["pages"][0]["fields"] if f["key"] == "special_type")
    assert hidden["visible_when"] is False and "required" not in hidden
    html = text(client.get(f"/items/{it.id}/"))
    assert 'id="field-special_type" class="text-muted"' in html
    assert post_change(client, item(), "show", "field", "special_type").status_code == 302
    assert "visible_when" not in next(f for f in item().draft["pages"][0]["fields"]
                                      if f["key"] == "special_type")
    assert post_change(client, item(), "delete", "field", "bank_name").status_code == 302
    assert "bank_name" not in fields(item().draft)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "definition.save")) == 6


def test_field_form_shows_the_settings_of_its_type(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    html = text(client.get(f"/items/{it.id}/field/cert_type"))
    assert '<select class="form-control" id="dictionary"' in html
    assert '<option selected value="psn_cert_type">' in html and "naty" in html  # code tables
    html = text(client.get(f"/items/{it.id}/field/special"))
    assert 'name="options-0-value"' in html and 'value="1"' in html
    assert 'name="options-3-value"' in html  # two empty rows to add options
    html = text(client.get(f"/items/{it.id}/field/home_region"))
    assert 'name="within"' in html and 'name="level"' in html and 'name="options-0' not in html
    html = text(client.get(f"/items/{it.id}/field/children"))
    assert 'name="min_items"' in html and 'name="max_items"' in html
    assert 'type="checkbox"' in html  # booleans as checkboxes


def test_type_settings_are_validated(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    data = field_form(client, it, "home_region")
    data.update(within="999999", _action="save")
    response = client.post(f"/items/{it.id}/field/home_region", data=data)
    assert response.status_code == 422
    assert any("999999" in m and "region code" in m for m in field_errors(text(response)))
    assert "within" not in next(f for f in item().draft["pages"][0]["fields"]
                                if f["key"] == "home_region")
    data.update(within="130200")
    assert client.post(f"/items/{it.id}/field/home_region", data=data).status_code == 302
    assert fields(item().draft) and next(f for f in item().draft["pages"][0]["fields"]
                                         if f["key"] == "home_region")["within"] == "130200"
    data = field_form(client, item(), "special")
    data.update({"options-1-value": "1", "_action": "save"})  # two options "1"
    response = client.post(f"/items/{it.id}/field/special", data=data)
    assert response.status_code == 422 and "Two options have the same value." in text(response)
    data = field_form(client, item(), "cert_type")
    data.update(dictionary="no_such_table", _action="save")
    response = client.post(f"/items/{it.id}/field/cert_type", data=data)
    assert "Unknown code table &#34;no_such_table&#34;." in text(response)


def test_options_added_as_rows(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    data = field_form(client, it, "special_type")
    data.update({"options-2-value": "居住偏远", "options-2-label_zh": "居住偏远", "_action": "save"})
    assert client.post(f"/items/{it.id}/field/special_type", data=data).status_code == 302
    field = next(f for f in item().draft["pages"][0]["fields"] if f["key"] == "special_type")
    assert [o["value"] for o in field["options"]] == ["异地安置", "年老或行动不便", "居住偏远"]


def test_broken_cel_is_refused_with_its_message(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    data = field_form(client, it, "special_type")
    data.update(visible_when='special == "1" &&', _action="save")
    response = client.post(f"/items/{it.id}/field/special_type", data=data)
    assert response.status_code == 422
    html = text(response)
    assert "Column 18: it ends too early" in html  # where and why
    assert 'value="special == &#34;1&#34; &amp;&amp;"' in html  # the input is kept
    assert item().revision == it.revision  # nothing saved
    data.update(visible_when='specail == "1"')  # compiles; unknown variable: saved, flagged
    assert client.post(f"/items/{it.id}/field/special_type", data=data).status_code == 302
    html = text(client.get(f"/items/{it.id}/field/special_type"))
    assert "Unknown variables: specail" in html


def test_try_it_evaluates_against_sample_answers(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    html = text(client.get(f"/items/{it.id}/step/review"))
    assert 'name="sample__amount"' in html
    data = {"revision": it.revision, "key": "review", "name_zh": "审核", "role": "Reviewer",
            "level": "city", "when": "amount > 10000", "distinct": "y", "_action": "try",
            "sample__amount": "12000", "sample_filer": "self"}
    response = client.post(f"/items/{it.id}/step/review", data=data)
    assert response.status_code == 200
    assert re.search(r"<code>when</code></th>\s*<td class=\"\"><strong>yes</strong>",
                     text(response))
    data["sample__amount"] = "500"
    assert "<strong>no</strong>" in text(client.post(f"/items/{it.id}/step/review", data=data))
    assert item().revision == it.revision  # trying stores nothing


def test_stale_save_answers_409_and_keeps_the_input(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    first = it.revision
    mine = field_form(client, it, "special")
    theirs = dict(mine, label_zh="是否特殊人员（他人）", _action="save")
    assert client.post(f"/items/{it.id}/field/special", data=theirs).status_code == 302
    mine.update(label_zh="是否特殊人员（我的）", _action="save")  # still at the old revision
    response = client.post(f"/items/{it.id}/field/special", data=mine)
    assert response.status_code == 409
    html = text(response)
    assert "Someone else saved this draft" in html or "他人" in html
    assert "是否特殊人员（他人）" in html  # their version is shown
    assert 'value="是否特殊人员（我的）"' in html  # my input is kept in the form
    assert re.search(r'name="revision" type="hidden" value="%d"' % (first + 1), html)
    label = next(f for f in item().draft["pages"][0]["fields"] if f["key"] == "special")["label"]
    assert label["zh"] == "是否特殊人员（他人）"
    mine["revision"] = str(first + 1)  # the admin saves again, knowingly
    assert client.post(f"/items/{it.id}/field/special", data=mine).status_code == 302
    assert next(f for f in item().draft["pages"][0]["fields"]
                if f["key"] == "special")["label"]["zh"] == "是否特殊人员（我的）"


def test_stale_move_answers_409(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    old = it.revision
    assert post_change(client, it, "down", "field", "cert_type").status_code == 302
    response = client.post(f"/items/{it.id}/change", data={
        "kind": "field", "key": "special", "action": "up", "revision": old})
    assert response.status_code == 409


def test_item_settings_with_markdown(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    data = {"revision": it.revision, "name_zh": "示例津贴申报", "name_en": "Demo allowance claim",
            "category_zh": "待遇申报", "audience_zh": "**职工**可以申请", "filers": ["self"],
            "time_limit_days": "12", "notice__title_zh": "温馨提示",
            "notice__body_zh": "请如实填写", "notice__acknowledge_zh": "我已阅读"}
    assert client.post(f"/items/{it.id}/settings", data=data).status_code == 302
    draft = item().draft
    assert draft["filers"] == ["self"] and draft["time_limit_days"] == 12
    assert draft["audience"] == {"zh": "**职工**可以申请", "en": None}
    assert "<strong>职工</strong>" in text(client.get(f"/items/{it.id}/"))


def test_new_item_and_page(client, ctx):
    user = staff(client, region="130200")
    response = client.post("/items/new", data={"code": "ts_subsidy", "name_zh": "唐山补贴"})
    assert response.status_code == 302
    it = item("ts_subsidy", "130200")
    assert it.created_by_id == user.id and it.draft["pages"][0]["key"] == "page_1"
    response = client.post(f"/items/{it.id}/add/page", data={
        "key": "bank", "label": "银行信息", "revision": it.revision})
    assert response.status_code == 302
    assert [p["key"] for p in item("ts_subsidy", "130200").draft["pages"]] == ["page_1", "bank"]
    response = client.post("/items/new", data={"code": "Bad Code", "name_zh": "x"},
                           follow_redirects=True)
    assert "lower-case letters" in text(response)


def test_cel_inputs_are_checked_as_typed(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    html = text(client.get(f"/items/{it.id}/field/special_type"))
    assert "vendor/htmx/htmx.min.js" in html
    assert f'hx-post="/items/{it.id}/cel/field/special_type"' in html
    assert 'id="cel-required_when"' in html  # a place for the message even when empty
    url = f"/items/{it.id}/cel/field/special_type"
    html = text(client.post(url, data={"_input": "visible_when", "visible_when": "special =="}))
    assert 'id="cel-visible_when"' in html and "Column 11: it ends too early" in html
    html = text(client.post(url, data={"_input": "visible_when", "visible_when": "amount > 1"}))
    assert "Unknown variables: amount" in html  # asked on a later page
    html = text(client.post(url, data={"_input": "visible_when", "visible_when": 'special == "1"'}))
    assert "Compiles." in html and "Reads: special" in html
    assert item().revision == it.revision


def test_every_form_needs_its_csrf_token(app, client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        data = {"kind": "field", "key": "special", "action": "up", "revision": it.revision}
        assert client.post(f"/items/{it.id}/change", data=data).status_code == 400
        assert item().revision == it.revision
        html = text(client.get(f"/items/{it.id}/"))
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        assert client.post(f"/items/{it.id}/change",
                           data=dict(data, csrf_token=token)).status_code == 302
        assert fields(item().draft)[0] == "special"
        form = field_form(client, item(), "special")
        assert form.get("csrf_token")  # the part forms carry it too
        form.update(label_zh="是否特殊", _action="save")
        assert client.post(f"/items/{it.id}/field/special", data=form).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_shape_problems_stand_next_to_their_input(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    data = field_form(client, it, "home_region")
    data.update(key="1bad", label_zh="", _action="save")
    html = text(client.post(f"/items/{it.id}/field/home_region", data=data))
    errors = field_errors(html)
    assert any("is not a valid key" in e for e in errors)
    assert any("label" in e and "required" in e for e in errors)
    assert item().revision == it.revision


def test_rows_rules_and_choices_are_labelled_for_people(client, ctx):
    """Every option and rule cell has an accessible name; a rule's check is compiled as it is
    typed, its message under it; types, roles and levels are offered by name."""
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    html = text(client.get(f"/items/{it.id}/field/amount"))
    assert re.search(r'aria-label="Check \(expression\), row 1"[^>]*'
                     r'aria-describedby="cel-rules-0-check"|aria-describedby="cel-rules-0-check"'
                     r'[^>]*aria-label="Check \(expression\), row 1"', html)
    assert f'hx-post="/items/{it.id}/cel/field/amount"' in html
    assert re.search(r'id="cel-rules-0-check"[^>]*>\s*Compiles\.', html)
    assert 'aria-label="Message (Chinese), row 2"' in html  # the blank rows too
    assert 'aria-labelledby="label-rules"' in html
    status = text(client.post(f"/items/{it.id}/cel/field/amount", data={
        "_input": "rules-0-check", "rules-0-check": "amonut > 0"}))
    assert 'id="cel-rules-0-check"' in status and "Unknown variables: amonut" in status
    html = text(client.get(f"/items/{it.id}/field/special"))
    assert 'aria-label="Value, row 1"' in html and 'aria-label="Label (Chinese), row 3"' in html
    html = text(client.get(f"/items/{it.id}/"))
    assert '<option value="repeat">Repeating group (rows) (repeat)</option>' in html
    assert "Reviewer City level" in html
    html = text(client.get(f"/items/{it.id}/step/review"))
    assert re.search(r'<option selected value="city">City level</option>|'
                     r'<option value="city" selected>City level</option>', html)


def test_a_code_already_taken_is_said_at_the_code_and_the_input_stays(client, ctx):
    staff(client, region="130200")
    sent = {"code": "ts_subsidy", "name_zh": "唐山补贴", "name_en": "Tangshan subsidy"}
    assert client.post("/items/new", data=sent).status_code == 302
    again = client.post("/items/new", data={**sent, "name_zh": "唐山补贴二"})
    assert again.status_code == 422
    html = again.get_data(as_text=True)
    assert re.search(r'<div class="form-group has-error"><label for="new-code">', html)
    assert 'id="new-code-error">' in html and 'aria-describedby="new-code-error"' in html
    assert 'value="唐山补贴二"' in html and 'value="Tangshan subsidy"' in html
