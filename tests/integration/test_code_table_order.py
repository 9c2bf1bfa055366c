"""A local code added without an order follows the national codes under its parent: in the
wizard's picker, the catalog API's options and its JSON Schema alike (app.models.dictionary)."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.dictionary import Dictionary, DictionaryEntry, tree_order
from tests.applications_support import FORMDEFS, clock, load_gd8  # noqa: F401
from tests.support import login, make_user

ENROLLMENT = FORMDEFS / "440000-guangdong" / "resident_enrollment.yaml"
REGION = "440106"  # 广州市天河区, in 广州市 440100, in 广东省 440000
NATIONAL = ["1401", "1402", "1403", "1404", "1405", "1501", "16"]  # 1460, 1560: reserved


def add_local_code(client, code, parent, region, **fields):
    """Add a psn_type code through the administrator's form, its order left as offered."""
    table = db.session.scalar(sa.select(Dictionary.id).where(Dictionary.code == "psn_type"))
    form = {"dictionary": str(table), "code": code, "name_zh": f"地方{code}",
            "name_en": f"Local {code}", "parent_code": parent, "region": region, **fields}
    if "sort" not in fields:
        html = client.get("/dictionaryentrymodelview/add").get_data(as_text=True)
        assert 'id="sort" name="sort"' in html and 'value="0"' in html  # what the form offers
        assert "本地代码排在同一上级代码下的国家标准代码之后" in html
        form["sort"] = "0"
    response = client.post("/dictionaryentrymodelview/add", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)


def picker_codes(field):
    from wtforms import Form

    from app.commands.applications.context import engine_context
    from app.engine.fields import get_type

    form = type("F", (Form,), {"answer": get_type("dictionary").form_field(
        field, engine_context(REGION, "zh"))})()
    return [code for code, _label in form.answer.choices[1:]]


def test_local_codes_without_an_order_follow_the_national_ones(ctx, clock, client):
    make_user("RegionAdmin", "440000", username="order_gd")
    login(client, "order_gd")
    add_local_code(client, "1470", "14", "440000")
    add_local_code(client, "1590", "15", "440000")
    make_user("RegionAdmin", "440100", username="order_gz")
    city = client.application.test_client()
    login(city, "order_gz")
    add_local_code(city, "1465", "14", "440100")  # the city's own, after the province's
    add_local_code(client, "1480", "14", "440000", sort="1")  # an order: among local codes
    load_gd8(ENROLLMENT)
    expected = NATIONAL[:5] + ["1470", "1480", "1465"] + NATIONAL[5:6] + ["1590", "16"]

    body = client.get(f"/api/v1/catalog/resident_enrollment?region={REGION}").get_json()
    field = next(f for p in body["pages"] for f in p["fields"] if f["key"] == "psn_type")
    assert [option["value"] for option in field["options"]] == expected
    assert body["answers_schema"]["properties"]["psn_type"]["enum"] == expected
    definition = {"key": "psn_type", "type": "dictionary", "dictionary": "psn_type",
                  "label": {"zh": "参保身份"}, "only": ["14", "15", "16"]}
    assert picker_codes(definition) == expected


@pytest.mark.parametrize("rows, expected", [
    # A parent missing from the rows (inactive, another region's) makes a top-level code.
    ([("2", None, None, 1), ("9", "X", "/440000/", 0), ("1", None, None, 0)], ["1", "2", "9"]),
    # Parents in a loop are still listed, each once.
    ([("A", "B", "/440000/", 0), ("B", "A", "/440000/", 0), ("1", None, None, 0)],
     ["1", "A", "B"]),
])
def test_tree_order_keeps_every_row_once(rows, expected):
    from collections import namedtuple

    Row = namedtuple("Row", "code parent_code path sort region_code")
    rows = [Row(code, parent, path, sort, path and path.strip("/"))
            for code, parent, path, sort in rows]
    assert [row.code for row in tree_order(rows)] == expected
