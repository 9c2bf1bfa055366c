"""Deleting in the designer asks first (a page of its own, no JavaScript needed); a draft can
be discarded back to the published version and an item never published deleted, audited."""
from html import unescape

from sqlalchemy import func, select

from app.extensions import db
from app.models.audit import AuditEvent
from tests.integration.designer_support import PROVINCE, fields, item, load, staff, text
from tests.integration.test_designer_editor import post_change


def events(action):
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == action))


def test_deleting_a_field_or_a_page_asks_first(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    response = post_change(client, it, "delete", "field", "special", confirmed="")
    html = text(response)
    assert response.status_code == 200 and "special" in fields(item().draft)
    assert "Delete field “是否特殊人员” (special) from the draft?" in html
    assert 'name="confirmed" value="1"' in html and 'name="action" value="delete"' in html
    assert "Discard the draft" not in html  # never published: nothing to go back to
    # What reads it is named before it goes: its input by the form's label.
    assert ('特殊人员类型 (special_type) · Visible when (expression): <code>special == "1"</code>'
            in unescape(html))
    response = post_change(client, it, "delete", "page", "claim", confirmed="")
    assert "Its 3 fields are deleted with it." in text(response)
    assert [p["key"] for p in item().draft["pages"]] == ["applicant", "claim"]
    assert post_change(client, it, "delete", "page", "claim").status_code == 302
    assert [p["key"] for p in item().draft["pages"]] == ["applicant"]


def test_a_draft_is_discarded_back_to_the_published_version(client, ctx):
    load(PROVINCE)
    staff(client)
    it = item()
    published = it.draft
    assert "Discard the draft" not in text(client.get(f"/items/{it.id}/"))
    assert "“Discard the draft” brings it back" in text(
        post_change(client, it, "delete", "field", "home_region", confirmed=""))
    assert post_change(client, it, "delete", "field", "home_region").status_code == 302
    it = item()
    assert "Discard the draft" in text(client.get(f"/items/{it.id}/"))
    page = text(client.get(f"/items/{it.id}/discard"))
    assert "since version 1 was published" in page and item().draft != published
    assert client.post(f"/items/{it.id}/discard", data={"revision": it.revision}
                       ).status_code == 200  # not confirmed: asked again
    assert client.post(f"/items/{it.id}/discard", data={
        "revision": it.revision - 1, "confirmed": "1"}).status_code == 409
    revision = it.revision
    response = client.post(f"/items/{it.id}/discard", data={"revision": revision,
                                                           "confirmed": "1"})
    assert response.status_code == 302
    assert item().draft == published and item().revision == revision + 1
    assert events("definition.discard") == 1
    assert "Discard the draft" not in text(client.get(f"/items/{it.id}/"))


def test_only_an_item_never_published_is_deleted(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    assert "Delete the item" in text(client.get(f"/items/{it.id}/"))
    assert "cannot be brought back" in text(client.get(f"/items/{it.id}/delete"))
    assert client.post(f"/items/{it.id}/delete", data={"revision": it.revision}
                       ).status_code == 200 and item() is not None
    response = client.post(f"/items/{it.id}/delete", data={"revision": it.revision,
                                                          "confirmed": "1"})
    assert response.status_code == 302 and item() is None
    assert events("definition.delete") == 1

    load(PROVINCE)
    it = item()
    assert "Delete the item" not in text(client.get(f"/items/{it.id}/"))
    response = client.post(f"/items/{it.id}/delete", data={"revision": it.revision,
                                                          "confirmed": "1"})
    assert response.status_code == 302 and item() is not None
    assert "published versions" in text(client.get(f"/items/{it.id}/"))


def test_another_region_cannot_discard_or_delete(client, ctx):
    load(PROVINCE, publish=False)
    it = item()
    staff(client, "RegionAdmin", "130200")
    for url in (f"/items/{it.id}/delete", f"/items/{it.id}/discard"):
        assert client.post(url, data={"revision": it.revision, "confirmed": "1"}
                           ).status_code == 404
    assert item() is not None


def test_a_published_item_is_taken_out_of_service_after_asking(client, ctx):
    from app.engine.variants import effective_version

    load(PROVINCE)
    it = item()
    city = ctx.test_client()
    staff(city, "RegionAdmin", "130200")
    assert city.post(f"/items/{it.id}/retire", data={"confirmed": "1"}).status_code == 404
    staff(client)
    assert "Take out of service" in text(client.get(f"/items/{it.id}/"))
    page = text(client.get(f"/items/{it.id}/retire"))
    assert "Applications already started (0) keep their version" in page
    assert client.post(f"/items/{it.id}/retire", data={}).status_code == 200
    assert item().status == "published"
    assert client.post(f"/items/{it.id}/retire", data={"confirmed": "1"}).status_code == 302
    assert item().status == "retired" and effective_version("demo_allowance", "130203") is None
    assert events("definition.retire") == 1
    assert "Take out of service" not in text(client.get(f"/items/{it.id}/"))
    assert client.post(f"/items/{it.id}/publish", data={"revision": item().revision}
                       ).status_code == 302  # publishing again puts it back
    assert item().status == "published" and effective_version("demo_allowance", "130203")


def test_an_item_a_variant_adapts_stays_in_service(client, ctx):
    load(PROVINCE)
    city = ctx.test_client()
    staff(city, "RegionAdmin", "130200")
    assert city.post(f"/items/adapt/{item().id}").status_code == 302
    staff(client)
    response = client.post(f"/items/{item().id}/retire", data={"confirmed": "1"})
    assert response.status_code == 422
    words = unescape(text(response))
    assert ("the variant of Tangshan City, Hebei Province (demo_allowance, region 130200) "
            "derives from this item") in words, words
    assert item().status == "published" and events("definition.retire") == 0
