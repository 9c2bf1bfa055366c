"""Command-line groups of CONTRACT.md §2, registered explicitly."""
import click
from flask import current_app
from flask.cli import AppGroup

from app.commands import CommandError

regions_cli = AppGroup("regions", help="Administrative divisions.")
dictionaries_cli = AppGroup("dictionaries", help="Code tables.")
users_cli = AppGroup("users", help="Accounts.")
security_cli = AppGroup("security", help="Roles and permissions.")

DEMO_PASSWORD = "banshi2026"
DEMO_ACCOUNTS = (
    # username, role, region, name, id_number, mobile
    ("admin", "Admin", None, "平台管理员", None, None),
    ("hb_admin", "RegionAdmin", "130200", "唐山市管理员", None, None),
    ("ts_reviewer", "Reviewer", "130200", "唐山市审核员", None, None),
    ("lb_reviewer", "Reviewer", "130203", "路北区受理员", None, None),
    ("dz_reviewer", "Reviewer", "511700", "达州市审核员", None, None),
    ("gd_admin", "RegionAdmin", "440000", "广东省管理员", None, None),
    ("citizen", "Citizen", "130203", "张三", "11010519491231002X", "13800138000"),
)


def fail(error: CommandError):
    raise click.ClickException(str(error))


@security_cli.command("sync")
def security_sync():
    """Create roles and permissions for every registered view (run after `db upgrade`)."""
    sync_security()
    click.echo("roles and permissions are up to date")


def sync_security() -> None:
    from flask_appbuilder.security.manager import BaseSecurityManager

    appbuilder = current_app.appbuilder
    # Roles first (FAB's SQLA create_db would create tables: migrations own those), then
    # every view's permissions, which FAB also grants to the Admin role.
    BaseSecurityManager.create_db(appbuilder.sm)
    appbuilder.add_permissions(update_perms=True)


@regions_cli.command("load")
def regions_load():
    """Load the bundled GB/T 2260 tree (idempotent)."""
    from app.commands.regions import load_regions

    try:
        result = load_regions()
    except CommandError as error:
        fail(error)
    click.echo(f"regions: {result.added} added, {result.updated} updated, "
               f"{result.unchanged} unchanged")


@dictionaries_cli.command("load")
def dictionaries_load():
    """Load the bundled code tables (idempotent)."""
    from app.commands.dictionaries import load_dictionaries

    try:
        added, updated = load_dictionaries()
    except CommandError as error:
        fail(error)
    click.echo(f"dictionary entries: {added} added, {updated} updated")


@users_cli.command("add")
@click.option("--username", required=True)
@click.option("--password", required=True)
@click.option("--role", required=True)
@click.option("--region")
@click.option("--name")
@click.option("--id-number")
@click.option("--mobile")
def users_add(username, password, role, region, name, id_number, mobile):
    """Create an account; ROLE is Admin, RegionAdmin, Reviewer or Citizen."""
    from app.commands.users import AddUserCommand

    try:
        user = AddUserCommand(username, password, role, region, name, id_number, mobile).run()
    except CommandError as error:
        fail(error)
    click.echo(f"created {user.username} ({role})")


@click.command("demo")
def demo():
    """Load everything `make run` needs: roles, regions, code tables, demo accounts."""
    from app.commands.dictionaries import load_dictionaries
    from app.commands.regions import load_regions
    from app.commands.users import AddUserCommand
    from app.extensions import db
    from app.models.user import BanshiUser

    sync_security()
    load_regions()
    load_dictionaries()
    click.echo("Demo accounts (password for all: %s):" % DEMO_PASSWORD)
    for username, role, region, name, id_number, mobile in DEMO_ACCOUNTS:
        if db.session.query(BanshiUser.id).filter_by(username=username).first() is None:
            AddUserCommand(username, DEMO_PASSWORD, role, region, name, id_number, mobile).run()
        where = f" in {region}" if region else ""
        login = f" (or {mobile})" if mobile else ""
        click.echo(f"  {username:<12} {role:<12}{where}{login}")


def register(app) -> None:
    for group in (regions_cli, dictionaries_cli, users_cli, security_cli, demo):
        app.cli.add_command(group)
