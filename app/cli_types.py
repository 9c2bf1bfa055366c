"""The Click parameter type of every typed option and argument of app.cli: a bad value is refused
in the commands' language (CLI_LOCALE, Chinese by default), naming the option.

Click's own types (INT, DateTime, Path) refuse in English whatever BANSHI_LOCALE says ("'abc'
is not a valid integer"), and with an English usage text around the message.

    @click.option("--revision", type=WHOLE_NUMBER)
"""
from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Any, Callable

import click
from flask import has_app_context
from flask.cli import ScriptInfo
from flask_babel import lazy_gettext as _l

from app.engine.cel_functions import parse_date
from app.views.admin.list_guard import MAX_INTEGER_ID, whole_number_within


class BadValueError(click.UsageError):
    """A value refused by a :class:`Checked` type: printed alone, exit status 2 as Click's."""

    def show(self, file=None) -> None:
        click.echo(self.format_message(), file=file, err=file is None)


class Checked(click.ParamType):
    """A value ``parse`` converts, or refuses with ValueError: then ``refusal`` is said, its
    ``%(option)s`` the option (or argument) and ``%(value)s`` the value given."""

    def __init__(self, name: str, parse: Callable[[str], Any], refusal) -> None:
        self.name, self.parse, self.refusal = name, parse, refusal

    def convert(self, value, param, ctx):
        text = value if isinstance(value, str) else str(value)  # a default is converted too
        with app_context_for(ctx):
            try:
                return self.parse(text)
            except ValueError:
                message = str(self.refusal) % {"option": option_name(param), "value": text}
        raise BadValueError(message, ctx)


def option_name(param) -> str:
    if isinstance(param, click.Option):
        return max(param.opts, key=len)  # --revision rather than -r
    return param.human_readable_name if param is not None else ""


def app_context_for(ctx):
    """The app's context, for the database and the commands' language: `flask` pushes it before
    it reads the options; a test's CliRunner may not, and then it is pushed here."""
    info = ctx.find_object(ScriptInfo) if ctx is not None else None
    if has_app_context() or info is None:
        return nullcontext()
    return info.load_app().app_context()


def _whole_number(text: str) -> int:
    if not whole_number_within(text.strip(), 1, MAX_INTEGER_ID):
        raise ValueError(text)
    return int(text)


def _region(text: str) -> str:
    from app.extensions import db
    from app.models.region import Region

    code = text.strip()
    if not (code.isascii() and code.isdigit() and len(code) <= 12) or db.session.get(
            Region, code) is None:
        raise ValueError(text)
    return code


def _file(text: str) -> str:
    if not Path(text).is_file():
        raise ValueError(text)
    return text


WHOLE_NUMBER = Checked("whole number", _whole_number, _l(
    "%(option)s takes a whole number from 1 to 2147483647: “%(value)s” is not one."))
DAY = Checked("YYYY-MM-DD", lambda text: parse_date(text.strip()), _l(
    "%(option)s takes a date written YYYY-MM-DD: “%(value)s” is not one."))
REGION = Checked("region", _region, _l(
    "%(option)s takes the code of a region that exists (GB/T 2260, or a medical insurance "
    "region node): “%(value)s” is not one."))
FILE = Checked("file", _file, _l("%(option)s names a file that exists: “%(value)s” is not one."))
