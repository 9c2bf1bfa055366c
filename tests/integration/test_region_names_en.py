"""English pages and API replies name regions in English (app/data/regions.csv ``name_en``);
Chinese pages keep the Chinese names, and a region without an English name shows its Chinese
one everywhere."""
from flask_babel import force_locale

from app.commands.applications.context import engine_context
from app.commands.regions import load_insurance_nodes
from app.extensions import db
from app.models.region import Region
from app.region_tree import region_tree
from app.views.citizen.answer_display import show_value
from tests.applications_support import REGION, api_create, clock, gd8, token  # noqa: F401
from tests.review_support import (HB1, LUBEI, NANSHAN, TANGSHAN, hb1, reviewer,  # noqa: F401
                                  submitted, workday_clock)
from tests.support import login, make_user
from tests.wizard_support import HB1 as HB1_FILES, HB1_CODE, acknowledge_notice, citizen, post_step
from tests.wizard_support import publish as publish_files, signed_in, start


def english(client):
    client.get("/lang/en")
    return client


def test_regions_load_with_their_english_names(ctx):
    assert db.session.get(Region, "511700").name_en == "Dazhou City"
    assert db.session.get(Region, "130203").name_for("en") == "Lubei District"
    assert db.session.get(Region, "130203").name_for("zh") == "路北区"
    assert region_tree().full_name("511702", "en") == (
        "Tongchuan District, Dazhou City, Sichuan Province")
    assert region_tree().full_name("511702", "zh") == "四川省 达州市 通川区"


def test_a_node_without_an_english_name_shows_its_chinese_name(ctx, tmp_path):
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("code,name\n51170099990,达州某学校\n", encoding="utf-8")
    load_insurance_nodes(nodes)
    assert region_tree().full_name("51170099990", "en") == (
        "达州某学校, Dazhou City, Sichuan Province")
    nodes.write_text("code,name,name_en\n51170099990,达州某学校,A Dazhou school\n",
                     encoding="utf-8")
    assert load_insurance_nodes(nodes) == 0  # already there: only its English name is added
    assert db.session.get(Region, "51170099990").name_for("en") == "A Dazhou school"


def test_citizen_catalog_chooser_in_english(client, ctx):
    html = english(client).get("/apply/?region=511702").get_data(as_text=True)
    assert "<strong>Tongchuan District</strong>" in html
    assert ">Sichuan Province</option>" in html and ">Dazhou City</option>" in html
    assert "通川区" not in html and "四川省" not in html
    chinese = client.get("/apply/?region=511702&_l_=zh").get_data(as_text=True)
    assert "<strong>通川区</strong>" in chinese and "Tongchuan" not in chinese


def test_wizard_region_field_and_its_answer_in_english(app, ctx):
    publish_files(HB1_FILES)
    client = english(signed_in(app, citizen()))
    pk = start(client, HB1_CODE, "130203")
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {"filer": "self"}).status_code == 302
    assert post_step(client, f"/applications/{pk}/pages/kind",
                     {"disease_kind": "chronic"}).status_code == 302
    page = client.get(f"/applications/{pk}/pages/basic").get_data(as_text=True)
    assert "Regions within Hebei Province" in page  # the field's within: 130000
    assert ">Tangshan City</option>" in page and "唐山市" not in page
    with app.test_request_context("/"), force_locale("en"):
        shown = show_value({"key": "r", "type": "region"}, "130203", engine_context(LUBEI, "en"))
    assert shown == "Lubei District, Tangshan City, Hebei Province"


def test_review_queue_detail_and_window_in_english(app, hb1):
    application = submitted(HB1)
    client = english(app.test_client())
    user = reviewer(LUBEI)
    assert login(client, user.username).status_code == 302
    client.get("/lang/en")
    queue = client.get("/review/pending").get_data(as_text=True)
    assert "Lubei District (130203)" in queue and "路北区" not in queue
    detail = client.get(f"/review/applications/{application.id}").get_data(as_text=True)
    assert "Lubei District" in detail
    chinese = client.get("/review/pending?_l_=zh").get_data(as_text=True)
    assert "路北区（130203）" in chinese


def test_region_tree_and_dashboard_in_english(app, hb1):
    submitted(HB1)  # the dashboard's region table lists the regions with applications
    client = english(app.test_client())
    assert login(client, make_user("RegionAdmin", TANGSHAN).username).status_code == 302
    client.get("/lang/en")
    tree = client.get(f"/regions/tree/{TANGSHAN}").get_data(as_text=True)
    assert "<h3>Tangshan City" in tree and "Lubei District" in tree and "路北区" not in tree
    added = client.post("/regionmodelview/add", data={
        "code": "13020399991", "name": "路北某社区", "name_en": "A Lubei community"})
    assert added.status_code == 302
    assert "A Lubei community" in client.get(f"/regions/tree/{LUBEI}").get_data(as_text=True)
    dashboard = client.get("/dashboard/").get_data(as_text=True)
    assert "<strong>Tangshan City</strong>" in dashboard  # the breadcrumb
    assert ">Lubei District</a></th>" in dashboard and "路北区" not in dashboard


def test_api_replies_name_regions_in_the_request_locale(app, gd8, client):
    catalog = client.get(f"/api/v1/catalog/?region={REGION}&_l_=en").get_json()
    assert catalog["region_name"] == "Tianhe District"
    assert client.get(f"/api/v1/catalog/?region={REGION}").get_json()["region_name"] == "天河区"
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    listed = client.get("/api/v1/applications/?_l_=en", headers=alice).get_json()["result"]
    assert [(row["id"], row["region"], row["region_name"]) for row in listed] == [
        (pk, REGION, "Tianhe District")]
    shown = client.get(f"/api/v1/applications/{pk}?_l_=en", headers=alice).get_json()
    assert shown["region_name"] == "Tianhe District"


def test_review_api_names_the_region_in_the_request_locale(app, hb1, client):
    submitted(HB1)
    headers = token(client, reviewer(LUBEI).username)
    entry = client.get("/api/v1/reviews/?state=pending&_l_=en", headers=headers).get_json()
    assert entry["result"][0]["region_name"] == "Lubei District"
    entry = client.get("/api/v1/reviews/?state=pending", headers=headers).get_json()
    assert entry["result"][0]["region_name"] == "路北区"
