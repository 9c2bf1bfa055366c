"""A reviewer's decision on an application they may not see and on an id that does not exist
get the same reply, byte for byte (SECURITY_TESTS B1): ids are sequential, so any difference
would let a reviewer count applications, drafts included, in every region."""
from sqlalchemy import func, select

from app.extensions import db
from app.models.application import Application
from tests.applications_support import token
from tests.review_support import HB1, LUBEI, LUNAN, SHIJIAZHUANG, citizen, fresh  # noqa: F401
from tests.review_support import hb1, reviewer, submitted, workday_clock  # noqa: F401

API = "/api/v1/reviews/"
BODIES = {"approve": {"comment": "x"}, "return": {"comment": "x", "missing": {
    "fields": {"mobile": "x"}}}, "refuse": {"comment": "x"}}


def reply(client, headers, pk, verb, version, query=""):
    answer = client.post(f"{API}{pk}/{verb}{query}", headers=headers,
                         json={"version": version, **BODIES[verb]})
    return answer.status_code, answer.content_type, answer.get_data()


def test_out_of_scope_and_nonexistent_ids_answer_alike(hb1, client):
    elsewhere = submitted(HB1)  # 路北区: outside 路南区 and 石家庄
    draft = submitted(HB1)
    draft.status, draft.submitted_at = "draft", None  # never sent: at no step
    draft.current_step = draft.step_region_code = draft.step_deadline = None
    db.session.commit()
    missing = db.session.scalar(select(func.max(Application.id))) + 1000
    for region in (LUNAN, SHIJIAZHUANG):
        headers = token(client, reviewer(region).username)
        for verb in BODIES:
            for query in ("", "?_l_=en"):
                nothing = reply(client, headers, missing, verb, 1, query)
                assert nothing[0] == 403, (region, verb, nothing)
                for application in (elsewhere, draft):
                    version = fresh(application).lock_version
                    assert reply(client, headers, application.id, verb, version,
                                 query) == nothing, (region, verb, application.status)
    # The county reviewer, who may see the draft's region, is told nothing about drafts either.
    county = token(client, reviewer(LUBEI).username)
    assert reply(client, county, draft.id, "approve", fresh(draft).lock_version) == reply(
        client, county, missing, "approve", 1)
    assert fresh(elsewhere).status == "submitted" and fresh(draft).status == "draft"
