"""/api/v1/applications/ — a citizen's applications (CONTRACT.md §4): thin glue over commands.

Every lookup goes through app.scoping (another citizen's application answers 404, B1); each
endpoint loads its payload with a schema that refuses unknown top-level keys (422, each named;
B3), runs one command and maps its typed errors (app.api.applications.errors). The endpoints
live by concept in mixins: drafts (create, delete; a clerk's window entry), filing (answers,
submit, withdraw), urging (催办), materials and reads.
"""
from __future__ import annotations

from app.api.applications import schema, write_schemas
from app.api.applications.drafts import ApplicationDrafts
from app.api.applications.filing import ApplicationFiling
from app.api.applications.materials import ApplicationMaterials
from app.api.applications.reads import ApplicationReads
from app.api.applications.urging import ApplicationUrging, UrgedSchema, UrgePostSchema
from app.api.base import BanshiApi
from app.window_limit import LimitsWindowLookups


class ApplicationApi(LimitsWindowLookups, ApplicationDrafts, ApplicationFiling, ApplicationReads,
                     ApplicationMaterials, ApplicationUrging, BanshiApi):
    """Create, fill, attach to, submit, withdraw, urge, follow and (drafts) delete applications."""

    resource_name = "applications"
    openapi_spec_tag = "Applications"
    openapi_spec_component_schemas = (
        schema.ApplicationPostSchema, schema.AnswersPutSchema, schema.WithdrawPostSchema,
        write_schemas.CreatedSchema, write_schemas.SaveResponseSchema, write_schemas.ErrorSchema,
        write_schemas.RefusedSchema, *write_schemas.WRITE_SCHEMAS, UrgePostSchema, UrgedSchema)
    method_permission_name = {
        "get_list": "get", "get": "get", "get_form": "get", "get_document": "get",
        "get_document_pdf": "get",
        "download": "get",
        "post": "post", "post_material": "post", "submit": "post", "withdraw": "post",
        "urge": "post",
        "put_answers": "put", "delete_material": "delete", "delete_draft": "delete"}
