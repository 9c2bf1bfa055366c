"""GET /api/v1/applications/ names an unknown query argument (400), as /api/v1/reviews/ does;
it ignored ?item=, ?region=, ?order= and anything else."""
from tests.applications_support import clock, load_gd8, make_citizen, token  # noqa: F401


def test_unknown_list_arguments_are_named(app, ctx, clock):
    load_gd8()
    api = app.test_client()
    headers = token(api, make_citizen().username)
    for argument in ("item", "region", "order", "foo"):
        response = api.get(f"/api/v1/applications/?{argument}=x", headers=headers)
        assert response.status_code == 400, argument
        assert list(response.get_json()["errors"]) == [argument]
    fine = api.get("/api/v1/applications/?status=draft&page=1&page_size=5&_l_=en",
                   headers=headers)
    assert fine.status_code == 200, fine.get_json()
    bad = api.get("/api/v1/applications/?page=0", headers=headers)
    assert bad.status_code == 400 and "page" in bad.get_json()["errors"]
