"""我要查 for an agent (HB-1 filed by 王建国 for 王秀英, HTTP): the list masks the person applied
for as the API does, the draft's answers are what was filled in (nothing sent yet), and its
progress names the agent rather than "you" — in full, as its 代办信息 does: they are the one
reading it."""
import html
import re

import pytest

from app.validators import mask_name
from tests.applications_support import clock  # noqa: F401
from tests.browser.helpers import say
from tests.wizard_support import (HB1, HB1_CODE, SUBJECT_ID, TANGSHAN, acknowledge_notice,
                                  citizen, make_person, post_step, publish, signed_in, start)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def agent_draft(app, ctx, clock):  # noqa: F811
    publish(HB1)
    make_person(SUBJECT_ID, "王秀英", TANGSHAN, sex="2")
    client = signed_in(app, citizen(name="李四海"))
    pk = start(client, HB1_CODE, TANGSHAN)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {
        "filer": "agent", "subject_name": "王秀英", "subject_id_number": SUBJECT_ID,
        "relationship": "03", "address": "唐山市路北区某某路1号"}).status_code == 302
    assert post_step(client, f"/applications/{pk}/pages/kind",
                     {"disease_kind": "chronic"}).status_code == 302
    return client, pk


def test_the_list_masks_the_person_applied_for(app, agent_draft):
    client, _pk = agent_draft
    page = text(client.get("/my/applications/"))
    assert mask_name("王秀英") == "王**"
    assert re.search(r"<dt>" + re.escape(say(app, "Applied for")) + r"</dt><dd>王\*\*</dd>", page)
    assert "王秀英" not in page


def test_a_drafts_answers_are_what_was_filled_in_and_its_progress_names_the_agent(
        app, agent_draft):
    client, pk = agent_draft
    page = text(client.get(f"/my/applications/{pk}"))
    heading = re.search(r'<h2 id="answers-title">([^<]*)</h2>', page).group(1)
    assert heading == say(app, "What you have filled in") == "已填写的内容"
    timeline = page[page.find('<ol class="timeline">'):page.find("</ol>")]
    assert say(app, "by the agent %(name)s", name="李四海") == "代办人 李四海"
    assert timeline.count("代办人 李四海") == 2  # started, who applies recorded
    assert say(app, "by you") not in timeline and "李**" not in page
    english = text(client.get(f"/my/applications/{pk}?_l_=en"))
    assert "What you have filled in" in english and "by the agent 李四海" in english
