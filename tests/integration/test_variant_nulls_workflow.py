"""A published variant that removes a step's ``when`` and a field's ``compute`` (``~``) changes
what a citizen of its region answers and which steps their application goes through."""
import pytest

from app.commands.formdefs import LoadFormdefsCommand
from app.commands.reviews import ApproveCommand
from app.engine.variants import effective_version
from tests.applications_support import api_create, clock, make_citizen, id_number  # noqa: F401
from tests.applications_support import token
from tests.review_support import CHANG_AN, LUBEI, TANGSHAN, fresh, reviewer

PARENT = """\
schema: 1
code: null_flow
region: '130000'
name: 空值流程示例
category: 待遇申报
filers: [self]
time_limit_days: 10
pages:
  - key: claim
    title: 申报
    fields:
      - {key: amount, type: money, label: 金额, required: true}
      - {key: tier, type: text, label: 档次, compute: 'amount > 1000 ? "big" : "small"'}
approval:
  - {key: accept, name: 受理, role: Reviewer, level: county}
  - {key: review, name: 复核, role: Reviewer, level: city, when: amount > 10000}
"""
VARIANT = """\
schema: 1
code: null_flow
region: '130200'
derives: null_flow
pages:
  - key: claim
    fields:
      - {key: tier, compute: ~, required: true}
approval:
  - key: review
    when: ~
"""


@pytest.fixture
def published(ctx, clock, tmp_path):
    (tmp_path / "parent.yaml").write_text(PARENT, encoding="utf-8")
    (tmp_path / "variant.yaml").write_text(VARIANT, encoding="utf-8")
    LoadFormdefsCommand([tmp_path / "parent.yaml", tmp_path / "variant.yaml"],
                        publish=True).run()
    return clock


def apply(client, region, number, answers):
    """A citizen of ``region`` applies through the API; return the submitted application."""
    from app.extensions import db
    from app.models.application import Application

    citizen = make_citizen(number, region=region)
    headers = token(client, citizen.username)
    created = api_create(client, headers, item="null_flow", region=region)
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                       json={"answers": answers})
    assert saved.status_code == 200 and saved.get_json()["errors"] == {}, saved.get_json()
    submitted = client.post(f"/api/v1/applications/{pk}/submit", headers={
        **headers, "Idempotency-Key": f"k-{pk}"})
    assert submitted.status_code == 200, submitted.get_json()
    return db.session.get(Application, pk)


def test_the_variants_region_answers_the_field_and_always_takes_the_step(published, client):
    version = effective_version("null_flow", LUBEI)
    assert version.item.region_code == "130200"
    steps = {s["key"]: s for s in version.definition["approval"]}
    assert "when" not in steps["review"]
    tier = version.definition["pages"][0]["fields"][1]
    assert "compute" not in tier and tier["required"] is True

    application = apply(client, LUBEI, id_number("13020319900101001"),
                        {"amount": "500", "tier": "special"})
    assert application.answers["tier"] == "special"  # typed, not computed
    assert (application.status, application.current_step) == ("submitted", "accept")
    county, city = reviewer(LUBEI), reviewer(TANGSHAN)
    ApproveCommand(application.id, county, None, application.lock_version).run()
    application = fresh(application)
    # 500 is not above 10000, yet the city step comes: the variant removed its condition.
    assert (application.status, application.current_step) == ("submitted", "review")
    assert application.step_region_code == TANGSHAN
    ApproveCommand(application.id, city, None, application.lock_version).run()
    assert fresh(application).status == "approved"


def test_the_parent_still_computes_the_field_and_skips_the_step(published, client):
    application = apply(client, CHANG_AN, id_number("13010219900101002"),
                        {"amount": "500", "tier": "special"})
    assert application.version.item.region_code == "130000"
    assert application.answers["tier"] == "small"  # computed, whatever was sent
    ApproveCommand(application.id, reviewer(CHANG_AN), None, application.lock_version).run()
    assert fresh(application).status == "approved"  # 500 ≤ 10000: no city review


def test_without_the_tier_the_variants_citizen_is_told_to_answer_it(published, client):
    citizen = make_citizen(id_number("13020319900101003"), region=LUBEI)
    headers = token(client, citizen.username)
    pk = api_create(client, headers, item="null_flow", region=LUBEI).get_json()["id"]
    client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
               json={"answers": {"amount": "500"}})
    refused = client.post(f"/api/v1/applications/{pk}/submit", headers={
        **headers, "Idempotency-Key": "k-x"})
    assert refused.status_code == 422 and "tier" in refused.get_json()["errors"]
