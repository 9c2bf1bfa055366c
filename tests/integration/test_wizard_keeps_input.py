"""What the citizen typed is never silently dropped by the wizard (GD-8, HTTP).

- The progress bar's earlier steps are buttons of the page's form (``_goto``): going there saves
  the page first, as "previous" does (an incomplete page still moves), on the notice, filer,
  page and materials steps alike.
- Typed answers of a question the answers now hide stay on the page as hidden inputs (never
  saved), so that showing the question again, in the live update or with "update", brings
  them back.
- A read-only question has no live update and no "update" button.
- 上传 pressed with no file chosen says so next to its material.
"""
import html
import re

import pytest

from app.extensions import db
from app.models.application import Application
from tests.applications_support import CODE, REGION, clock, load_gd8, make_citizen  # noqa: F401
from tests.browser.helpers import say
from tests.wizard_support import acknowledge_notice, post_step, signed_in, start, version_on


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def draft(app, ctx, clock):  # noqa: F811
    load_gd8()
    client = signed_in(app, make_citizen())
    pk = start(client, CODE, REGION)
    acknowledge_notice(client, pk)
    return client, pk


def answers(pk: int) -> dict:
    db.session.expire_all()
    return db.session.get(Application, pk).answers or {}


def hidden_inputs(page: str) -> dict:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))


def test_a_step_of_the_progress_bar_saves_the_page_then_opens_that_step(draft):
    client, pk = draft
    url = f"/applications/{pk}/pages/employer"
    page = text(client.get(url))
    step = re.search(r'<li class="done"><button type="submit" form="step-form" name="_goto" '
                     r'value="insured" class="link">参保人信息</button></li>', page)
    assert step, page[page.find('<nav class="progress"'):][:800]
    assert '<form method="post" id="step-form"' in page
    # The hidden "next" comes first in the document: Enter still goes on, not back.
    assert page.index('name="_action" value="next"') < page.index('name="_goto"')

    # Incomplete (no credit code): saved all the same and gone, as "previous" goes.
    moved = post_step(client, url, {"employer_name": "广州新名称有限公司", "_goto": "insured"},
                      action=None)
    assert moved.status_code == 302
    assert moved.headers["Location"].endswith(f"/applications/{pk}/pages/insured")
    assert answers(pk)["employer_name"] == "广州新名称有限公司"
    assert 'value="广州新名称有限公司"' in text(client.get(url))

    gone = post_step(client, url, {"employer_name": "再改", "_goto": "notice"}, action=None)
    assert gone.headers["Location"].endswith(f"/applications/{pk}/notice")
    unknown = post_step(client, url, {"employer_name": "又改", "_goto": "nowhere"}, action=None)
    assert unknown.status_code == 302 and answers(pk)["employer_name"] == "又改"


def test_the_materials_step_saves_its_pledges_and_files_before_going_to_a_step(draft):
    client, pk = draft
    url = f"/applications/{pk}/materials"
    page = text(client.get(url))
    assert 'form="materials-form" name="_goto" value="leave"' in page
    moved = client.post(url, content_type="multipart/form-data", data={
        "_version": version_on(page), "_goto": "leave"})
    assert moved.status_code == 303
    assert moved.headers["Location"].endswith(f"/applications/{pk}/pages/leave")


def test_typed_answers_of_a_question_hidden_again_come_back_when_it_shows(draft):
    client, pk = draft
    url = f"/applications/{pk}/pages/leave"
    typed = {"leave_type": "maternity", "parity": "2", "fetus_count": "1"}
    hidden = text(client.post(f"{url}/fields", data={**typed, "leave_type": "family_planning"}))
    assert 'id="parity"' not in hidden  # the question is hidden …
    assert hidden_inputs(hidden) == {"parity": "2", "fetus_count": "1"}  # … its input kept
    carried = {"leave_type": "maternity", **hidden_inputs(hidden)}
    shown = text(client.post(f"{url}/fields", data=carried))
    assert re.search(r'<input[^>]*id="parity"[^>]*value="2"', shown)
    assert re.search(r'<input[^>]*id="fetus_count"[^>]*value="1"', shown)
    assert hidden_inputs(shown) == {}

    # Without JavaScript: "update" saves the page; the hidden question's input is carried, not
    # stored (a question not shown is not kept), and comes back with the next "update".
    updated = post_step(client, url, {**typed, "leave_type": "family_planning"}, action="update")
    assert updated.status_code == 200
    assert hidden_inputs(text(updated))["parity"] == "2"
    assert "parity" not in answers(pk) and answers(pk)["leave_type"] == "family_planning"
    back = post_step(client, url, {"leave_type": "maternity", **hidden_inputs(text(updated))},
                     action="update")
    assert re.search(r'<input[^>]*id="parity"[^>]*value="2"', text(back))
    assert (answers(pk)["parity"], answers(pk)["fetus_count"]) == ("2", "1")  # as typed


def test_a_read_only_question_has_no_live_update_nor_update_button(draft):
    client, pk = draft
    page = text(client.get(f"/applications/{pk}/pages/insured"))
    question = page[page.find('id="q-cert_type"'):page.find('id="q-id_number"')]
    assert "readonly-value" in question and "hx-post" not in question
    assert 'value="update"' not in page
    leave = text(client.get(f"/applications/{pk}/pages/leave"))
    assert 'value="update"' in leave  # 休假类别 is an answer that shows questions


def test_upload_pressed_with_no_file_chosen_says_so(app, draft):
    client, pk = draft
    url = f"/applications/{pk}/materials"
    response = client.post(url, content_type="multipart/form-data", data={
        "_version": version_on(text(client.get(url))), "_upload": "id_document"})
    assert response.status_code == 422
    page = text(response)
    message = say(app, "Choose a file to upload.")
    assert message == "请选择要上传的文件。"
    assert f'<p class="error" id="material-id_document-err">{message}</p>' in page
