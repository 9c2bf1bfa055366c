"""Staffing on the command line (无人可办, app.workflow.staffing): ``flask applications unstaffed``
for a cron monitor, and ``flask formdefs publish``, which warns of steps nobody could decide."""
import click
from flask_babel import gettext, lazy_gettext as _l

from app.cli_types import REGION
from app.commands import CommandError

REASONS = {"nobody": _l("nobody holds the role there"),
           "excluded": _l("those who hold the role may not decide it")}


@click.command("unstaffed")
@click.option("--region", type=REGION, help="Only steps handled in this region's subtree.")
def applications_unstaffed(region):
    """List waiting applications no active account may decide; exit 1 if there are any."""
    from app import workflow
    from app.region_tree import region_tree
    from app.views.review import local_time
    from app.workflow.queue.unstaffed import unstaffed

    found = unstaffed(None, within=region)
    nodes, after = region_tree().nodes, None
    while True:
        page = found.page(after, limit=200)
        for entry in page.entries:
            application, handler = entry.application, entry.application.step_region_code
            click.echo("\t".join((
                application.serial or str(application.id), entry.item.code,
                workflow.step_label(entry.step) or application.current_step or "",
                f"{handler} {nodes[handler].name_for()}" if handler in nodes else str(handler),
                gettext("waiting since %(moment)s", moment=local_time(
                    application.step_started_at)),
                gettext("step deadline %(day)s", day=application.step_deadline or "—"),
                str(REASONS[found.reason(application)]))))
        if page.after is None:
            break
        after = page.after
    if found.count:
        click.echo(gettext("%(count)s applications wait at a step nobody can decide.",
                           count=found.count), err=True)
        raise click.exceptions.Exit(1)
    click.echo(gettext("Every waiting application has someone who may decide it."))


@click.command("publish")
@click.argument("code")
@click.option("--region", type=REGION, required=True, help="The region that owns the item.")
def formdefs_publish(code, region):
    """Publish the draft of item CODE owned by REGION; warn of steps nobody could decide."""
    from app.commands.publish import PublishItemCommand
    from app.workflow.staffing import gap_text, publish_gaps

    command = PublishItemCommand(code, region)
    try:
        version = command.run()
    except CommandError as error:
        for problem in getattr(error, "problems", [error]):
            click.echo(str(problem), err=True)
        raise click.exceptions.Exit(1) from error
    click.echo(gettext("%(item)s: version %(number)s published", item=f"{code}@{region}",
                       number=version.number) if command.created
               else gettext("%(item)s: already published as version %(number)s",
                            item=f"{code}@{region}", number=version.number))
    for warning in command.warnings:
        click.echo(gettext("warning: %(message)s", message=str(warning)))
    for gap in publish_gaps(version.definition, region):
        click.echo(gettext("warning: %(message)s", message=gap_text(gap)))
