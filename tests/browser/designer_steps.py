"""Steps an administrator takes in the item designer (事项管理 → 事项, /items/), as a person
would: the menu, labels and buttons of the page, in the page's language (``say``)."""
from playwright.sync_api import expect

from tests.browser.helpers import open_menu_link, say


def sign_out(page, base):
    """Sign out as a person does: the confirmation page's button (a POST with CSRF)."""
    page.goto(base + "/logout/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def click(page, locator):
    """Press a button or link that loads a page, and wait for it."""
    locator.click()
    page.wait_for_load_state()


def saved(page, app):
    """The page says the part was saved (the flash after the redirect)."""
    expect(page.locator(".alert-success").first).to_contain_text(say(app, "Saved."))


def chinese(app, label: str) -> str:
    """Return the label of the Chinese half of a two-language input (``标签（中文）``)."""
    return say(app, "%(label)s (Chinese)", label=say(app, label))


def open_items(page, base):
    page.goto(base + "/")
    open_menu_link(page, "/items/")


def overview(page, app, name: str):
    """From the item list, open the item called ``name``."""
    click(page, page.locator(".items-list table").first.get_by_role("link", name=name,
                                                                    exact=True))
    expect(page.locator(".item-overview h2")).to_contain_text(name)


def back_to_item(page):
    click(page, page.locator(".breadcrumb li").nth(1).locator("a"))


def _add(page, app, form, key: str, label: str, type_name: str | None = None,
         options: str = ""):
    form.get_by_label(say(app, "key")).fill(key)
    if type_name is not None:
        form.get_by_label(say(app, "Type")).select_option(type_name)
    form.locator("input[name=label]").fill(label)
    if options:  # a choice is added with its options
        form.locator("input[name=options]").fill(options)
    click(page, form.get_by_role("button"))


def add_field(page, app, page_key: str, key: str, type_name: str, label: str,
              group: str | None = None, options: str = ""):
    """On the item's overview, add a field to a page (or to a repeating group on it); the
    field's own form opens."""
    panel = page.locator(f"#page-{page_key}")
    if group is None:
        form = panel.locator(".panel-footer form")
    else:
        form = panel.locator("form").filter(
            has=page.locator(f'input[name=page][value="{page_key}/{group}"]'))
    _add(page, app, form, key, label, type_name, options)
    expect(page.locator(".item-part h2")).to_have_text(
        say(app, "Edit %(kind)s", kind=say(app, "field")))


def add_page(page, app, key: str, title: str):
    form = page.locator("form").filter(has=page.get_by_role("button", name=say(app, "Add a page")))
    form.get_by_label(say(app, "key")).fill(key)
    form.get_by_label(say(app, "Title (Chinese)")).fill(title)
    click(page, form.get_by_role("button"))


def add_part(page, app, kind: str, key: str, label: str):
    """Add a material or an approval step; its form opens."""
    button = say(app, "Add a material" if kind == "material" else "Add an approval step")
    form = page.locator("form").filter(has=page.get_by_role("button", name=button))
    _add(page, app, form, key, label)


def edit_part(page, app, kind: str, key: str):
    """On the overview, press the part's Edit button."""
    row = page.locator(f'[id="{kind}-{key}"]')
    click(page, row.get_by_role("link", name=say(app, "Edit"), exact=True).first)


def save(page, app, and_back: bool = False):
    name = say(app, "Save and back to the item") if and_back else say(app, "Save")
    click(page, page.get_by_role("button", name=name, exact=True))
