"""GET /api/v1/catalog/ — the items offered in a region, and one item's definition (public)."""
from __future__ import annotations

import re

from flask import jsonify, make_response, request
from flask_appbuilder.api import expose
from flask_babel import lazy_gettext as _l

from app.api.base import BanshiApi, safe
from app.api.catalog.schema import (CatalogListSchema, ItemDefinitionSchema, item_summary,
                                    render_definition)
from app.commands.applications.context import engine_context, today
from app.engine.catalog_search import item_texts, matches, search_query
from app.engine.variants import effective_version, versions_in_effect
from app.errors import MESSAGES
from app.extensions import db
from app.models.region import Region

#: What a region code looks like (GB/T 2260: 6 digits, 11 for the insurance pooling regions;
#: the column holds 12); anything else is a malformed argument, not an unknown region.
REGION_CODE = re.compile(r"[0-9]{6,12}")


def json_response(status: int, body: dict):
    """Return ``body`` as JSON (BaseApi.response takes keywords, and items have a ``code``)."""
    response = make_response(jsonify(body), status)
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    return response


class CatalogApi(BanshiApi):
    """Anyone may read the catalogue: definitions are public and hold nothing personal.

    No ``@protect``: FAB creates no permission for these endpoints and needs no login.
    """

    resource_name = "catalog"
    openapi_spec_tag = "Catalog"
    openapi_spec_component_schemas = (CatalogListSchema, ItemDefinitionSchema)

    def _region(self):
        code = request.args.get("region", "")
        if not code:
            missing = str(_l("Give the region: ?region=CODE."))
            return None, self.response(400, message=missing, errors={"region": [missing]})
        if not REGION_CODE.fullmatch(code):  # not a code at all: the argument is at fault
            return None, self.response(400, message=str(MESSAGES[400]), errors={"region": [
                str(_l("A region code is 6 to 12 digits (GB/T 2260), such as 440106."))]})
        region = db.session.get(Region, code)
        if region is None:
            return None, self.response(404, message=str(_l("There is no region with code "
                                                           "%(code)s.", code=code)))
        return region, None

    @expose("/", methods=["GET"])
    @safe
    def get_list(self):
        """List the published items in effect in a region, grouped by category; ``q``
        searches them as 我要办 does (app.engine.catalog_search).
        ---
        get:
          summary: Items a citizen of the region can apply for
          parameters:
          - {in: query, name: region, required: true,
             schema: {type: string, pattern: '^[0-9]{6,12}$'}}
          - in: query
            name: q
            description: Words (split on spaces), each to be found in the item's name,
              category or audience; at most 50 characters are used
            schema: {type: string}
          - {in: query, name: _l_, schema: {type: string, enum: [zh, en]}}
          responses:
            200:
              description: The catalogue
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/CatalogListSchema'}
            400: {$ref: '#/components/responses/400'}
            404: {$ref: '#/components/responses/404'}
        """
        region, error = self._region()
        if error is not None:
            return error
        ctx, query = engine_context(region.code), search_query(request.args.get("q"))
        groups: dict[str, list] = {}
        for version in versions_in_effect(region.code, today()):
            if matches(query, version.definition, ctx):
                _name, category, _audience = item_texts(version.definition, ctx)
                groups.setdefault(category, []).append(item_summary(version, ctx))
        return self.response(200, region=region.code, region_name=region.name_for(ctx.locale),
                             categories=[
            {"category": name, "items": sorted(items, key=lambda i: i["code"])}
            for name, items in sorted(groups.items())])

    @expose("/<code>", methods=["GET"])
    @safe
    def get(self, code):
        """Return the definition of an item in effect in a region.
        ---
        get:
          summary: One item's definition (pages, fields, materials, notice, filers, version,
            the relationships an agent may state)
          parameters:
          - {in: path, name: code, required: true, schema: {type: string}}
          - {in: query, name: region, required: true,
             schema: {type: string, pattern: '^[0-9]{6,12}$'}}
          - {in: query, name: _l_, schema: {type: string, enum: [zh, en]}}
          responses:
            200:
              description: The definition in the request locale
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ItemDefinitionSchema'}
            400: {$ref: '#/components/responses/400'}
            404: {$ref: '#/components/responses/404'}
        """
        region, error = self._region()
        if error is not None:
            return error
        version = effective_version(code, region.code, today())
        if version is None:
            return self.response(404, message=str(_l("This item is not offered in this "
                                                      "region.")))
        return json_response(200, render_definition(version, engine_context(region.code)))
