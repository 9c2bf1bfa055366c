"""An id past the id columns is no row (404), never a 500, on every route taking one (D2).

Every ``<int:…>`` of ``app.url_map`` is walked with numbers past PostgreSQL's INTEGER (2^31),
past SQLite's 64-bit integer (2^63) and far beyond, for each method of the route, anonymously
and as a citizen (page session and API token), a reviewer and an administrator
(app.url_ids).
"""
import re

import pytest

from app.views.admin.list_guard import MAX_INTEGER_ID
from tests.security_support import api_token, bearer, user_client

HUGE = (str(MAX_INTEGER_ID + 1), str(2 ** 63), "99999999999999999999999")
INT_ARG = re.compile(r"<int(?:\([^)]*\))?:([^>]+)>")
SAMPLE = {"key": "id_front", "kind": "fields", "page_key": "p1", "page": "p1"}


def int_rules(app):
    """Yield (method, rule) for every rule with an ``int`` argument."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if INT_ARG.search(rule.rule):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, rule


def url_with(rule, value: str) -> str:
    url = INT_ARG.sub(value, rule.rule)
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: SAMPLE.get(m.group(1), "x"), url)


def callers(app):
    """(who, client, headers) for each kind of caller."""
    found = [("anonymous", app.test_client(), {})]
    for role, region in (("Citizen", "130203"), ("Reviewer", "130200"), ("Admin", None)):
        _, username, client = user_client(app, role, region)
        found.append((role, client, {}))
        found.append((f"{role} token", client, bearer(api_token(client, username)["access_token"])))
    return found


def test_there_are_routes_taking_ids(app):
    assert len(list(int_rules(app))) >= 40


@pytest.mark.parametrize("value", HUGE)
def test_a_huge_id_is_no_row_on_every_route(app, value):
    checked = 0
    for who, client, headers in callers(app):
        for method, rule in int_rules(app):
            url = url_with(rule, value)
            answer = client.open(url, method=method, headers={**headers,
                                                             "Idempotency-Key": "huge-id"})
            assert answer.status_code == 404, (who, method, url, answer.status_code)
            checked += 1
    assert checked > 300


def test_the_largest_id_still_reaches_the_routes(app):
    """MAX_INTEGER_ID itself is a possible id: the route answers (no such row), not routing."""
    _, username, client = user_client(app, "Citizen", "130203")
    headers = bearer(api_token(client, username)["access_token"])
    answer = client.get(f"/api/v1/applications/{MAX_INTEGER_ID}", headers=headers)
    assert answer.status_code == 404 and answer.is_json, answer.get_data(as_text=True)
    assert client.get(f"/my/applications/{MAX_INTEGER_ID}").status_code == 404
