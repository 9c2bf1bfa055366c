"""Every bundled definition lints clean, loads, publishes and renders every page of its form."""
import sqlalchemy as sa
from flask import render_template_string

from app.commands.applications.context import engine_context
from app.commands.formdefs import FORMDEFS_DIR, LintFormdefsCommand, LoadFormdefsCommand
from app.engine.forms import build_page_form
from app.extensions import db
from app.models.item import Item, ItemVersion

PAGE = """{% for field in form %}{{ field.label() }}{{ field() }}{% endfor %}"""
FILES = sorted(FORMDEFS_DIR.rglob("*.yaml"))


def test_every_seed_file_lints_clean(ctx):
    assert len(FILES) >= 20
    count, problems = LintFormdefsCommand([FORMDEFS_DIR]).run()
    assert (count, problems) == (len(FILES), [])


def test_every_seed_item_publishes_and_renders(app, ctx):
    result = LoadFormdefsCommand([FORMDEFS_DIR], publish=True).run()
    assert len(result.published) == len(FILES)
    versions = db.session.scalars(sa.select(ItemVersion).join(Item)).all()
    assert len(versions) == len(FILES)
    rendered = 0
    for version in versions:
        definition = version.definition
        for locale in ("zh", "en"):
            context = engine_context(version.region_code, locale)
            for page in definition["pages"]:
                for filer in ("self", "agent"):
                    form_class = build_page_form(definition, page["key"], context,
                                                 {}, variables={"filer": filer})
                    with app.test_request_context("/"):
                        html = render_template_string(PAGE, form=form_class())
                    assert "Traceback" not in html
                    rendered += 1
    assert rendered > 4 * len(versions)


def test_sc2_asks_for_the_materials_seed_003_lists_and_no_others():
    from app.yamlio import load_with_lines

    path = FORMDEFS_DIR / "510000-sichuan" / "resident_enrollment_suspend.yaml"
    definition = load_with_lines(path.read_text(encoding="utf-8"))
    # "1. 请上传本人身份证、户口本或其他有效身份证件 2. 外地学生请补充上传学生证或毕业证", and the
    # platform's own agent identity card when someone files on the applicant's behalf.
    assert [m["key"] for m in definition["materials"]] == [
        "id_document", "student_certificate", "agent_id"]
