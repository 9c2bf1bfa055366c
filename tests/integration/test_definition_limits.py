"""A definition is limited in size (app.engine.limits, settings FORMDEF_MAX_*): a file past a
limit is refused as soon as it is read, naming the file, the line and the limit, on the command
line, the designer's import, the API and the designer's own saves."""
import io
import json

import pytest

from app.commands.drafts import SaveDraftCommand
from app.commands.formdefs import DefinitionInvalidError
from app.engine.limits import DEFAULTS
from tests.integration.designer_support import PROVINCE, item, load, staff, text
from tests.integration.formdefs_api_support import as_json, caller, send

HEAD = "schema: 1\ncode: big\nregion: '130000'\nname: 大事项\npages:\n"


def one_page(count: int) -> str:
    """A definition whose one page has ``count`` fields (the first at line 9)."""
    return HEAD + "  - key: p\n    title: 页\n    fields:\n" + "".join(
        f"      - {{key: f{n}, type: text, label: 字段{n}}}\n" for n in range(count))


def pages(count: int, fields: int) -> str:
    return HEAD + "".join(
        f"  - key: p{p}\n    title: 页\n    fields:\n" + "".join(
            f"      - {{key: f{p}_{n}, type: text, label: 字段}}\n" for n in range(fields))
        for p in range(count))


def test_the_defaults_are_far_above_the_shipped_items():
    assert DEFAULTS["FORMDEF_MAX_FIELDS"] >= 200 and DEFAULTS["FORMDEF_MAX_FIELDS_PER_PAGE"] >= 50


def test_lint_refuses_fifteen_thousand_fields_at_the_first_past_the_limit(app, runner, tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(one_page(15000), encoding="utf-8")
    result = runner.invoke(args=["formdefs", "lint", str(path)])
    assert result.exit_code == 1
    line = 9 + DEFAULTS["FORMDEF_MAX_FIELDS_PER_PAGE"]
    assert result.output.startswith(f"{path}:{line}: ")
    assert "FORMDEF_MAX_FIELDS_PER_PAGE" in result.output
    assert str(DEFAULTS["FORMDEF_MAX_FIELDS_PER_PAGE"]) in result.output


def test_fields_spread_over_pages_count_for_the_item(app, ctx, runner, tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(pages(20, 90), encoding="utf-8")
    result = runner.invoke(args=["formdefs", "load", str(path)])
    assert result.exit_code == 1
    assert "FORMDEF_MAX_FIELDS)" in result.output and item("big") is None


def test_each_limit_is_a_setting(app, runner, tmp_path, monkeypatch):
    path = tmp_path / "demo.yaml"
    path.write_text(PROVINCE.read_text(encoding="utf-8"), encoding="utf-8")
    assert runner.invoke(args=["formdefs", "lint", str(path)]).exit_code == 0
    for name in ("FORMDEF_MAX_STEPS", "FORMDEF_MAX_MATERIALS", "FORMDEF_MAX_OPTIONS",
                 "FORMDEF_MAX_PAGES"):
        with monkeypatch.context() as patched:
            patched.setitem(app.config, name, 1)
            result = runner.invoke(args=["formdefs", "lint", str(path)])
        assert result.exit_code == 1 and f"(setting {name})" in result.output, name


def test_the_designer_import_names_the_file_and_line(client, ctx):
    staff(client)
    response = client.post("/items/import", data={
        "file": (io.BytesIO(one_page(5000).encode()), "big.yaml")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    line = 9 + DEFAULTS["FORMDEF_MAX_FIELDS_PER_PAGE"]
    assert f"big.yaml, line {line}: more than" in text(response)
    assert item("big") is None


def test_the_api_refuses_it_as_yaml_and_as_json(client, ctx):
    _user, headers = caller(client)
    body = one_page(DEFAULTS["FORMDEF_MAX_FIELDS_PER_PAGE"] + 1)
    for sent, kind in ((body, "application/yaml"), (as_json(body), "application/json")):
        response = send(client, headers, sent, content_type=kind)
        assert response.status_code == 422, response.get_json()
        assert "FORMDEF_MAX_FIELDS_PER_PAGE" in json.dumps(response.get_json())


def test_the_designer_cannot_save_a_part_past_a_limit(app, ctx, monkeypatch):
    load(PROVINCE, publish=False)
    it = item()
    monkeypatch.setitem(app.config, "FORMDEF_MAX_MATERIALS", len(it.draft["materials"]))
    materials = it.draft["materials"] + [{"key": "more", "label": {"zh": "再一份", "en": None}}]
    with pytest.raises(DefinitionInvalidError) as refused:
        SaveDraftCommand(it, dict(it.draft, materials=materials), it.revision).run()
    assert "FORMDEF_MAX_MATERIALS" in str(refused.value)
    assert item().revision == it.revision


def test_a_repeats_columns_count_on_its_page(app, ctx, monkeypatch):
    load(PROVINCE, publish=False)
    it = item()
    on_page = [len(p["fields"]) + sum(len(f.get("fields", [])) for f in p["fields"])
               for p in it.draft["pages"]]
    assert any(len(p["fields"]) < n for p, n in zip(it.draft["pages"], on_page))  # a repeat
    monkeypatch.setitem(app.config, "FORMDEF_MAX_FIELDS_PER_PAGE", max(
        len(p["fields"]) for p in it.draft["pages"]))
    with pytest.raises(DefinitionInvalidError) as refused:
        SaveDraftCommand(it, it.draft, it.revision).run()
    assert "too many fields on page" in str(refused.value)


def test_a_variant_is_limited_once_merged_onto_its_parent(app, runner, monkeypatch):
    """The Tangshan variant adds one material and one step to the province's two and three:
    within the limits on its own, past them once merged. Named at the variant's line of the
    first part past the limit, or at its derives when that part is the parent's (the step is
    inserted before the province's last one)."""
    variant = PROVINCE.with_name("demo_allowance_tangshan.yaml")
    monkeypatch.setitem(app.config, "FORMDEF_MAX_MATERIALS", 2)
    monkeypatch.setitem(app.config, "FORMDEF_MAX_STEPS", 3)
    result = runner.invoke(args=["formdefs", "lint", str(PROVINCE), str(variant)])
    assert result.exit_code == 1
    lines = variant.read_text(encoding="utf-8").splitlines()
    material = lines.index("  - key: ts_form") + 1
    derives = lines.index("derives: demo_allowance") + 1
    problems = result.output.strip().splitlines()
    assert [p.split(": ")[0] for p in problems] == [f"{variant}:{derives}", f"{variant}:{material}"]
    assert all("demo_allowance@130000" in p for p in problems)
    assert "FORMDEF_MAX_STEPS" in problems[0] and "FORMDEF_MAX_MATERIALS" in problems[1]
