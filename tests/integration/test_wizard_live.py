"""The wizard's pages over HTTP: the stale tab (E2), live conditions, repeat rows, signature."""
import html
import re

import pytest

from app.extensions import db
from app.models.application import Application
from tests.applications_support import FORMDEFS, clock  # noqa: F401
from tests.browser.helpers import say
from tests.wizard_support import (HB1, HB1_CODE, JIANGSU_ID, JS1, JS1_CODE, NANJING, PARENT_ID,
                                  SPOUSE_ID, TANGSHAN, acknowledge_notice, citizen, post_step,
                                  publish, signed_in, start, submit_token, version_on)

GD2 = FORMDEFS / "440000-guangdong" / "resident_info_change.yaml"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def hb1_draft(app, ctx, clock):  # noqa: F811
    publish(HB1)
    client = signed_in(app, citizen())
    pk = start(client, HB1_CODE, TANGSHAN)
    acknowledge_notice(client, pk)
    return client, pk


def test_a_stale_tab_gets_409_with_both_versions_and_nothing_overwritten(app, hb1_draft):  # E2
    client, pk = hb1_draft
    url = f"/applications/{pk}/pages/basic"
    stale_version = version_on(client.get(url).get_data(as_text=True))  # tab A opens the page
    saved = post_step(client, url, {"mobile": "13900139000", "insutype": "310"},
                      version=stale_version)  # tab B saves first
    assert saved.status_code == 302
    response = post_step(client, url, {"mobile": "13700137000", "insutype": "390"},
                         version=stale_version)
    page = text(response)
    assert response.status_code == 409
    assert "changed in another window" in page or say(
        app, "This draft was changed in another window. Nothing of what you sent here was "
             "saved: check the saved answers below, then send your version again if it is the "
             "one to keep.") in page
    assert "13900139000" in page  # the newer saved answer, shown
    assert 'value="13700137000"' in page  # this tab's input, kept in the form
    assert db.session.get(Application, pk).answers["mobile"] == "13900139000"
    current = version_on(page)
    assert current != stale_version
    kept = post_step(client, url, {"mobile": "13700137000", "insutype": "390"},
                     action="update", version=current)  # sending it again, knowingly
    assert kept.status_code == 200
    assert db.session.get(Application, pk).answers["mobile"] == "13700137000"


def test_live_update_redraws_the_questions_from_the_server(hb1_draft):
    client, pk = hb1_draft
    url = f"/applications/{pk}/pages/special_person"
    page = text(client.get(url))
    assert f'hx-post="{url}/fields"' in page and "htmx.min.js" in page
    assert "onchange" not in page and "onclick" not in page  # no inline handlers (CSP)
    shown = client.post(f"{url}/fields", data={"special": "1"})
    partial = text(shown)
    assert shown.status_code == 200 and partial.lstrip().startswith('<div id="page-fields">')
    assert 'name="special_type"' in partial and 'name="absence_reason"' in partial
    assert "<html" not in partial and 'class="error"' not in partial
    hidden = text(client.post(f"{url}/fields", data={"special": "0"}))
    assert 'name="special_type"' not in hidden
    assert "special" not in (db.session.get(Application, pk).answers or {})  # nothing saved


def test_the_live_update_sends_the_forms_csrf_token(hb1_draft, csrf):  # A8
    client, pk = hb1_draft
    url = f"/applications/{pk}/pages/special_person"
    page = client.get(url).get_data(as_text=True)
    form = page[page.index(f'action="{url}"'):]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    # htmx posts the enclosing form (hx-post sits inside it), token included.
    assert form.index('name="csrf_token"') < form.index("hx-post=") < form.index("</form>")
    assert client.post(f"{url}/fields", data={"special": "1"}).status_code == 400
    allowed = client.post(f"{url}/fields", data={"special": "1", "csrf_token": token})
    assert allowed.status_code == 200 and 'name="special_type"' in text(allowed)


def test_checkboxes_drive_conditions_and_a_pledge_replaces_a_material(
        app, ctx, clock):  # noqa: F811
    publish([GD2])
    client = signed_in(app, citizen(region="440106"))
    pk = start(client, "resident_info_change", "440106")
    acknowledge_notice(client, pk)
    post_step(client, f"/applications/{pk}/filer", {"filer": "self"})
    url = f"/applications/{pk}/pages/change"
    partial = text(client.post(f"{url}/fields", data={"change_items": ["mobile", "residence"]}))
    assert 'name="new_mobile"' in partial and 'name="new_residence_address"' in partial
    assert 'name="new_hukou_address"' not in partial
    post_step(client, url, {"change_items": ["residence"], "new_residence_region": "440106",
                            "new_residence_address": "天河路1号"})
    materials = text(client.get(f"/applications/{pk}/materials"))
    assert say(app, "Required in your case") in materials and "本人承诺所填居住地址" in materials
    response = post_step(client, f"/applications/{pk}/materials",
                         {"pledge": "residence_proof"})
    assert response.status_code == 303
    assert db.session.get(Application, pk).answers["_pledges"] == {"residence_proof": True}
    confirm = text(client.get(f"/applications/{pk}/confirm"))
    assert "materials#material-residence_proof" not in confirm  # the pledge satisfies it
    assert "materials#material-id_document" in confirm


def test_js1_repeat_rows_added_and_removed_without_javascript_and_a_typed_signature(
        app, ctx, clock):  # noqa: F811
    publish(JS1)
    client = signed_in(app, citizen(JIANGSU_ID, "李明", NANJING))
    pk = start(client, JS1_CODE, NANJING)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/pages/authoriser",
                     {"mobile": "13800138000"}).status_code == 302
    url = f"/applications/{pk}/pages/account_users"
    first = {"users-0-name": "王芳", "users-0-id_card": SPOUSE_ID, "users-0-relationship": "02"}
    added = post_step(client, url, {**first, "add_row": "users"}, action=None)
    page = text(added)
    assert added.status_code == 200 and 'name="users-1-name"' in page
    assert 'value="王芳"' in page  # the first row kept (and saved)
    assert len(db.session.get(Application, pk).answers["users"]) == 2
    second = {"users-1-name": "李老", "users-1-id_card": PARENT_ID, "users-1-relationship": "04"}
    extra = post_step(client, url, {**first, **second, "add_row": "users"}, action=None)
    assert 'name="users-2-name"' in text(extra)
    removed = post_step(client, url, {**first, **second, "remove_row_2": "users"}, action=None)
    assert 'name="users-2-name"' not in text(removed) and 'value="李老"' in text(removed)
    bad = post_step(client, url, {**first, **second, "users-1-relationship": "99"})
    assert bad.status_code == 422
    assert "请从所列选项中选择" in text(bad)  # only spouse, children, parents, guardians offered
    assert post_step(client, url, {**first, **second}).status_code == 302
    sign = f"/applications/{pk}/pages/pledge"
    unsigned = post_step(client, sign, {"pledge_read": "y"})
    assert unsigned.status_code == 422 and 'id="signature-value-err"' in text(unsigned)
    assert post_step(client, sign, {"pledge_read": "y", "signature-kind": "typed",
                                    "signature-value": "李明"}).status_code == 302
    confirm = text(client.get(f"/applications/{pk}/confirm"))
    assert "王芳" in confirm and "李老" in confirm and "配偶" in confirm and "李明" in confirm
    client.post(f"/applications/{pk}/confirm", data={"submit_token": submit_token(confirm)})
    application = db.session.get(Application, pk)
    assert application.status == "submitted"
    assert [u["name"] for u in application.answers["users"]] == ["王芳", "李老"]
    assert application.answers["signature"]["kind"] == "typed"
