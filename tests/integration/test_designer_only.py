"""The designer checks ``only:`` when a field is saved, as lint does at publishing: every code is
one of the code table's in the item's region (a local code of a region below is not)."""
from app.extensions import db
from app.models.dictionary import Dictionary, DictionaryEntry
from tests.integration.designer_support import PROVINCE, field_errors, item, load, staff, text
from tests.integration.test_designer_editor import field_form


def local_code(code: str, region: str) -> None:
    table = db.session.scalar(db.select(Dictionary).where(Dictionary.code == "psn_cert_type"))
    db.session.add(DictionaryEntry(dictionary=table, code=code, name_zh=f"地方证件{code}",
                                   name_en=f"Local document {code}", region_code=region,
                                   sort=99))
    db.session.commit()


def cert_type() -> dict:
    return next(f for f in item().draft["pages"][0]["fields"] if f["key"] == "cert_type")


def test_only_codes_are_checked_against_the_code_table_in_the_items_region(client, ctx):
    load(PROVINCE, publish=False)  # demo_allowance, owned by 河北 130000
    local_code("71", "130000")
    local_code("72", "130200")  # 唐山's own: not in effect province-wide
    staff(client, locale="zh")
    it = item()
    data = field_form(client, it, "cert_type")
    data.update(only="01, 72, 7x", _action="save")
    refused = client.post(f"/items/{it.id}/field/cert_type", data=data)
    assert refused.status_code == 422
    html = text(refused)
    assert field_errors(html) == [
        "字段“cert_type”：only 中的“72”不是代码表 psn_cert_type 的代码",
        "字段“cert_type”：only 中的“7x”不是代码表 psn_cert_type 的代码"]
    assert 'value="01, 72, 7x"' in html  # the input is kept
    assert "only" not in cert_type() and item().revision == it.revision

    data.update(only="01, 71")
    assert client.post(f"/items/{it.id}/field/cert_type", data=data).status_code == 302
    assert cert_type()["only"] == ["01", "71"]
