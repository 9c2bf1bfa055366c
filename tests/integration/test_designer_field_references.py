"""Renaming a field in the designer renames what reads it; deleting one names what still does."""
from html import unescape

from app.engine.references import rename_references, rewrite
from tests.integration.designer_support import PROVINCE, item, load, staff, text
from tests.integration.test_designer_editor import field_form, post_change


def field(definition, key):
    return next(f for p in definition["pages"] for f in p["fields"] if f["key"] == key)


def test_renaming_a_field_updates_the_expressions_that_read_it(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    data = field_form(client, it, "special")
    data.update(key="special2", _action="save")
    response = client.post(f"/items/{it.id}/field/special", data=data, follow_redirects=True)
    html = unescape(text(response))
    assert "References updated to the new key" in html
    assert '特殊人员类型 (special_type) · visible_when: special2 == "1"' in html
    assert field(item().draft, "special_type")["visible_when"] == 'special2 == "1"'


def test_deleting_a_field_names_the_expressions_left_reading_it(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    response = post_change(client, item(), "delete", "field", "special")
    assert response.status_code == 302
    html = unescape(text(client.get(response.headers["Location"])))
    assert "These expressions still read it and name nothing now" in html
    assert 'special_type) · visible_when: special == "1"' in html


def test_a_rename_touches_the_variable_only(ctx):
    assert rewrite('kind == "kind" && person.kind == 1 && kinds > 0', "kind", "kind2") == \
        'kind2 == "kind" && person.kind == 1 && kinds > 0'
    assert rewrite("r'kind' + kind", "kind", "k") == "r'kind' + k"
    definition = {"pages": [{"key": "p", "fields": [
        {"key": "kind", "type": "text", "label": "k"},
        {"key": "note", "type": "text", "label": "n", "visible_when": 'kind == "2"',
         "rules": [{"check": "kind != \"\" || note != \"\"", "message": "m"}]}]}],
        "approval": [{"key": "s", "name": "s", "region_field": "kind", "when": "kind > \"1\""}],
        "summary": ["kind", "note"]}
    changed, left = rename_references(definition, "kind", "kind2")
    assert left == [] and len(changed) == 5
    note = definition["pages"][0]["fields"][1]
    assert note["visible_when"] == 'kind2 == "2"'
    assert note["rules"][0]["check"] == 'kind2 != "" || note != ""'
    assert definition["approval"][0] == {"key": "s", "name": "s", "region_field": "kind2",
                                         "when": 'kind2 > "1"'}
    assert definition["summary"] == ["kind2", "note"]
