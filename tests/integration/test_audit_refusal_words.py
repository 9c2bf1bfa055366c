"""The audit log reads a refusal as the refused status in general — 不予办理 (Not granted) —
whichever step made it: not the acceptance's 不予受理, which only the timeline, knowing the
step, says. A refused entry at the window reads as such (未予录入), not as 不予受理."""
import datetime as dt

from app.audit import record
from app.extensions import db
from tests.support import login, make_user

WHEN = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone.utc)


def test_a_refusal_in_the_log_reads_not_granted_in_each_language(ctx, client):
    admin = make_user("Admin", None, username="ts_audit_refusal")
    refused = record("application.refuse", "application", 424242, "130000",
                     actor_id=admin.id, step="accept", round=1, decision="refuse",
                     comment="材料不全")
    entry = record("window.lookup", "person", None, "130000", actor_id=admin.id,
                   result="no_match", registry="found", account="none", refused=True)
    refused.at = entry.at = WHEN
    db.session.commit()
    login(client, admin.username)
    for locale, words in (("zh", ("不予办理", "未予录入")), ("en", ("Not granted", "Entry refused"))):
        client.get(f"/lang/{locale}")
        shown = client.get(f"/auditlog/show/{refused.id}").get_data(as_text=True)
        assert shown.count(words[0]) >= 2, locale  # the action and the decision
        listed = client.get("/auditlog/list/").get_data(as_text=True)
        assert words[0] in listed, locale
        looked_up = client.get(f"/auditlog/show/{entry.id}").get_data(as_text=True)
        assert f"<th>{words[1]}</th>" in looked_up, locale
        for page in (shown, listed, looked_up):
            assert "不予受理" not in page and "Refused" not in page, locale
