"""Preview and publish in the item designer: lint as the CLI says it, the diff, applications in
progress, an effective date; the preview stores nothing and shows hostile text inert."""
import datetime as dt
import re

from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from app.commands.drafts import SaveDraftCommand
from app.commands.formdefs import LintFormdefsCommand
from app.extensions import db
from app.models.application import Application
from app.models.audit import AuditEvent
from app.models.item import ItemVersion
from tests.integration.designer_support import PROVINCE, item, load, staff, text

XSS = '<script>alert(1)</script>'


def edit_draft(it, change):
    draft = dict(it.draft)
    change(draft)
    SaveDraftCommand(it, draft, it.revision).run()
    return item(it.code, it.region_code)


def field(draft, key):
    return next(f for p in draft["pages"] for f in p["fields"] if f["key"] == key)


def test_publish_is_blocked_by_lint_in_the_designers_words(client, ctx, tmp_path):
    load(PROVINCE, publish=False)
    staff(client)
    it = edit_draft(item(), lambda d: field(d, "special_type").update(
        visible_when='specail == "1"'))
    path = tmp_path / "demo_allowance.yaml"
    path.write_text(it.draft_text, encoding="utf-8")
    with force_locale("en"):  # the page is in English too (see designer_support.staff)
        _count, cli = LintFormdefsCommand([path]).run()
        cli = [(problem.line, str(problem.message)) for problem in cli]
    assert cli and "specail" in cli[0][1]
    html = text(client.get(f"/items/{it.id}/publish"))
    for _line, message in cli:  # the CLI's words, without its file:line prefix, the setting
        # named by its label (test_designer_lint_words)
        said = message.replace('visible_when of field "special_type"', "Visible when (expression)")
        assert said != message and said.replace('"', "&#34;") in html
    assert "demo_allowance@130000:" not in html and "formdefs lint" not in html
    # Linked to the field's form, which is named as people know it.
    assert re.search(rf'<a href="/items/{it.id}/field/special_type">field 特殊人员类型 '
                     r'<code>special_type</code></a>', html)
    assert re.search(r'<button type="submit" class="btn btn-primary" disabled>', html)
    response = client.post(f"/items/{it.id}/publish", data={"revision": it.revision})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(ItemVersion)) == 0


def test_publish_shows_the_diff_and_applications_in_progress(client, ctx):
    load(PROVINCE)
    user = staff(client)
    it = item()
    version = it.latest_version
    db.session.add(Application(item_id=it.id, version_id=version.id, region_code="130203",
                               applicant_id=user.id, status="submitted"))
    db.session.commit()

    def change(d):
        d["time_limit_days"] = 15
        field(d, "special_type")["options"].append({"value": "居住偏远",
                                                     "label": {"zh": "居住偏远", "en": None}})
        d["pages"][0]["fields"] = [f for f in d["pages"][0]["fields"] if f["key"] != "home_region"]
        d["approval"] = [s for s in d["approval"] if s["key"] != "accept"]
        d["materials"][0]["max_size_mb"] = 10
    it = edit_draft(it, change)
    html = text(client.get(f"/items/{it.id}/publish"))
    assert "No problems that stop publishing." in html
    diff = html[html.index('class="table table-condensed diff"'):]
    assert re.search(r"<td>Time limit \(working days\)</td>.*?changed.*?10</code> → <code>15",
                     diff, re.S)
    assert re.search(r"<code>special_type</code>.*?option <code>居住偏远</code> added", diff, re.S)
    assert re.search(r"<code>home_region</code>.*?removed", diff, re.S)
    assert re.search(r"<code>accept</code>.*?removed", diff, re.S)
    assert re.search(r"<code>id_card</code>.*?limit</span> <strong>Largest file \(MB\)</strong>",
                     diff, re.S)  # a setting is named as its input is
    assert "1 applications in progress keep the version they started on" in html
    assert "v1: 1" in html
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = client.post(f"/items/{it.id}/publish", data={
        "revision": it.revision, "effective_from": tomorrow})
    assert response.status_code == 302
    it = item()
    assert [v.number for v in it.versions] == [1, 2]
    assert it.versions[1].effective_from.isoformat() == tomorrow
    assert db.session.scalar(select(Application.version_id)) == version.id  # kept its version
    assert "v1" in text(client.get("/items/"))  # still v1 in effect until the date


