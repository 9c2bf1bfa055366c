"""Who may use the item designer: a region admin within the subtree only; reviewers and
citizens are refused."""
import pytest

from tests.integration.designer_support import PROVINCE, FIXTURES, item, load, staff
from tests.support import login, make_user

GD = FIXTURES.parents[1] / ".." / "app" / "formdefs" / "440000-guangdong" / "maternity_allowance.yaml"


def test_region_admin_cannot_see_or_edit_another_regions_item(client, ctx):
    load(GD.resolve())
    gd = item("maternity_allowance", "440000")
    staff(client, "RegionAdmin", "130200")
    assert f'href="/items/{gd.id}/"' not in client.get("/items/").get_data(as_text=True)
    for url in (f"/items/{gd.id}/", f"/items/{gd.id}/settings", f"/items/{gd.id}/preview",
                f"/items/{gd.id}/publish", f"/items/{gd.id}/export.yaml",
                f"/items/{gd.id}/export.xlsx", f"/items/{gd.id}/field/cert_type"):
        assert client.get(url).status_code == 404, url
    for url, data in ((f"/items/{gd.id}/change", {"kind": "field", "key": "cert_type",
                                                   "action": "delete", "revision": 1}),
                      (f"/items/{gd.id}/publish", {"revision": gd.revision}),
                      (f"/items/{gd.id}/add/field", {"key": "x", "type": "text", "label": "x",
                                                      "page": "patient"})):
        assert client.post(url, data=data).status_code == 404, url
    assert item("maternity_allowance", "440000").revision == gd.revision


def test_region_admin_of_a_city_reads_but_cannot_edit_province_items(client, ctx):
    load(PROVINCE)
    province = item()
    staff(client, "RegionAdmin", "130200")
    assert client.get(f"/items/{province.id}/").status_code == 404
    response = client.post("/items/import", data={"text": PROVINCE.read_text(encoding="utf-8")})
    assert response.status_code == 403
    assert "outside the regions you administer" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["Reviewer", "Citizen"])
def test_reviewers_and_citizens_get_403(client, ctx, role):
    load(PROVINCE)
    province = item()
    user = make_user(role, "130000")
    login(client, user.username)
    for url in ("/items/", f"/items/{province.id}/", f"/items/{province.id}/preview",
                f"/items/{province.id}/export.yaml"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/items/{province.id}/publish").status_code == 403
    assert client.post("/items/new", data={"code": "x", "name_zh": "x"}).status_code == 403


def test_platform_admin_sees_every_region(client, ctx):
    load(PROVINCE, GD.resolve())
    staff(client, "Admin", None)
    html = client.get("/items/").get_data(as_text=True)
    assert "maternity_allowance" in html and "demo_allowance" in html
