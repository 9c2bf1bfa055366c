"""The region select of the account forms: each region under its parent, marked required.

FAB's select listed the user's regions flat, in whatever order the database gave them (a
province's administrator read all 21 cities, then all 120-odd counties, without knowing which
county lay in which city). Here the regions are grouped under their parent (an ``<optgroup>``
named after it), the groups ordered by the parent's code and the regions within a group by
their own, so the list reads as the tree: 广东省's cities, then 广州市's districts, then
深圳市's. Names are in the page's language.
"""
from __future__ import annotations

from itertools import groupby

from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from wtforms import widgets
from wtforms.validators import StopValidation

from app.extensions import db
from app.models.region import Region, with_code
from app.scoping import current_user, is_platform_admin, scope_condition

CHOOSE_REGION = _l("Choose the region the account belongs to.")
#: The group of the regions without a parent (provinces, for a platform administrator).
TOP_GROUP = _l("Whole country")
WHOLE_COUNTRY_HINT = _l("Required for region administrators and reviewers. Leave it empty "
                        "only for a platform administrator's or a citizen's account, which "
                        "belongs to the whole country.")


def region_text(region: Region) -> str:
    """Return a region as the select shows it: 路北区（130203）, Lubei District (130203)."""
    return with_code(region.name_for(), region.code)


class RegionRequired:
    """Require a region, unless the user is a platform administrator, whose accounts for the
    whole country have none (the view still asks one for staff: ``check_write``).

    The ``required`` flag, which puts FAB's asterisk on the label and ``required`` on the
    select, is read when a form is made, so it follows the user of each request.
    """

    @property
    def field_flags(self) -> dict:
        return {"required": True} if self.applies() else {}

    @staticmethod
    def applies() -> bool:
        return not is_platform_admin(current_user())

    def __call__(self, form, field):
        if field.data is None and self.applies():
            raise StopValidation(str(CHOOSE_REGION))


class _GroupedSelect(widgets.Select):
    """WTForms' select with the empty choice before the groups (WTForms renders only groups)."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        for flag in self.validation_attrs:
            if flag not in kwargs and getattr(field.flags, flag, False):
                kwargs[flag] = True
        html = [f"<select {widgets.html_params(name=field.name, **kwargs)}>"]
        if field.allow_blank:
            html.append(self.render_option("__None", field.blank_text, field.data is None))
        for group, choices in field.iter_groups():
            html.append(f"<optgroup {widgets.html_params(label=group)}>")
            html.extend(self.render_option(value, label, selected, **render_kw)
                        for value, label, selected, render_kw in choices)
            html.append("</optgroup>")
        html.append("</select>")
        return Markup("".join(html))


class GroupedSelect2Widget(Select2Widget, _GroupedSelect):
    """FAB's searchable select (Select2 shows the groups as headings) over the grouped list."""


def choosable_regions() -> list[Region]:
    """Return the current regions within the user's subtree, by code."""
    return list(db.session.scalars(
        select(Region).where(scope_condition(Region), Region.valid_to.is_(None))
        .order_by(Region.code)))


class RegionSelectField(QuerySelectField):
    """The account's region, grouped under each region's parent."""

    def __init__(self, label=None, validators=None, **kwargs):
        # Runs as each form is made (WTForms binds a copy per form): the user is known.
        if not RegionRequired.applies():
            kwargs["description"] = WHOLE_COUNTRY_HINT
        super().__init__(label, validators, query_func=choosable_regions,
                         get_pk_func=lambda region: region.code, get_label=region_text,
                         allow_blank=True, **kwargs)

    def has_groups(self) -> bool:
        return True

    def iter_groups(self):
        regions = [region for _pk, region in self._get_object_list()]
        parents = {region.code: region for region in regions}
        missing = {region.parent_code for region in regions} - set(parents) - {None}
        if missing:  # the user's own region's parent, above the user's subtree
            parents.update((region.code, region) for region in db.session.scalars(
                select(Region).where(Region.code.in_(missing))))
        ordered = sorted(regions, key=lambda region: (region.parent_code or "", region.code))
        for parent_code, members in groupby(ordered, key=lambda region: region.parent_code):
            parent = parents.get(parent_code)
            label = region_text(parent) if parent is not None else str(TOP_GROUP)
            yield label, [(region.code, region_text(region), region == self.data, {})
                          for region in members]


def region_field() -> RegionSelectField:
    """Return the account forms' region field (FAB's label and description columns do not
    reach a field given in ``add_form_extra_fields``)."""
    return RegionSelectField(_l("Region"), validators=[RegionRequired()],
                             widget=GroupedSelect2Widget())
