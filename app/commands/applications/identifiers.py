"""Whether the account that filed an application reads its personal identifiers in full.

One rule for every item, read by 我要查's detail page and by the applications API's detail for
the owner (docs/engine.md, *Personal identifiers*; which answers are identifiers:
app.engine.masked). The wizard and the confirmation always show what the filer entered in
full (they must check what they submit); lists, documents and staff always mask.
"""
from __future__ import annotations

from app.commands.applications.save import EDITABLE
from app.models.application import Application


def identifiers_in_full(application: Application) -> bool:
    """Tell whether the filer's own detail pages show the application's ID numbers, mobiles
    and bank accounts in full: always when filing for oneself (a counter's entry too); for an
    agent only while the application is theirs to change (a draft, or returned for correction,
    as the confirmation shows it), masked once it is submitted, in review or closed."""
    return application.filer != "agent" or application.status in EDITABLE
