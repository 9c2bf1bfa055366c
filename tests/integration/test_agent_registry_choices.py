"""An agent is not offered a choice's values built from the subject's registry record.

SC-2's 暂停参保区划 lists the regions where the subject is insured (``among`` over
``person.enrollments``): offered to an agent, it told anyone who knows a name and an ID number
where that person is insured. An agent gets the field's own options instead (the region picker
within 四川, down to the county), and the answer is still held to the registry, refused with a
message naming no registry value. A self filing keeps the list; the API's form of the
application says the same as the wizard's page.
"""
import html

from app.commands.applications.context import engine_context
from app.engine.answers import page_state, validate_all
from app.engine.subject_identity import AGENT_FILING, DECLARED
from app.extensions import db
from app.models.application import Application
from tests.applications_support import (SC2_CODE, SC2_SUSPENSION, TONGCHUAN,  # noqa: F401
                                        WANG_FANG, clock, sc2_agent, sc2_api_draft,
                                        sc2_web_draft, wang_fang)
from tests.wizard_support import post_step

JINJIANG = "510104"
NOT_ON_RECORD_ZH = "与参保人员信息库中被代办人的信息不符，请与被代办人核对。"


def suspension_page(client, pk: int) -> str:
    assert post_step(client, f"/applications/{pk}/pages/basic", {}).status_code == 302
    response = client.get(f"/applications/{pk}/pages/suspension")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    return page[page.index('name="suspend_region"') - 400:][:3000]


def test_an_agent_gets_the_region_picker_and_the_subject_their_regions(app, sc2_agent):
    client, pk = sc2_web_draft(app, sc2_agent, as_agent=True)
    field = suspension_page(client, pk)
    assert "通川区" not in field and f'value="{TONGCHUAN}"' not in field
    # The region picker within 四川, as without ``among``: its cities, 成都市 first.
    assert "_within=510000" in field and '<option value="510100">成都市</option>' in field
    refused = post_step(client, f"/applications/{pk}/pages/suspension",
                        {**SC2_SUSPENSION, "suspend_region": JINJIANG})
    assert refused.status_code == 422
    page = html.unescape(refused.get_data(as_text=True))
    assert NOT_ON_RECORD_ZH in page and "通川" not in page and TONGCHUAN not in page
    assert post_step(client, f"/applications/{pk}/pages/suspension",
                     {**SC2_SUSPENSION, "suspend_region": TONGCHUAN}).status_code == 302
    assert db.session.get(Application, pk).answers["suspend_region"] == TONGCHUAN

    # 王芳 filing for herself is offered the regions of her enrollments, as before.
    client, pk = sc2_web_draft(app, wang_fang())
    field = suspension_page(client, pk)
    assert f'<option value="{TONGCHUAN}">四川省 达州市 通川区</option>' in field
    assert "_within=" not in field
    refused = post_step(client, f"/applications/{pk}/pages/suspension",
                        {**SC2_SUSPENSION, "suspend_region": JINJIANG})
    assert refused.status_code == 422
    assert "请从提供的选项中选择。" in refused.get_data(as_text=True)


def form_of(client, headers, pk) -> tuple[dict, dict]:
    """Return the suspend_region field of the application's form and its answers_schema."""
    form = client.get(f"/api/v1/applications/{pk}/form", headers=headers)
    assert form.status_code == 200, form.get_json()
    form = form.get_json()
    field = next(f for page in form["pages"] for f in page["fields"]
                 if f["key"] == "suspend_region")
    return field, form["answers_schema"]["properties"]["suspend_region"]


def test_the_api_form_agrees_with_the_wizard(client, sc2_agent):
    headers, pk = sc2_api_draft(client, sc2_agent, as_agent=True)
    field, schema = form_of(client, headers, pk)
    assert "among" not in field and "enum" not in schema and schema["x-registry-checked"]
    assert schema["x-within"] == "510000" and TONGCHUAN not in str(field)
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers, json={
        "answers": {**SC2_SUSPENSION, "suspend_region": JINJIANG}, "page": "suspension"})
    assert saved.status_code == 200
    errors = saved.get_json()["errors"]
    assert errors["suspend_region"] == [NOT_ON_RECORD_ZH] and TONGCHUAN not in str(errors)

    headers, pk = sc2_api_draft(client, wang_fang())
    field, schema = form_of(client, headers, pk)
    assert schema["enum"] == [TONGCHUAN] and "x-registry-checked" not in schema
    assert field["among"].startswith("person.enrollments")
    catalog = client.get(f"/api/v1/catalog/{SC2_CODE}?region={TONGCHUAN}").get_json()
    assert "enum" not in catalog["answers_schema"]["properties"]["suspend_region"]


DEFINITION = {"pages": [{"key": "p", "fields": [
    {"key": "enrolled", "type": "enrollments"},
    {"key": "kind", "type": "select", "options": [{"value": "a"}, {"value": "b"}]},
    {"key": "region", "type": "region", "among": 'person.enrollments.map(e, e.region)'},
    {"key": "via_answer", "type": "region", "among": 'enrolled.map(e, e.region)'},
    {"key": "fixed", "type": "select", "options": [{"value": v} for v in "xyz"],
     "among": 'kind == "a" ? ["x"] : ["y", "z"]'},
]}]}
PERSON = {"enrollments": [{"insutype": "390", "status": "1", "region": TONGCHUAN}]}


def variables(by_agent: bool) -> dict:
    return {"person": PERSON, DECLARED: {"name": "王芳", "id_number": WANG_FANG,
                                         AGENT_FILING: by_agent}}


def test_the_engine_withholds_only_choices_built_from_the_registry(app, ctx):
    engine = engine_context(TONGCHUAN, "en")
    agent = page_state(DEFINITION, "p", {"kind": "a"}, engine, variables(True))
    assert dict(agent.choices) == {"fixed": ("x",)}  # reads only an answer: still offered
    own = page_state(DEFINITION, "p", {"kind": "a"}, engine, variables(False))
    assert own.choices["region"] == (TONGCHUAN,) and own.choices["via_answer"] == (TONGCHUAN,)
    answers = {"kind": "a", "fixed": "x", "region": JINJIANG, "via_answer": JINJIANG}
    refused = validate_all(DEFINITION, answers, engine, variables(True)).errors
    message = ("This does not match what the insured-person registry holds for the person you "
               "apply for. Check the answer with them.")
    assert refused == {"region": [message], "via_answer": [message]}
    assert validate_all(DEFINITION, answers, engine, variables(False)).errors == {
        "region": ["Choose one of the options offered."],
        "via_answer": ["Choose one of the options offered."]}
    held = {**answers, "region": TONGCHUAN, "via_answer": TONGCHUAN}
    assert not validate_all(DEFINITION, held, engine, variables(True)).errors
