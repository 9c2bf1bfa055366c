"""`flask formdefs load --publish` warns of steps nobody could decide (app.workflow.staffing), as
`formdefs publish` does, and never refuses; quiet while no active account holds any step's role
(the demo loads its items before its accounts)."""
from app.extensions import db
from tests.integration.designer_support import PROVINCE, item
from tests.review_support import TANGSHAN, reviewer
from tests.support import make_user


def warnings(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("warning: ")]


def test_load_publish_warns_and_publishes(ctx, runner):
    reviewer(TANGSHAN)
    result = runner.invoke(args=["formdefs", "load", str(PROVINCE), "--publish"])
    assert result.exit_code == 0, result.output
    assert "1 versions published" in result.output and item().status == "published"
    found = warnings(result.output)
    assert len(found) == 3, result.output  # the tests' commands speak English
    assert found[1].startswith("warning: demo_allowance@130000 version 1: Step 审核: no active "
                               "Reviewer may decide it in 10 of the 11 regions")
    again = runner.invoke(args=["formdefs", "load", str(PROVINCE), "--publish"])
    assert again.exit_code == 0 and warnings(again.output) == []  # nothing published


def test_quiet_while_nobody_holds_a_step_role(ctx, runner):
    make_user("RegionAdmin", "130000")  # not a step's role
    gone = reviewer(TANGSHAN)
    gone.active = False
    db.session.commit()
    result = runner.invoke(args=["formdefs", "load", str(PROVINCE), "--publish"])
    assert result.exit_code == 0, result.output
    assert "1 versions published" in result.output and warnings(result.output) == []
