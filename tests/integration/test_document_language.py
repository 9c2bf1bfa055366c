"""A result document is issued in the languages an answer chooses (app.engine.document_language),
whatever the reader's: SC-3 出具参保凭证 with 凭证语言 中英文 gives the Chinese certificate and
then the English one, on the printable page and in the PDF alike, under Chinese and English
pages; lint refuses a ``language`` that cannot choose."""
import pytest

from tests.applications_support import token
from tests.integration.test_result_document import ANSWERS, apply, publish_certificate, text
from tests.integration.test_result_document_pdf import pdf_text, squeezed
from tests.review_support import citizen, reviewer, workday_clock  # noqa: F401
from tests.support import login

CHINESE = ("基本医疗保险参保缴费凭证", "在四川省 成都市 锦江区参加职工基本医疗保险",
           "出具机构 成都市锦江区医疗保障局", "出具日期 2026年3月2日")
ENGLISH = ("Certificate of basic medical insurance enrollment",
           "has been enrolled in Employee basic medical insurance",
           "for the period May 1, 2016 to date",
           "Issued by Healthcare Security Administration of Jinjiang District, Chengdu City",
           "Date of issue March 2, 2026")


@pytest.fixture
def bilingual(ctx, workday_clock):  # noqa: F811
    publish_certificate()
    application, person = apply({**ANSWERS, "language": "zh_en"})
    assert application.status == "approved"
    return application, person


@pytest.mark.parametrize("ui", ["zh", "en"])
def test_the_page_shows_chinese_then_english(client, bilingual, ui):
    application, person = bilingual
    login(client, person.username)
    client.get(f"/lang/{ui}")
    body = text(client.get(f"/my/applications/{application.id}/document"))
    for shown in CHINESE + ENGLISH:
        assert shown in body, (shown, body)
    assert body.index("出具机构") < body.index("has been enrolled in")
    assert ('<section class="document-part" lang="en">' in client.get(
        f"/my/applications/{application.id}/document").get_data(as_text=True))


@pytest.mark.parametrize("ui", ["zh", "en"])
def test_the_pdf_holds_both_languages(client, bilingual, ui):
    application, person = bilingual
    reply = client.get(f"/api/v1/applications/{application.id}/document.pdf",
                       headers={**token(client, person.username), "Accept-Language": ui})
    found = pdf_text(reply)
    for shown in CHINESE + ENGLISH:
        assert squeezed(shown) in squeezed(found), (shown, found)
    assert squeezed(found).index("出具机构") < squeezed(found).index("Dateofissue")


def test_the_api_returns_both_parts(client, bilingual):
    application, person = bilingual
    data = client.get(f"/api/v1/applications/{application.id}/document",
                      headers=token(client, person.username)).get_json()
    assert data["title"] == ("基本医疗保险参保缴费凭证 / "
                             "Certificate of basic medical insurance enrollment")
    assert '<section lang="zh">' in data["html"] and '<section lang="en">' in data["html"]
