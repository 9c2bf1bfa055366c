"""The wizard's region picker, drawn signature and agent-only items over HTTP, without JavaScript.

The region picker is posted as a browser without JavaScript sends it (one value per select,
all under the question's name, refined with the "update" button); its htmx endpoint is asked
as htmx asks it. The drawn signature is posted as the pad's hidden input. An item only agents
may file is started from the item page and reaches the reviewer with the agent's details.
"""
import base64
import html
import io
import re

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models.application import Application
from app.models.audit import AuditEvent
from tests.applications_support import FORMDEFS, NOW, clock  # noqa: F401
from tests.browser.helpers import say
from tests.review_support import reviewer
from tests.wizard_support import (DAZHOU, HB1, HB1_AGENT_BASIC, HB1_BASIC, HB1_CODE,
                                  HB1_RECOGNITION, JIANGSU_ID, JS1, JS1_CODE, NANJING, SC1,
                                  SPOUSE_ID, STUDENT_ID, SUBJECT_ID, TANGSHAN, acknowledge_notice,
                                  citizen, make_person, post_step, publish, signed_in, start,
                                  submit_token, upload)

SC1_CODE = "resident_enrollment"
PICKER = "/regions/picker"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def options(page: str, select_id: str) -> list[str]:
    """Return the option values of the select ``select_id`` (blank left out)."""
    found = re.search(rf'<select id="{re.escape(select_id)}"[^>]*>(.*?)</select>', page, re.S)
    assert found, f"no select #{select_id}"
    return [v for v in re.findall(r'<option value="([^"]*)"', found.group(1)) if v]


def selected(page: str, select_id: str) -> str | None:
    found = re.search(rf'<select id="{re.escape(select_id)}"[^>]*>(.*?)</select>', page, re.S)
    chosen = re.search(r'<option value="([^"]+)" selected>', found.group(1)) if found else None
    return chosen.group(1) if chosen else None


def png(width: int = 600, height: int = 200) -> str:
    """A real PNG (a stroke on a transparent pad) as the pad's data URL."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, height - 20), (width // 2, 20), (width - 10, height // 2)],
                               fill=(17, 17, 17, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def queries(app):
    """Count the SQL statements run while ``with queries:`` is open (``queries.count``)."""

    class Counter:
        count = 0

        def __enter__(self):
            self.count = 0
            event.listen(db.engine, "before_cursor_execute", self.seen)
            return self

        def __exit__(self, *exc):
            event.remove(db.engine, "before_cursor_execute", self.seen)

        def seen(self, *args):
            self.count += 1

    return Counter()


@pytest.fixture
def sc1_resident(app, ctx, clock):  # noqa: F811
    """A 达州 student's SC-1 draft at the 居民信息 page (with its region questions)."""
    publish(SC1)
    client = signed_in(app, citizen(STUDENT_ID, "张小川", DAZHOU))
    pk = start(client, SC1_CODE, DAZHOU)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {"filer": "self"}).status_code == 302
    return client, pk, f"/applications/{pk}/pages/resident"


# --- region picker ---------------------------------------------------------------------------

def test_region_question_is_a_labelled_group_of_selects_of_current_provinces(app, sc1_resident):
    client, _pk, url = sc1_resident
    page = text(client.get(url))
    group = re.search(r'<fieldset class="field region required[^"]*"><legend>户口所在地行政区</legend>'
                      r'(.*?)</fieldset>', page, re.S)
    assert group, "the region question is not a fieldset with its label as legend"
    assert f'<label for="hukou_region">{say(app, "Province")}</label>' in group.group(1)
    provinces = options(page, "hukou_region")
    assert "510000" in provinces and "110000" in provinces and len(provinces) == 34
    assert 'name="hukou_region"' in group.group(1) and 'hx-get="/regions/picker?' in group.group(1)
    assert 'name="_action" value="update"' in group.group(1)  # the no-JavaScript refinement
    assert "hukou_region-2" not in page  # no city select before a province is chosen


