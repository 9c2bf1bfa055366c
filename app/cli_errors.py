"""Errors on the command line in the commands' language (CLI_LOCALE, Chinese by default): Click's
own usage errors with their usage line and "Error:" prefix, and a database never migrated (or
behind the code), said as such instead of a traceback.

Click words its messages in English through the standard library's gettext, which follows the
process's LANGUAGE and LANG and knows no catalog of banshi's. Rather than swap Click's
translation functions, every group of app.cli (:class:`BanshiGroup`) and its commands
(:class:`BanshiCommand`) catch a Click error on its way out and word it again from banshi's
catalog: from what the exception keeps (the missing parameter, the unknown option or command
and the close matches), else by Click's English wording (``CLICK_WORDING``); a message worded
otherwise keeps its text under the translated prefix. A missing table or column (SQLite "no
such table", PostgreSQL 42P01 / 42703) raised by any command says to run ``flask db upgrade``,
exit 1. The ``--help`` pages are worded in the same language: the usage line, the section
headings (:class:`BanshiHelpFormatter`), the help option's text and the bracketed notes after an
option ("[required]", "[default: 100]"), and the groups', commands' and options' own help texts:
given as lazy strings (``_l``), they are worded when the page is written (Click makes an
option's help a plain string at once: it is looked up in the catalog then, its msgid).

    regions_cli = BanshiGroup("regions", help=_l("Administrative divisions."))
    @click.command("purge", cls=BanshiCommand, help=_l("Delete expired drafts, …"))
"""
from __future__ import annotations

import re
from contextlib import contextmanager

import click
from click.exceptions import NoArgsIsHelpError, NoSuchCommand
from flask.cli import AppGroup
from flask_babel import gettext, lazy_gettext as _l
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.cli_types import BadValueError, app_context_for, option_name
from app.config_errors import ConfigurationError

#: Click's English message (a pattern over ``error.message``) and banshi's, which takes the
#: pattern's named groups. Click 8.5's wording (click/core.py, click/parser.py).
CLICK_WORDING = (
    (r"Got unexpected extra arguments? \((?P<args>.*)\)",
     _l("Unexpected extra arguments: %(args)s.")),
    (r"Missing command\.", _l("Missing command: --help lists them.")),
    (r"Option ['\"](?P<name>.*)['\"] requires an argument\.",
     _l("Option %(name)s needs a value.")),
    (r"Option ['\"](?P<name>.*)['\"] requires (?P<nargs>\d+) arguments\.",
     _l("Option %(name)s needs %(nargs)s values.")),
    (r"Option ['\"](?P<name>.*)['\"] does not take a value\.",
     _l("Option %(name)s takes no value.")),
)
MISSING = {"option": _l("Missing option %(name)s."), "argument": _l("Missing argument %(name)s.")}
NOT_SET_UP = _l("The database is not set up, or not up to date with this version: run "
                "“flask db upgrade” first.")
#: SQLSTATEs of PostgreSQL for a table or column that does not exist.
UNDEFINED = {"42P01", "42703"}
FULL_WIDTH = "：。？"
#: Click's section headings (its English words, click/core.py) and banshi's, colon included.
HEADINGS = {"Options": _l("Options:"), "Commands": _l("Commands:"),
            "Arguments": _l("Arguments:")}
SHOW_HELP = _l("Show this message and exit.")


class TranslatedError(click.ClickException):
    """An error already worded in the commands' language: printed as it is."""

    def __init__(self, text: str, exit_code: int) -> None:
        super().__init__(text)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(self.message, file=file, err=file is None)


@contextmanager
def translated_errors(ctx):
    """Re-raise a Click error, a configuration error, a database that cannot be reached or its
    missing schema as a :class:`TranslatedError`."""
    try:
        yield
    except (TranslatedError, BadValueError, NoArgsIsHelpError):
        raise  # worded already; NoArgsIsHelpError prints the help page
    except click.ClickException as error:
        with app_context_for(getattr(error, "ctx", None) or ctx):
            text = shown(error)
        raise TranslatedError(text, error.exit_code) from error
    except ConfigurationError as error:  # a backend or setting wrong: said, not a traceback
        with app_context_for(ctx):
            text = gettext("Error: %(message)s", message=str(error))
        raise TranslatedError(text, 1) from error
    except (OperationalError, ProgrammingError) as error:
        if isinstance(error, OperationalError) and error.statement is None:
            # No statement: the connection itself failed (server down, wrong name or password).
            with app_context_for(ctx):
                text = gettext("Error: %(message)s", message=gettext(
                    "cannot connect to the database (DATABASE_URL): %(reason)s",
                    reason=first_line(error.orig)))
            raise TranslatedError(text, 1) from error
        if not missing_schema(error):
            raise
        with app_context_for(ctx):
            text = gettext("Error: %(message)s", message=str(NOT_SET_UP))
        raise TranslatedError(f"{text}\n({first_line(error.orig)})", 1) from error


def refuse(error) -> None:
    """End an import refused by ``error`` (a CommandError): its problems on stderr as
    ``PATH:LINE: message`` lines, at most IMPORT_MAX_PROBLEMS then how many more; exit 1."""
    from app.commands.problems import capped, problems_text

    problems = getattr(error, "problems", None)
    text = str(error) if problems is None else problems_text(
        *capped(list(problems), getattr(error, "more", 0)))
    click.echo(text, err=True)
    raise click.exceptions.Exit(1) from error


