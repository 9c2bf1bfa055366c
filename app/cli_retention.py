"""``flask applications purge``: the retention command (app.commands.retention), for cron."""
import getpass

import click
from flask_babel import gettext, lazy_gettext as _l

from app.cli_errors import BanshiCommand
from app.cli_types import DAY
from app.commands import CommandError

#: What each count means, done and (dry run) to be done.
DONE = {
    "drafts": _l("drafts deleted (untouched for %(days)s days): %(count)s"),
    "approved": _l("approved applications anonymised: %(count)s"),
    "refused": _l("refused applications anonymised: %(count)s"),
    "withdrawn": _l("withdrawn applications anonymised: %(count)s"),
    "accounts": _l("citizen accounts anonymised (no sign-in for %(years)s years): %(count)s"),
    "files": _l("material files deleted: %(count)s"),
    "sms_codes": _l("SMS codes deleted (expired over a day ago): %(count)s"),
    "dev_sms_messages": _l("development SMS outbox messages deleted (kept as long as SMS "
                           "codes): %(count)s"),
    "idempotency_keys": _l("Idempotency-Key records deleted (over %(key_days)s days old): "
                           "%(count)s"),
}
DUE = {
    "drafts": _l("drafts to delete (untouched for %(days)s days): %(count)s"),
    "approved": _l("approved applications to anonymise: %(count)s"),
    "refused": _l("refused applications to anonymise: %(count)s"),
    "withdrawn": _l("withdrawn applications to anonymise: %(count)s"),
    "accounts": _l("citizen accounts to anonymise (no sign-in for %(years)s years): %(count)s"),
    "files": _l("material files to delete: %(count)s"),
    "sms_codes": _l("SMS codes to delete (expired over a day ago): %(count)s"),
    "dev_sms_messages": _l("development SMS outbox messages to delete (kept as long as SMS "
                           "codes): %(count)s"),
    "idempotency_keys": _l("Idempotency-Key records to delete (over %(key_days)s days old): "
                           "%(count)s"),
}


@click.command("purge", cls=BanshiCommand, help=_l(
    "Delete expired drafts, anonymise closed applications past their retention period and "
    "citizen accounts unused for ACCOUNT_RETENTION_YEARS; delete expired SMS codes (and the "
    "development SMS outbox's messages with them) and old Idempotency-Key records."))
@click.option("--dry-run", is_flag=True, help=_l("Count what is due; change nothing."))
@click.option("--today", type=DAY,
              help=_l("Purge as of this day (YYYY-MM-DD, Asia/Shanghai) instead of today."))
def applications_purge(dry_run, today):
    from app.commands.retention import KINDS, PurgeCommand

    try:
        result = PurgeCommand(today, dry_run, via="cli", by=_os_user()).run()
    except CommandError as error:
        raise click.ClickException(str(error)) from error
    day = result.today.isoformat()
    click.echo(gettext("Dry run as of %(today)s: nothing is changed.", today=day) if dry_run
               else gettext("Retention purge as of %(today)s:", today=day))
    texts = DUE if dry_run else DONE
    values = {"days": result.draft_days, "years": result.account_years,
              "key_days": result.key_days}
    for kind in KINDS:
        click.echo("  " + texts[kind] % {**values, "count": result.counts[kind]})
        if kind == "accounts":  # the files of the applications and accounts above
            click.echo("  " + texts["files"] % {**values, "count": result.files})
    click.echo("  " + gettext("closed applications are kept %(years)s years after closing "
                              "unless their item says otherwise", years=result.default_years))
    for kind, object_id, message in result.failed:
        text = (_l("account %(id)s not anonymised (tried again next run): %(error)s")
                if kind == "account" else
                _l("application %(id)s not purged (tried again next run): %(error)s"))
        click.echo(text % {"id": object_id, "error": message}, err=True)
    if result.failed:
        raise click.exceptions.Exit(1)


def _os_user():
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in this environment (a container, say)
        return None

