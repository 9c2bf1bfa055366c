"""The foundation: migrations match the models, regions and code tables load, scoping holds."""
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_appbuilder import Model

from app.commands import DataFileError
from app.commands.regions import load_regions, read_regions
from app.extensions import db
from app.models.region import Region
from app.scoping import in_subtree
from tests.support import make_user


def test_migrations_match_models(ctx):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Model.metadata)
    assert diff == []


def test_regions_loaded_with_full_names(ctx):
    names = dict(db.session.execute(sa.select(Region.code, Region.name).where(
        Region.code.in_(["130200", "511700", "440000", "130203"]))).all())
    assert names == {"130200": "唐山市", "511700": "达州市", "440000": "广东省", "130203": "路北区"}
    current = db.session.scalar(sa.select(sa.func.count()).select_from(Region).where(
        Region.valid_to.is_(None)))
    assert current >= 3200
    abolished = db.session.get(Region, "511721")
    assert abolished.name == "达县" and abolished.valid_to is not None


def test_regions_load_is_idempotent(ctx):
    result = load_regions()
    assert result.added == 0 and result.updated == 0 and result.unchanged > 6000


def test_subtree_by_path_prefix(ctx):
    subtree = db.session.scalars(sa.select(Region.code).where(
        Region.path.startswith(db.session.get(Region, "130200").path))).all()
    assert "130203" in subtree and "130200" in subtree and "440000" not in subtree
    assert in_subtree("130203", "130000") and not in_subtree("130203", "440000")


def test_corrupt_region_file_names_line_and_changes_nothing(ctx, tmp_path):
    bad = tmp_path / "regions.csv"
    bad.write_text("code,name,level,parent,valid_from,valid_to\n"
                   "990000,测试省,province,,,\n990100,测试市,city,990000,,\n"
                   "99010x,坏,county,990100,,\n", encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_regions(bad)
    assert str(error.value).startswith(f"{bad}:4:")
    assert db.session.get(Region, "990000") is None


def test_region_file_parent_must_exist(tmp_path):
    bad = tmp_path / "regions.csv"
    bad.write_text("code,name,level,parent,valid_from,valid_to\n"
                   "990100,测试市,city,990000,,\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=":2: parent 990000"):
        read_regions(bad)


def test_users_add_cli(runner, ctx):
    result = runner.invoke(args=["users", "add", "--username", "rev1", "--password",
                                 "Review2026x", "--role", "Reviewer", "--region", "130200"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.text("SELECT region_code FROM ab_user WHERE username='rev1'"))
    assert user == "130200"


@pytest.mark.parametrize("args, message", [
    (["--role", "Boss"], "Unknown role Boss"),
    (["--role", "Reviewer"], "Staff accounts need a region"),
    (["--role", "Citizen", "--id-number", "110105194912310021"], "check digit"),
    (["--role", "Citizen", "--mobile", "12345"], "phone number"),
])
def test_users_add_refuses_bad_input(runner, args, message):
    result = runner.invoke(args=["users", "add", "--username", "u1", "--password",
                                 "Review2026x", *args])
    assert result.exit_code != 0
    assert message.lower() in result.output.lower()


def test_users_add_refuses_weak_password(runner):
    result = runner.invoke(args=["users", "add", "--username", "u2", "--password",
                                 "password1", "--role", "Citizen"])
    assert result.exit_code != 0 and "common" in result.output.lower()


def test_make_user_factory(ctx):
    user = make_user("Reviewer", "130200", id_number="11010519491231002x")
    assert user.id_number == "11010519491231002X" and user.masked_id_number == "1101**********002X"


def test_security_sync_keeps_quiet_about_fabs_own_user_command(ctx, caplog):
    from flask_appbuilder.const import LOGMSG_WAR_SEC_NO_USER

    from app.cli import sync_security

    assert db.session.scalar(sa.select(sa.func.count()).select_from(
        ctx.appbuilder.sm.user_model)) == 0  # the message's condition: no account yet
    with caplog.at_level("WARNING"):
        sync_security()
    assert LOGMSG_WAR_SEC_NO_USER not in caplog.messages


def test_security_sync_again_changes_nothing_and_warns_of_nothing(ctx, caplog):
    """Views sharing a permission name (the designer's pages, a menu entry named as a view)
    were synced one by one, each trying to remove what the others declare."""
    from app.cli import sync_security

    sm = ctx.appbuilder.sm

    def granted():
        return sorted((role.name, str(pv)) for role in sm.get_all_roles()
                      for pv in role.permissions)

    before = granted()
    assert ("RegionAdmin", "can publish on ItemDesigner") in before
    with caplog.at_level("WARNING"):
        sync_security()
    assert not [m for m in caplog.messages if "Refused to delete" in m], caplog.messages
    assert granted() == before
