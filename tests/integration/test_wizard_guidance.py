"""Guidance on the citizen's pages (GD-8, HTTP): the catalogue's search matches every word typed,
a page refused by 下一步 lists its problems on top with links to the questions, and the same
file uploaded twice to one material is stored with a warning."""
import html
import io
import re

import pytest

from app.extensions import db
from app.models.application import Attachment
from tests.applications_support import CODE, REGION, clock, load_gd8, make_citizen  # noqa: F401
from tests.browser.helpers import say
from tests.wizard_support import (acknowledge_notice, jpeg_bytes, post_step, signed_in, start,
                                  upload, version_on)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def draft(app, ctx, clock):  # noqa: F811
    load_gd8()
    client = signed_in(app, make_citizen())
    pk = start(client, CODE, REGION)
    acknowledge_notice(client, pk)
    return client, pk


@pytest.mark.parametrize("query", ["生育 津贴", "津贴　生育", " 生育  申报 ", "生育津贴"])
def test_the_catalogue_finds_an_item_by_every_word_typed(app, draft, query):
    client, _pk = draft
    page = text(client.get("/apply/", query_string={"region": REGION, "q": query}))
    assert "生育津贴申报" in page, query


def test_a_word_the_item_lacks_finds_nothing(app, draft):
    client, _pk = draft
    page = text(client.get("/apply/", query_string={"region": REGION, "q": "生育 护照"}))
    assert "生育津贴申报" not in page


def test_a_refused_page_lists_its_problems_on_top_with_links(app, draft):
    client, pk = draft
    url = f"/applications/{pk}/pages/employer"
    assert 'id="problems"' not in text(client.get(url))
    refused = post_step(client, url, {"employer_uscc": "123"})
    assert refused.status_code == 422
    page = text(refused)
    summary = page[page.find('<section class="problems" role="alert"'):page.find("</section>")]
    assert say(app, "Please fix these before going on") in summary
    links = re.findall(r'<li><a href="#([\w-]+)">([^<]+)</a>[:：] ?([^<]+)</li>', summary)
    assert [(target, label) for target, label, _ in links] == [
        ("employer_name", "用人单位名称"), ("employer_uscc", "统一社会信用代码"),
        ("not_advanced_reason", "用人单位未垫付原因")]
    for target, _label, message in links:  # the message next to the question, repeated
        assert re.search(rf'id="{target}-err">{re.escape(message.strip())}</p>', page)
    for target, _label, _message in links:
        assert f'id="{target}"' in page

    leave = post_step(client, f"/applications/{pk}/pages/leave", {})
    targets = re.findall(r'<li><a href="#([\w-]+)">', text(leave))
    assert targets[0] == "leave_type-0"  # a choice: its first option


def test_the_same_file_twice_on_one_material_is_kept_with_a_warning(app, draft):
    client, pk = draft
    url = f"/applications/{pk}/materials"
    assert upload(client, pk, "id_document", name="身份证.jpg").status_code == 303
    assert "flash-warning" not in text(client.get(url))
    assert upload(client, pk, "discharge_record", name="出院.jpg").status_code == 303
    assert "flash-warning" not in text(client.get(url))  # the same file, another material
    again = client.post(url, content_type="multipart/form-data", data={
        "_version": version_on(text(client.get(url))), "_upload": "id_document",
        "file-id_document": [(io.BytesIO(jpeg_bytes()), "身份证2.jpg")]})
    assert again.status_code == 303
    page = text(client.get(url))
    warning = say(app, "%(file)s is the same file as one already uploaded for %(material)s: "
                  "check that it was not uploaded twice by mistake.", file="身份证2.jpg",
                  material="本人身份证")
    assert re.search(r'<p class="flash flash-warning" role="status">' + re.escape(warning), page)
    names = db.session.scalars(db.select(Attachment.original_name).where(
        Attachment.application_id == pk, Attachment.material_key == "id_document")).all()
    assert sorted(names) == ["身份证.jpg", "身份证2.jpg"]  # kept: a warning, not a refusal
