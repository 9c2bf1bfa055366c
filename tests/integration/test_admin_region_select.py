"""The account forms' 行政区划: marked required (FAB's asterisk, the select's ``required``) where an
account cannot do without one, refused empty at the field, and grouped under each region's
parent in code order, in the page's language."""
import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from tests.support import login, make_user

ASTERISK = re.compile(r'<label for="region" control-label>\s*(\S+)\s*'
                      r'<strong style="color: red">&#42;</strong>')


def region_select(html):
    match = re.search(r'<select [^>]*name="region"[^>]*>.*?</select>', html, re.S)
    assert match, "no region select"
    return match.group(0)


def groups(select):
    """Return [(group label, [option values])] in page order."""
    return [(label, re.findall(r'<option value="(\d+)"', body)) for label, body in
            re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S)]


@pytest.fixture
def city_admin(app, ctx):
    make_user("RegionAdmin", "130200", username="rs_ts")
    client = app.test_client()
    login(client, "rs_ts")
    return client


@pytest.mark.parametrize("locale, city, province, county", [
    ("zh", "唐山市（130200）", "河北省（130000）", "路北区（130203）"),
    ("en", "Tangshan City (130200)", "Hebei Province (130000)", "Lubei District (130203)")])
def test_region_is_marked_required_and_grouped_by_parent(city_admin, locale, city, province,
                                                         county):
    html = city_admin.get(f"/users/add?_l_={locale}").get_data(as_text=True)
    assert ASTERISK.search(html).group(1) == ("行政区划" if locale == "zh" else "Region")
    select = region_select(html)
    assert re.match(r'<select [^>]*\brequired\b', select)
    assert '<option selected value="__None"></option><optgroup' in select  # nothing chosen
    found = groups(select)
    # The city under its province (the province itself is outside the admin's subtree), then
    # the city's districts and counties, each group by code.
    assert [label for label, _ in found] == [province, city]
    assert found[0][1] == ["130200"]
    assert found[1][1] == sorted(found[1][1]) and "130203" in found[1][1]
    assert f'<option value="130203">{county}</option>' in select
    assert "130206" not in select  # abolished (新区): not offered


def test_edit_form_groups_too_and_empty_region_is_refused_at_the_field(city_admin):
    reviewer = make_user("Reviewer", "130203", username="rs_rev")
    edit = city_admin.get(f"/users/edit/{reviewer.id}").get_data(as_text=True)
    assert ASTERISK.search(edit)
    assert '<option selected value="130203">路北区（130203）</option>' in region_select(edit)
    role = db.session.scalar(sa.text("SELECT id FROM ab_role WHERE name = 'Reviewer'"))
    response = city_admin.post(f"/users/edit/{reviewer.id}", data={
        "first_name": "某人", "region": "__None", "active": "y", "roles": [str(role)]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'name="region"[\s\S]*?</select>\s*<span class="help-block">[^<]*</span>\s*'
                     r'<div class="alert alert-danger">\s*请选择账号所属的行政区划。', html)


def test_platform_admin_may_leave_it_empty_for_a_whole_country_account(app, ctx):
    make_user("Admin", username="rs_root")
    client = app.test_client()
    login(client, "rs_root")
    html = client.get("/users/add").get_data(as_text=True)
    assert not ASTERISK.search(html)
    select = region_select(html)
    assert not re.match(r'<select [^>]*\brequired\b', select)
    assert "仅平台管理员或参保人的账号可以不填" in html
    found = groups(select)
    assert found[0][0] == "全国" and "130000" in found[0][1] and "130200" not in found[0][1]
    labels = [label for label, _ in found]
    assert labels.index("河北省（130000）") < labels.index("唐山市（130200）") < \
        labels.index("山西省（140000）")