def test_without_javascript_each_update_lists_the_next_level_and_saves_the_deepest(
        app, sc1_resident):
    client, pk, url = sc1_resident
    province = post_step(client, url, {"hukou_region": "510000"}, action="update")
    page = text(province)
    assert province.status_code == 200 and selected(page, "hukou_region") == "510000"
    assert "510100" in options(page, "hukou_region-2")  # 成都市
    assert f'<label for="hukou_region-2">{say(app, "City")}</label>' in page
    assert db.session.get(Application, pk).answers["hukou_region"] == "510000"

    too_shallow = post_step(client, url, {"hukou_region": ["510000", "510100"]})
    assert too_shallow.status_code == 422
    assert re.search(r'id="hukou_region-err">' + re.escape(
        say(app, "Choose a region down to the county level.")), text(too_shallow))
    page = text(too_shallow)
    assert selected(page, "hukou_region-2") == "510100" and "510104" in options(
        page, "hukou_region-3")  # 锦江区, listed under the message

    county = post_step(client, url, {"hukou_region": ["510000", "510100", "510104"]},
                       action="update")
    assert selected(text(county), "hukou_region-3") == "510104"
    assert db.session.get(Application, pk).answers["hukou_region"] == "510104"
    # Another province chosen above a county left from the first: the county is dropped.
    moved = post_step(client, url, {"hukou_region": ["440000", "510100", "510104"]},
                      action="update")
    assert db.session.get(Application, pk).answers["hukou_region"] == "440000"
    assert "440100" in options(text(moved), "hukou_region-2")  # 广州市
    assert "hukou_region-3" not in text(moved)


def test_the_confirmation_shows_the_region_by_name(app, sc1_resident):
    client, pk, url = sc1_resident
    post_step(client, url, {"hukou_region": ["510000", "510100", "510104"]}, action="update")
    confirm = text(client.get(f"/applications/{pk}/confirm"))
    assert "四川省 成都市 锦江区" in confirm


def test_picker_endpoint_lists_current_children_within_the_subtree_and_level(app, ctx):
    client = app.test_client()  # public: the region tree is public data
    answer = client.get(PICKER, query_string={"_name": "home", "_id": "home", "_level": "county",
                                              "home": "511700"})
    page = text(answer)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert selected(page, "home") == "510000" and selected(page, "home-2") == "511700"
    counties = options(page, "home-3")
    assert "511702" in counties  # 通川区
    assert "511721" not in counties  # 达县, abolished in 2013
    assert 'hx-get="/regions/picker?' in page

    within = text(client.get(PICKER, query_string={
        "_name": "home", "_id": "home", "_within": "130000", "_level": "county"}))
    cities = options(within, "home")
    assert "130200" in cities and "510100" not in cities and "130000" not in cities
    assert "河北省" in within  # what the choices are within

    blank = text(client.get(PICKER, query_string={  # "— choose —" chosen again: the parent
        "_name": "home", "_id": "home", "_level": "county", "_parent": "510000", "home": ""}))
    assert selected(blank, "home") == "510000" and selected(blank, "home-2") is None

    for bad in ({"_id": "x"}, {"_name": "<script>", "_id": "x"}, {"_name": "x", "_id": "a b"}):
        assert client.get(PICKER, query_string=bad).status_code == 400


def test_grassroots_nodes_are_offered_where_the_level_asks_for_them(app, ctx):
    from app.models.region import Region

    school = Region(code="51170099997", name="达州中医药职业学院", level="grassroots",
                    kind="insurance", parent_code="511700", path="510000/511700/51170099997/")
    db.session.add(school)
    db.session.commit()
    client = app.test_client()
    asked = {"_name": "node", "_id": "node", "node": "511700"}
    grassroots = text(client.get(PICKER, query_string={**asked, "_level": "grassroots"}))
    assert "51170099997" in options(grassroots, "node-3")
    assert f'<label for="node-3">{say(app, "County or district")}</label>' in grassroots
    county = text(client.get(PICKER, query_string={**asked, "_level": "county"}))
    assert "51170099997" not in options(county, "node-3")


def test_picker_reads_the_tree_once_per_generation(app, ctx, queries):
    from app.models.region import Region

    client = app.test_client()
    asked = {"_name": "node", "_id": "node", "_level": "grassroots", "node": "511700"}
    client.get(PICKER, query_string=asked)  # warms the cache
    with queries:
        warm = text(client.get(PICKER, query_string=asked))
    assert queries.count <= 1, queries.count  # the reference generation, nothing else
    assert "51170099998" not in warm
    db.session.add(Region(code="51170099998", name="达州职业技术学院", level="grassroots",
                          kind="insurance", parent_code="511700",
                          path="510000/511700/51170099998/"))
    db.session.commit()
    assert "51170099998" in options(text(client.get(PICKER, query_string=asked)), "node-3")


# --- drawn signature -------------------------------------------------------------------------

@pytest.fixture
def js1_pledge(app, ctx, clock):  # noqa: F811
    """A JS-1 draft filled up to the pledge page (two adult users)."""
    publish(JS1)
    client = signed_in(app, citizen(JIANGSU_ID, "李明", NANJING))
    pk = start(client, JS1_CODE, NANJING)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/pages/authoriser",
                     {"mobile": "13800138000"}).status_code == 302
    assert post_step(client, f"/applications/{pk}/pages/account_users", {
        "users-0-name": "王芳", "users-0-id_card": SPOUSE_ID,
        "users-0-relationship": "02"}).status_code == 302
    return client, pk, f"/applications/{pk}/pages/pledge"


