"""我要办 (/apply/): the items in effect for a region, grouped by category; one item; start.

The region is the signed-in citizen's own unless another is chosen (province → city → county
selects, a plain GET form). Reading the catalogue needs no account (definitions are public,
as in the catalogue API); starting an application needs a verified identity.
"""
from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.commands.applications.context import engine_context, today
from app.commands.applications.create import CreateApplicationCommand
from app.commands.applications.errors import ApplicationInvalidError, NotAllowedError
from app.commands.applications.requirements import material_settings
from app.engine.catalog_search import item_texts, matches, search_query
from app.engine.cel import ExpressionError, compile_expression
from app.engine.fields.base import level_rank
from app.engine.variants import effective_version, versions_in_effect
from app.extensions import db
from app.models.application import Application
from app.scoping import current_user, scope_condition
from app.validators.masking import mask_id_number, mask_name
from app.views.citizen import requires_verified_identity
from app.views.citizen.region_choice import choose
from app.views.citizen.wizard_entry import agent_only, start_as_agent
from app.views.citizen.wizard_support import CitizenView, apply_permission

def requirement(material: dict, labels: dict) -> tuple[str, str]:
    """Return (kind, the questions it depends on) explaining when a material is required."""
    if material.get("required"):
        return "required", ""
    source = material.get("required_when")
    if not source:
        return "optional", ""
    expression = compile_expression(source)
    if expression.references <= {"filer"}:  # decided by who applies alone: say which
        try:
            agent, own = (expression.evaluate_bool({"filer": filer}) for filer in ("agent", "self"))
        except ExpressionError:
            agent = own = True
        return {(True, False): "agent", (False, True): "self", (False, False): "optional"}.get(
            (agent, own), "required"), ""
    named = [labels[name] for name in sorted(expression.references) if name in labels]
    return "depends", list_separator().join(named)


def list_separator() -> str:
    """Return how the reader's language separates the items of a list (、 in Chinese)."""
    return "、" if str(get_locale() or "zh").startswith("zh") else ", "


def draft_subject(draft: Application) -> str:
    """Return who a draft is for, masked (name and ID number), or "" before it is known."""
    return " ".join(part for part in (mask_name(draft.subject_name) if draft.subject_name else "",
                                      mask_id_number(draft.subject_id_number)
                                      if draft.subject_id_number else "") if part)


class CatalogView(CitizenView):
    """/apply/ (catalogue), /apply/<code> (one item) and POST /apply/<code>/start."""

    route_base = "/apply"
    default_view = "index"
    method_permission_name = apply_permission("start")

    @expose("/")
    def index(self):
        """List the items in effect for the chosen region by category; ?q= searches them."""
        user = current_user()
        choice = choose(request.args, getattr(user, "region_code", None))
        query = search_query(request.args.get("q"))
        groups: dict[str, list] = {}
        if choice.code:
            ctx = engine_context(choice.code)
            for version in versions_in_effect(choice.code, today()):
                if not matches(query, version.definition, ctx):
                    continue
                name, category, audience = item_texts(version.definition, ctx)
                groups.setdefault(category, []).append((version.item.code, name, audience))
        return self.render_template(
            "citizen/catalog.html", title=_l("Apply for a service"), choice=choice,
            query=query, groups=sorted((k, sorted(v, key=lambda i: i[1]))
                                       for k, v in groups.items()))

    @expose("/<code>")
    def item(self, code):
        """Show one item: audience, notice, materials, time limit, who may file, start."""
        user = current_user()
        choice = choose(request.args, getattr(user, "region_code", None))
        if choice.code is None:
            return redirect(url_for("CatalogView.index"))
        version = effective_version(code[:60], choice.code, today())
        if version is None:
            abort(404)
        ctx, definition = engine_context(choice.code), version.definition
        labels = {f["key"]: ctx.text(f.get("label")) or f["key"]
                  for page in definition.get("pages", ()) for f in page.get("fields", ())}
        materials = [(m, ctx.text(m.get("label")), material_settings(m), *requirement(m, labels))
                     for m in definition.get("materials", ())]
        drafts = list(db.session.scalars(select(Application).where(
            Application.applicant_id == user.id, Application.item_id == version.item_id,
            Application.region_code == choice.code, Application.status == "draft",
            scope_condition(Application, user))
            .order_by(Application.id.desc()).limit(5))) if user is not None else []
        return self.render_template(
            "citizen/item.html", title=ctx.text(definition.get("name")), code=code,
            definition=definition, ctx=ctx, choice=choice, materials=materials,
            drafts=[(draft, draft_subject(draft)) for draft in drafts],
            can_start=level_rank(choice.region.level) >= level_rank("county"),
            retires_on=version.item.retires_on, one_day=dt.timedelta(days=1))

    @expose("/<code>/start", methods=["POST"])
    @has_access
    @requires_verified_identity
    def start(self, code):
        """Start a draft of the item for the region given, filed by the citizen for themself.

        An item only agents may file asks whom for first (wizard_entry.start_as_agent).
        """
        region = request.form.get("region", "")[:40]  # a longer code is unknown, not cut
        version = effective_version(code[:60], region, today())
        if version is not None and agent_only(version.definition):
            return start_as_agent(self, current_user(), code[:60], region, version)
        try:
            application = CreateApplicationCommand(current_user(), code[:60], region).run()
        except (ApplicationInvalidError, NotAllowedError) as error:
            db.session.rollback()
            messages = [m for ms in getattr(error, "errors", {}).values() for m in ms]
            for message in messages or [str(error.message)]:
                flash(message, "danger")
            return redirect(url_for("CatalogView.item", code=code, region=region), 303)
        return redirect(url_for("WizardView.resume", pk=application.id), 303)
