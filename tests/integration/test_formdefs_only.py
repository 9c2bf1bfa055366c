"""``only:`` on the bundled items, through the API: 四川's 参保身份 offers resident categories
only, no group headings, no two options that read the same; anything else is refused by name."""
from tests.applications_support import (FORMDEFS, api_create, clock, load_gd8,  # noqa: F401
                                        make_citizen, token)

SC_ENROLLMENT = FORMDEFS / "510000-sichuan" / "resident_enrollment.yaml"
DAZHOU = "511702"  # 通川区: 四川's item (this test loads no 达州 variant)
RESIDENT = [("1401", "新生儿"), ("1402", "学龄前儿童"), ("1403", "中小学生"), ("1404", "大学生"),
            ("1405", "未成年（未入学）"), ("1501", "普通居民（成年）"), ("16", "居民（老年）")]
# 1460 and 1560 (地方扩展) are reserved slots: offered only where a region names them.


def test_the_catalog_offers_resident_categories_only(ctx, clock, client):
    load_gd8(SC_ENROLLMENT)
    body = client.get(f"/api/v1/catalog/resident_enrollment?region={DAZHOU}").get_json()
    fields = {f["key"]: f for p in body["pages"] for f in p["fields"]}
    options = fields["psn_type"]["options"]
    assert [(o["value"], o["label"]) for o in options] == RESIDENT
    assert fields["psn_type"]["only"] == ["14", "15", "16"]
    assert body["answers_schema"]["properties"]["psn_type"]["enum"] == [c for c, _l in RESIDENT]
    assert [o["value"] for o in fields["gender"]["options"]] == ["1", "2"]


def test_a_code_outside_only_is_refused_naming_the_field(ctx, clock, client):
    load_gd8(SC_ENROLLMENT)
    citizen = make_citizen(region=DAZHOU)
    headers = token(client, citizen.username)
    created = api_create(client, headers, item="resident_enrollment", region=DAZHOU)
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    for code in ("1101", "14"):  # 在职 (an employee category), a group heading
        saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                           json={"answers": {"psn_type": code, "gender": "9"}})
        assert saved.status_code == 200
        errors = saved.get_json()["errors"]
        assert errors["psn_type"] == ["参保身份：请从所列选项中选择。"], code
        assert errors["gender"] == ["性别：请从所列选项中选择。"]
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                       json={"answers": {"psn_type": "1460"}})  # a reserved slot: no code here
    assert saved.get_json()["errors"]["psn_type"]
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                       json={"answers": {"psn_type": "1404"}})
    assert "psn_type" not in saved.get_json()["errors"]


def test_a_local_code_under_a_national_choice_keeps_it_offered(ctx, clock, client):
    """达州 adds 1601 under the national 16 居民（老年）: its citizens may still choose 16."""
    from app.extensions import db
    from app.models.dictionary import Dictionary, DictionaryEntry

    load_gd8(SC_ENROLLMENT)
    table = db.session.scalar(db.select(Dictionary).where(Dictionary.code == "psn_type"))
    db.session.add(DictionaryEntry(dictionary=table, code="1601", name_zh="八十岁以上老人",
                                   name_en="Aged 80 or over", parent_code="16",
                                   region_code="511700", sort=99))
    db.session.commit()
    body = client.get(f"/api/v1/catalog/resident_enrollment?region={DAZHOU}").get_json()
    fields = {f["key"]: f for p in body["pages"] for f in p["fields"]}
    offered = [o["value"] for o in fields["psn_type"]["options"]]
    assert offered == [c for c, _l in RESIDENT] + ["1601"]
    assert body["answers_schema"]["properties"]["psn_type"]["enum"] == offered
    citizen = make_citizen(region=DAZHOU)
    headers = token(client, citizen.username)
    pk = api_create(client, headers, item="resident_enrollment", region=DAZHOU).get_json()["id"]
    for code in ("16", "1601"):
        saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                           json={"answers": {"psn_type": code}})
        assert "psn_type" not in saved.get_json()["errors"], code
