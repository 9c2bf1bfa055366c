"""A step's role must be one that can decide (app.roles.deciding_roles, from the permission the
decision endpoints check): lint refuses another, on the command line and on the designer's
publish page, and the designer's step form offers only deciding roles while showing a stored
one that cannot decide, with the reason, instead of replacing it unseen."""
import re

from flask_babel import force_locale
from sqlalchemy import func, select

from app.commands.publish import db_lint_context
from app.engine.lint import lint_text
from app.extensions import db
from app.models.item import ItemVersion
from app.roles import DECIDE_PERMISSIONS, MANAGING_ROLES, deciding_roles
from app.workflow.routing import DEFAULT_ROLE
from tests.integration.designer_support import PROVINCE, item, load, staff, text
from tests.integration.test_designer_publish import edit_draft

CHAIN = """\
schema: 1
code: chain
region: '130200'
name: 链
time_limit_days: 5
category: 测试
pages:
  - key: p1
    title: 页
    fields:
      - {key: amount, type: money, label: 金额}
approval:
  - {key: accept, name: {zh: 受理, en: Acceptance}, role: RegionAdmin, level: county}
  - {key: review, name: 审核, role: Reviewer, level: city}
  - {key: check, name: 核验, auto: 'amount < 100'}
"""
CANNOT = "a role that cannot decide applications"


def test_the_deciding_roles_are_those_the_decision_endpoints_let_through(app):
    """Every approve/return/refuse endpoint checks one of DECIDE_PERMISSIONS, and the roles
    granted one of them are the deciding ones: Reviewer, never a managing role."""
    checked = set()
    for view in app.appbuilder.baseviews:
        names = {name: getattr(type(view), name)._permission_name for name in dir(type(view))
                 if getattr(getattr(type(view), name, None), "_permission_name", None)}
        names.update(getattr(view, "method_permission_name", None) or {})  # FAB's order
        checked |= {(view.class_permission_name, f"can_{permission}")
                    for method, permission in names.items()
                    if method in ("approve", "return_", "refuse")}
    assert checked == set(DECIDE_PERMISSIONS)
    assert deciding_roles() == ("Reviewer",)
    assert DEFAULT_ROLE in deciding_roles()  # a step naming no role is the Reviewers'
    assert not set(MANAGING_ROLES) & set(deciding_roles())


def test_lint_refuses_a_step_whose_role_cannot_decide(ctx):
    for locale, step, role in (("en", "Acceptance", "Regional administrator"),
                               ("zh", "受理", "区域管理员")):
        with force_locale(locale):
            problems = lint_text(CHAIN, "chain.yaml", db_lint_context())
        assert [p.line for p in problems] == [13], problems
        message = problems[0].message
        assert step in message and role in message and "RegionAdmin" in message
        assert "Reviewer" in message  # what to choose instead
    with force_locale("en"):
        assert lint_text(CHAIN.replace("RegionAdmin", "Reviewer"), "chain.yaml",
                         db_lint_context()) == []
        # No role: the Reviewers' (routing's DEFAULT_ROLE), which decide.
        assert lint_text(CHAIN.replace("role: RegionAdmin, ", ""), "chain.yaml",
                         db_lint_context()) == []


def test_formdefs_lint_exits_1_on_such_a_step(ctx, runner, tmp_path):
    path = tmp_path / "chain.yaml"
    path.write_text(CHAIN, encoding="utf-8")
    result = runner.invoke(args=["formdefs", "lint", str(path)], env={"LANG": "en"})
    assert result.exit_code == 1
    assert re.search(rf"chain\.yaml:13: .*RegionAdmin", result.output), result.output


def test_the_designer_offers_only_deciding_roles_and_keeps_a_stored_other(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    html = text(client.get(f"/items/{it.id}/step/accept"))
    offered = re.findall(r'<option[^>]*value="([^"]*)"', _role_select(html))
    assert "Reviewer" in offered and "RegionAdmin" not in offered
    assert CANNOT not in html

    # An older draft naming RegionAdmin: shown as it is, with lint's reason, never changed.
    it = edit_draft(it, lambda d: d["approval"][0].update(role="RegionAdmin"))
    html = text(client.get(f"/items/{it.id}/step/accept"))
    select_html = _role_select(html)
    assert re.search(r'<option selected value="RegionAdmin">Regional administrator</option>|'
                     r'<option value="RegionAdmin" selected>', select_html), select_html
    assert "Regional administrator (role: RegionAdmin) cannot decide applications" in html
    data = {"revision": it.revision, "key": "accept", "name_zh": "受理", "role": "RegionAdmin",
            "level": "county", "region_field": "home_region", "time_limit_days": "3",
            "locked": "y", "_action": "save"}
    response = client.post(f"/items/{it.id}/step/accept", data=data)
    assert response.status_code == 422
    assert "cannot decide applications" in text(response)
    assert item().draft["approval"][0]["role"] == "RegionAdmin"
    assert item().draft["approval"][0].get("time_limit_days") == 2  # nothing saved

    # The publish page says lint's words, naming the step and the role, and refuses.
    page = text(client.get(f"/items/{it.id}/publish"))
    assert "step “受理” is decided by Regional administrator (role: RegionAdmin)" in page
    assert "No problems that stop publishing." not in page
    assert client.post(f"/items/{it.id}/publish",
                       data={"revision": item().revision}).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(ItemVersion)) == 0

    response = client.post(f"/items/{it.id}/step/accept", data=dict(data, role="Reviewer"))
    assert response.status_code == 302
    assert item().draft["approval"][0]["role"] == "Reviewer"


def _role_select(html: str) -> str:
    return re.search(r'<select[^>]*name="role"[^>]*>(.*?)</select>', html, re.S).group(1)

