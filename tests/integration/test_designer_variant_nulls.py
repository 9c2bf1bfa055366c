"""The designer stores a setting an administrator clears in a variant as null (removed), shows
it in the export and the publish diff, and refuses what the parent locks or the part needs."""
import re

from app.commands.item_edit import Editing
from app.engine.merge import merge
from app.engine.overrides import normal
from tests.integration.designer_support import item, text
from tests.integration.test_designer_variants import adapt


def form_of(client, url) -> dict:
    """Return a part form's current values, as a browser would send them back."""
    html = text(client.get(url))
    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name is None or value is None or 'type="checkbox"' in tag:
            continue
        if not name.group(1).startswith(("sample__", "person__")):
            data[name.group(1)] = value.group(1).replace("&#34;", '"').replace("&gt;", ">")
    for tag in re.findall(r'<input[^>]*type="checkbox"[^>]*>', html):
        if " checked" in tag:
            name = re.search(r'name="([^"]+)"', tag).group(1)
            data.setdefault(name, []).append(re.search(r'value="([^"]*)"', tag).group(1))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected',
                           body)
        data[name] = (chosen.group(1) or chosen.group(2) or "") if chosen else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html,
                                 re.S):
        data[name] = body.strip().replace("&#34;", '"').replace("&gt;", ">")
    return data


def test_clearing_an_inherited_condition_stores_null_and_publishes_without_it(client, ctx):
    variant = adapt(client)
    data = form_of(client, f"/items/{variant.id}/step/review")
    assert data["when"] == "amount > 10000"
    data.update(when="", _action="save")
    assert client.post(f"/items/{variant.id}/step/review", data=data).status_code == 302
    variant = item("demo_allowance", "130200")
    [override] = variant.draft["approval"]  # (the form also states approvers: 1, the default)
    assert override["when"] is None and set(override) <= {"key", "when", "approvers"}
    editing = Editing.of(variant)
    review = next(s for s in editing.definition["approval"] if s["key"] == "review")
    assert "when" not in review and review["level"] == "city"
    assert normal(merge(editing.parent, variant.draft).definition) == normal(editing.definition)
    html = text(client.get(f"/items/{variant.id}/"))
    assert re.search(r'id="step-review".*?overridden', html, re.S)

    data = form_of(client, f"/items/{variant.id}/settings")
    data.update(category_zh="", _action="save")
    assert client.post(f"/items/{variant.id}/settings", data=data).status_code == 302
    variant = item("demo_allowance", "130200")
    assert variant.draft["category"] is None and "category" not in Editing.of(variant).definition

    exported = text(client.get(f"/items/{variant.id}/export.yaml"))
    assert "category: null\n" in exported and "    when: null\n" in exported
    html = text(client.get(f"/items/{variant.id}/publish"))
    assert "removed (as if never set)" in html and "No problems that stop publishing" in html
    assert client.post(f"/items/{variant.id}/publish",
                       data={"revision": variant.revision}).status_code == 302
    published = item("demo_allowance", "130200").latest_version.definition
    assert "when" not in next(s for s in published["approval"] if s["key"] == "review")
    assert "category" not in published


def test_a_locked_setting_or_one_the_part_needs_is_not_removed(client, ctx):
    variant = adapt(client)
    data = form_of(client, f"/items/{variant.id}/field/cert_type")  # locked by the province
    assert data["prefill"] == "person.cert_type"
    data.update(prefill="", _action="save")
    response = client.post(f"/items/{variant.id}/field/cert_type", data=data)
    assert response.status_code == 422
    assert 'field "cert_type" is locked by the parent item: "prefill" cannot change' in \
        text(response).replace("&#34;", '"').replace("&quot;", '"')
    data = form_of(client, f"/items/{variant.id}/step/auto_check")
    data.update(auto="", _action="save")  # people would decide it, and it names nobody
    response = client.post(f"/items/{variant.id}/step/auto_check", data=data)
    assert response.status_code == 422
    assert 'without "auto" people decide it' in text(response).replace(
        "&#34;", '"').replace("&quot;", '"')
    data.update(role="Reviewer", level="city")  # saying who decides it makes it possible
    assert client.post(f"/items/{variant.id}/step/auto_check", data=data).status_code == 302
    [override] = item("demo_allowance", "130200").draft["approval"]
    assert {k: v for k, v in override.items() if k != "approvers"} == {
        "key": "auto_check", "role": "Reviewer", "level": "city", "auto": None}
