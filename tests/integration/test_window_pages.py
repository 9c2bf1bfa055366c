"""Window entry skips the pages that show nothing, as the citizen wizard does: HB-4's first page
(代办信息) asks only an agent, and a window application is filed by the citizen in person."""
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app.commands.formdefs import LoadFormdefsCommand
from app.extensions import db
from app.models.application import Application
from tests.applications_support import clock, id_number, make_person  # noqa: F401
from tests.support import login, make_user

HB4 = Path(__file__).resolve().parents[2] / "app" / "formdefs" / "130000-hebei" / \
    "maternity_allowance.yaml"
COUNTY, PERSON = "130203", id_number("13020319900101002")
AGENT_PAGE = """
pages:
  - key: agent
    title: 代办信息
    fields:
      - {key: agent_note, type: text, label: 代办说明, visible_when: 'filer == "agent"'}
"""


@pytest.fixture
def clerk(ctx, clock, tmp_path):  # noqa: F811
    agent_only = tmp_path / HB4.name  # HB-4 with a first page that only an agent is asked
    agent_only.write_text(HB4.read_text(encoding="utf-8").replace("\npages:\n", AGENT_PAGE, 1),
                          encoding="utf-8")
    LoadFormdefsCommand([agent_only], publish=True).run()
    make_person(PERSON, "王芳", region=COUNTY)
    user = make_user("Reviewer", COUNTY)
    client = ctx.test_client()
    assert login(client, user.username).status_code == 302
    return client


def test_the_clerk_never_sees_a_page_whose_fields_are_all_hidden(clerk):
    created = clerk.post("/review/window/", data={
        "item": "maternity_allowance", "region": COUNTY, "name": "王芳", "id_number": PERSON,
        "identity_checked": "y", "action": "create"})
    assert created.status_code == 303
    assert re.search(r"/review/window/\d+/pages/patient$", created.headers["Location"])
    pk = db.session.scalar(select(Application.id))
    page = clerk.get(created.headers["Location"]).get_data(as_text=True)
    steps = re.search(r'<ol class="breadcrumb window-steps">(.*?)</ol>', page, re.S)[1]
    assert "/pages/agent" not in steps and "/pages/patient" in steps
    assert 'name="_go" value="back" class="btn' not in page  # the first page shown
    # The hidden page's address leads on to the next page that shows something.
    hidden = clerk.get(f"/review/window/{pk}/pages/agent")
    assert hidden.status_code == 303 and hidden.headers["Location"].endswith(
        f"/review/window/{pk}/pages/patient")
    # "Back" from the first page shown stays there, never on the empty page.
    back = clerk.post(f"/review/window/{pk}/pages/patient", data={"_go": "back"})
    assert back.status_code == 303 and not back.headers["Location"].endswith("/pages/agent")
    assert clerk.get(f"/review/window/{pk}/pages/nowhere").status_code == 404
