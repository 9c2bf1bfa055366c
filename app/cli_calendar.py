"""``flask calendar``: the working-day calendar (holidays and make-up days)."""
import click
from flask_babel import gettext, lazy_gettext as _l

from app.cli_errors import BanshiGroup, refuse
from app.cli_types import DAY, FILE
from app.commands import CommandError

calendar_cli = BanshiGroup("calendar",
                           help=_l("Working-day calendar (holidays and make-up days)."))


@calendar_cli.command("load", help=_l("Seed holidays and make-up working days from "
                                      "chinese-calendar (idempotent)."))
def calendar_load():
    from app.commands.calendar import load_calendar

    result = load_calendar()
    click.echo(gettext("calendar %(first)s–%(last)s: %(added)s added, %(updated)s updated, "
                       "%(removed)s removed", first=result.years[0], last=result.years[-1],
                       added=result.added, updated=result.updated, removed=result.removed))


@calendar_cli.command("import", help=_l("Set one year's schedule from a CSV file of "
                                        "`date,kind,name` lines."))
@click.argument("path", type=FILE)
def calendar_import(path):
    from app.commands.calendar import import_calendar_file

    try:
        state = import_calendar_file(path)
    except CommandError as error:
        refuse(error)
    click.echo(gettext("calendar %(year)s: official", year=state.year))


@calendar_cli.command("check", help=_l("List years without an official schedule; exit 1 when "
                                       "one is due (for cron)."))
@click.option("--today", type=DAY, help=_l("Check as of this date (YYYY-MM-DD)."))
@click.pass_context
def calendar_check(context, today):
    from app.workdays import schedule_check

    missing, due = schedule_check(today)
    for year in missing:
        click.echo(gettext("%(year)s: no official holiday schedule", year=year))
    if not missing:
        click.echo(gettext("calendar complete up to next year"))
    context.exit(1 if due else 0)
