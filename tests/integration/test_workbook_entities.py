"""A workbook whose sheet declares entities (a DTD: billion laughs, an external entity) is
refused as the import refuses a zip bomb, 422 naming the file; it was a 500 (ParseError)."""
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from tests.integration.designer_support import PROVINCE, item, load, staff

LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;'
          '&lol;&lol;&lol;&lol;">' + "".join(
              f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(3, 10)) + ']>')
EXTERNAL = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def with_doctype(data: bytes, doctype: str, entity: str) -> bytes:
    """Return the workbook with ``doctype`` in every sheet and ``entity`` in its first cell."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                text = body.decode("utf-8")
                text = re.sub(r"^(<\?xml[^>]*\?>)?", lambda m: (m[0] or "") + doctype, text,
                              count=1)
                cell = f'<is><t>{entity}</t></is></c>'
                text = re.sub(r"<c ([^>]*)t=\"[^\"]*\"([^>]*)>.*?</c>",
                              lambda m: f'<c {m[1]}t="inlineStr"{m[2]}>{cell}', text,
                              count=1, flags=re.S)
                body = text.encode("utf-8")
            target.writestr(info, body)
    return out.getvalue()


@pytest.mark.parametrize("doctype, entity", [(LAUGHS, "&lol9;"), (EXTERNAL, "&xxe;")])
def test_a_workbook_declaring_entities_is_refused_naming_the_file(client, ctx, doctype, entity):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    exported = client.get(f"/items/{it.id}/export.xlsx").get_data()
    load_workbook(io.BytesIO(exported))  # a real workbook to start from
    data = with_doctype(exported, doctype, entity)
    response = client.post("/items/import", data={"file": (io.BytesIO(data), "evil.xlsx")})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "evil.xlsx" in html and "root:" not in html
    assert item().revision == it.revision
