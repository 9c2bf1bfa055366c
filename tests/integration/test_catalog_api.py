"""GET /api/v1/catalog/: public, per region, in the request locale, options resolved."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.dictionary import Dictionary, DictionaryEntry
from tests.applications_support import (CODE, FORMDEFS, REGION, clock, load_gd8,  # noqa: F401
                                        make_citizen)

INFO_CHANGE = FORMDEFS / "440000-guangdong" / "resident_info_change.yaml"
HB1 = FORMDEFS / "130000-hebei" / "chronic_disease_outpatient.yaml"  # filers: [self, agent]
TANGSHAN = "130203"


def local_code(code, region, dictionary_code="psn_cert_type"):
    dictionary = db.session.scalar(select(Dictionary).where(Dictionary.code == dictionary_code))
    db.session.add(DictionaryEntry(dictionary_id=dictionary.id, code=code, name_zh=f"地方{code}",
                                   name_en=f"Local {code}", region_code=region, sort=99))
    db.session.commit()


def test_anyone_lists_the_items_in_effect_by_category(ctx, clock, client):
    load_gd8()
    load_gd8(INFO_CHANGE)
    response = client.get(f"/api/v1/catalog/?region={REGION}&_l_=en")
    assert response.status_code == 200
    body = response.get_json()
    assert body["region"] == REGION
    categories = {c["category"]: [i["code"] for i in c["items"]] for c in body["categories"]}
    assert categories["Maternity insurance"] == [CODE]
    assert "resident_info_change" in sum(categories.values(), [])
    [item] = [i for c in body["categories"] for i in c["items"] if i["code"] == CODE]
    assert item["name"] == "Maternity allowance claim" and item["filers"] == ["self"]
    assert item["version"]["number"] == 1 and item["owner_region"] == "440000"
    chinese = client.get(f"/api/v1/catalog/?region={REGION}&_l_=zh").get_json()
    assert "生育保险" in [c["category"] for c in chinese["categories"]]
    # Another province offers none of Guangdong's items.
    assert client.get("/api/v1/catalog/?region=130203").get_json()["categories"] == []


def codes(client, query, locale="zh"):
    body = client.get("/api/v1/catalog/", query_string={
        "region": REGION, "q": query, "_l_": locale}).get_json()
    return sorted(i["code"] for c in body["categories"] for i in c["items"])


@pytest.mark.parametrize("query, locale", [
    ("生育 津贴", "zh"), ("津贴　生育", "zh"), (" 生育  申报 ", "zh"), ("生育津贴", "zh"),
    ("allowance MATERNITY", "en"), ("津贴" + " " * 60 + "护照", "zh")])  # cut at 50 characters
def test_the_search_finds_an_item_by_every_word_as_the_web_does(ctx, clock, client, query,
                                                                 locale):
    load_gd8()
    load_gd8(INFO_CHANGE)
    assert codes(client, query, locale) == [CODE], query


def test_a_word_the_item_lacks_finds_nothing(ctx, clock, client):
    load_gd8()
    load_gd8(INFO_CHANGE)
    assert codes(client, "生育 护照") == []
    assert codes(client, "") == sorted([CODE, "resident_info_change"])  # no query: every item


def test_region_is_required_and_must_exist(ctx, client):
    assert client.get("/api/v1/catalog/").status_code == 400
    assert client.get("/api/v1/catalog/?region=999999").status_code == 404
    assert client.get(f"/api/v1/catalog/{CODE}?region=999999").status_code == 404
    # A code longer than any region's is not a code: the argument is at fault (400 naming it).
    too_long = client.get(f"/api/v1/catalog/?region={REGION}0000000&_l_=en")
    assert too_long.status_code == 400
    assert too_long.get_json()["errors"] == {
        "region": ["A region code is 6 to 12 digits (GB/T 2260), such as 440106."]}
    unknown = client.get(f"/api/v1/catalog/?region={REGION}000000&_l_=en")
    assert unknown.get_json()["message"] == f"There is no region with code {REGION}000000."
    missing = client.get(f"/api/v1/catalog/{CODE}?region={REGION}&_l_=en")
    assert missing.status_code == 404
    assert missing.get_json()["message"] == "This item is not offered in this region."


def test_the_definition_in_effect_with_labels_options_and_schema(ctx, clock, client):
    load_gd8()
    local_code("81", "440000")   # Guangdong's own code: offered in 440106
    local_code("82", "130000")   # Hebei's: not offered here
    body = client.get(f"/api/v1/catalog/{CODE}?region={REGION}&_l_=en").get_json()
    assert body["name"] == "Maternity allowance claim" and body["filers"] == ["self"]
    assert body["notice"]["acknowledge"] == "I have read this"
    assert [p["key"] for p in body["pages"]] == ["insured", "employer", "leave", "bank"]
    fields = {f["key"]: f for p in body["pages"] for f in p["fields"]}
    assert fields["mobile"]["label"] == "Contact mobile number" and fields["mobile"]["required"]
    assert fields["id_number"]["visible_when"] == 'cert_type == "01"'
    codes = [o["value"] for o in fields["cert_type"]["options"]]
    assert codes[0] == "01" and "81" in codes and "82" not in codes
    assert fields["cert_type"]["options"][0]["label"].startswith("Resident identity card")
    reasons = fields["not_advanced_reason"]["options"]
    assert {"value": "dissolved", "label": "Dissolved"} in reasons
    assert fields["leave_end"]["rules"][0]["message"] == "The leave cannot end before it starts"
    materials = {m["key"]: m for m in body["materials"]}
    assert materials["id_document"]["accept"] == ["jpg", "jpeg", "png", "pdf"]
    assert materials["id_document"]["max_files"] == 2 and materials["id_document"]["required"]
    assert materials["birth_certificate"]["required_when"] == 'leave_type == "maternity"'
    assert materials["discharge_record"]["pledge"] is False
    assert [s["name"] for s in body["steps"]][:2] == ["Acceptance", "Review"]
    schema = body["answers_schema"]
    assert schema["properties"]["mobile"]["title"] == "Contact mobile number"
    assert "81" in schema["properties"]["cert_type"]["enum"]
    # Prefilled answers (the mobile and ID number on record) are filled by the server: not
    # required of the client.
    assert "employer_name" in schema["required"]
    assert "mobile" not in schema["required"] and "id_number" not in schema["required"]
    assert "_pledges" in schema["properties"] and schema["additionalProperties"] is False
    assert body["version"]["number"] == 1
    chinese = client.get(f"/api/v1/catalog/{CODE}?region={REGION}").get_json()
    assert chinese["pages"][0]["title"] == "参保人信息"


def test_an_item_agents_may_file_lists_the_relationships_an_agent_may_state(ctx, clock, client):
    from app.commands.applications.create import check_agent

    load_gd8(HB1)
    local_code("81", "130000", "relationship")  # Hebei's own code: Tangshan's agents may give it
    local_code("82", "440000", "relationship")  # Guangdong's: not in Hebei
    body = client.get(f"/api/v1/catalog/chronic_disease_outpatient?region={TANGSHAN}&_l_=en")
    assert body.status_code == 200
    assert "agent" in body.get_json()["filers"]
    listed = body.get_json()["agent_relationships"]
    assert listed[:4] == [{"code": "02", "name": "Spouse"}, {"code": "03", "name": "Child"},
                          {"code": "04", "name": "Parent"},
                          {"code": "05", "name": "Other legal guardian"}]
    codes = [r["code"] for r in listed]
    assert "01" not in codes and "81" in codes and "82" not in codes
    assert {"code": "81", "name": "Local 81"} in listed
    # Exactly the codes an agent's details are checked against at creation (check_agent).
    for code in [*codes, "01", "82"]:
        errors: dict = {}
        check_agent({"relationship": code, "address": "唐山市路北区某某路1号"}, TANGSHAN, errors)
        assert ("agent.relationship" not in errors) is (code in codes), code
    chinese = client.get(f"/api/v1/catalog/chronic_disease_outpatient?region={TANGSHAN}")
    assert chinese.get_json()["agent_relationships"][:3] == [
        {"code": "02", "name": "配偶"}, {"code": "03", "name": "子女"},
        {"code": "04", "name": "父母"}]
    # An item only the applicant may file has none.
    load_gd8()
    assert client.get(f"/api/v1/catalog/{CODE}?region={REGION}").get_json()[
        "agent_relationships"] is None


def test_a_pledge_is_shown_with_its_text(ctx, clock, client):
    load_gd8(INFO_CHANGE)
    body = client.get(f"/api/v1/catalog/resident_info_change?region={REGION}&_l_=en").get_json()
    materials = {m["key"]: m for m in body["materials"]}
    assert materials["residence_proof"]["pledge"].startswith("I pledge that")


def test_the_catalogue_reveals_nothing_personal(ctx, clock, client):
    load_gd8()
    make_citizen()
    text = client.get(f"/api/v1/catalog/{CODE}?region={REGION}").get_data(as_text=True)
    assert "林小红" not in text and "440106199001010021" not in text
    response = client.get(f"/api/v1/catalog/?region={REGION}")
    assert response.headers["Cache-Control"] == "no-store"


def test_openapi_documents_the_catalog_and_applications(ctx, client):
    from tests.applications_support import token
    from tests.support import make_user

    headers = token(client, make_user("Admin").username)
    spec = client.get("/api/v1/_openapi", headers=headers)
    assert spec.status_code == 200, spec.get_data(as_text=True)[:500]
    paths = {p.removeprefix("/api/v1"): v for p, v in spec.get_json()["paths"].items()}
    for path, method in [("/catalog/", "get"), ("/catalog/{code}", "get"),
                         ("/applications/", "post"), ("/applications/{pk}/answers", "put"),
                         ("/applications/{pk}/submit", "post"),
                         ("/applications/{pk}/materials/{key}", "post"),
                         ("/applications/{pk}/files/{file_id}", "get")]:
        assert method in paths[path], path
    assert "Idempotency-Key" in str(paths["/applications/{pk}/submit"])
    schemas = spec.get_json()["components"]["schemas"]
    agents = schemas["ItemDefinitionSchema"]["properties"]["agent_relationships"]
    assert agents["type"] == "array" and agents["nullable"] is True
    assert agents["items"]["$ref"] == "#/components/schemas/AgentRelationship"
    assert set(schemas["AgentRelationship"]["properties"]) == {"code", "name"}
