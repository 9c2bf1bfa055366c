"""The reviewers' decision pages: a return is confirmed like approve and refuse (the ticked items
and reasons carried through), the last approval says the application is completed, and a
material left out reads as optional or as not needed, never one for the other."""
from tests.integration.test_review_views import (ANSWERS, GD8, SUBJECT_ID, gd8,  # noqa: F401
                                                 post, says, signed_in)
from tests.review_support import (NANSHAN, SHENZHEN, fresh, history, publish,  # noqa: F401
                                  reviewer, submitted, workday_clock)

RETURN = dict(comment="请补正（见下）", return_fields="mobile",
              reason_fields_mobile="号码无法接通（请核实）", return_materials="id_document",
              reason_materials_id_document="身份证不清晰")


def test_a_return_is_confirmed_first_and_carries_what_was_typed(app, gd8):
    county = signed_in(app, reviewer(NANSHAN))
    asked = post(county, gd8, "return", confirmed="", **RETURN)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and says(app, "Return this application for correction?") \
        in page
    assert f'action="/review/applications/{gd8.id}/return"' in page
    assert "号码无法接通（请核实）" in page and "身份证不清晰" in page  # what the applicant reads
    for name, value in (("return_fields", "mobile"), ("return_materials", "id_document"),
                        ("reason_fields_mobile", "号码无法接通（请核实）")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in page
    assert fresh(gd8).status == "submitted" and not history(gd8, "application.return")
    back = county.get(f"/review/applications/{gd8.id}").get_data(as_text=True)
    assert 'value="号码无法接通（请核实）"' in back  # "Back" finds the checklist as typed
    done = post(county, gd8, "return", **RETURN)  # the confirmation page's button
    assert done.status_code == 303 and fresh(gd8).status == "returned"
    assert fresh(gd8).return_request["fields"] == {"mobile": "号码无法接通（请核实）"}
    # A return naming nothing is sent back to the form, before any confirmation.
    other = submitted(GD8, NANSHAN, dict(ANSWERS), subject_id_number=SUBJECT_ID)
    response = post(county, other, "return", comment="请补正", confirmed="")
    assert response.status_code == 303 and "#decision" in response.headers["Location"]


def test_the_last_approval_says_the_application_is_completed(app, gd8):
    county, city = signed_in(app, reviewer(NANSHAN)), signed_in(app, reviewer(SHENZHEN))
    first = post(county, gd8, "approve")
    assert says(app, "Accepted. The application moves on.") in county.get(
        first.headers["Location"]).get_data(as_text=True)
    last = post(city, gd8, "approve")
    assert fresh(gd8).status == "approved"
    page = city.get(last.headers["Location"]).get_data(as_text=True)
    assert says(app, "Approved. The application is completed.") in page
    assert says(app, "Approved. The application moves on.") not in page


def test_an_optional_material_left_out_is_not_called_unneeded(app, gd8):
    page = signed_in(app, reviewer(NANSHAN)).get(
        f"/review/applications/{gd8.id}").get_data(as_text=True)

    def shown(key):
        start = page.index(f'data-material="{key}"')
        return page[start:page.index("</div>", start)]

    # 出院记录: optional, nothing given; 诊断证明: needed only for a family-planning leave.
    assert says(app, "Optional; not provided") in shown("discharge_record")
    assert says(app, "Not required for these answers") not in shown("discharge_record")
    # Not needed under these answers: named on the one line of materials that do not apply.
    assert 'data-material="diagnosis"' not in page
    assert "不适用的材料：诊断证明（终止妊娠或计划生育手术）" in page
    assert says(app, "No file.") in shown("id_document")  # required, nothing attached
