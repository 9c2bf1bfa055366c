"""Renaming a field in the designer renames what reads it; deleting one names what still does."""
from html import unescape

from app.engine.references import rename_references, rename_row_references, rewrite
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
    # The input by its label, as the field's form names it, not its YAML key.
    assert '特殊人员类型 (special_type) · Visible when (expression): special2 == "1"' in html
    assert field(item().draft, "special_type")["visible_when"] == 'special2 == "1"'


def test_deleting_a_field_names_the_expressions_left_reading_it(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    response = post_change(client, item(), "delete", "field", "special")
    assert response.status_code == 302
    html = unescape(text(client.get(response.headers["Location"])))
    assert "These expressions still read it and name nothing now" in html
    assert 'special_type) · Visible when (expression): special == "1"' in html
    assert "visible_when" not in html


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


def test_renaming_a_field_of_a_repeat_updates_its_row_and_its_siblings(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    data = field_form(client, it, "children.birth_date")
    data.update(key="born", _action="save")
    response = client.post(f"/items/{it.id}/field/children.birth_date", data=data,
                           follow_redirects=True)
    assert "References updated to the new key" in unescape(text(response))
    [child] = [f for f in field(item().draft, "children")["fields"] if f["key"] == "born"]
    assert child["rules"][0]["check"] == "days_between(born, today) >= 0"


def test_a_repeat_field_rename_rewrites_rows_and_names_what_it_cannot(ctx):
    definition = {"pages": [{"key": "p", "fields": [
        {"key": "name", "type": "text", "label": "top"},
        {"key": "kids", "type": "repeat", "label": "k", "fields": [
            {"key": "name", "type": "text", "label": "n"},
            {"key": "id", "type": "id_card", "label": "i", "name_field": "name",
             "visible_when": 'name != ""'}]},
        {"key": "note", "type": "text", "label": "n", "visible_when":
            'kids.all(k, k.name != person.name) && kids[0].name != "" && name != ""'},
        {"key": "odd", "type": "text", "label": "o",
         "visible_when": 'kids.filter(k, true)[0].name != ""'}]}],
        "approval": [{"key": "s", "name": "s", "when": 'kids.exists(k, k.name == "a")'}]}
    changed, left = rename_row_references(definition, "kids", "name", "full_name")
    fields = definition["pages"][0]["fields"]
    assert fields[1]["fields"][1]["name_field"] == "full_name"
    assert fields[1]["fields"][1]["visible_when"] == 'full_name != ""'
    assert fields[2]["visible_when"] == \
        'kids.all(k, k.full_name != person.name) && kids[0].full_name != "" && name != ""'
    assert definition["approval"][0]["when"] == 'kids.exists(k, k.full_name == "a")'
    assert len(changed) == 4
    assert left == [("o (odd)", "visible_when", 'kids.filter(k, true)[0].name != ""')]
    assert fields[3]["visible_when"] == 'kids.filter(k, true)[0].name != ""'
