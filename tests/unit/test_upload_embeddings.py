"""Office files carrying embedded objects are refused like macros (app.uploads.documents): an
embedded macro workbook or OLE object opens or runs in the reviewer's Office, whatever the
outer document holds. Fixtures are built here with zipfile (tests.fixtures.uploads.samples)."""
import io

import pytest

from app.uploads import UploadRejected, check_upload
from tests.fixtures.uploads import samples

ALL = ["doc", "docx", "xls", "xlsx"]
OLE_TYPE = b"application/vnd.openxmlformats-officedocument.oleObject"


def refused(data: bytes, name: str) -> str:
    with pytest.raises(UploadRejected) as caught:
        check_upload(io.BytesIO(data), name, ALL, 5 * 1024 * 1024)
    assert caught.value.code == "content" and caught.value.status == 422
    message = str(caught.value)
    assert name in message
    return message


def macro_workbook() -> bytes:
    return samples.xlsx({"xl/vbaProject.bin": b"VBA"})


def embedded_xlsm() -> bytes:
    """Word's way of embedding a workbook: the whole file as a part, linked as a package."""
    return samples.docx({"word/embeddings/Book1.bin": macro_workbook()},
                        document_rels=samples.rels(("package", "embeddings/Book1.bin", None)))


def ole_embed() -> bytes:
    return samples.docx({"word/embeddings/oleObject1.bin": samples.ole({"Ole10Native": b"x"})},
                        document_rels=samples.rels(("oleObject", "embeddings/oleObject1.bin",
                                                    None)))


@pytest.mark.parametrize("data, name", [
    (embedded_xlsm(), "embedded_xlsm.docx"),
    (ole_embed(), "ole_embed.docx"),
    # each sign on its own: the folder, the relationship, the content type, ActiveX
    (samples.docx({"word/embeddings/x.bin": b"x"}), "folder.docx"),
    (samples.docx({"word/media/x.bin": b"x"}, document_rels=samples.rels(
        ("package", "media/x.bin", None))), "package.docx"),
    (samples.docx({"word/media/x.bin": b"x"}, document_rels=samples.rels(
        ("oleObject", "media/x.bin", None))), "ole_relationship.docx"),
    (samples.docx({"[Content_Types].xml": (samples.CONTENT_TYPES % samples.DOCX_MAIN).replace(
        b"</Types>", b'<Default Extension="bin" ContentType="' + OLE_TYPE + b'"/></Types>')}),
     "content_type.docx"),
    (samples.docx({"word/activeX/activeX1.xml": b"<ax/>"}), "activex.docx"),
    (samples.docx({"word/media/c.xml": b"<x/>"}, document_rels=samples.rels(
        ("control", "media/c.xml", None))), "control.docx"),
    (samples.xlsx({"xl/embeddings/oleObject1.bin": b"x"}), "table.xlsx"),
    (samples.ole({"WordDocument": bytes(12)}, storages=("ObjectPool",)), "letter.doc"),
    (samples.ole({"Workbook": bytes(16)}, storages=("MBD0001A2B3",)), "table.xls"),
])
def test_office_files_with_embedded_objects_are_refused(app, data, name):
    assert "embedded" in refused(data, name)
    with app.test_request_context("/", headers={"Accept-Language": "zh"}):
        assert "嵌入" in refused(data, name)


def test_a_macro_workbook_on_its_own_is_still_refused_as_macros():
    assert "macros" in refused(macro_workbook(), "table.xlsx")


def test_documents_with_pictures_and_links_are_accepted():
    data = samples.docx({"word/media/image1.png": b"\x89PNG"}, document_rels=samples.rels(
        ("image", "media/image1.png", None),
        ("hyperlink", "https://www.nhsa.gov.cn/", "External")))
    assert check_upload(io.BytesIO(data), "letter.docx", ALL, 5 * 1024 * 1024).data == data
