"""A draft the designer keeps unfinished — a placeholder text, an expression naming a field not
there yet — exports and imports back on the items page (YAML and Excel): what only publishing
refuses is shown as a warning and the draft is saved; what a draft cannot be kept with (the
file's syntax or shape, another region, a lock) still refuses the import."""
import io

import pytest

from app.commands.drafts import SaveDraftCommand
from app.commands.formdefs import DefinitionInvalidError, PublishItemCommand
from tests.integration.designer_support import CITY, PROVINCE, item, load, staff, text

ORIGINAL = PROVINCE.read_text(encoding="utf-8")
UNFINISHED = ORIGINAL.replace('visible_when: special == "1"', 'visible_when: specail == "1"') \
    .replace("      - key: special_type\n", "      - {key: intro, type: display, label: 说明, "
             "text: ……}\n      - key: special_type\n", 1)


def import_file(client, data: bytes, filename: str):
    return client.post("/items/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def unfinished_draft(client):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    SaveDraftCommand(it, UNFINISHED, it.revision).run()  # as the designer saves a draft
    return item()


def test_an_unfinished_draft_exported_as_yaml_imports_back_with_warnings(client, ctx):
    it = unfinished_draft(client)
    draft, revision = it.draft, it.revision
    exported = client.get(f"/items/{it.id}/export.yaml").get_data()
    SaveDraftCommand(it, ORIGINAL, revision).run()  # changed meanwhile: the import restores it
    response = import_file(client, exported, "demo.yaml")
    assert response.status_code == 302, text(response)
    assert item().draft == draft and item().revision == revision + 2
    html = text(client.get(response.headers["Location"]))
    assert "Publishing refuses this draft until these 2 problems are fixed:" in html
    assert "placeholder text" in html and "specail" in html


def test_and_as_a_workbook(client, ctx):
    it = unfinished_draft(client)
    draft = it.draft
    exported = client.get(f"/items/{it.id}/export.xlsx").get_data()
    SaveDraftCommand(it, ORIGINAL, it.revision).run()
    response = import_file(client, exported, "demo.xlsx")
    assert response.status_code == 302, text(response)
    assert item().draft == draft


def test_publishing_still_refuses_it(client, ctx):
    it = unfinished_draft(client)
    with pytest.raises(DefinitionInvalidError):
        PublishItemCommand(it.code, it.region_code).run()


def test_what_a_draft_cannot_keep_still_refuses_the_import(client, ctx):
    it = unfinished_draft(client)
    revision = it.revision
    shape = UNFINISHED.replace("time_limit_days: 10", "time_limit_days: ten")
    assert import_file(client, shape.encode(), "shape.yaml").status_code == 422
    syntax = UNFINISHED.replace("pages:\n", "pages: [\n", 1)
    assert import_file(client, syntax.encode(), "syntax.yaml").status_code == 422
    elsewhere = UNFINISHED.replace("region: '130000'", "region: '440000'")
    assert import_file(client, elsewhere.encode(), "other.yaml").status_code == 403
    assert item().revision == revision


def test_a_variant_changing_a_locked_field_is_refused(client, ctx):
    load(PROVINCE)
    staff(client, region="130200")
    variant = CITY.read_text(encoding="utf-8").replace(
        "      - key: special\n",
        "      - {key: cert_type, required: false}\n      - key: special\n", 1)
    response = import_file(client, variant.encode(), "city.yaml")
    assert response.status_code == 422, text(response)
    assert "locked" in text(response)
    assert item(region="130200") is None
