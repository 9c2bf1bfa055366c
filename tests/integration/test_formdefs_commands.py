"""Loading, publishing, exporting, saving drafts and regional variants of item definitions."""
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.commands.drafts import SaveDraftCommand
from app.commands.formdef_errors import ParentNotPublishedError
from app.commands.formdefs import (DefinitionInvalidError, ExportItemCommand, LoadFormdefsCommand,
                                   PublishItemCommand, RetireItemCommand, StaleDraftError)
from app.engine.compiled import compile_text
from app.engine.lint import lint_text
from app.engine.variants import (Change, effective_version, upstream_changes,
                                 versions_in_effect)
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.item import Item, ItemField, ItemStep, ItemVersion

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formdefs"
VALID, BROKEN = FIXTURES / "valid", FIXTURES / "broken"
PROVINCE, CITY = VALID / "demo_allowance.yaml", VALID / "demo_allowance_tangshan.yaml"


@pytest.fixture(autouse=True)
def english(ctx):
    """Messages in English (the msgids), whatever the Chinese catalogue says; the CLI runs in
    this app context too."""
    with force_locale("en"):
        yield


def item(code="demo_allowance", region="130000") -> Item:
    return db.session.scalar(select(Item).where(Item.code == code, Item.region_code == region))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def fields_of(definition) -> dict:
    return {f["key"]: f for page in definition["pages"] for f in page["fields"]}


def test_load_publish_export_round_trip(ctx):
    result = LoadFormdefsCommand([PROVINCE], publish=True).run()
    assert len(result.created) == 1 and len(result.published) == 1
    province = item()
    assert province.status == "published" and province.revision == 1
    assert [v.number for v in province.versions] == [1]
    text = ExportItemCommand("demo_allowance", "130203").run()  # a county: the province's item
    assert text == PROVINCE.read_text(encoding="utf-8")  # the fixture is written canonically
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "definition.publish"))
    assert event.object_id == str(province.id) and event.detail["version"] == 1
    steps = db.session.scalars(select(ItemStep.key).order_by(ItemStep.position)).all()
    assert steps == ["accept", "review", "auto_check"]
    assert db.session.scalar(select(ItemField.type).where(ItemField.key == "birth_date")) == "date"


def test_loading_again_changes_nothing(ctx):
    LoadFormdefsCommand([VALID], publish=True).run()
    again = LoadFormdefsCommand([VALID], publish=True).run()
    assert len(again.unchanged) == 2 and again.published == [] and again.created == []
    assert count(ItemVersion) == 2


def test_stale_draft_save_is_refused(ctx):
    LoadFormdefsCommand([PROVINCE]).run()
    draft = item()
    text = PROVINCE.read_text(encoding="utf-8")
    seen = draft.revision
    SaveDraftCommand(draft, text.replace("示例津贴申报", "示例津贴申报（新）"), seen).run()
    assert draft.revision == seen + 1 and draft.name_zh == "示例津贴申报（新）"
    with pytest.raises(StaleDraftError):
        SaveDraftCommand(draft, text.replace("示例津贴申报", "旧页面的修改"), seen).run()
    db.session.expire_all()
    assert item().name_zh == "示例津贴申报（新）" and item().revision == seen + 1


def test_save_draft_checks_the_shape_with_lines(ctx):
    LoadFormdefsCommand([PROVINCE]).run()
    text = PROVINCE.read_text(encoding="utf-8").replace("time_limit_days: 10", "time_limit_days: -3")
    with pytest.raises(DefinitionInvalidError) as caught:
        SaveDraftCommand(item(), text, item().revision).run()
    assert [str(p) for p in caught.value.problems] == [
        "demo_allowance@130000:13: time_limit_days: must be greater than 0"]
    assert item().revision == 1


def test_publish_refuses_a_broken_definition_with_the_lint_messages(ctx):
    LoadFormdefsCommand([PROVINCE], publish=True).run()
    broken = PROVINCE.read_text(encoding="utf-8").replace(
        "when: amount > 10000", "when: amount > 10000 && bonus").replace(
        "visible_when: special == \"1\"", "visible_when: special = \"1\"")
    SaveDraftCommand(item(), broken, item().revision).run()  # the shape is fine
    with pytest.raises(DefinitionInvalidError) as caught:
        PublishItemCommand("demo_allowance", "130000").run()
    expected = lint_text(broken, "demo_allowance@130000")
    assert len(expected) == 2
    assert [(p.line, p.message) for p in caught.value.problems] == \
        [(p.line, p.message) for p in expected]
    assert [v.number for v in item().versions] == [1]
    assert count(AuditEvent) == 3  # create, publish, save: no second publish


