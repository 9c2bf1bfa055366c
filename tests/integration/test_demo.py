"""`flask demo` (what `make run` runs) loads everything and is safe to run again; production
refuses it (its accounts' password is published)."""
import sqlalchemy as sa

from app.extensions import db
from app.models.item import Item
from app.models.region import Region
from app.models.user import BanshiUser


def test_demo_loads_and_repeats(runner, ctx):
    for _ in range(2):  # the second run finds everything in place
        result = runner.invoke(args=["demo"])
        assert result.exit_code == 0, result.output
        assert "hb_admin" in result.output and "banshi2026" in result.output
    assert db.session.get(Region, "51170099997").name == "达州中医药职业学院"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Item)) >= 20
    citizen = db.session.scalar(sa.select(BanshiUser).where(BanshiUser.username == "citizen"))
    assert citizen.mobile == "13800138000" and "Citizen" in citizen.role_names


def test_demo_runs_when_a_demo_citizens_mobile_was_registered_first(runner, ctx):
    from tests.support import make_user

    make_user("Citizen", "440106", username="early_bird", mobile="13560987123")  # gd_citizen's
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output  # `make run` must still come up
    assert "gd_citizen" in result.output and "not created" in result.output
    created = db.session.scalar(sa.select(BanshiUser).where(BanshiUser.username == "js_citizen"))
    assert created is not None  # the accounts after it are still made


def test_demo_is_refused_in_production(app, ctx, runner, monkeypatch):
    monkeypatch.setitem(app.config, "PRODUCTION", True)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1
    assert result.stderr == ("Error: “flask demo” is refused in production: it creates "
                             "accounts, an Admin among them, with the published password "
                             "banshi2026.\n")
    assert db.session.scalar(sa.select(BanshiUser).where(BanshiUser.username == "admin")) is None
