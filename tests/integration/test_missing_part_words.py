"""A change naming a part the item does not have names its kind in words: 本事项中没有字段
“nonexistent”, not field."""
import html as html_lib

from tests.integration.designer_support import PROVINCE, item, load, staff, text


def test_a_missing_part_is_named_by_its_kind_in_words(client, ctx):
    load(PROVINCE)
    staff(client, locale="zh")
    it = item()
    moved = client.post(f"/items/{it.id}/change", data={
        "kind": "field", "key": "nonexistent", "action": "up", "revision": it.revision},
        follow_redirects=True)
    shown = html_lib.unescape(text(moved))
    assert "本事项中没有字段“nonexistent”" in shown and "field“" not in shown
