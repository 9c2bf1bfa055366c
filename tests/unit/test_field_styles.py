"""The engine-built fields (region picker, signature pad) have one stylesheet,
app/static/fields.css, which the citizen wizard and the staff window-entry pages both load;
neither repeats its rules."""
import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
FIELDS = APP / "static" / "fields.css"
WIZARD = APP / "static" / "wizard.css"
WIZARD_BASE = APP / "templates" / "citizen" / "wizard_base.html"
WINDOW = APP / "templates" / "review" / "_field_scripts.html"


def declarations(css: str) -> set[tuple[str, str, str]]:
    """Return (media, selector, property) for every declaration of a stylesheet."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found: set[tuple[str, str, str]] = set()
    heads: list[str] = []
    start = 0
    for position, char in enumerate(css):
        if char == "{":
            heads.append(css[start:position].strip())
        elif char == "}" and heads:
            head = heads.pop()
            if not head.startswith("@"):
                media = heads[-1] if heads else ""
                for selector in head.split(","):
                    for declaration in css[start:position].split(";"):
                        if ":" in declaration:
                            found.add((media, " ".join(selector.split()),
                                       declaration.split(":", 1)[0].strip()))
        if char in "{}":
            start = position + 1
    return found


def inline_style(template: Path) -> str:
    return "".join(re.findall(r"<style>(.*?)</style>", template.read_text(), flags=re.S))


def test_the_parser_sees_every_rule():
    rules = declarations(".a, .b { color:red; margin:0 } /* c { x:1 } */ @media (x) { .a "
                         "{ color:blue; } .d { y:2 } } .c{x:1}")
    assert rules == {("", ".a", "color"), ("", ".b", "color"), ("", ".a", "margin"),
                     ("", ".b", "margin"), ("@media (x)", ".a", "color"),
                     ("@media (x)", ".d", "y"), ("", ".c", "x")}


def test_both_layouts_load_the_fields_stylesheet():
    link = "url_for('static', filename='fields.css')"
    assert link in WIZARD_BASE.read_text() and link in WINDOW.read_text()
    shared = declarations(FIELDS.read_text())
    assert ("", ".signature-pad canvas", "touch-action") in shared
    assert ("", "html.js-fields .region-refine", "display") in shared
    assert ("", ".default-action", "left") in shared


def test_no_rule_of_the_fields_stylesheet_is_repeated():
    shared = declarations(FIELDS.read_text())
    for other in (declarations(WIZARD.read_text()), declarations(inline_style(WINDOW))):
        assert shared & other == set()
    # What stays beside it is what one layout alone needs.
    assert declarations(inline_style(WINDOW)) == {
        ("", ".region-picker select", prop) for prop in (
            "display", "width", "height", "padding", "border", "border-radius", "background")
    } | {("", ".signature-pad canvas", "max-width")}
