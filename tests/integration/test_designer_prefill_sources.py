"""The designer's prefill select offers every source lint accepts (app.views.admin.
prefill_choices): a field imported with ``prefill: person.mobile`` opens with it selected and
keeps it when saved unchanged — it used to offer seven of the person's facts, so the save
dropped the source unseen. A stored source lint does not know is shown, not dropped."""
from app.commands.drafts import SaveDraftCommand
from app.engine.lint_sources import PREFILL_SOURCES
from tests.integration.designer_support import PROVINCE, item, load, staff, text
from tests.integration.test_designer_editor import field_form


def with_home_region_prefill(source: str) -> None:
    it = item()
    draft = dict(it.draft, pages=[dict(page, fields=[
        dict(f, prefill=source) if f["key"] == "home_region" else f for f in page["fields"]])
        for page in it.draft["pages"]])
    SaveDraftCommand(it, draft, it.revision).run()


def home_region() -> dict:
    return next(f for page in item().draft["pages"] for f in page["fields"]
                if f["key"] == "home_region")


def test_every_source_lint_accepts_is_offered_and_kept_on_save(client, ctx):
    load(PROVINCE, publish=False)
    with_home_region_prefill("person.mobile")
    staff(client, locale="zh")
    html = text(client.get(f"/items/{item().id}/field/home_region"))
    for source in PREFILL_SOURCES:
        assert f'value="{source}"' in html, source
    assert "person.mobile — 本人手机号码" in html
    data = field_form(client, item(), "home_region")
    assert data["prefill"] == "person.mobile"
    data["_action"] = "save"
    assert client.post(f"/items/{item().id}/field/home_region", data=data).status_code == 302
    assert home_region()["prefill"] == "person.mobile"


def test_a_source_lint_does_not_know_is_shown_not_dropped(client, ctx):
    load(PROVINCE, publish=False)
    with_home_region_prefill("person.mobil")
    staff(client)
    data = field_form(client, item(), "home_region")
    assert data["prefill"] == "person.mobil"
