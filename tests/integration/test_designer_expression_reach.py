"""The item designer refuses, as lint does, an expression reading an attribute that does not
exist (``person.agee``) and a question whose visibility depends on its own answer, directly or
through a circle of visible_when; and one required only once answered."""
from html import unescape

from tests.integration.designer_support import PROVINCE, field_errors, item, load, staff, text
from tests.integration.test_designer_editor import field_form


def test_the_check_as_typed_names_an_attribute_person_does_not_have(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    url = f"/items/{item().id}/cel/field/special_type"
    html = unescape(text(client.post(url, data={"_input": "visible_when",
                                                "visible_when": "person.agee >= 18"})))
    assert 'The expression reads what does not exist: "person.agee": person has no "agee": ' \
           'did you mean "age"?' in html
    assert "Compiles." not in html
    html = text(client.post(url, data={"_input": "visible_when",
                                       "visible_when": "person.age >= 18"}))
    assert "Compiles." in html


def _save(client, key, **changes):
    it = item()
    data = field_form(client, it, key)
    data.update(_action="save", **changes)
    return client.post(f"/items/{it.id}/field/{key}", data=data)


def test_a_field_shown_or_required_by_its_own_answer_is_refused(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    revision = item().revision
    response = _save(client, "special_type", visible_when="special_type != null")
    assert response.status_code == 422
    assert any('visible_when of field "special_type" reads the field\'s own answer' in m
               for m in map(unescape, field_errors(text(response))))
    response = _save(client, "special_type", required_when='special_type != null')
    assert response.status_code == 422
    assert any('required_when of field "special_type" reads the field\'s own answer' in m
               for m in map(unescape, field_errors(text(response))))
    assert item().revision == revision


def test_a_visible_when_circle_is_refused_naming_it(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    response = _save(client, "special", visible_when="special_type != null")
    assert response.status_code == 422
    assert any(m.startswith("visible_when goes round in a circle: special → special_type → "
                            "special.") for m in map(unescape, field_errors(text(response))))
    assert _save(client, "special", visible_when='filer == "agent"').status_code == 302
