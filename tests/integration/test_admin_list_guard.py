"""SECURITY_TESTS D2 on every FAB model view: list arguments FAB cannot read are a 400 and an
impossible row id a 404, never a 500 (app.views.admin.list_guard)."""
import pytest

from tests.support import login, make_user


@pytest.fixture
def admin(app, ctx):
    make_user("Admin", None, username="guard_admin")
    client = app.test_client()
    login(client, "guard_admin")
    return client


def model_views(app):
    """(endpoint, list URL, view) of every model view with a list page."""
    found = []
    for rule in app.url_map.iter_rules():
        blueprint, _, method = rule.endpoint.rpartition(".")
        view = next((v for v in app.appbuilder.baseviews if getattr(v, "endpoint", None) ==
                     blueprint and getattr(v, "datamodel", None) is not None), None)
        if view is not None and method == "list" and rule.rule.endswith("/list/"):
            found.append((type(view).__name__, rule.rule, view))
    return found


def test_every_model_view_refuses_unreadable_list_arguments(app, admin):
    views, probed = model_views(app), 0
    assert len(views) >= 10  # users, roles, regions, code tables, persons, audit log …
    for name, url, view in views:
        assert admin.get(url).status_code == 200, url
        assert admin.get(f"{url}?psize_{name}=25&page_{name}=0").status_code == 200, url
        assert admin.get(f"{url}?psize_{name}=100").status_code == 200, url
        for query in (f"psize_{name}=abc", f"page_{name}=abc", f"psize_{name}=0",
                      f"page_{name}=99999999999999999999", f"psize_{name}=100000",
                      f"psize_{name}=101", f"psize_{name}=1000", f"_od_{name}=sideways",
                      "_flt_0_no_such_column=x", "_flt_10_x=x", f"_oc_{name}=no_such_column",
                      f"_oc_{name}=password", "_oc_NoSuchView=id"):
            answer = admin.get(f"{url}?{query}")
            assert answer.status_code == 400, (url, query, answer.status_code)
            assert "SELECT" not in answer.get_data(as_text=True)
        for column in view._filters.get_search_filters():
            past = len(view._filters._all_filters[column])  # what FAB indexes into
            if past <= 9:  # FAB reads one digit of index
                answer = admin.get(f"{url}?_flt_{past}_{column}=x")
                assert answer.status_code == 400, (url, column, answer.status_code)
                probed += 1
    assert probed >= 5  # dates, numbers, relations: columns with fewer than ten filters


def test_every_model_view_takes_its_own_filters_and_orderings(app, admin):
    """What the guard lets through is what the page offers: its sortable columns and its
    search filters."""
    filtered = 0
    for name, url, view in model_views(app):
        for column in list(view.order_columns or ())[:1]:
            answer = admin.get(f"{url}?_oc_{name}={column}&_od_{name}=desc")
            assert answer.status_code == 200, (url, column, answer.status_code)
        for column in list(view._filters.get_search_filters())[:2]:
            kind = view._filters._all_filters[column][0]
            if kind.arg_name in ("eq", "ct", "sw", "ew"):
                answer = admin.get(f"{url}?_flt_0_{column}=1")
                assert answer.status_code in (200, 400), (url, column)  # 400: a bad value
                filtered += answer.status_code == 200
    assert filtered >= 5


def test_an_impossible_row_id_is_no_row(app, admin):
    shown = 0
    for _name, url, view in model_views(app):
        base = url[: -len("/list/")]
        for method in ("show", "edit", "delete"):
            if f"{base}/{method}/<pk>" not in {r.rule for r in app.url_map.iter_rules()}:
                continue
            for pk in ("99999999999999999999", "2147483648", "-1", "abc"):
                answer = admin.get(f"{base}/{method}/{pk}")
                assert answer.status_code in (302, 403, 404), (base, method, pk,
                                                               answer.status_code)
                shown += 1
    assert shown > 0