def test_a_drawn_signature_is_stored_shown_again_and_on_the_confirmation(app, js1_pledge):
    client, pk, url = js1_pledge
    page = text(client.get(url))
    assert 'class="signature-pad"' in page and " hidden>" in page  # shown by the script only
    assert 'type="hidden" name="signature-drawing"' in page
    drawing = png()
    assert post_step(client, url, {"pledge_read": "y",
                                   "signature-drawing": drawing}).status_code == 302
    signature = db.session.get(Application, pk).answers["signature"]
    assert signature == {"kind": "drawn", "value": drawing, "signed_at": NOW.isoformat()}

    again = text(client.get(url))
    assert f'value="{drawing}"' in again  # the pad gets it back
    assert re.search(r'<figure class="signature-saved" id="signature-drawing-saved">'
                     r'<img class="signature-image" src="' + re.escape(drawing), again)
    confirm = text(client.get(f"/applications/{pk}/confirm"))
    assert f'<img class="signature-image" src="{drawing}" alt="（手写签名）">' in confirm
    client.post(f"/applications/{pk}/confirm", data={"submit_token": submit_token(confirm)})
    application = db.session.get(Application, pk)
    assert application.status == "submitted"
    assert application.answers["signature"]["kind"] == "drawn"
    assert application.answers["signature"]["signed_at"]
    assert f'src="{drawing}"' in text(client.get(f"/my/applications/{pk}"))

    desk = signed_in(app, reviewer(NANJING))
    detail = desk.get(f"/review/applications/{pk}")
    assert detail.status_code == 200
    assert f'<img class="signature-image" src="{drawing}"' in text(detail)


def test_a_typed_name_replaces_a_drawing_and_bad_drawings_are_refused(app, js1_pledge):
    client, pk, url = js1_pledge
    assert post_step(client, url, {"pledge_read": "y",
                                   "signature-drawing": png()}).status_code == 302
    typed = post_step(client, url, {"pledge_read": "y", "signature-drawing": png(),
                                    "signature-value": "李明"})
    assert typed.status_code == 302
    assert db.session.get(Application, pk).answers["signature"] == {
        "kind": "typed", "value": "李明", "signed_at": NOW.isoformat()}
    huge = post_step(client, url, {"pledge_read": "y", "signature-drawing": png(5000, 100)})
    assert huge.status_code == 422
    assert re.search(r'id="signature-value-err">' + re.escape(say(
        app, "The signature image is too large (at most %(width)d × %(height)d pixels).",
        width=4000, height=2000)), text(huge))
    fake = post_step(client, url, {"pledge_read": "y",
                                   "signature-drawing": "data:image/png;base64,PHN2Zz4="})
    assert fake.status_code == 422
    assert say(app, "A drawn signature must be a PNG image.") in text(fake)
    confirm = text(client.get(f"/applications/{pk}/confirm"))
    assert say(app, "A drawn signature must be a PNG image.") in confirm
    assert "PHN2Zz4=" not in confirm  # never shown as an image


# --- agent-only items ------------------------------------------------------------------------

@pytest.fixture
def agent_only_item(ctx, clock, tmp_path):  # noqa: F811
    """HB-1 as an item only an agent may file (``filers: [agent]``)."""
    source = (FORMDEFS / "130000-hebei" / "chronic_disease_outpatient.yaml").read_text("utf-8")
    assert "filers: [self, agent]" in source
    path = tmp_path / "chronic_disease_outpatient.yaml"
    path.write_text(source.replace("filers: [self, agent]", "filers: [agent]"), "utf-8")
    publish([path])
    make_person(SUBJECT_ID, "王秀英", TANGSHAN, sex="2")
    return citizen()


