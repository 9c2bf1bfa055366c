"""A repeating group's own form lists its columns, each with its Edit link, offers to add one,
and leaves out what makes no sense for a group (prefill from the profile, a default answer)."""
import re

from tests.integration.designer_support import PROVINCE, item, load, staff, text


def test_a_repeat_form_shows_its_columns_and_no_prefill_or_default(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    html = text(client.get(f"/items/{it.id}/field/children"))
    assert 'name="prefill"' not in html and 'name="default"' not in html
    columns = re.search(r'class="form-group group-columns"(.*?)</table>', html, re.S).group(1)
    for key in ("name", "birth_date"):
        assert f'href="/items/{it.id}/field/children.{key}"' in columns
    add = re.search(r'<div class="add-column">(.*?)</form>', html, re.S).group(1)
    assert 'name="page" value="claim/children"' in add
    response = client.post(f"/items/{it.id}/add/field", data={
        "revision": it.revision, "page": "claim/children", "key": "relation", "type": "text",
        "label": "与申请人关系"})
    assert response.status_code == 302
    assert "relation" in [c["key"] for p in item().draft["pages"] for f in p["fields"]
                          if f["key"] == "children" for c in f["fields"]]
    text_form = text(client.get(f"/items/{it.id}/field/amount"))
    assert 'name="default"' in text_form and "group-columns" not in text_form
