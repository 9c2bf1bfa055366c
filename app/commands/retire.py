"""Take an item out of service (停止办理): at once, or from a day chosen ahead.

    RetireItemCommand("maternity_allowance", "130000").run()              # now
    RetireItemCommand("maternity_allowance", "130000", on=date(2027, 1, 1)).run()
    RetireItemCommand("maternity_allowance", "130000", cancel=True).run()  # the schedule off

At once, the item's ``status`` becomes "retired". A later day is kept as ``Item.retires_on``,
the first day out of service; the item leaves the catalogue that day by itself
(``Item.in_service``), no job has to run. Applications already started keep their version and
are finished and reviewed either way. An item others derive from (city variants) goes no
earlier than they do: they are retired first, or scheduled no later.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.audit import record
from app.commands.formdef_errors import FormdefError, ItemNotFoundError
from app.commands.publish import find_item
from app.engine.variants import today
from app.extensions import db
from app.models.item import Item
from app.region_tree import region_tree
from app.scoping import current_user


class RetireDateInPastError(FormdefError):
    """The day chosen is before today (422, field ``retires_on``)."""

    field = "retires_on"

    def __init__(self, day: dt.date, now: dt.date):
        super().__init__(_l("Out of service from: %(day)s is before today (%(today)s). Give "
                            "today (at once) or a later date.",
                            day=day.isoformat(), today=now.isoformat()))


@dataclass
class RetireItemCommand:
    """Withdraw an item from the catalogue, at once or from ``on``; ``cancel``: drop a
    scheduled end. Its versions stay for the applications using them."""

    code: str
    region: str
    actor: Optional[object] = None
    on: Optional[dt.date] = None  # the first day out of service; None or today: at once
    cancel: bool = False

    def run(self) -> Item:
        item = find_item(self.code, self.region,
                         self.actor if self.actor is not None else current_user())
        if item is None:
            raise ItemNotFoundError(_l('no item "%(code)s" of region %(region)s',
                                       code=self.code, region=self.region))
        now = today()
        if item.status == "retired" or not item.in_service(now):
            return item  # already out of service: nothing to schedule or cancel
        if self.cancel:
            if item.retires_on is not None:
                record("definition.retire_cancelled", "item", item.id,
                       region_code=item.region_code, code=item.code,
                       retires_on=item.retires_on.isoformat())
                item.retires_on = None
                db.session.commit()
            return item
        day = self.on or now
        if day < now:
            raise RetireDateInPastError(day, now)
        for derived in db.session.scalars(select(Item).where(Item.derives_item_id == item.id)):
            if derived.in_service(day):
                raise FormdefError(_l(
                    "the variant of %(region)s (%(code)s, region %(region_code)s) derives from "
                    "this item and is in service on %(day)s; take that variant out of service "
                    "first, on that day or earlier", region=region_tree().full_name(
                        derived.region_code), code=derived.code,
                    region_code=derived.region_code, day=day.isoformat()))
        if day == now:
            item.status, item.retires_on = "retired", None
            record("definition.retire", "item", item.id, region_code=item.region_code,
                   code=item.code)
        else:
            item.retires_on = day
            record("definition.retire_scheduled", "item", item.id,
                   region_code=item.region_code, code=item.code, retires_on=day.isoformat())
        db.session.commit()
        return item
