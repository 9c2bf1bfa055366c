"""Code tables and regions as a regional administrator sees them: words instead of Python values,
only the rows they may change offered for editing, refusals kept on the form."""
import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.dictionary import Dictionary, DictionaryEntry
from app.models.region import Region
from tests.support import login, make_user

ENTRIES = "/dictionaryentrymodelview"


def national_entry(table="gend", code="0"):
    return db.session.scalar(sa.select(DictionaryEntry).join(Dictionary).where(
        Dictionary.code == table, DictionaryEntry.code == code,
        DictionaryEntry.region_code.is_(None)))


def local_entry(region="130200", code="39902"):
    insutype = db.session.scalar(sa.select(Dictionary).where(Dictionary.code == "insutype"))
    entry = DictionaryEntry(dictionary_id=insutype.id, code=code, name_zh="补充医疗", name_en="Extra",
                            region_code=region, sort=100)
    db.session.add(entry)
    db.session.commit()
    return entry


def field_error(html, field, text):
    """True when ``text`` is shown under the form field ``field`` (not as a page message)."""
    return re.search(rf'name="{field}"[^>]*>\s*<span class="help-block">[^<]*</span>\s*'
                     rf'<div class="alert alert-danger">\s*{re.escape(text)}', html)


def cells(html):
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                         html, re.S)]


@pytest.fixture
def region_admin(client, ctx):
    make_user("RegionAdmin", "130200", username="ct_admin")
    login(client, "ct_admin")
    return client


def test_entry_pages_read_as_words(region_admin):
    entry = national_entry()
    html = region_admin.get(f"{ENTRIES}/show/{entry.id}").get_data(as_text=True)
    shown = cells(html)
    assert "None" not in shown and "True" not in shown
    assert "全国" in shown and "是" in shown
    assert "Show Dictionary Entry" not in html
    response = region_admin.get(f"{ENTRIES}/list/")
    assert response.status_code == 200
    assert "None" not in cells(response.get_data(as_text=True))
    table = db.session.scalar(sa.select(Dictionary).where(Dictionary.code == "insutype"))
    page = region_admin.get(f"/dictionarymodelview/show/{table.id}").get_data(as_text=True)
    assert "CODE_TABLES" not in page and "Show Dictionary" not in page
    assert "医疗保障信息平台 接口规范, dictionary insutype<" in page


def test_edit_and_delete_offered_only_on_local_codes(region_admin):
    local = local_entry()
    national = national_entry()
    html = region_admin.get(f"{ENTRIES}/list/?_flt_0_code=39902").get_data(as_text=True)
    assert f"{ENTRIES}/edit/{local.id}" in html and f"{ENTRIES}/delete/{local.id}" in html
    html = region_admin.get(f"{ENTRIES}/list/?_flt_0_code=0").get_data(as_text=True)
    assert f"{ENTRIES}/show/{national.id}" in html
    assert f"{ENTRIES}/edit/{national.id}" not in html
    assert f"{ENTRIES}/delete/{national.id}" not in html
    response = region_admin.get(f"{ENTRIES}/edit/{national.id}", follow_redirects=True)
    assert "国家标准代码项不能修改" in response.get_data(as_text=True)
    assert response.request.path == f"{ENTRIES}/list/"
    deleted = region_admin.post(f"{ENTRIES}/delete/{national.id}", follow_redirects=True)
    assert national_entry() is not None
    assert deleted.request.path == f"{ENTRIES}/list/"


def test_entries_are_grouped_by_table_then_code(region_admin):
    rows = []
    for page in range(20):  # pages of 100, the largest a list draws
        html = region_admin.get(f"{ENTRIES}/list/?psize_DictionaryEntryModelView=100"
                                f"&page_DictionaryEntryModelView={page}").get_data(as_text=True)
        found = [row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S) if len(cells(row)) > 2]
        if not found:
            break
        rows += found
    tables = [cells(row)[1] for row in rows if len(cells(row)) > 2]
    changes = sum(1 for a, b in zip(tables, tables[1:]) if a != b)
    assert changes == len(set(tables)) - 1, tables  # each table's rows are together


def test_add_form_offers_current_regions_of_the_subtree(region_admin):
    html = region_admin.get(f"{ENTRIES}/add").get_data(as_text=True)
    assert 'value="130203"' in html
    assert 'value="440000"' not in html and 'value="130222"' not in html  # 丰南县, abolished


def test_national_regions_are_not_offered_for_editing(region_admin):
    html = region_admin.get("/regionmodelview/list/?_flt_0_code=130203").get_data(as_text=True)
    assert "/regionmodelview/show/130203" in html
    assert "/regionmodelview/edit/130203" not in html


def test_bad_node_code_says_the_format(region_admin):
    response = region_admin.post("/regionmodelview/add", data={"code": "abc", "name": "某地"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(html, "code", "11位：本辖区内某一行政区划的6位代码")
    assert "无效的输入" not in html


def test_node_outside_the_region_stays_on_the_form(region_admin):
    response = region_admin.post("/regionmodelview/add",
                                 data={"code": "44010000001", "name": "外地节点"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="外地节点"' in html
    assert field_error(html, "code", "只能在本辖区内添加节点")
    assert db.session.get(Region, "44010000001") is None


def test_add_node_button_only_for_those_who_may_add(client, ctx):
    make_user("Reviewer", "130203", username="ct_reviewer")
    login(client, "ct_reviewer")
    html = client.get("/regions/tree/").get_data(as_text=True)
    assert "/regionmodelview/add" not in html
    make_user("RegionAdmin", "130200", username="ct_admin2")
    admin = client.application.test_client()
    login(admin, "ct_admin2")
    assert "/regionmodelview/add" in admin.get("/regions/tree/").get_data(as_text=True)


@pytest.mark.parametrize("code", ["  ", "男的", "８", "a-1", " 8 8"])
def test_blank_padded_or_non_ascii_local_codes_are_refused(region_admin, code):
    gend = db.session.scalar(sa.select(Dictionary).where(Dictionary.code == "gend"))
    response = region_admin.post(f"{ENTRIES}/add", data={
        "dictionary": gend.id, "code": code, "name_zh": "坏代码", "name_en": "x",
        "region": "130200", "sort": "0"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(html, "code", "代码为1至40个字母（A-Z）或数字，不含空格")
    assert db.session.scalar(sa.select(DictionaryEntry.id).where(
        DictionaryEntry.name_zh == "坏代码")) is None


def test_local_code_is_saved_trimmed(region_admin):
    gend = db.session.scalar(sa.select(Dictionary).where(Dictionary.code == "gend"))
    region_admin.post(f"{ENTRIES}/add", data={
        "dictionary": gend.id, "code": " 8 ", "name_zh": "带空格", "name_en": "x",
        "region": "130200", "sort": "0"})
    saved = db.session.scalar(sa.select(DictionaryEntry).where(DictionaryEntry.name_zh == "带空格"))
    assert saved is not None and saved.code == "8"


def test_the_bundled_file_takes_only_letter_and_digit_codes(tmp_path, ctx):
    from app.commands import DataFileError
    from app.commands.dictionaries import read_dictionaries

    path = tmp_path / "d.yaml"
    path.write_text("dictionaries:\n  - code: t\n    name: {zh: 表, en: T}\n    entries:\n"
                    "      - {code: ' 1', name: {zh: 一, en: One}}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=":5: "):
        read_dictionaries(path)