def test_a_folder_with_one_bad_file_changes_nothing(ctx, tmp_path):
    shutil.copy(PROVINCE, tmp_path / "a.yaml")
    shutil.copy(CITY, tmp_path / "b.yaml")
    shutil.copy(BROKEN / "cel_compile.yaml", tmp_path / "c.yaml")
    with pytest.raises(DefinitionInvalidError) as caught:
        LoadFormdefsCommand([tmp_path], publish=True).run()
    lines = str(caught.value).splitlines()
    assert len(lines) == 3 and all(line.startswith(f"{tmp_path / 'c.yaml'}:") for line in lines)
    assert count(Item) == 0 and count(ItemVersion) == 0 and count(AuditEvent) == 0


def test_cli_lint_prints_path_line_message_and_exit_code(runner):
    good = runner.invoke(args=["formdefs", "lint", str(VALID)])
    assert good.exit_code == 0, good.output
    assert good.output.strip() == "ok: 2 files"
    bad = runner.invoke(args=["formdefs", "lint", str(BROKEN / "duplicate_keys.yaml")])
    assert bad.exit_code == 1
    lines = [line for line in bad.output.strip().splitlines() if ": warning: " not in line]
    assert len(lines) == 5  # and the warnings (no category, no time limit) besides
    assert all(re.fullmatch(rf"{re.escape(str(BROKEN / 'duplicate_keys.yaml'))}:\d+: .+", line)
               for line in lines)
    assert lines[0].endswith(':25: duplicate field key "a" (first at line 16)')


def test_cli_lint_warnings_in_chinese_keep_the_path_line_shape(runner):
    """A parser keyed on PATH:LINE: reads the Chinese warnings too (no full-width colon)."""
    path = str(BROKEN / "duplicate_keys.yaml")
    with force_locale("zh"):
        output = runner.invoke(args=["formdefs", "lint", path]).output.strip().splitlines()
    warnings = [line for line in output if "提醒" in line]
    assert warnings and all(re.fullmatch(rf"{re.escape(path)}:\d+: 提醒：.+", line)
                            for line in warnings), warnings


def test_cli_load_publish_and_export(runner, ctx):
    loaded = runner.invoke(args=["formdefs", "load", str(VALID), "--publish"])
    assert loaded.exit_code == 0, loaded.output
    assert "2 created" in loaded.output and "2 versions published" in loaded.output
    exported = runner.invoke(args=["formdefs", "export", "demo_allowance", "--region", "130203"])
    assert exported.exit_code == 0 and "ts_workplace" in exported.output
    missing = runner.invoke(args=["formdefs", "export", "nothing", "--region", "130203"])
    assert missing.exit_code != 0 and "no published item" in missing.output
    nowhere = runner.invoke(args=["formdefs", "export", "demo_allowance", "--region", "999999"])
    assert nowhere.exit_code != 0 and "--region takes the code of a region that exists" in (
        nowhere.output)


def test_variant_overrides_hides_adds_and_applies_in_its_subtree(ctx):
    LoadFormdefsCommand([VALID], publish=True).run()
    county = effective_version("demo_allowance", "130203")  # 路北区, under 唐山市 (130200)
    assert county.item.region_code == "130200" and county.derives_version.number == 1
    other = effective_version("demo_allowance", "130102")  # a county of 石家庄: the province's
    assert other.item.region_code == "130000"
    fields = fields_of(county.definition)
    assert fields["special"]["label"] == {"zh": "是否特殊人员（唐山）", "en": None}
    assert "special_type" not in fields
    applicant = county.definition["pages"][0]["fields"]
    assert [f["key"] for f in applicant] == ["cert_type", "special", "ts_workplace", "home_region"]
    assert fields["amount"]["locked"] is True and fields["amount"]["rules"]  # wording only
    assert county.definition["time_limit_days"] == 5
    assert [s["key"] for s in county.definition["approval"]] == [
        "accept", "review", "ts_check", "auto_check"]
    assert {m["key"]: m.get("max_size_mb") for m in county.definition["materials"]} == {
        "id_card": 5, "agent_id": 10, "ts_form": None}
    assert [v.item.region_code for v in versions_in_effect("130203")] == ["130200"]
    exported = ExportItemCommand("demo_allowance", "130203").run()
    assert "special_type" not in exported and "derives: demo_allowance" in exported
    ready = compile_text(exported)  # the merged definition stands on its own
    assert ready.problems == [] and compile_text(exported) is ready


