"""Staffing on the command line (无人可办, app.workflow.staffing): ``flask applications unstaffed``
for a cron monitor; ``flask formdefs publish`` and ``formdefs load --publish`` warn of steps
nobody could decide."""
import click
from flask_babel import gettext, lazy_gettext as _l

from app.cli_errors import BanshiCommand
from app.cli_types import REGION, WHOLE_NUMBER
from app.commands import CommandError

REASONS = {"nobody": _l("nobody holds the role there"),
           "excluded": _l("those who hold the role may not decide it")}


@click.command("unstaffed", cls=BanshiCommand, help=_l(
    "List waiting applications no active account may decide; exit 1 if there are any."))
@click.option("--region", type=REGION, help=_l("Only steps handled in this region's subtree."))
def applications_unstaffed(region):
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


@click.command("publish", cls=BanshiCommand, help=_l(
    "Publish the draft of item CODE owned by REGION; warn of steps nobody could decide."))
@click.argument("code")
@click.option("--region", type=REGION, required=True, help=_l("The region that owns the item."))
@click.option("--supersede", type=WHOLE_NUMBER, multiple=True, help=_l(
    "A scheduled version this publish may supersede (it then never takes effect); repeat for "
    "several."))
@click.option("--parent-version", type=WHOLE_NUMBER, default=None, help=_l(
    "For a variant: the parent version to build on, its newest (the default) or the one in "
    "effect today."))
def formdefs_publish(code, region, supersede, parent_version):
    from app.commands.formdef_errors import SupersedeUnconfirmedError
    from app.commands.publish import PublishItemCommand
    from app.workflow.staffing import gap_text, publish_gaps

    command = PublishItemCommand(code, region, supersede=frozenset(supersede),
                                 parent_version=parent_version)
    try:
        version = command.run()
    except CommandError as error:
        for problem in getattr(error, "problems", [error]):
            click.echo(str(problem), err=True)
        if isinstance(error, SupersedeUnconfirmedError):
            click.echo(supersede_hint(error), err=True)
        raise click.exceptions.Exit(1) from error
    click.echo(gettext("%(item)s: version %(number)s published", item=f"{code}@{region}",
                       number=version.number) if command.created
               else gettext("%(item)s: already published as version %(number)s",
                            item=f"{code}@{region}", number=version.number))
    for old in command.superseded:
        click.echo(gettext("%(item)s: version %(number)s, scheduled from %(day)s, superseded",
                           item=f"{code}@{region}", number=old.number,
                           day=old.effective_from.isoformat()))
    for warning in command.warnings:
        click.echo(gettext("warning: %(message)s", message=str(warning)))
    for gap in publish_gaps(version.definition, region):
        click.echo(gettext("warning: %(message)s", message=gap_text(gap)))


def warn_published(published) -> None:
    """Print the staffing warnings of the versions ``formdefs load --publish`` published
    (``[(item, number)]``), never refusing. Quiet while no active account holds any of their
    steps' roles: the demo, and a new deployment, load their items before any staff exist, and
    every step of every item would be reported."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models.item import ItemVersion
    from app.models.user import BanshiUser
    from app.scoping import holders
    from app.workflow.routing import step_role
    from app.workflow.staffing import gap_text, publish_gaps

    versions = [(item, db.session.scalar(select(ItemVersion).where(
        ItemVersion.item_id == item.id, ItemVersion.number == number)))
        for item, number in published]
    roles = {step_role(step) for _, version in versions
             for step in version.definition.get("approval") or () if isinstance(step, dict)}
    if not roles or db.session.scalar(
            select(BanshiUser.id).where(BanshiUser.active.is_(True),
                                        BanshiUser.id.in_(holders(roles))).limit(1)) is None:
        return
    for item, version in versions:
        for gap in publish_gaps(version.definition, item.region_code):
            click.echo(gettext("warning: %(item)s version %(number)s: %(message)s",
                               item=f"{item.code}@{item.region_code}", number=version.number,
                               message=gap_text(gap)))


def supersede_hint(error) -> str:
    """Return how to confirm a refused supersede on the command line."""
    item = error.versions[0].item
    options = " ".join(f"--supersede {v.number}" for v in error.versions)
    return gettext("To publish anyway: flask formdefs publish %(code)s --region %(region)s "
                   "%(options)s (formdefs load --publish does not supersede: load without "
                   "--publish first).", code=item.code, region=item.region_code, options=options)
