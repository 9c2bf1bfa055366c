"""Command-line groups of CONTRACT.md §2, registered explicitly."""
import csv
from pathlib import Path

import click
from flask_babel import gettext, lazy_gettext as _l, ngettext

from app.cli_errors import BanshiCommand, BanshiGroup, refuse, translated_group
from app.cli_staffing import warn_published
from app.cli_types import FILE, REGION, WHOLE_NUMBER
from app.commands import CommandError
from app.commands.problems import capped, problems_text
from app.roles import sync_security  # noqa: F401 (also imported from here by the tests)

regions_cli = BanshiGroup("regions", help=_l("Administrative divisions."))
dictionaries_cli = BanshiGroup("dictionaries", help=_l("Code tables."))
users_cli = BanshiGroup("users", help=_l("Accounts."))
security_cli = BanshiGroup("security", help=_l("Roles and permissions."))
persons_cli = BanshiGroup("persons", help=_l("Insured persons and their enrollments."))
formdefs_cli = BanshiGroup("formdefs", help=_l("Item definitions (事项): lint, load, export."))
notifications_cli = BanshiGroup("notifications", help=_l("The notification outbox."))
applications_cli = BanshiGroup("applications",
                               help=_l("Applications and their material files."))

DEMO_PERSONS = Path(__file__).resolve().parent / "data" / "demo_persons.csv"
DEMO_INSURANCE_REGIONS = Path(__file__).resolve().parent / "data" / "demo_insurance_regions.csv"
DEMO_PASSWORD = "banshi2026"
#: Enough reviewers to take every shipped item to its end: a 会签 step needs ``approvers``
#: people and a ``distinct`` step one who decided no other step (HB-1: three in 唐山市); a
#: transfer's last step at the receiving county, two there (tests/integration/test_demo_coverage).
#: The citizens are persons of app/data/demo_persons.csv. Columns: username, role, region, name,
#: id_number, mobile (empty: none).
with open(Path(__file__).resolve().parent / "data" / "demo_accounts.csv", encoding="utf-8") as _f:
    DEMO_ACCOUNTS = tuple(tuple(value or None for value in row) for row in list(csv.reader(_f))[1:])


def fail(error: CommandError):
    raise click.ClickException(str(error))


@security_cli.command("sync", help=_l("Create roles and permissions for every registered view "
                                      "(run after `db upgrade`)."))
def security_sync():
    sync_security()
    click.echo(gettext("roles and permissions are up to date"))


@regions_cli.command("load", help=_l("Load the bundled GB/T 2260 tree (idempotent)."))
def regions_load():
    from app.commands.regions import load_regions

    try:
        result = load_regions()
    except CommandError as error:
        refuse(error)
    click.echo(gettext("regions: %(added)s added, %(updated)s updated, %(unchanged)s unchanged",
                       added=result.added, updated=result.updated, unchanged=result.unchanged))


@dictionaries_cli.command("load", help=_l("Load the bundled code tables (idempotent)."))
def dictionaries_load():
    from app.commands.dictionaries import load_dictionaries

    try:
        added, updated = load_dictionaries()
    except CommandError as error:
        refuse(error)
    click.echo(gettext("dictionary entries: %(added)s added, %(updated)s updated", added=added,
                       updated=updated))


@users_cli.command("add", help=_l("Create an account; ROLE is Admin, RegionAdmin, Reviewer "
                                   "or Citizen."))
@click.option("--username", required=True)
@click.option("--password", required=True)
@click.option("--role", required=True)
@click.option("--region", type=REGION)
@click.option("--name")
@click.option("--id-number")
@click.option("--mobile")
def users_add(username, password, role, region, name, id_number, mobile):
    from app.commands.users import AddUserCommand

    try:
        user = AddUserCommand(username, password, role, region, name, id_number, mobile,
                              operator_chose=True).run()
    except CommandError as error:
        fail(error)
    click.echo(gettext("created %(username)s (%(role)s)", username=user.username, role=role))
    if user.must_change_password:
        click.echo(gettext("Its owner chooses a new password at the first sign-in."))


