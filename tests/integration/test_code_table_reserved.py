"""Reserved code-table slots (psn_type's xx60 "地方扩展", ``reserved: true`` in the bundled file)
are offered to nobody and accepted from nobody, until a region names the code as its own local
entry: then they are offered in that region's subtree, under that name (app.models.dictionary)."""
import pytest
import sqlalchemy as sa

from app.commands.applications.context import engine_context
from app.engine.fields import get_type
from app.extensions import db
from app.models.dictionary import Dictionary, DictionaryEntry, entries_in_effect
from app.validators import ValidationError
from tests.applications_support import FORMDEFS, clock, load_gd8  # noqa: F401
from tests.support import login, make_user

SICHUAN = FORMDEFS / "510000-sichuan" / "resident_enrollment.yaml"
DAZHOU = FORMDEFS / "511700-dazhou" / "resident_enrollment.yaml"
TONGCHUAN = "511702"  # 达州市通川区
PSN_TYPE = {"key": "psn_type", "type": "dictionary", "dictionary": "psn_type",
            "label": {"zh": "参保身份"}, "only": ["14", "15", "16"]}
SLOTS = ("1160", "1260", "1360", "1460", "1560")


def offered(client, region=TONGCHUAN) -> dict:
    body = client.get(f"/api/v1/catalog/resident_enrollment?region={region}").get_json()
    field = next(f for p in body["pages"] for f in p["fields"] if f["key"] == "psn_type")
    assert [o["value"] for o in field["options"]] == \
        body["answers_schema"]["properties"]["psn_type"]["enum"]
    return {option["value"]: option["label"] for option in field["options"]}


def accepts(code: str, region=TONGCHUAN) -> bool:
    try:
        get_type("dictionary").parse(code, PSN_TYPE, engine_context(region, "zh"))
    except ValidationError:
        return False
    return True


def test_the_bundled_slots_are_loaded_reserved(ctx):
    rows = db.session.scalars(sa.select(DictionaryEntry.code).join(DictionaryEntry.dictionary)
                              .where(Dictionary.code == "psn_type",
                                     DictionaryEntry.reserved.is_(True)))
    assert sorted(rows) == list(SLOTS)
    assert not {e.code for e in entries_in_effect("psn_type", ("510000", "511700", TONGCHUAN))
                } & set(SLOTS)


def test_a_reserved_slot_is_neither_offered_nor_accepted(ctx, clock, client):
    load_gd8(SICHUAN)
    load_gd8(DAZHOU)
    codes = offered(client)
    assert "1460" not in codes and "1560" not in codes
    assert not any("地方扩展" in label for label in codes.values())
    assert "1405" in codes and "1501" in codes
    assert not accepts("1460") and accepts("1405")


def test_a_region_that_names_a_slot_offers_it_in_its_subtree_only(ctx, clock, client):
    make_user("RegionAdmin", "511700", username="reserved_dz")
    login(client, "reserved_dz")
    table = db.session.scalar(sa.select(Dictionary.id).where(Dictionary.code == "psn_type"))
    response = client.post("/dictionaryentrymodelview/add", data={
        "dictionary": str(table), "code": "1460", "name_zh": "低保家庭未成年人",
        "name_en": "Minor of a subsistence-allowance family", "parent_code": "",
        "region": "511700", "sort": "0"})
    assert response.status_code == 302, response.get_data(as_text=True)
    local = db.session.scalar(sa.select(DictionaryEntry).where(
        DictionaryEntry.code == "1460", DictionaryEntry.region_code == "511700"))
    assert local.parent_code == "14"  # the slot's place in the tree
    load_gd8(SICHUAN)
    load_gd8(DAZHOU)
    codes = offered(client)
    assert "1460" in codes and "低保家庭未成年人" in codes["1460"]
    assert "1560" not in codes
    assert accepts("1460")
    assert "1460" not in offered(client, "510104")  # 成都市锦江区: not 达州's subtree
    assert not accepts("1460", "510104")


def test_an_ordinary_national_code_still_cannot_be_taken_locally(ctx, client):
    make_user("RegionAdmin", "511700", username="reserved_dz2")
    login(client, "reserved_dz2")
    table = db.session.scalar(sa.select(Dictionary.id).where(Dictionary.code == "psn_type"))
    response = client.post("/dictionaryentrymodelview/add", data={
        "dictionary": str(table), "code": "1405", "name_zh": "改名", "name_en": "Renamed",
        "parent_code": "14", "region": "511700", "sort": "0"})
    assert response.status_code == 200
    assert "1405" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(DictionaryEntry.id).where(
        DictionaryEntry.code == "1405", DictionaryEntry.region_code == "511700")) is None


@pytest.mark.parametrize("value", ['"true"', 1, "[]"])
def test_the_file_says_reserved_as_true_or_false(tmp_path, ctx, value):
    from app.commands import DataFileError
    from app.commands.dictionaries import read_dictionaries

    path = tmp_path / "d.yaml"
    path.write_text("dictionaries:\n  - code: t\n    name: {zh: 表, en: T}\n    entries:\n"
                    f"      - {{code: '1', name: {{zh: 一, en: One}}, reserved: {value}}}\n",
                    encoding="utf-8")
    with pytest.raises(DataFileError):
        read_dictionaries(path)


def test_a_reserved_slot_is_marked_on_its_pages(client, ctx):
    slot = db.session.scalar(sa.select(DictionaryEntry).join(Dictionary).where(
        Dictionary.code == "psn_type", DictionaryEntry.code == "1160",
        DictionaryEntry.region_code.is_(None)))
    assert slot.reserved
    make_user("RegionAdmin", "130200", username="rs_admin")
    login(client, "rs_admin")
    marked = "保留给地方使用：在某地区添加同号的本地代码之前，任何地方都不提供"
    assert marked in client.get(f"/dictionaryentrymodelview/show/{slot.id}").get_data(
        as_text=True)
    listed = client.get("/dictionaryentrymodelview/list/?_flt_0_code=1160").get_data(as_text=True)
    assert marked in listed
    assert marked not in client.get(
        "/dictionaryentrymodelview/list/?_flt_0_code=1101").get_data(as_text=True)
