"""Region tree, 医保 nodes and local codes through the staff views, within the subtree."""
import sqlalchemy as sa

from app.extensions import db
from app.models.dictionary import Dictionary, DictionaryEntry
from app.models.region import Region
from tests.support import login, make_user


def test_region_tree_shows_children_within_subtree(client, ctx):
    make_user("RegionAdmin", "130200", username="ts_admin")
    login(client, "ts_admin")
    html = client.get("/regions/tree/").get_data(as_text=True)
    assert "路北区" in html and "广东省" not in html
    assert client.get("/regions/tree/130203").status_code == 200
    assert client.get("/regions/tree/440000").status_code == 404
    assert client.get("/regions/tree/130000").status_code == 404  # above the subtree


def test_platform_admin_tree_starts_at_provinces(client, ctx):
    make_user("Admin", username="root")
    login(client, "root")
    html = client.get("/regions/tree/").get_data(as_text=True)
    assert "广东省" in html and "河北省" in html and "台湾省" in html


def test_add_insurance_node_within_subtree(client, ctx):
    make_user("RegionAdmin", "511700", username="dz_admin")
    login(client, "dz_admin")
    response = client.post("/regionmodelview/add", data={"code": "51170099997",
                                                         "name": "达州中医药职业学院"})
    assert response.status_code == 302
    node = db.session.get(Region, "51170099997")
    assert node.parent_code == "511700" and node.level == "grassroots"
    assert node.path == "510000/511700/51170099997/"
    assert "达州中医药职业学院" in client.get("/regions/tree/511700").get_data(as_text=True)


def test_add_insurance_node_outside_subtree_refused(client, ctx):
    make_user("RegionAdmin", "511700", username="dz_admin2")
    login(client, "dz_admin2")
    html = client.post("/regionmodelview/add", data={"code": "13020099991", "name": "外地"},
                       follow_redirects=True).get_data(as_text=True)
    assert db.session.get(Region, "13020099991") is None
    assert "within your own region" in html or "本辖区" in html


def test_local_code_applies_in_subtree_only(client, ctx):
    make_user("RegionAdmin", "130200", username="ts_admin2")
    login(client, "ts_admin2")
    insutype = db.session.scalar(sa.select(Dictionary).where(Dictionary.code == "insutype"))
    response = client.post("/dictionaryentrymodelview/add", data={
        "dictionary": insutype.id, "code": "39902", "name_zh": "补充医疗", "name_en": "Supplementary",
        "region": "130200", "sort": 100})
    assert response.status_code == 302
    entry = db.session.scalar(sa.select(DictionaryEntry).where(DictionaryEntry.code == "39902"))
    assert entry.region_code == "130200"
    clash = client.post("/dictionaryentrymodelview/add", data={
        "dictionary": insutype.id, "code": "390", "name_zh": "重复", "name_en": "Dup",
        "region": "130203", "sort": 1}, follow_redirects=True)
    assert "already used" in clash.get_data(as_text=True) or "已" in clash.get_data(as_text=True)
    outside = client.post("/dictionaryentrymodelview/add", data={
        "dictionary": insutype.id, "code": "39977", "name_zh": "外地", "name_en": "Elsewhere",
        "region": "440000", "sort": 1})
    assert db.session.scalar(sa.select(DictionaryEntry).where(DictionaryEntry.code == "39977")) is None
    assert outside.status_code in (200, 302)


def test_demo_insurance_nodes_load_idempotently(ctx, tmp_path):
    from app.cli import DEMO_INSURANCE_REGIONS
    from app.commands import DataFileError
    from app.commands.regions import load_insurance_nodes

    assert load_insurance_nodes(DEMO_INSURANCE_REGIONS) == 2
    assert load_insurance_nodes(DEMO_INSURANCE_REGIONS) == 0
    school = db.session.get(Region, "51170099997")
    assert school.parent_code == "511700" and school.path.endswith("511700/51170099997/")
    bad = tmp_path / "nodes.csv"
    bad.write_text("code,name\n51170099996,好\n99990099999,坏\n", encoding="utf-8")
    try:
        load_insurance_nodes(bad)
    except DataFileError as error:
        assert ":3:" in str(error)
    else:
        raise AssertionError("a node below an unknown region was accepted")
    assert db.session.get(Region, "51170099996") is None  # one transaction: nothing added
