"""The OpenAPI description the three decisions (approve, return, refuse) share.

The endpoints differ only in their summary and in what their 200 says; scope, staleness, the
body and the error replies are one rule, so they are written once here and appended to each
endpoint's docstring, where FAB reads the YAML after ``---``.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)

DECISION_SPEC = """
---
post:
  summary: {summary}
  description: >-
    403 when the application is outside your region and steps (an id that does not
    exist answers the same, so that ids reveal nothing), or in them but not yours to
    decide (role, level, your own application, not the current step); 409 when version
    is stale. When you send the step you read and it is still the current one, a step
    that is not yours is 403 whatever the version. 404 only for a path that is no id
    at all (past the id column's range).
  parameters:
  - {{in: path, name: pk, required: true, schema: {{type: integer}}}}
  requestBody:
    required: true
    description: Other keys are ignored, unlike the applications API, which refuses them
    content:
      application/json:
        schema: {{$ref: '#/components/schemas/DecisionPostSchema'}}
  responses:
    200:
      description: {decided}
      content:
        application/json:
          schema: {{$ref: '#/components/schemas/DecisionResultSchema'}}
    400: {{$ref: '#/components/responses/400'}}
    403: {{$ref: '#/components/responses/403'}}
    404: {{$ref: '#/components/responses/404'}}
    409: {{$ref: '#/components/responses/409'}}
    422: {{$ref: '#/components/responses/422'}}
"""


def decision_doc(summary: str, decided: str) -> Callable[[F], F]:
    """Append the decisions' shared OpenAPI YAML to the endpoint's one-line docstring.

    :param summary: the operation's summary (plain YAML scalar: no ``: `` nor leading quote).
    :param decided: what the 200 reply says, as its description.
    """

    def document(f: F) -> F:
        f.__doc__ = (f.__doc__ or "").strip() + "\n" + DECISION_SPEC.format(
            summary=summary, decided=decided)
        return f

    return document
