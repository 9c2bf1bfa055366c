"""Words the citizen reads that must match what the platform does."""
import yaml

from tests.applications_support import FORMDEFS


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
