"""A repeating group whose definition gives no ``max_items`` keeps at most the platform's
``FORMDEF_DEFAULT_MAX_ITEMS`` rows: refused with the field's message on save and submit (API and
wizard), far more not kept at all, the wizard's add button stops there, and lint's cost estimate
counts the group by it. Lint still accepts the definition."""
import re

import pytest

from app.engine.lint import lint_text
from app.extensions import db
from app.models.application import Application
from tests.applications_support import (api_create, clock, load_gd8, make_citizen,  # noqa: F401
                                        token)
from tests.wizard_support import post_step, signed_in, start

CODE, REGION = "household_list", "440000"
DEFINITION = """\
schema: 1
code: household_list
region: '440000'
name: {zh: 家庭成员登记, en: Household members}
filers: [self]
time_limit_days: 10
pages:
  - key: members_page
    title: {zh: 家庭成员, en: Members}
    fields:
      - key: members
        type: repeat
        label: {zh: 家庭成员, en: Members}
        fields:
          - {key: name, type: text, label: {zh: 姓名, en: Name}, required: true}
approval:
  - {key: accept, name: 受理, role: Reviewer, level: county}
"""
ROW = {"name": "王芳"}


@pytest.fixture
def limited(app, ctx, clock, tmp_path, monkeypatch):  # noqa: F811
    """The item published, the default limit at 3 rows, and a verified citizen."""
    monkeypatch.setitem(app.config, "FORMDEF_DEFAULT_MAX_ITEMS", 3)
    path = tmp_path / "household_list.yaml"
    path.write_text(DEFINITION, encoding="utf-8")
    load_gd8(path)
    return make_citizen()


def test_lint_accepts_a_repeat_without_max_items(app):
    with app.app_context():
        assert lint_text(DEFINITION, "household_list.yaml") == []


def test_the_api_refuses_more_rows_than_the_default_on_save_and_submit(client, limited):
    headers = token(client, limited.username)
    created = api_create(client, headers, item=CODE, region="440106")
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    url = f"/api/v1/applications/{pk}/answers"
    saved = client.put(url, headers=headers, json={"answers": {"members": [ROW] * 4}})
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["errors"]["members"] == ["最多添加3项。"]
    assert len(db.session.get(Application, pk).answers["members"]) == 4  # kept as typed
    submitted = client.post(f"/api/v1/applications/{pk}/submit",
                            headers={**headers, "Idempotency-Key": "limit-1"})
    assert submitted.status_code == 422, submitted.get_json()
    assert "最多添加3项。" in str(submitted.get_json())
    # Past twice the limit the answer is not kept at all.
    refused = client.put(url, headers=headers, json={"answers": {"members": [ROW] * 7}})
    assert "行数过多，无法保存：最多3行" in str(refused.get_json()), refused.get_json()
    db.session.expire_all()
    assert len(db.session.get(Application, pk).answers["members"]) == 4
    within = client.put(url, headers=headers, json={"answers": {"members": [ROW] * 3}})
    assert "members" not in within.get_json()["errors"], within.get_json()


def test_the_wizard_shows_extra_rows_with_the_message_and_adds_no_more(app, limited):
    client = signed_in(app, limited)
    pk = start(client, CODE, "440106")
    application = db.session.get(Application, pk)
    application.answers = {"members": [{"name": f"成员{n}"} for n in range(5)]}
    db.session.commit()
    url = f"/applications/{pk}/pages/members_page"
    page = client.get(url)
    assert page.status_code == 200  # five rows kept, three allowed: all shown to remove
    assert "成员4" in page.get_data(as_text=True)
    rows = {f"members-{n}-name": f"成员{n}" for n in range(5)}
    refused = post_step(client, url, rows)
    assert refused.status_code == 422
    assert "最多添加3项。" in refused.get_data(as_text=True)
    application.answers = {"members": [{"name": f"成员{n}"} for n in range(3)]}
    db.session.commit()
    three = {f"members-{n}-name": f"成员{n}" for n in range(3)}
    added = post_step(client, url, {**three, "add_row": "members"}, action="update")
    assert added.status_code == 200
    db.session.expire_all()
    assert db.session.get(Application, pk).answers["members"] == [
        {"name": f"成员{n}"} for n in range(3)]  # no fourth (blank) row added


def test_lint_counts_a_repeat_without_max_items_by_the_default(app, monkeypatch):
    check = ("\n        rules:\n          - {check: 'members.all(a, members.all(b, a == b || "
             "a.name != b.name))', message: 重复}\n")
    text = DEFINITION.replace("label: {zh: 家庭成员, en: Members}\n",
                              "label: {zh: 家庭成员, en: Members}" + check, 1)
    with app.app_context():
        problems = [str(p) for p in lint_text(text, "x.yaml")]  # 200 × 200 by default
        monkeypatch.setitem(app.config, "FORMDEF_DEFAULT_MAX_ITEMS", 10)
        assert lint_text(text, "x.yaml") == []  # 20 × 20 rows: cheap enough
    assert len(problems) == 1 and re.search("FORMDEF_DEFAULT_MAX_ITEMS", problems[0]), problems
