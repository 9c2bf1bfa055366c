"""``flask formdefs recheck``: the published versions lint would now refuse, for a cron monitor
or after an upgrade that made lint stricter (app.commands.formdef_recheck)."""
import click
from flask_babel import gettext, lazy_gettext as _l

from app.cli_errors import BanshiCommand
from app.cli_types import REGION


@click.command("recheck", cls=BanshiCommand, help=_l(
    "Lint every published version in effect or scheduled against today's rules; list those "
    "that would now be refused, exit 1 if there are any."))
@click.option("--region", type=REGION, help=_l("Only the items this region owns."))
def formdefs_recheck(region):
    from app.commands.formdef_recheck import RecheckPublishedCommand

    command = RecheckPublishedCommand(region)
    for refused in command.run():
        item = gettext("%(item)s version %(number)s", item=refused.label,
                       number=refused.version.number)
        if refused.state == "scheduled":
            item = gettext("%(item)s version %(number)s (scheduled from %(day)s)",
                           item=refused.label, number=refused.version.number,
                           day=refused.version.effective_from.isoformat())
        for problem in refused.problems:
            click.echo(f"{item}: {problem}")
    if command.refused:
        click.echo(gettext("%(count)s of %(checked)s published versions would now be refused "
                           "by lint: correct each item's draft and publish it again.",
                           count=len(command.refused), checked=command.checked), err=True)
        raise click.exceptions.Exit(1)
    click.echo(gettext("%(checked)s published versions checked: lint refuses none of them.",
                       checked=command.checked))
