"""Office files carrying embedded objects are refused like macros (app.uploads.documents): an
embedded macro workbook or OLE object opens or runs in the reviewer's Office, whatever the
outer document holds. Fixtures are built here with zipfile (tests.fixtures.uploads.samples)."""
import io
import zipfile

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


CHART_TYPE = b"application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CHART_XML = (b'<?xml version="1.0"?><c:chartSpace xmlns:c="http://schemas.openxmlformats.org/'
             b'drawingml/2006/chart"><c:externalData r:id="rId1" xmlns:r="http://schemas.'
             b'openxmlformats.org/officeDocument/2006/relationships"/></c:chartSpace>')


def chart_docx(workbook: bytes, target="../embeddings/Microsoft_Excel_Worksheet.xlsx",
               part="word/embeddings/Microsoft_Excel_Worksheet.xlsx") -> bytes:
    """Word's native chart: the chart part links its data, a whole workbook, as a package."""
    types = (samples.CONTENT_TYPES % samples.DOCX_MAIN).replace(
        b"</Types>", b'<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sheet"/><Override PartName="/word/charts/chart1.xml" '
        b'ContentType="' + CHART_TYPE + b'"/></Types>')
    return samples.docx({
        "[Content_Types].xml": types,
        "word/charts/chart1.xml": CHART_XML,
        "word/charts/_rels/chart1.xml.rels": samples.rels(("package", target, None)),
        part: workbook,
    }, document_rels=samples.rels(("chart", "charts/chart1.xml", None)))


def test_a_chart_with_its_clean_workbook_is_accepted():
    data = chart_docx(samples.xlsx())
    assert check_upload(io.BytesIO(data), "chart.docx", ALL, 5 * 1024 * 1024).data == data
    # a chart inside the chart's workbook: the second level is inspected and allowed too
    nested = chart_docx(chart_docx(samples.xlsx()), target="../embeddings/inner.docx",
                        part="word/embeddings/inner.docx")
    assert check_upload(io.BytesIO(nested), "nested.docx", ALL, 5 * 1024 * 1024).data == nested


@pytest.mark.parametrize("workbook, name, word", [
    (macro_workbook(), "chart_macros.docx", "macros"),
    (samples.xlsx({"xl/embeddings/oleObject1.bin": b"x"}), "chart_ole.docx", "embedded"),
    (samples.xlsx({"xl/_rels/workbook.xml.rels": samples.rels(
        ("externalLink", "file:///C:/secret.xlsx", "External"))}), "chart_link.docx",
     "outside"),
    (b"not a zip", "chart_garbage.docx", "embedded"),
    (samples.zip_of({"x.txt": b"x" * 5_000_000}), "chart_bomb.docx", "too complex"),
])
def test_a_chart_workbook_is_inspected_like_an_upload(workbook, name, word):
    assert word in refused(chart_docx(workbook), name)


def test_chart_packages_go_only_so_deep_and_only_from_charts():
    deep = chart_docx(samples.xlsx())
    for level in range(2):
        deep = chart_docx(deep, target="../embeddings/inner.docx",
                          part="word/embeddings/inner.docx")
    assert "embedded" in refused(deep, "deep.docx")
    # the same workbook linked from the document itself, not from a chart
    assert "embedded" in refused(samples.docx(
        {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": samples.xlsx()},
        document_rels=samples.rels(("package", "embeddings/Microsoft_Excel_Worksheet.xlsx",
                                    None))), "document_package.docx")
    # a chart beside an OLE object: the object is still refused
    with zipfile.ZipFile(io.BytesIO(chart_docx(samples.xlsx()))) as archive:
        parts = {part: archive.read(part) for part in archive.namelist()}
    parts["word/embeddings/oleObject1.bin"] = samples.ole({"Ole10Native": b"x"})
    assert "embedded" in refused(samples.zip_of(parts), "chart_and_ole.docx")