def test_parent_republish_leaves_the_variant_on_its_pin(ctx, tmp_path):
    LoadFormdefsCommand([VALID], publish=True).run()
    changed = tmp_path / "demo_allowance.yaml"
    changed.write_text(PROVINCE.read_text(encoding="utf-8").replace(
        "label: 分娩日期", "label: 分娩（终止妊娠）日期").replace(
        "approval:\n", "  - key: birth_cert\n    label: 出生医学证明\n    accept: [pdf]\napproval:\n"),
        encoding="utf-8")
    LoadFormdefsCommand([changed], publish=True).run()
    assert [v.number for v in item().versions] == [1, 2]
    variant = item(region="130200")
    assert upstream_changes(variant) == [Change("field", "delivery_date", "changed", ("label",)),
                                         Change("material", "birth_cert", "added")]
    pinned = effective_version("demo_allowance", "130203")
    assert pinned.number == 1 and pinned.derives_version.number == 1
    assert fields_of(pinned.definition)["delivery_date"]["label"]["zh"] == "分娩日期"
    republished = PublishItemCommand("demo_allowance", "130200").run()
    assert republished.number == 2 and republished.derives_version.number == 2
    assert upstream_changes(variant) == []
    assert fields_of(republished.definition)["delivery_date"]["label"]["zh"] == "分娩（终止妊娠）日期"


def test_a_variant_changing_a_locked_field_is_refused(ctx, tmp_path):
    LoadFormdefsCommand([PROVINCE], publish=True).run()
    variant = tmp_path / "variant.yaml"
    variant.write_text(CITY.read_text(encoding="utf-8").replace(
        "        label: {zh: 申报金额（元）, en: Amount (yuan)}",
        "        label: {zh: 申报金额（元）, en: Amount (yuan)}\n        type: number"),
        encoding="utf-8")
    with pytest.raises(DefinitionInvalidError) as caught:
        LoadFormdefsCommand([variant], publish=True).run()
    assert str(caught.value) == (f'{variant}:21: field "amount" is locked by the parent item: '
                                 '"type" cannot change')
    assert count(Item) == 1


def test_a_variant_waits_for_its_parent_to_be_published(ctx):
    LoadFormdefsCommand([VALID]).run()
    with pytest.raises(ParentNotPublishedError):
        PublishItemCommand("demo_allowance", "130200").run()
    PublishItemCommand("demo_allowance", "130000").run()
    assert PublishItemCommand("demo_allowance", "130200").run().number == 1


def test_retired_items_leave_the_catalogue_but_keep_their_versions(ctx):
    LoadFormdefsCommand([PROVINCE], publish=True).run()
    RetireItemCommand("demo_allowance", "130000").run()
    assert effective_version("demo_allowance", "130203") is None
    assert count(ItemVersion) == 1


def test_bundled_definitions_load_and_publish(ctx):
    result = LoadFormdefsCommand(publish=True).run()
    assert result.published and len(result.published) == len(result.created)
    dazhou = effective_version("resident_enrollment", "511702")
    assert dazhou.item.region_code == "511700" and dazhou.derives_version is not None


def test_a_version_with_a_later_effective_from_waits_for_its_day(ctx, tmp_path):
    LoadFormdefsCommand([PROVINCE], publish=True).run()
    later = tmp_path / "demo_allowance.yaml"
    later.write_text(PROVINCE.read_text(encoding="utf-8").replace(
        "time_limit_days: 10\n", "time_limit_days: 8\neffective_from: 2099-01-01\n"),
        encoding="utf-8")
    LoadFormdefsCommand([later], publish=True).run()
    assert effective_version("demo_allowance", "130203").number == 1
    assert effective_version("demo_allowance", "130203", on=dt.date(2099, 1, 1)).number == 2
