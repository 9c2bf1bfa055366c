"""The region type: a GB/T 2260 (or 医保 grassroots) code, optionally within a subtree."""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from app.engine.cel_functions import in_region
from app.engine.fields.base import EngineContext, FieldType, level_rank
from app.engine.fields.widgets import form_kwargs
from app.validators import ValidationError

_CODE = re.compile(r"[0-9]{6,12}")
TOO_SHALLOW = {  # one message per level: a translated word cannot go inside another message
    "province": _l("Choose a province."),
    "city": _l("Choose a region down to the city level."),
    "county": _l("Choose a region down to the county level."),
    "grassroots": _l("Choose a region down to the grassroots level."),
}


def _region(raw: Any, field: Mapping, ctx: EngineContext) -> str:
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    code = raw.strip() if isinstance(raw, str) else ""
    if not _CODE.fullmatch(code):
        raise ValidationError(_l("A region code has 6 to 12 digits."), code="format")
    if not ctx.region_exists(code):
        raise ValidationError(_l("There is no region with code %(code)s.", code=code),
                              code="unknown")
    within = field.get("within")
    if within and not in_region(code, str(within)):
        raise ValidationError(_l("Choose a region within %(region)s.", region=within),
                              code="within")
    level = field.get("level")
    if level in TOO_SHALLOW and level_rank(ctx.level_of(code)) < level_rank(level):
        raise ValidationError(TOO_SHALLOW[level], code="level")
    return code


TYPES = (
    FieldType(
        "region", "text",
        parser=_region,
        widget=lambda f, ctx: StringField(**form_kwargs(
            f, ctx, maxlength=12, inputmode="numeric", pattern="[0-9]{6,12}",
            data_within=f.get("within"), data_level=f.get("level"))),
        schema=lambda f, ctx: {"type": "string", "pattern": "^[0-9]{6,12}$",
                               **({"x-within": str(f["within"])} if f.get("within") else {}),
                               **({"x-level": f["level"]} if f.get("level") else {})},
        settings=frozenset({"within", "level"}),
    ),
)
