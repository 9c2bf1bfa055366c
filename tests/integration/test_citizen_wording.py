"""Words the citizen reads that must match what the platform does."""
import yaml

from tests.applications_support import FORMDEFS
from tests.review_support import fresh, hb1, workday_clock  # noqa: F401


def test_the_registration_agreement_says_an_account_is_closed_online(client):
    zh = client.get("/account/register").get_data(as_text=True)
    assert "个人中心 → 注销账号" in zh and "请到医保经办窗口办理" not in zh
    client.get("/prefs/lang/en")
    en = client.get("/account/register").get_data(as_text=True)
    assert "close your account yourself online" in en and "at the service desk" not in en


def _pay_year_messages(path) -> dict:
    definition = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields = [f for page in definition["pages"] for f in page["fields"]]
    return next(f for f in fields if f["key"] == "pay_year")["rules"][0]["message"]


def test_the_typed_contribution_year_is_refused_in_words_for_typing():
    for region in ("440000-guangdong", "510000-sichuan"):
        message = _pay_year_messages(FORMDEFS / region / "resident_enrollment.yaml")
        assert "只能填写" in message["zh"] and "选择" not in message["zh"], message


def test_the_english_timeline_names_a_step_once_in_a_sentence(app, hb1):  # noqa: F811
    from tests.integration.test_review_decision_words import accepted, signed_in, text

    application = accepted()  # the county's 受理 passed
    citizen = signed_in(app, fresh(application).applicant)
    english = text(citizen.get(f"/my/applications/{application.id}?_l_=en"))
    assert "Accepted at step “Acceptance”" in english and "Step passed:" not in english


def test_the_acceptance_approved_reads_accepted_as_the_reviewer_said_it(app, hb1):  # noqa: F811
    """予以受理 on the reviewer's side is 已受理 in the applicant's timeline (web and API), not
    审核通过, which later steps keep."""
    from tests.applications_support import token
    from tests.integration.test_review_decision_words import accepted, signed_in, text

    application = accepted()  # HB-1: 受理 → 会签 → 审核
    mine = text(signed_in(app, fresh(application).applicant).get(
        f"/my/applications/{application.id}"))
    assert "受理环节已受理" in mine and "受理环节审核通过" not in mine
    client = app.test_client()
    headers = token(client, fresh(application).applicant.username)
    names = {row["step"]: row["action_name"] for row in client.get(
        f"/api/v1/applications/{application.id}", headers=headers).get_json()["history"]
        if row["action"] == "application.approve"}
    assert names == {"accept": "受理环节已受理"}
    english = client.get(f"/api/v1/applications/{application.id}?_l_=en",
                         headers=headers).get_json()["history"]
    assert [row["action_name"] for row in english if row["action"] == "application.approve"] \
        == ["Accepted at step “Acceptance”"]
