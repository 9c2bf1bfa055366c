"""Publishing warns of steps nobody could decide (app.workflow.staffing.publish_gaps): on the
designer's publish page, through `flask formdefs publish` and the publish API. Never blocks."""
from flask_babel import force_locale

from app.extensions import db
from app.region_tree import region_tree
from app.workflow.staffing import handling_regions, publish_gaps
from tests.integration.designer_support import PROVINCE, item, load, staff, text
from tests.integration.formdefs_api_support import caller, province_text, publish, send
from tests.review_support import LUBEI, TANGSHAN, reviewer
from tests.support import make_user

HEBEI_CITIES = 11


def gaps_by_step(region="130000"):
    return {gap.step["key"]: gap for gap in publish_gaps(item(region=region).latest_version
                                                          .definition, region)}


def test_each_step_names_the_regions_without_staff(ctx):
    load(PROVINCE)
    reviewer(TANGSHAN)
    make_user("RegionAdmin", "130100")  # 石家庄: not the step's role
    gone = reviewer("130300")  # 秦皇岛: not active
    gone.active = False
    db.session.commit()
    gaps = gaps_by_step()
    assert gaps["accept"].anywhere and not gaps["accept"].missing  # region_field
    review = gaps["review"]  # level: city
    assert review.handlers == HEBEI_CITIES and len(review.missing) == HEBEI_CITIES - 1
    assert TANGSHAN not in review.missing and {"130100", "130300"} <= set(review.missing)
    auto = gaps["auto_check"]  # no level: every region an application may be filed in
    filed = handling_regions("130000", None)
    assert LUBEI in filed and "130000" not in filed and TANGSHAN not in filed  # county or below
    assert auto.step.get("auto") and auto.handlers == len(filed) == len(auto.missing)
    reviewer(LUBEI)
    assert LUBEI not in gaps_by_step()["auto_check"].missing
    for city in region_tree().children("130000"):
        reviewer(city.code)
    assert "review" not in gaps_by_step()


def test_a_county_variant_looks_up_to_the_city_for_a_city_step(ctx):
    assert handling_regions(LUBEI, "city") == [TANGSHAN]
    assert handling_regions(TANGSHAN, "county")[:2] == ["130202", "130203"]
    assert handling_regions("110000", "city") == ["110000"]  # a municipality handles it itself


def test_the_publish_page_warns_and_publishing_goes_on(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)  # English pages
    it = item()
    html = text(client.get(f"/items/{it.id}/publish"))
    assert "no active Reviewer may decide it in 11 of the 11 regions" in html
    assert "and 1 more" in html  # ten names, then the count
    assert "so it can land in any region" in html
    response = client.post(f"/items/{it.id}/publish", data={"revision": it.revision},
                           follow_redirects=True)
    assert response.status_code == 200 and item().status == "published"
    assert "no active Reviewer may decide it" in text(response)


def test_the_cli_publishes_and_warns(app, ctx, runner):
    load(PROVINCE, publish=False)
    reviewer(TANGSHAN)
    result = runner.invoke(args=["formdefs", "publish", "demo_allowance", "--region", "130000"])
    assert result.exit_code == 0, result.output
    assert "demo_allowance@130000" in result.output and item().status == "published"
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 3, result.output  # the tests' commands speak English
    assert "Step 审核: no active Reviewer may decide it in 10 of the 11 regions" in warnings[1]
    assert warnings[2].endswith("(decided by its rule; a person decides when the rule does "
                                "not approve)")
    again = runner.invoke(args=["formdefs", "publish", "demo_allowance", "--region", "130000"])
    assert again.exit_code == 0
    unknown = runner.invoke(args=["formdefs", "publish", "demo_allowance", "--region", "999999"])
    assert unknown.exit_code == 2 and "999999" in unknown.output  # a usage error


def test_the_api_gives_the_warnings_with_the_version(app, client, ctx):
    _admin, headers = caller(client)
    assert send(client, headers, province_text()).status_code == 201
    reviewer(TANGSHAN)
    response = publish(client, headers, query="_l_=en")
    assert response.status_code == 200, response.get_json()
    staffing = {gap["step"]: gap for gap in response.get_json()["staffing"]}
    assert set(staffing) == {"accept", "review", "auto_check"}
    review = staffing["review"]
    assert (review["role"], review["regions"], len(review["missing"])) == ("Reviewer", 11, 10)
    assert {"code": "130100", "name": "Shijiazhuang City"} in review["missing"]
    assert review["message"].startswith("Step 审核: no active Reviewer may decide it in 10 of")
    assert staffing["accept"]["anywhere"] and staffing["accept"]["missing"] == []
    assert staffing["auto_check"]["automatic"]
    with force_locale("en"):
        spec = client.get("/api/v1/_openapi").get_json()
    assert "staffing" in spec["components"]["schemas"]["FormdefPublishedSchema"]["properties"]
