"""A step whose level is not one of the choices gets that one message, not also "does not say
who decides it"; a step with no level at all still gets the latter."""
from pathlib import Path

from app.engine.lint import check_text

PROVINCE = Path(__file__).resolve().parents[1] / "fixtures" / "formdefs" / "valid" \
    / "demo_allowance.yaml"


def test_a_bad_level_is_one_problem(app):
    text = PROVINCE.read_text(encoding="utf-8")
    with app.test_request_context("/?_l_=en"):
        bad = check_text(text.replace("level: county", "level: planet", 1), "x.yaml").problems
        missing = check_text(text.replace("    level: county\n", "", 1), "x.yaml").problems
    assert len(bad) == 1 and "planet" in bad[0].message
    assert [p.message for p in missing] == [
        'step "accept" does not say who decides it: choose the region level (and the role) '
        "that handles it"]