@persons_cli.command("import", help=_l("Import insured persons from a CSV file (columns: "
                                          "app/commands/persons.py)."))
@click.argument("path", type=FILE)
def persons_import(path):
    import_persons(path)


def import_persons(path) -> None:
    from app.commands.persons import ImportPersonsCommand

    try:
        result = ImportPersonsCommand(path).run()
    except CommandError as error:
        refuse(error)
    click.echo(gettext("persons: %(added)s added, %(updated)s updated, %(unchanged)s unchanged; "
                       "%(enrollments)s enrollments in the file", added=result.added,
                       updated=result.updated, unchanged=result.unchanged,
                       enrollments=result.enrollments))


@formdefs_cli.command("lint", help=_l("Check definition files: PATH:LINE: message per "
                                        "problem; exit 1 if any."))
@click.argument("paths", nargs=-1, required=True)
def formdefs_lint(paths):
    from app.commands.formdefs import LintFormdefsCommand

    command = LintFormdefsCommand(list(paths))
    try:
        count, problems = command.run()
    except CommandError as error:
        refuse(error)
    if problems:
        click.echo(problems_text(*capped(problems)))
    for warning in command.warnings:  # worth a look; they do not fail the check
        click.echo(gettext("%(path)s:%(line)s: warning: %(message)s", path=warning.path,
                           line=warning.line, message=warning.message))
    if problems:
        raise click.exceptions.Exit(1)
    click.echo(ngettext("ok: %(num)d file", "ok: %(num)d files", count))


@formdefs_cli.command("load", help=_l("Import definition files (default: app/formdefs/) as "
                                        "drafts: all or nothing."))
@click.argument("paths", nargs=-1)
@click.option("--publish", is_flag=True, help=_l("Also publish them (lint must pass)."))
@click.option("--revision", type=WHOLE_NUMBER, help=_l(
    "The revision of the draft the one file given replaces: refused (exit 1) if the draft is "
    "now at another. Without it the import replaces whatever draft there is."))
def formdefs_load(paths, publish, revision):
    load_formdefs(paths, publish, revision, each=True)


def load_formdefs(paths=(), publish=False, revision=None, each=False) -> None:
    """Load definitions; ``each``: also print every created or changed draft's revision."""
    from app.commands.formdefs import FORMDEFS_DIR, LoadFormdefsCommand

    try:
        result = LoadFormdefsCommand(list(paths) or [FORMDEFS_DIR], publish, revision).run()
    except CommandError as error:
        if getattr(error, "field", None) != "supersede":
            refuse(error)
        from app.cli_staffing import supersede_hint

        click.echo(str(error), err=True)
        click.echo(supersede_hint(error), err=True)
        raise click.exceptions.Exit(1) from error
    for item in (result.created + result.updated) if each else ():
        click.echo(gettext("%(item)s: draft revision %(revision)s", item=f"{item.code}@"
                           f"{item.region_code}", revision=result.revisions[item.id]))
    click.echo(gettext("definitions: %(created)s created, %(updated)s updated, %(unchanged)s "
                       "unchanged, %(published)s versions published", created=len(result.created),
                       updated=len(result.updated), unchanged=len(result.unchanged),
                       published=len(result.published)))
    warn_published(result.published)


@formdefs_cli.command("export", help=_l("Print the definition in effect for REGION as YAML "
                                          "(a variant's merged definition)."))
@click.argument("code")
@click.option("--region", type=REGION, required=True,
              help=_l("Region whose item in effect is printed."))
def formdefs_export(code, region):
    from app.commands.formdefs import ExportItemCommand

    try:
        click.echo(ExportItemCommand(code, region).run(), nl=False)
    except CommandError as error:
        fail(error)


@click.command("demo", cls=BanshiCommand, help=_l(
    "Load what `make run` needs: the schema, roles, regions, code tables, definitions, calendar, "
    "accounts. Migrates first (as `flask db upgrade`), so a fresh clone needs nothing else; it "
    "prints in the commands' language (BANSHI_LOCALE)."))