def missing_schema(error) -> bool:
    """Tell whether a database error says a table or column does not exist."""
    code = getattr(error.orig, "pgcode", None) or getattr(error.orig, "sqlstate", None)
    if code is not None:
        return code in UNDEFINED
    return str(error.orig).startswith(("no such table", "no such column"))


def joined(text: str, more) -> str:
    """Return ``text`` followed by ``more`` (if any): after a space, or none after Chinese
    punctuation (full-width: "：", "。")."""
    if not more:
        return text
    return f"{text}{'' if text[-1:] in FULL_WIDTH else ' '}{more}"


def first_line(orig) -> str:
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]


def shown(error: click.ClickException) -> str:
    """Return what Click would print for ``error``, in the current language."""
    text = gettext("Error: %(message)s", message=message(error))
    ctx = getattr(error, "ctx", None)
    if not isinstance(error, click.UsageError) or ctx is None:
        return text
    lines = [ctx.get_usage()]
    if ctx.command.get_help_option(ctx) is not None:
        help_name = max(ctx.command.get_help_option_names(ctx), key=len)
        lines.append(gettext("Try “%(command)s” for help.",
                             command=f"{ctx.command_path} {help_name}"))
    return "\n".join(lines) + "\n\n" + text


def message(error: click.ClickException) -> str:
    """Return the message of ``error`` (without the prefix) in the current language."""
    if isinstance(error, click.MissingParameter) and error.param is not None:
        kind = error.param_type or error.param.param_type_name
        text = str(MISSING.get(kind, MISSING["argument"])) % {
            "name": option_name(error.param)}
        return joined(text, error.message)
    if isinstance(error, (click.NoSuchOption, NoSuchCommand)):
        if isinstance(error, NoSuchCommand):
            text = gettext("No such command: %(name)s.", name=error.command_name)
        else:
            text = gettext("No such option: %(name)s.", name=error.option_name)
        return joined(text, gettext("Did you mean %(names)s?", names=", ".join(
            sorted(error.possibilities))) if error.possibilities else "")
    if isinstance(error, click.BadParameter) and error.param is not None:
        return gettext("Invalid value for %(name)s: %(message)s",
                       name=option_name(error.param), message=error.message)
    for pattern, wording in CLICK_WORDING:
        found = re.fullmatch(pattern, error.message)
        if found:
            return str(wording) % found.groupdict()
    return error.format_message()


def help_record(option: click.Option, ctx) -> tuple[str, str]:
    """Return the help page's row of ``option`` as Click's Option.get_help_record does, its
    help and the notes in brackets worded in the commands' language."""
    extra = option.get_help_extra(ctx)
    notes = [gettext("env var: %(names)s", names=", ".join(extra["envvars"]))] \
        if "envvars" in extra else []
    if "default" in extra:
        notes.append(gettext("default: %(value)s", value=extra["default"]))
    if "range" in extra:
        notes.append(extra["range"])
    if "required" in extra:
        notes.append(gettext("required"))
    # Click's Option makes its help a plain (English) string, the msgid, looked up here; a lazy
    # one set later (the help option's) is worded as it is.
    help_text = option.help or ""
    text = gettext(help_text) if isinstance(help_text, str) and help_text else str(help_text)
    note = f"[{'; '.join(notes)}]" if notes else ""
    return option.get_help_spec(ctx), f"{text}  {note}" if text and note else text or note


class BanshiHelpFormatter(click.HelpFormatter):
    """Click's help formatter, writing the section headings in the commands' language."""

    def write_heading(self, heading: str) -> None:
        text = str(HEADINGS[heading]) if heading in HEADINGS else f"{heading}:"
        self.write(f"{'':>{self.current_indent}}{text}\n")


class BanshiContext(click.Context):
    formatter_class = BanshiHelpFormatter


class _Translated:
    """What BanshiGroup and BanshiCommand add to Click's classes."""

    context_class = BanshiContext

    @property
    def help(self):
        """The help text in the commands' language: a lazy string is worded when it is read,
        by the help page (in the app's context) or a group's list of its commands."""
        return None if self._help is None else str(self._help)

    @help.setter
    def help(self, text) -> None:
        self._help = text

    def make_context(self, info_name, args, parent=None, **extra):
        with translated_errors(parent):
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx):
        with translated_errors(ctx):
            return super().invoke(ctx)

    def get_help(self, ctx) -> str:
        with app_context_for(ctx):  # a test's CliRunner may not have pushed it
            return super().get_help(ctx)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = SHOW_HELP  # worded when the help page is
        return option

    def format_options(self, ctx, formatter) -> None:
        """Write the options (and a group's commands) as Click does, in our words."""
        rows = [help_record(param, ctx) for param in self.get_params(ctx)
                if isinstance(param, click.Option) and not param.hidden]
        if rows:
            with formatter.section("Options"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def format_usage(self, ctx, formatter) -> None:
        with app_context_for(ctx):  # a test's CliRunner may not have pushed it
            usage = gettext("Usage:")
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix=usage if usage[-1:] in FULL_WIDTH else f"{usage} ")


class BanshiCommand(_Translated, click.Command):
    """A command whose errors speak the commands' language."""


class BanshiGroup(_Translated, AppGroup):
    """A group of app.cli: its own errors and its commands' speak the commands' language."""

    command_class = BanshiCommand


def translated_group(group: click.Group) -> BanshiGroup:
    """Return a BanshiGroup with ``group``'s name, commands, options and help: another
    library's group (Flask-Migrate's ``db``) whose errors then speak the commands' language."""
    return BanshiGroup(group.name, commands=group.commands, callback=group.callback,
                       params=group.params, help=group.help)
