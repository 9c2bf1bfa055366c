"""Where a problem lies in a definition's text: the part (page, field, material, step) a line
falls in, and that part's name, so the publish page links each problem to the part to open."""
from __future__ import annotations

from app import local_text
from app.commands.item_edit import find
from app.yamlio import LineDict, load_with_lines


def _span(node) -> int:
    """Return the last line a YAML node covers."""
    if isinstance(node, LineDict):
        return max([node.line, *node.key_lines.values(), *(_span(v) for v in node.values())])
    if isinstance(node, list):
        return max([0, *(_span(v) for v in node)])
    return 0


def part_at_line(text: str, line: int):
    """Return the (kind, key) of the part a line of a definition text lies in, or None."""
    try:
        tree = load_with_lines(text)
    except Exception:  # noqa: BLE001 - a broken text has no parts to link to
        return None
    spans = []
    for page in tree.get("pages") or [] if isinstance(tree, dict) else []:
        if not isinstance(page, LineDict):
            continue
        spans.append((page.line, _span(page), ("page", page.get("key"))))
        for field in page.get("fields") or []:
            if isinstance(field, LineDict):
                spans.append((field.line, _span(field), ("field", field.get("key"))))
                for child in field.get("fields") or [] if isinstance(field.get("fields"),
                                                                      list) else []:
                    if isinstance(child, LineDict):
                        spans.append((child.line, _span(child),
                                      ("field", f"{field.get('key')}.{child.get('key')}")))
    for name, kind in (("materials", "material"), ("approval", "step")):
        for part in tree.get(name) or [] if isinstance(tree, dict) else []:
            if isinstance(part, LineDict):
                spans.append((part.line, _span(part), (kind, part.get("key"))))
    inside = [s for s in spans if s[0] <= line <= s[1]]
    if inside:
        return max(inside)[2]
    return ("item", "") if isinstance(tree, dict) else None


def part_name(definition: dict, text: str, problem) -> str:
    """Return the name (label, title) of the part a problem lies in, in the page's language."""
    where = part_at_line(text, problem.line)
    if not where or where[0] == "item":
        return ""
    found = find(definition, *where)
    if found is None:
        return ""
    part = found[0][found[1]]
    return local_text(part.get("label") or part.get("title") or part.get("name"))