def demo():
    from flask import current_app
    from flask_migrate import upgrade

    if current_app.config.get("PRODUCTION"):  # its accounts' password is published (README)
        raise click.ClickException(gettext(
            "“flask demo” is refused in production: it creates accounts, an Admin among them, "
            "with the published password %(password)s.", password=DEMO_PASSWORD))

    from app.commands.calendar import load_calendar
    from app.commands.dictionaries import load_dictionaries
    from app.commands.regions import load_insurance_nodes, load_regions
    from app.commands.users import AddUserCommand
    from app.extensions import db
    from app.models.user import BanshiUser

    upgrade()
    click.echo(gettext("Database schema: up to date (flask db upgrade)."))
    sync_security()
    try:  # a bundled file that is wrong (not UTF-8, say) is said at its line
        load_regions()
        load_insurance_nodes(DEMO_INSURANCE_REGIONS)  # e.g. 51170099997, a school in 达州
        load_dictionaries()
    except CommandError as error:
        refuse(error)
    load_formdefs(publish=True)
    load_calendar()
    import_persons(DEMO_PERSONS)
    click.echo(gettext("Demo accounts (password for all: %(password)s):",
                       password=DEMO_PASSWORD))
    for username, role, region, name, id_number, mobile in DEMO_ACCOUNTS:
        if db.session.query(BanshiUser.id).filter_by(username=username).first() is None:
            try:
                AddUserCommand(username, DEMO_PASSWORD, role, region, name, id_number, mobile).run()
            except CommandError as error:  # e.g. its mobile taken by someone who registered
                click.echo(f"  {username:<12} " + gettext("not created: %(reason)s",
                                                         reason=error))
                continue
        where = " " + gettext("in %(region)s", region=region) if region else ""
        login = " " + gettext("(or %(mobile)s)", mobile=mobile) if mobile else ""
        click.echo(f"  {username:<12} {role:<12}{where}{login}")


@notifications_cli.command("send", help=_l("Deliver pending notifications through "
                                              "NOTIFICATION_SENDER."))
@click.option("--limit", type=WHOLE_NUMBER, default=100, show_default=True,
              help=_l("At most this many."))
def notifications_send(limit):
    from app.commands.notifications import send_pending

    result = send_pending(limit=limit)  # a ConfigurationError is one line (app.cli_errors)
    click.echo(gettext("notifications: %(sent)s sent, %(failed)s failed", sent=result.sent,
                       failed=result.failed))


@applications_cli.command("reconcile", help=_l(
    "List stored files without an attachment row and rows without a file; exit 1 if any."))
@click.option("--delete-orphans", is_flag=True,
              help=_l("Also delete stored files no attachment names (run while uploads are "
                      "quiet)."))
def applications_reconcile(delete_orphans):
    from app.commands.applications.materials import reconcile_storage

    report = reconcile_storage(delete_orphan_files=delete_orphans)
    for key in report.files_without_rows:
        click.echo(gettext("file without row: %(key)s (deleted)", key=key) if delete_orphans
                   else gettext("file without row: %(key)s", key=key))
    for attachment_id in report.rows_without_files:
        click.echo(gettext("row without file: attachment %(id)s", id=attachment_id))
    if not report.clean:
        raise click.exceptions.Exit(1)
    click.echo(gettext("storage and attachments agree"))


def register(app) -> None:
    from app.cli_accounts import users_conflicts
    from app.cli_calendar import calendar_cli
    from app.cli_recheck import formdefs_recheck
    from app.cli_retention import applications_purge
    from app.cli_staffing import applications_unstaffed, formdefs_publish

    applications_cli.add_command(applications_purge)
    applications_cli.add_command(applications_unstaffed)
    formdefs_cli.add_command(formdefs_publish)
    formdefs_cli.add_command(formdefs_recheck)
    users_cli.add_command(users_conflicts)
    for group in (regions_cli, dictionaries_cli, calendar_cli, persons_cli, users_cli, security_cli,
                  formdefs_cli, notifications_cli, applications_cli, demo):
        app.cli.add_command(group)
    migrations = app.cli.commands.get("db")  # Flask-Migrate's: its errors said as ours
    if migrations is not None and not isinstance(migrations, BanshiGroup):
        app.cli.add_command(translated_group(migrations))