def test_an_agent_only_item_starts_with_the_agent_and_reaches_the_reviewer(app, agent_only_item):
    client = signed_in(app, agent_only_item)
    item = text(client.get(f"/apply/{HB1_CODE}?region={TANGSHAN}"))
    assert say(app, "Only an agent, on behalf of the person concerned") in item
    asked = client.post(f"/apply/{HB1_CODE}/start", data={"region": TANGSHAN})
    page = text(asked)
    assert asked.status_code == 200 and 'name="subject_id_number"' in page
    assert db.session.query(Application).count() == 0  # nothing started yet

    agent = {"region": TANGSHAN, "_agent": "1", "subject_name": "王秀英",
             "subject_id_number": SUBJECT_ID, "relationship": "", "address": ""}
    missing = client.post(f"/apply/{HB1_CODE}/start", data=agent)
    assert missing.status_code == 422 and db.session.query(Application).count() == 0
    assert say(app, "Choose how you are related to this person.") in text(missing)
    assert say(app, "Enter your address.") in text(missing)
    started = client.post(f"/apply/{HB1_CODE}/start", data={
        **agent, "relationship": "03", "address": "唐山市路北区某某路1号"})
    assert started.status_code == 303
    pk = int(re.search(r"/applications/(\d+)/", started.headers["Location"]).group(1))
    application = db.session.get(Application, pk)
    assert application.filer == "agent" and application.subject_name == "王秀英"
    assert application.subject_verified_at is not None  # found in the registry
    assert (application.agent_relationship, application.agent_address) == (
        "03", "唐山市路北区某某路1号")
    # One command, one history entry: created with the agent's details.
    started_events = db.session.query(AuditEvent).filter_by(
        object_type="application", object_id=str(pk)).all()
    assert [(e.action, e.detail.get("filer"), e.detail.get("agent")) for e in started_events] == [
        ("application.created", "agent",
         {"relationship": "03", "address": "唐山市路北区某某路1号"})]

    acknowledge_notice(client, pk)
    filer = text(client.get(f"/applications/{pk}/filer"))
    assert '<input type="hidden" name="filer" value="agent">' in filer
    assert say(app, "For myself") not in filer and 'value="唐山市路北区某某路1号"' in filer
    refused = post_step(client, f"/applications/{pk}/filer", {
        "filer": "self", "subject_name": "", "subject_id_number": ""})
    assert refused.status_code == 422
    assert say(app, "This item cannot be filed this way.") in text(refused)
    assert post_step(client, f"/applications/{pk}/filer", {
        "filer": "agent", "subject_name": "王秀英", "subject_id_number": SUBJECT_ID,
        "relationship": "04", "address": "唐山市路北区另一路2号"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, pk).agent_relationship == "04"

    for page, data in (("kind", {"disease_kind": "chronic"}), ("basic", HB1_AGENT_BASIC),
                       ("special_person", {"special": "0"}), ("recognition", HB1_RECOGNITION)):
        assert post_step(client, f"/applications/{pk}/pages/{page}", data).status_code == 302
    for key in ("diagnosis", "medical_records", "agent_id"):
        assert upload(client, pk, key).status_code == 303
    confirm = text(client.get(f"/applications/{pk}/confirm"))
    assert "唐山市路北区另一路2号" in confirm
    assert re.search(r"<dt>" + re.escape(say(app, "Your relationship to them"))
                     + r"</dt><dd>父母</dd>", confirm)  # 04, changed at the filer step
    client.post(f"/applications/{pk}/confirm", data={"submit_token": submit_token(confirm)})
    assert db.session.get(Application, pk).status == "submitted"

    detail = text(signed_in(app, reviewer(TANGSHAN)).get(f"/review/applications/{pk}"))
    assert say(app, "Filed by an agent") in detail
    assert "父母" in detail and "唐山市路北区另一路2号" in detail


def test_a_read_only_region_question_shows_the_name_and_sends_nothing(app, ctx):
    from flask_appbuilder.forms import DynamicForm

    from app.commands.applications.context import engine_context
    from app.engine.fields import get_type

    field = {"key": "home", "type": "region", "label": "居住地", "readonly": True,
             "default": "510104"}
    with app.test_request_context("/"):
        form_class = type("F", (DynamicForm,), {"home": get_type("region").form_field(
            field, engine_context("510104"))})
        shown = str(form_class(formdata=None).home())
    assert re.search(r'<input type="text" id="home" value="四川省 成都市 锦江区" readonly', shown)
    assert "name=" not in shown and "<select" not in shown


def test_a_prefilled_answer_deeper_than_the_level_asked_is_kept(app, ctx, clock):  # noqa: F811
    publish(HB1)  # 参保地区: level city within 河北, prefilled with the person's district
    client = signed_in(app, citizen())
    pk = start(client, HB1_CODE, TANGSHAN)
    acknowledge_notice(client, pk)
    post_step(client, f"/applications/{pk}/filer", {"filer": "self"})
    url = f"/applications/{pk}/pages/basic"
    page = text(client.get(url))
    assert "130100" in options(page, "insured_region") and "510100" not in options(
        page, "insured_region")  # 河北's cities only
    assert selected(page, "insured_region") == "130200"
    assert selected(page, "insured_region-2") == TANGSHAN  # 路北区, not cut to 唐山市
    assert post_step(client, url, {**HB1_BASIC, "insured_region": ["130200", TANGSHAN]}
                     ).status_code == 302
    assert db.session.get(Application, pk).answers["insured_region"] == TANGSHAN
