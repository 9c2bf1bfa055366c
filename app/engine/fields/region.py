"""The region type: a GB/T 2260 (or 医保 grassroots) code, optionally within a subtree.

The form field is a :class:`RegionField`. Where the web layer has registered a picker renderer
(``app.extensions[PICKER]``, app.views.citizen.region_picker) it is drawn as cascading selects,
all named after the field, one per level; otherwise as a code text box. Either way the answer
is one code: the deepest of the values sent that lies within the one before it, so a county
left over from another province is dropped rather than taken. With ``among`` (CEL giving the
codes allowed, such as the regions of the person's enrollments) it is one list of those.
``level`` is met by a region at that level or deeper, or by one whose current children all lie
deeper (``EngineContext.reaches``): 上海市 has its districts straight under it, so it is its own
city, while a county question still wants one of its districts.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import SelectField, StringField
from wtforms.widgets import TextInput

from app.engine.cel_functions import in_region
from app.engine.fields.base import EngineContext, FieldType
from app.engine.fields.widgets import CHOOSE, form_kwargs
from app.validators import ValidationError

#: Key of the picker renderer in ``app.extensions``: ``render(field, **attributes) -> Markup``.
PICKER = "banshi.region_picker"
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
    if level in TOO_SHALLOW and not ctx.reaches(code, level):
        raise ValidationError(TOO_SHALLOW[level], code="level")
    return code


def deepest(values: list) -> str:
    """Return the deepest value of a cascade (each within the one before), else the first."""
    values = [v.strip() for v in values if isinstance(v, str) and v.strip()]
    if not values:
        return ""
    chosen = values[0]
    for value in values[1:]:
        try:
            inside = value != chosen and in_region(value, chosen)
        except ValueError:
            inside = False
        if not inside:
            break
        chosen = value
    return chosen


class RegionPickerWidget:
    """Draw the registered picker for the field, or a code text box where there is none."""

    def __call__(self, field: RegionField, **kwargs: Any) -> Markup:
        render = current_app.extensions.get(PICKER) if has_app_context() else None
        if render is None:
            return TextInput()(field, **kwargs)
        return render(field, **kwargs)


class RegionField(StringField):
    """A region code, chosen level by level where a picker is registered."""

    widget = RegionPickerWidget()

    def __init__(self, label: Any = None, validators: Any = None, *, within: Any = None,
                 level: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.within = str(within) if within else None
        self.level = level

    def process_formdata(self, valuelist: list) -> None:
        if valuelist:
            self.data = deepest(valuelist)


def _widget(field: Mapping, ctx: EngineContext) -> RegionField | SelectField:
    if isinstance(field.get("among"), list):  # only these regions: one list of full names
        return SelectField(choices=[("", ctx.text(CHOOSE))] + [
            (code, ctx.region_name(code)) for code in field["among"]], validate_choice=False,
            **form_kwargs(field, ctx, readonly="disabled"))
    return RegionField(within=field.get("within"), level=field.get("level"), **form_kwargs(
        field, ctx, maxlength=12, inputmode="numeric", pattern="[0-9]{6,12}",
        data_within=field.get("within"), data_level=field.get("level")))


TYPES = (
    FieldType(
        "region", "text",
        textual=True,
        parser=_region,
        widget=_widget,
        schema=lambda f, ctx: {"type": "string", "pattern": "^[0-9]{6,12}$",
                               **({"x-within": str(f["within"])} if f.get("within") else {}),
                               **({"x-level": f["level"]} if f.get("level") else {})},
        settings=frozenset({"within", "level", "among"}),
    ),
)
