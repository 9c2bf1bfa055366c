"""An agent is not offered a choice's values built from the subject's registry record.

SC-2's 暂停参保区划 lists the regions where the subject is insured (``among`` over
``person.enrollments``): offered to an agent, it told anyone who knows a name and an ID number
where that person is insured. An agent gets the field's own options instead (the region picker
within 四川, down to the county), and the answer is still held to the registry, refused with a
message naming no registry value. A self filing keeps the list; the API's form of the
application says the same as the wizard's page.
"""
import html

import pytest

from app.cli import DEMO_PERSONS
from app.commands.applications.context import engine_context
from app.commands.persons import ImportPersonsCommand
from app.engine.answers import page_state, validate_all
from app.engine.subject_identity import AGENT_FILING, DECLARED
from app.extensions import db
from app.models.application import Application
from app.models.base import utcnow
from tests.applications_support import FORMDEFS, clock, id_number, token  # noqa: F401
from tests.support import make_user
from tests.wizard_support import acknowledge_notice, post_step, publish, signed_in, start

SC2 = [FORMDEFS / "510000-sichuan" / "resident_enrollment_suspend.yaml",
       FORMDEFS / "511700-dazhou" / "resident_enrollment_suspend.yaml"]
CODE, TONGCHUAN, JINJIANG = "resident_enrollment_suspend", "511702", "510104"
WANG_FANG = "511702200506180247"  # DEMO_PERSONS: 390 active in 通川区 (511702) only
AGENT = {"relationship": "99", "address": "成都市锦江区某某路1号"}
SUSPENSION = {"suspend_reason": "01", "suspend_date": "2026-11-20", "remark": "在户籍地参保",
              "nonlocal_student": "0", "graduating": "0"}
NOT_ON_RECORD_ZH = "与参保人员信息库中被代办人的信息不符，请与被代办人核对。"


def citizen(number: str, name: str, region: str):
    """An identity-verified citizen (the registry knows 王芳 from the demo persons)."""
    user = make_user("Citizen", region, name=name, id_number=number)
    user.identity_verified_at = utcnow()
    db.session.commit()
    return user


@pytest.fixture
def sc2(app, ctx, clock):  # noqa: F811
    """SC-2 published with 达州's variant and the demo registry; yields 吴刚, a citizen of 成都
    who is a stranger to 王芳."""
    publish(SC2)
    ImportPersonsCommand(DEMO_PERSONS).run()
    return citizen(id_number("51010419800101001"), "吴刚", "510104")


def suspension_page(client, pk: int) -> str:
    assert post_step(client, f"/applications/{pk}/pages/basic", {}).status_code == 302
    response = client.get(f"/applications/{pk}/pages/suspension")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    return page[page.index('name="suspend_region"') - 400:][:3000]


def web_draft(app, user, filer: str) -> tuple:
    client = signed_in(app, user)
    pk = start(client, CODE, TONGCHUAN)
    acknowledge_notice(client, pk)
    data = {"filer": "agent", "subject_name": "王芳", "subject_id_number": WANG_FANG, **AGENT} \
        if filer == "agent" else {"filer": "self"}
    assert post_step(client, f"/applications/{pk}/filer", data).status_code == 302
    return client, pk


def test_an_agent_gets_the_region_picker_and_the_subject_their_regions(app, sc2):
    client, pk = web_draft(app, sc2, "agent")
    field = suspension_page(client, pk)
    assert "通川区" not in field and f'value="{TONGCHUAN}"' not in field
    # The region picker within 四川, as without ``among``: its cities, 成都市 first.
    assert "_within=510000" in field and '<option value="510100">成都市</option>' in field
    refused = post_step(client, f"/applications/{pk}/pages/suspension",
                        {**SUSPENSION, "suspend_region": JINJIANG})
    assert refused.status_code == 422
    page = html.unescape(refused.get_data(as_text=True))
    assert NOT_ON_RECORD_ZH in page and "通川" not in page and TONGCHUAN not in page
    assert post_step(client, f"/applications/{pk}/pages/suspension",
                     {**SUSPENSION, "suspend_region": TONGCHUAN}).status_code == 302
    assert db.session.get(Application, pk).answers["suspend_region"] == TONGCHUAN

    # 王芳 filing for herself is offered the regions of her enrollments, as before.
    client, pk = web_draft(app, citizen(WANG_FANG, "王芳", TONGCHUAN), "self")
    field = suspension_page(client, pk)
    assert f'<option value="{TONGCHUAN}">四川省 达州市 通川区</option>' in field
    assert "_within=" not in field
    refused = post_step(client, f"/applications/{pk}/pages/suspension",
                        {**SUSPENSION, "suspend_region": JINJIANG})
    assert refused.status_code == 422
    assert "请从提供的选项中选择。" in refused.get_data(as_text=True)


def api_draft(client, user, subject: bool) -> tuple[dict, int]:
    headers = token(client, user.username)
    body = {"item": CODE, "region": TONGCHUAN, "filer": "agent" if subject else "self"}
    if subject:
        body.update(subject={"name": "王芳", "id_number": WANG_FANG}, agent=AGENT)
    created = client.post("/api/v1/applications/", headers=headers, json=body)
    assert created.status_code == 201, created.get_json()
    return headers, created.get_json()["id"]


def form_of(client, headers, pk) -> tuple[dict, dict]:
    """Return the suspend_region field of the application's form and its answers_schema."""
    form = client.get(f"/api/v1/applications/{pk}/form", headers=headers)
    assert form.status_code == 200, form.get_json()
    form = form.get_json()
    field = next(f for page in form["pages"] for f in page["fields"]
                 if f["key"] == "suspend_region")
    return field, form["answers_schema"]["properties"]["suspend_region"]


def test_the_api_form_agrees_with_the_wizard(client, sc2):
    headers, pk = api_draft(client, sc2, subject=True)
    field, schema = form_of(client, headers, pk)
    assert "among" not in field and "enum" not in schema and schema["x-registry-checked"]
    assert schema["x-within"] == "510000" and TONGCHUAN not in str(field)
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers, json={
        "answers": {**SUSPENSION, "suspend_region": JINJIANG}, "page": "suspension"})
    assert saved.status_code == 200
    errors = saved.get_json()["errors"]
    assert errors["suspend_region"] == [NOT_ON_RECORD_ZH] and TONGCHUAN not in str(errors)

    own = citizen(WANG_FANG, "王芳", TONGCHUAN)
    headers, pk = api_draft(client, own, subject=False)
    field, schema = form_of(client, headers, pk)
    assert schema["enum"] == [TONGCHUAN] and "x-registry-checked" not in schema
    assert field["among"].startswith("person.enrollments")
    catalog = client.get(f"/api/v1/catalog/{CODE}?region={TONGCHUAN}").get_json()
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
