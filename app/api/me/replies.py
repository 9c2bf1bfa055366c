"""What GET /api/v1/me/ answers: the account as the web page /me shows it to its owner.

The real name is the owner's own; the ID number and the mobile are masked there and here
(SECURITY_TESTS F1: a token is a bearer credential, and no screen of the client needs them
whole). The shape is documented by app.api.me.schema.MeSchema.
"""
from __future__ import annotations

from typing import Any

from app.api.applications.reads import is_staff
from app.roles import ROLE_NAMES
from app.views.citizen.identity import METHOD_LABELS, development_secret


def account_facts(user: Any) -> dict:
    """Return the signed-in account's own facts and what it may do next."""
    citizen = not is_staff(user)
    verified_at = user.identity_verified_at
    needs_identity = citizen and verified_at is None
    method = user.identity_method
    facts = {
        "username": user.username,
        # Held directly or through a group: what the account is, as every check reads it.
        "roles": [{"code": name, "name": str(ROLE_NAMES.get(name, name))}
                  for name in sorted(user.role_names)],
        "citizen": citizen,
        "region": user.region_code,
        "region_name": user.region.name_for() if user.region is not None else None,
        "name": user.first_name or None,
        "id_number": user.masked_id_number or None,
        "mobile": user.masked_mobile or None,
        "identity_verified": verified_at is not None,
        "identity_verified_at": verified_at.isoformat() if verified_at is not None else None,
        "identity_method": method,
        "identity_method_name": str(METHOD_LABELS[method]) if method in METHOD_LABELS else None,
        "needs_identity": needs_identity,
        "may_apply": citizen and verified_at is not None,
    }
    secret = development_secret() if needs_identity else None
    if secret:
        facts["development_identity_secret"] = secret
    return facts
