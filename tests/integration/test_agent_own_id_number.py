"""An agent (代办人) reads their own ID number — the verified account's — in full on the
confirmation and on their own 我要查 detail page, before and after submitting (it is their own,
unlike the subject's, which is masked once submitted: docs/engine.md, *Personal identifiers*);
the list does not show it; the API's detail mirrors the page; staff read it masked."""
import html
import re

from app.commands.applications.context import engine_context
from app.extensions import db
from app.models.application import Application
from app.validators import mask_id_number
from app.views.review.display import agent_section
from tests.applications_support import ALICE_ID, REGION, clock, token  # noqa: F401
from tests.browser.helpers import say
from tests.integration.test_applications_api_agent import agent_filed, file_for_bob  # noqa: F401
from tests.integration.test_citizen_pages_consistent import agent_draft
from tests.support import make_user
from tests.wizard_support import CITIZEN_ID, HB1, HB1_CODE, SUBJECT_ID


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_confirmation_and_the_detail_show_the_agents_own_id_number(app, ctx, clock):  # noqa: F811
    client, pk = agent_draft(app, HB1, HB1_CODE)  # 李四海 (CITIZEN_ID) files for 王秀英
    confirm = text(client.get(f"/applications/{pk}/confirm"))
    own = say(app, "%(person)s (%(id_number)s)", person="李四海", id_number=CITIZEN_ID)
    assert re.search(r"<dt>" + re.escape(say(app, "Agent")) + r'</dt><dd class="agent-self">'
                     + re.escape(own) + "</dd>", confirm), confirm[-4000:]
    db.session.get(Application, pk).status = "submitted"
    db.session.commit()
    detail = text(client.get(f"/my/applications/{pk}"))
    assert re.search(r"<dt>" + re.escape(say(app, "Agent's ID number"))
                     + r'</dt><dd class="agent-id-number">' + CITIZEN_ID + "</dd>", detail)
    assert SUBJECT_ID not in detail  # the subject's ID number is masked once submitted
    listed = text(client.get("/my/applications/"))
    assert CITIZEN_ID not in listed


def test_the_api_gives_the_agent_their_id_number_and_staff_it_masked(
        app, client, agent_filed):  # noqa: F811
    pk = file_for_bob(client, agent_filed)
    alice = token(client, agent_filed.username)
    assert client.get(f"/api/v1/applications/{pk}",
                      headers=alice).get_json()["agent"]["id_number"] == ALICE_ID
    db.session.get(Application, pk).status = "submitted"
    db.session.commit()
    staff = token(client, make_user("Reviewer", REGION).username)
    shown = client.get(f"/api/v1/applications/{pk}", headers=staff).get_json()
    assert shown["agent"]["id_number"] == mask_id_number(ALICE_ID) != ALICE_ID
    application = db.session.get(Application, pk)
    with app.test_request_context("/"):
        rows = {row.key: row.value for row in agent_section(
            application, engine_context(application, "zh")).rows}
    assert rows["agent_id_number"] == mask_id_number(ALICE_ID)
