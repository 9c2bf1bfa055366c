"""我要查 and the confirmation say the same thing everywhere (HTTP): the list masks the person an
agent applies for in the summary as in 办理对象; a draft goes on at its first incomplete step, the
materials included; the confirmation offers 变更 for every step still open, in a draft (who
applies too) and in a correction (only what may be corrected)."""
import html
import re

from app.commands.reviews.return_ import ReturnCommand
from app.extensions import db
from app.models.application import Application
from tests.applications_support import FORMDEFS, clock  # noqa: F401
from tests.browser.helpers import say
from tests.integration.test_correction_brings_in import returned_on_special
from tests.support import make_user
from tests.wizard_support import (HB1, HB1_AGENT_BASIC, HB1_CODE, HB1_RECOGNITION, SUBJECT_ID,
                                  TANGSHAN, acknowledge_notice, citizen, make_person, post_step,
                                  publish, signed_in, start)

HB2 = [FORMDEFS / "130000-hebei" / "cross_province_medical_filing.yaml"]
AGENT = {"filer": "agent", "subject_name": "王秀英", "subject_id_number": SUBJECT_ID,
         "relationship": "03", "address": "唐山市路北区某某路1号"}


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def agent_draft(app, paths, code):
    publish(paths)
    make_person(SUBJECT_ID, "王秀英", TANGSHAN, sex="2")
    client = signed_in(app, citizen(name="李四海"))
    pk = start(client, code, TANGSHAN)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", AGENT).status_code == 302
    return client, pk


def test_the_list_masks_the_subjects_name_in_the_summary_too(app, ctx, clock):  # noqa: F811
    client, pk = agent_draft(app, HB2, "cross_province_medical_filing")
    assert post_step(client, f"/applications/{pk}/pages/type_choice", {
        "filing_type": "temporary", "temporary_kind": "self_referral"}).status_code == 302
    page = text(client.get("/my/applications/"))
    summary = re.search(r'<dl class="facts summary">(.*?)</dl>', page, re.S)
    assert summary and '<dd data-key="name">王**</dd>' in summary.group(1), page[-3000:]
    assert "王秀英" not in page


def test_the_agent_reads_their_own_name_alike_in_the_agent_section_and_the_timeline(
        app, ctx, clock):  # noqa: F811
    client, pk = agent_draft(app, HB1, HB1_CODE)
    page = text(client.get(f"/my/applications/{pk}"))
    timeline = page[page.find('<ol class="timeline">'):page.find("</ol>")]
    assert timeline.count(say(app, "by the agent %(name)s", name="李四海")) == 2
    assert "<dd>李四海</dd>" in page and "李**" not in page


def fill_hb1_pages(client, pk: int) -> None:
    for key, data in (("kind", {"disease_kind": "chronic"}), ("basic", HB1_AGENT_BASIC),
                      ("special_person", {"special": "0"}), ("recognition", HB1_RECOGNITION)):
        assert post_step(client, f"/applications/{pk}/pages/{key}", data).status_code == 302


def test_a_draft_missing_a_required_material_goes_on_at_the_materials(
        app, ctx, clock):  # noqa: F811
    client, pk = agent_draft(app, HB1, HB1_CODE)
    fill_hb1_pages(client, pk)
    page = text(client.get("/my/applications/"))
    step = re.search(r"<dt>" + re.escape(say(app, "Continue at")) + r"</dt><dd>([^<]*)</dd>",
                     page)
    assert step and step.group(1) == say(app, "Materials"), page[-3000:]
    resumed = client.get(f"/applications/{pk}/")
    assert resumed.headers["Location"].endswith(f"/applications/{pk}/materials")


def change_links(page: str) -> dict[str, str]:
    """Return the confirmation's 变更 links, by the section they change."""
    return {name.strip(): href for href, name in re.findall(
        r'<a class="edit" href="([^"]+)">[^<]*<span class="visually-hidden">([^<]*)</span>',
        page)}


def test_a_drafts_confirmation_links_every_step_who_applies_too(app, ctx, clock):  # noqa: F811
    client, pk = agent_draft(app, HB1, HB1_CODE)
    fill_hb1_pages(client, pk)
    links = change_links(text(client.get(f"/applications/{pk}/confirm")))
    assert links[say(app, "Who applies")] == f"/applications/{pk}/filer"
    assert links["认定信息"] == f"/applications/{pk}/pages/recognition"
    assert links[say(app, "Materials")] == f"/applications/{pk}/materials"


def test_a_correction_links_what_may_be_corrected(app, ctx, clock):  # noqa: F811
    client, _user, returned = returned_on_special(app)
    links = change_links(text(client.get(f"/applications/{returned}/confirm")))
    assert links == {"特殊人员": f"/applications/{returned}/pages/special_person",
                     "认定信息": f"/applications/{returned}/pages/recognition",
                     say(app, "Materials"): f"/applications/{returned}/materials"}


def test_a_correction_of_a_question_only_links_its_page(app, ctx, clock):  # noqa: F811
    client, _user, pk = returned_on_special(app)
    application = db.session.get(Application, pk)
    application.status = "submitted"
    db.session.commit()
    ReturnCommand(pk, make_user("Reviewer", TANGSHAN), comment="请补正", missing={
        "fields": {"hospital": "医院名称不全"}, "materials": {}}).run()
    links = change_links(text(client.get(f"/applications/{pk}/confirm")))
    assert links == {"认定信息": f"/applications/{pk}/pages/recognition"}
