"""北京/天津/上海/重庆 in region questions, on the bundled region tree (QA defect 1).

Their districts hang straight under 110000 … 500000, with no city row, so each is its own city: a
``level: city`` question (HB-2 跨省就医地) takes 310000, and the picker says the choice is complete
instead of leaving the citizen with a province select and "请选择到市级。"; a ``level: county``
question still lists and wants the districts. The same through the picker's htmx endpoint, the
wizard without JavaScript and the applications API; and HB-2's own rule for Beijing and Tianjin
(no filing needed since 2023-02-10) is reached with its message.
"""

import pytest

from app.extensions import db
from app.models.application import Application
from tests.applications_support import FORMDEFS, api_create, clock, load_gd8, token  # noqa: F401
from tests.browser.helpers import say
from tests.integration.test_wizard_fields_http import options, text
from tests.review_support import publish
from tests.wizard_support import (TANGSHAN, acknowledge_notice, citizen, post_step, signed_in,
                                  start)

PICKER = "/regions/picker"
HB2 = "cross_province_medical_filing"
CITY_DONE = "%(region)s has no cities under it: this choice is complete."
NO_FILING = "自2023年2月10日起，河北省参保群众赴京津两地就医无需办理备案"
TOO_SHALLOW_CITY = "Choose a region down to the city level."


def ask_picker(client, level: str, code: str) -> str:
    answer = client.get(PICKER, query_string={"_name": "destination", "_id": "destination",
                                              "_level": level, "destination": code})
    assert answer.status_code == 200
    return text(answer)


def test_the_picker_takes_a_municipality_as_its_own_city(app, ctx):
    client = app.test_client()
    for code, name in (("310000", "上海市"), ("500000", "重庆市"), ("110000", "北京市")):
        page = ask_picker(client, "city", code)
        assert "destination-2" not in page  # nothing more to choose …
        assert say(app, CITY_DONE, region=name) in page  # … and the picker says so
    assert "310000" in options(page, "destination")

    english = text(client.get(PICKER, query_string={
        "_name": "d", "_id": "d", "_level": "city", "d": "310000", "_l_": "en"}))
    assert "Shanghai has no cities under it: this choice is complete." in english

    province = ask_picker(client, "city", "130000")  # 河北省 has cities: choose one
    assert "130200" in options(province, "destination-2")
    assert say(app, CITY_DONE, region="河北省") not in province

    county = ask_picker(client, "county", "310000")  # a county question lists the districts
    assert "310101" in options(county, "destination-2")
    assert say(app, CITY_DONE, region="上海市") not in county


@pytest.fixture
def filing_page(app, ctx, clock):  # noqa: F811
    """A 唐山 citizen's HB-2 draft (long-term, resettled retiree) at its 备案申报 page."""
    publish(HB2)
    user = citizen()
    client = signed_in(app, user)
    pk = start(client, HB2, TANGSHAN)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {"filer": "self"}).status_code == 302
    assert post_step(client, f"/applications/{pk}/pages/type_choice", {
        "filing_type": "long_term", "long_term_kind": "resettled_retiree"}).status_code == 302
    return client, pk, f"/applications/{pk}/pages/filing", user


FILING = {"mobile": "13800138000", "start_date": "2026-12-01", "contact_name": "王小明",
          "contact_mobile": "13900139000"}


def test_without_javascript_chongqing_is_complete_and_the_page_moves_on(app, filing_page):
    client, pk, url, _user = filing_page
    updated = post_step(client, url, {**FILING, "destination": "500000"}, action="update")
    page = text(updated)
    assert updated.status_code == 200 and "destination-2" not in page
    assert say(app, CITY_DONE, region="重庆市") in page
    assert say(app, TOO_SHALLOW_CITY) not in page

    moved = post_step(client, url, {**FILING, "destination": "500000"})
    assert moved.status_code == 302, text(moved)[:3000]
    assert db.session.get(Application, pk).answers["destination"] == "500000"
    assert "重庆市" in text(client.get(f"/applications/{pk}/confirm"))


def test_beijing_and_tianjin_get_the_no_filing_message(app, filing_page):
    client, _pk, url, _user = filing_page
    for code in ("110000", "120000"):
        refused = post_step(client, url, {**FILING, "destination": code})
        assert refused.status_code == 422
        page = text(refused)
        assert NO_FILING in page and say(app, TOO_SHALLOW_CITY) not in page


def test_the_api_takes_a_municipality_for_a_city_but_not_for_a_county(app, client, filing_page):
    _web, pk, _url, user = filing_page
    headers = token(client, user.username)

    def put(pk, answers):
        saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                           json={"answers": answers})
        assert saved.status_code == 200, saved.get_json()
        return saved.get_json()["errors"]

    assert "destination" not in put(pk, {**FILING, "destination": "310000"})
    assert db.session.get(Application, pk).answers["destination"] == "310000"
    assert NO_FILING in " ".join(put(pk, {"destination": "120000"})["destination"])

    load_gd8(FORMDEFS / "440000-guangdong" / "resident_info_change.yaml")  # level: county
    # The GD item is filed in 广州 by a 唐山 citizen's account: any county region will do here.
    created = api_create(client, headers, item="resident_info_change", region="440106",
                         filer="self")
    assert created.status_code == 201, created.get_json()
    other = created.get_json()["id"]
    errors = put(other, {"change_items": ["residence"], "new_residence_region": "310000"})
    assert errors["new_residence_region"] == [say(app, "Choose a region down to the county "
                                                       "level.")]
    assert "new_residence_region" not in put(other, {"change_items": ["residence"],
                                                     "new_residence_region": "310101"})
    # 东莞 has no counties: the city is the county-level answer (its towns are not in the tree)
    assert "new_residence_region" not in put(other, {"change_items": ["residence"],
                                                     "new_residence_region": "441900"})


COUNTY_DONE = "%(region)s has no counties or districts under it: this choice is complete."


def test_a_city_without_counties_answers_a_county_question(app, ctx):
    client = app.test_client()
    for code, name in (("441900", "东莞市"), ("442000", "中山市"), ("460400", "儋州市")):
        page = ask_picker(client, "county", code)
        assert say(app, COUNTY_DONE, region=name) in page, name
    tangshan = ask_picker(client, "county", "130200")  # 唐山 has districts: choose one
    assert "130203" in options(tangshan, "destination-3")
    assert say(app, COUNTY_DONE, region="唐山市") not in tangshan
    hong_kong = ask_picker(client, "city", "810000")  # childless, but no city of its own
    assert say(app, CITY_DONE, region="香港特别行政区") not in hong_kong
