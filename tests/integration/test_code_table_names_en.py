"""The code-table entry form names the tables in the page's language: 人员证件类型（psn_cert_type）
in Chinese, Person ID document type (psn_cert_type) in English."""
import sqlalchemy as sa

from app.extensions import db
from app.models.dictionary import Dictionary
from tests.support import login, make_user


def test_the_entry_form_names_code_tables_in_the_pages_language(ctx, client):
    table = db.session.scalar(sa.select(Dictionary).where(Dictionary.code == "psn_cert_type"))
    login(client, make_user("Admin", None, username="ts_code_tables_en").username)
    client.get("/lang/en")
    html = client.get("/dictionaryentrymodelview/add").get_data(as_text=True)
    assert f"{table.name_en} (psn_cert_type)" in html and table.name_zh not in html
    client.get("/lang/zh")
    html = client.get("/dictionaryentrymodelview/add").get_data(as_text=True)
    assert f"{table.name_zh}（psn_cert_type）" in html
