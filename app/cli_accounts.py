"""Accounts on the command line: ``flask users conflicts`` lists the accounts whose roles break
separation of duties (app.roles), for an administrator to split them; exit 1 if there are any.

The account forms refuse Admin or RegionAdmin together with Reviewer, counting roles given
through groups; accounts that held such a pair before the rule keep it until someone takes one
role away, and their next save on the form is refused until then.
"""
import click
from flask_babel import gettext, lazy_gettext as _l

from app.cli_errors import BanshiCommand


@click.command("conflicts", cls=BanshiCommand, help=_l(
    "List accounts holding roles that separation of duties keeps apart (Admin or RegionAdmin "
    "with Reviewer or another role that decides, directly or through groups); exit 1 if there "
    "are any."))
def users_conflicts():
    from app.commands.users import separation_conflicts
    from app.roles import ROLE_NAMES

    found = separation_conflicts()
    for user, (managing, deciding) in found:
        groups = ", ".join(sorted(group.name for group in user.groups)) or "—"
        click.echo("\t".join((
            user.username, user.first_name or "", user.region_code or "—",
            gettext("%(managing)s and %(deciding)s", managing=ROLE_NAMES[managing],
                    deciding=ROLE_NAMES.get(deciding, deciding)),
            gettext("roles: %(roles)s", roles=", ".join(sorted(r.name for r in user.roles))
                    or "—"),
            gettext("groups: %(groups)s", groups=groups),
            gettext("active") if user.active else gettext("disabled"))))
    if found:
        click.echo(gettext("%(count)s accounts hold roles that separation of duties keeps "
                           "apart: take one of the two away from each (Security → List "
                           "Users, or its groups).", count=len(found)), err=True)
        raise click.exceptions.Exit(1)
    click.echo(gettext("No account holds roles that separation of duties keeps apart."))
