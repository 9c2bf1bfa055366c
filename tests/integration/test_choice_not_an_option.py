"""A choice answer outside the options says so, naming it and the options by their labels.

"Choose one of the options." (请选择其中一项。) read as if nothing had been chosen when an API client
sent a value the item does not offer. The draft keeps what was sent, as it keeps any invalid
input until submission (app.commands.applications.save); submission refuses it.
"""
from app.extensions import db
from app.models.application import Application
from tests.applications_support import (FORMDEFS, api_create, clock, load_gd8,  # noqa: F401
                                        make_citizen, token)

SC_FILING = FORMDEFS / "510000-sichuan" / "cross_province_medical_filing.yaml"
DAZHOU_ID = "511702200506180247"


def put(client, headers, pk, answers, lang):
    return client.put(f"/api/v1/applications/{pk}/answers?_l_={lang}", headers=headers,
                      json={"answers": answers})


def test_a_radio_value_outside_the_options_is_named_with_the_options(ctx, clock, client):
    load_gd8(SC_FILING)
    citizen = make_citizen(DAZHOU_ID, "王芳", region="511702")
    headers = token(client, citizen.username)
    created = api_create(client, headers, item="cross_province_medical_filing",
                         region="511702")
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    saved = put(client, headers, pk, {"filing_type": "temporary", "temporary_kind": "nonsense"},
                "zh")
    assert saved.status_code == 200
    assert saved.get_json()["errors"]["temporary_kind"] == [
        "“nonsense”不是可选值。可选值：经医疗机构转诊转院、个人直接申请转诊转院"]
    saved = put(client, headers, pk, {"filing_type": "nonsense2"}, "en")
    assert saved.get_json()["errors"]["filing_type"] == [
        "“nonsense2” is not an option. The options are: Long-term residence in another "
        "province, Temporary treatment in another province"]
    db.session.expire_all()
    # Kept as sent, like any other invalid draft input, and refused at submission.
    assert db.session.get(Application, pk).answers["filing_type"] == "nonsense2"
    refused = client.post(f"/api/v1/applications/{pk}/submit?_l_=en", json=None,
                          headers={**headers, "Idempotency-Key": f"k-{pk}"})
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["filing_type"][0].startswith("“nonsense2” is not an")
