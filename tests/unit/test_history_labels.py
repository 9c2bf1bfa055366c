"""Every action the code records on an application has a translated label in the reviewers'
history (办理记录), or is deliberately kept out of it: no raw event key ever reaches the page.

The actions are read from the source: each ``record(action, "application", …)`` call, and where
``action`` is a parameter of a helper (the workflow's ``_history(application, action, …)``), each
call of that helper. An action the reader cannot work out fails the test, so a new kind of call is
looked at rather than skipped.
"""
import ast
from pathlib import Path

from babel.messages.pofile import read_po

from app.views.review.timeline import ACTIONS, HIDDEN_ACTIONS

ROOT = Path(__file__).resolve().parents[2]
DECISIONS = {"approve", "return", "refuse"}  # the review commands' ``decision``


def _constants(tree: ast.Module) -> dict[str, list[ast.expr]]:
    """Return every value assigned to each plain name anywhere in the module."""
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
    return found


def _actions(node: ast.expr, names: dict, where: str) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _actions(node.body, names, where) | _actions(node.orelse, names, where)
    if isinstance(node, ast.Name) and node.id in names:
        return set().union(*(_actions(value, names, where) for value in names[node.id]))
    if isinstance(node, ast.JoinedStr) and len(node.values) == 2 \
            and isinstance(node.values[1], ast.FormattedValue) \
            and getattr(node.values[1].value, "attr", None) == "decision":
        return {node.values[0].value + decision for decision in DECISIONS}
    raise AssertionError(f"{where}: cannot tell which action this records; teach the test")


def _calls(tree: ast.Module, name: str):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == name:
            yield node


def _helpers(tree: ast.Module) -> dict[str, int]:
    """Return {function: index of its parameter passed on as the action of a record() call}."""
    found = {}
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        params = [a.arg for a in function.args.args]
        for call in _calls(function, "record"):
            kind = call.args[1] if len(call.args) >= 2 else None
            if isinstance(kind, ast.Constant) and kind.value != "application":
                continue  # another object's audit record (a region node's), not its history
            if call.args and isinstance(call.args[0], ast.Name) and call.args[0].id in params:
                found[function.name] = params.index(call.args[0].id)
    return found


def recorded_actions() -> dict[str, str]:
    """Return {action: where} for every action recorded on an application."""
    result = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        names, helpers = _constants(tree), _helpers(tree)
        for call in _calls(tree, "record"):
            where = f"{path.relative_to(ROOT)}:{call.lineno}"
            kind = call.args[1] if len(call.args) >= 2 else None
            if not (isinstance(kind, ast.Constant) and kind.value == "application"):
                continue
            if isinstance(call.args[0], ast.Name) and call.args[0].id not in names \
                    and helpers:
                continue  # a helper's parameter: its calls are read below
            result.update(dict.fromkeys(_actions(call.args[0], names, where), where))
        for helper, index in helpers.items():
            for call in _calls(tree, helper):
                where = f"{path.relative_to(ROOT)}:{call.lineno}"
                result.update(dict.fromkeys(_actions(call.args[index], names, where), where))
    return result


def test_the_reader_finds_the_known_actions():
    found = recorded_actions()
    for action in ("application.filer_set", "application.submitted", "application.decide",
                   "application.return", "identity.reveal", "application.file_viewed"):
        assert action in found


def test_every_recorded_action_has_a_label_or_is_kept_out():
    missing = {action: where for action, where in recorded_actions().items()
               if action not in ACTIONS and action not in HIDDEN_ACTIONS}
    assert missing == {}


def test_every_label_is_translated():
    for locale in ("zh", "en"):
        path = ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        for action, label in ACTIONS.items():
            message = catalog.get(label._args[0])
            assert message is not None and message.string and not message.fuzzy, (locale, action)
