"""The audit log's detail of a publish names its settings in words: 生效日期 and 取代的版本,
not effective_from and supersedes (zh and en)."""
import datetime as dt

from app.audit import record
from app.extensions import db
from tests.support import login, make_user


def test_a_publish_detail_is_named_in_words(ctx, client):
    admin = make_user("Admin", None, username="ts_audit_labels")
    row = record("definition.publish", "item", 7, "130000", actor_id=admin.id,
                 code="demo_allowance", version=3, effective_from="2026-12-01", supersedes=[2])
    row.at = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone.utc)
    db.session.commit()
    login(client, admin.username)
    for locale, words in (("zh", ("<th>生效日期</th>", "<th>取代的版本</th>")),
                          ("en", ("<th>In effect from</th>", "<th>Supersedes versions</th>"))):
        client.get(f"/lang/{locale}")
        html = client.get(f"/auditlog/show/{row.id}").get_data(as_text=True)
        assert all(word in html for word in words), locale
        assert "supersedes" not in html and "effective_from" not in html