def test_publish_with_a_stale_revision_is_409(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    old = it.revision
    edit_draft(it, lambda d: d.update(time_limit_days=11))
    response = client.post(f"/items/{it.id}/publish", data={"revision": old})
    assert response.status_code == 409
    assert item().status == "draft"


def counts():
    db.session.expire_all()
    return [db.session.scalar(select(func.count()).select_from(model))
            for model in (Application, ItemVersion, AuditEvent)] + [item().revision]


def test_preview_renders_the_wizard_and_stores_nothing(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    before = counts()
    html = text(client.get(f"/items/{it.id}/preview"))
    assert "Preview — nothing is saved" in html or "预览 — 不会保存" in html
    assert "banshi.css" in html and 'name="special"' in html  # the citizen layout and form
    assert 'name="special_type"' not in html  # visible_when special == "1": not yet
    response = client.post(f"/items/{it.id}/preview", data={
        "page": "applicant", "_go": "next", "cert_type": "01", "special": "1"})
    html = text(response)
    assert 'name="special_type"' in html and "Answer this question." in html  # page 1 again
    response = client.post(f"/items/{it.id}/preview", data={
        "page": "applicant", "_go": "next", "cert_type": "01", "special": "1",
        "special_type": "异地安置", "home_region": "130203"})
    assert 'name="amount"' in text(response)  # on to page 2
    assert counts() == before


def test_preview_draws_the_wizard_s_own_questions_live_and_with_rows(client, ctx):
    """As the wizard: a live question redraws the page's questions (htmx, nothing stored),
    a repeating group takes rows with its add and remove buttons."""
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    before = counts()
    url = f"/items/{it.id}/preview"
    html = text(client.get(url))
    assert f'hx-post="{url}?fields=1"' in html and 'id="q-special"' in html
    assert 'class="default-action"' in html  # Enter presses "next", not a row button
    html = text(client.post(url + "?fields=1", data={"page": "applicant", "special": "1"}))
    assert html.lstrip().startswith('<div id="page-fields">') and 'name="special_type"' in html
    assert "<html" not in html and "Answer this question." not in html
    answers = '{"cert_type": "01", "special": "0", "home_region": "130203"}'
    html = text(client.post(url, data={"page": "applicant", "_go": "next",
                                       "_answers": "{}", "cert_type": "01", "special": "0",
                                       "home_region": "130203"}))
    assert 'name="amount"' in html and 'name="children-0-name"' in html
    data = {"page": "claim", "_answers": answers, "amount": "100", "children-0-name": "小明",
            "add_row": "children"}
    html = text(client.post(url, data=data))
    assert 'name="children-1-name"' in html and 'value="小明"' in html
    assert "Answer this question." not in html  # adding a row is not "next"
    assert 'name="remove_row_1"' in html
    del data["add_row"]
    data.update({"children-1-name": "", "remove_row_1": "children"})
    html = text(client.post(url, data=data))
    assert 'name="children-1-name"' not in html and 'value="小明"' in html
    assert counts() == before


def test_hostile_text_renders_inert_in_preview_and_editor(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)

    def change(d):
        field(d, "special")["label"] = {"zh": XSS + "{{7*7}}", "en": None}
        field(d, "special")["help"] = {"zh": '<img src=x onerror="alert(1)">', "en": None}
        d["notice"]["body"] = {"zh": "[点我](javascript:alert(1)) {{7*7}} " + XSS, "en": None}
        d["audience"] = {"zh": "<a href=\"javascript:alert(1)\">x</a>", "en": None}
    it = edit_draft(item(), change)
    for url in (f"/items/{it.id}/preview", f"/items/{it.id}/", f"/items/{it.id}/field/special"):
        html = text(client.get(url))
        assert "<script>alert(1)" not in html and "<img" not in html, url
        assert not re.search(r"<a[^>]*href=\"javascript:", html, re.I), url
        assert "{{7*7}}" in html, url  # not evaluated
    html = text(client.get(f"/items/{it.id}/preview"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}" in html
    assert "{{7*7}}" in html


def test_chinese_pages(client, ctx):
    load(PROVINCE, publish=False)
    staff(client, locale="zh")
    it = item()
    with force_locale("zh"):
        banner, menu = gettext("Preview — nothing is saved"), gettext("Service items")
    assert banner != "Preview — nothing is saved" and "预览" in banner
    assert banner in text(client.get(f"/items/{it.id}/preview"))
    assert menu in text(client.get(f"/items/{it.id}/"))


def test_a_step_nobody_decides_blocks_and_a_missing_time_limit_warns(client, ctx, tmp_path):
    load(PROVINCE, publish=False)
    staff(client)

    def change(d):
        del d["time_limit_days"]
        d["approval"].append({"key": "final", "name": {"zh": "办结", "en": None}})
    it = edit_draft(item(), change)
    html = text(client.get(f"/items/{it.id}/publish"))
    problems = html[html.index("lint-problems"):html.index("lint-warnings")]
    assert 'step &#34;final&#34; does not say who decides it' in problems
    assert f'<a href="/items/{it.id}/step/final">approval step 办结 <code>final</code></a>' in \
        problems
    warnings = html[html.index("lint-warnings"):html.index('class="table table-condensed diff"')]
    assert "You can publish, but check these first" in warnings
    assert "no time limit: applications get no statutory deadline" in warnings
    assert f'<a href="/items/{it.id}/settings">Item settings</a>' in warnings
    assert client.post(f"/items/{it.id}/publish",
                       data={"revision": it.revision}).status_code == 422
    # The command line says the same; a warning alone does not fail it.
    path = tmp_path / "demo_allowance.yaml"
    path.write_text(it.draft_text, encoding="utf-8")
    with force_locale("en"):
        command = LintFormdefsCommand([path])
        _count, problems = command.run()
    assert [p.message for p in problems] == [
        'step "final" does not say who decides it: choose the region level (and the role) '
        "that handles it"]
    assert [p.message for p in command.warnings] == [
        "no time limit: applications get no statutory deadline, and none is ever shown as "
        "overdue"]
    it = edit_draft(it, lambda d: d["approval"][-1].update(level="city"))
    html = text(client.get(f"/items/{it.id}/publish"))
    assert "lint-problems" not in html and "lint-warnings" in html
    assert client.post(f"/items/{it.id}/publish",
                       data={"revision": it.revision}).status_code == 302


def test_the_header_tells_whether_the_draft_has_unpublished_changes(client, ctx):
    load(PROVINCE)
    staff(client, locale="zh")
    it = item()
    state = re.search(r'<span class="item-state">(.*?)</span>', text(
        client.get(f"/items/{it.id}/")), re.S)[1]
    assert state == "已发布 v1" and "修订" not in state
    it = edit_draft(it, lambda d: d.update(time_limit_days=11))
    state = re.search(r'<span class="item-state">(.*?)</span>', text(
        client.get(f"/items/{it.id}/")), re.S)[1]
    assert state.startswith("已发布 v1；") and "草稿有未发布的修改" in state
