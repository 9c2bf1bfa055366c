"""Every /api/ path answers with or without its trailing slash, never with werkzeug's HTML 308
redirect (which some mini-program request layers do not follow with the body); the pages keep
their redirects and the URL map is unchanged."""
from tests.applications_support import token
from tests.review_support import HB1, LUBEI, citizen, hb1, workday_clock  # noqa: F401


def test_no_api_rule_redirects_for_a_slash(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")]
    assert len(rules) > 20
    assert [rule.rule for rule in rules if rule.strict_slashes] == []
    assert all(rule.strict_slashes for rule in app.url_map.iter_rules()
               if rule.rule.startswith("/my/"))


def test_both_forms_answer_the_same(app, hb1, client):
    headers = token(client, citizen(LUBEI).username)
    for path in (f"/api/v1/catalog/?region={LUBEI}", f"/api/v1/catalog/{HB1}/?region={LUBEI}",
                 "/api/v1/applications/", "/api/v1/me/"):
        slash = client.get(path, headers=headers)
        bare = client.get(path.replace("/?", "?").rstrip("/"), headers=headers)
        assert slash.status_code == 200 and bare.status_code == 200, (path, bare.status_code)
        assert bare.is_json and bare.get_json() == slash.get_json(), path
    body = {"item": HB1, "region": LUBEI, "filer": "self"}
    posted = [client.post(path, headers=headers, json=body)
              for path in ("/api/v1/applications/", "/api/v1/applications")]
    assert posted[1].status_code == posted[0].status_code != 308  # the body reached the view
    assert posted[1].get_json() == posted[0].get_json()
    login = client.post("/api/v1/security/login", json={"username": "nobody", "password": "x",
                                                         "provider": "db"})
    assert login.status_code != 308 and login.is_json
    assert client.get("/my/applications").status_code == 308  # the pages: unchanged
