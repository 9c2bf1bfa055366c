"""Time compiling a large definition and evaluating a busy page, against baselines of the same run.

Run: python bench/bench_definitions.py [--repeat 20]. Prints figures only; nothing here asserts
on time. ``--repeat``: timed runs of each whole-definition figure (the best is printed).

- cold compile of a generated 200-field definition (YAML with lines + schema + lint + CEL compile
  of every expression, caches emptied first) against plain ``yaml.safe_load`` of the same text;
- a warm hit of :func:`app.engine.compiled.compile_text` (the per-text cache) against the same baseline;
- validating a page of 50 conditional fields with :mod:`app.engine.answers` against evaluating its
  50 conditions alone in one ready CEL scope.
"""
import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from app.engine import compiled as compiled_texts  # noqa: E402
from app.engine.cel import Scope, bind_answers, compile_expression  # noqa: E402
from app.engine.export import export  # noqa: E402
from app.engine.fields import EngineContext, cel_kinds  # noqa: E402
from app.engine.schema import load_definition  # noqa: E402
from app.yamlio import load_with_lines  # noqa: E402

TODAY = dt.date(2026, 6, 15)
VARIABLES = {"filer": "agent", "person": {"age": 30, "name": "张三", "cert_type": "01"},
             "region": "130203", "today": TODAY}


def _field(index: int, page: int) -> dict:
    """One generated field; every other one has a condition, every third a rule."""
    key, label = f"f{index}", {"zh": f"字段{index}", "en": None}
    shape = index % 5
    if shape == 0:
        field = {"key": key, "type": "radio", "label": label, "options": [
            {"value": "1", "label": {"zh": "是", "en": None}},
            {"value": "0", "label": {"zh": "否", "en": None}}]}
    elif shape == 1:
        field = {"key": key, "type": "money", "label": label}
    elif shape == 2:
        field = {"key": key, "type": "date", "label": label}
    elif shape == 3:
        field = {"key": key, "type": "number", "label": label}
    else:
        field = {"key": key, "type": "text", "label": label}
    previous = index - (index % 5) - 5  # a radio on this or an earlier page
    if index % 2 and previous >= 0:
        field["visible_when"] = f'f{previous} == "1" && filer == "agent"'
    if index % 3 == 0 and shape in (1, 3):
        field["rules"] = [{"check": f"{key} >= 0 && {key} < 1000000",
                           "message": {"zh": "超出范围", "en": None}}]
    elif index % 3 == 0 and shape == 2:
        field["rules"] = [{"check": f"days_between({key}, today) <= 1095",
                           "message": {"zh": "超过3年", "en": None}}]
    field["required"] = index % 4 == 0
    return field


def big_definition(fields: int = 200, per_page: int = 20) -> dict:
    pages = [{"key": f"p{p}", "title": {"zh": f"第{p}页", "en": None},
              "fields": [_field(i, p) for i in range(p * per_page, (p + 1) * per_page)]}
             for p in range(fields // per_page)]
    return {"schema": 1, "code": "bench_item", "region": "130000",
            "name": {"zh": "基准事项", "en": None}, "filers": ["self", "agent"], "pages": pages,
            "approval": [{"key": "review", "name": {"zh": "审核", "en": None}, "level": "county",
                          "when": "f1 != null && f1 > 10000"}]}


def busy_page(conditions: int = 50) -> tuple[dict, dict]:
    """A definition whose second page has 50 fields shown by conditions on the first page."""
    first = [{"key": f"q{i}", "type": "radio", "label": {"zh": f"问{i}", "en": None},
              "options": [{"value": "1", "label": {"zh": "是", "en": None}},
                          {"value": "0", "label": {"zh": "否", "en": None}}]} for i in range(10)]
    second = [{"key": f"a{i}", "type": "money" if i % 2 else "text",
               "label": {"zh": f"答{i}", "en": None},
               "visible_when": f'q{i % 10} == "1" && person.age >= 18' if i % 2
               else f'q{i % 10} != "0" || filer == "agent"'} for i in range(conditions)]
    definition = {"schema": 1, "code": "busy", "region": "130000",
                  "name": {"zh": "条件页", "en": None},
                  "pages": [{"key": "ask", "title": {"zh": "问", "en": None}, "fields": first},
                            {"key": "busy", "title": {"zh": "答", "en": None}, "fields": second}]}
    answers = {f"q{i}": "1" if i % 3 else "0" for i in range(10)}
    answers.update({f"a{i}": "1200.00" if i % 2 else "文本" for i in range(conditions)})
    return definition, answers


def timed(function, repeat: int) -> float:
    """Return the best time of ``function`` in milliseconds (the least disturbed run)."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return min(samples)


def cold(text: str):
    compiled_texts._COMPILED.clear()
    compile_expression.cache_clear()
    return compiled_texts.compile_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20,
                        help="timed runs of each whole-definition figure")
    repeat = max(1, parser.parse_args().repeat)
    text = export(big_definition())
    compiled = cold(text)
    if compiled.problems:
        sys.exit("the generated definition has problems: " + str(compiled.problems[:3]))
    expressions = len(compiled.expressions)
    baseline = timed(lambda: yaml.safe_load(text), repeat)
    rows = [
        ("baseline: yaml.safe_load of the 200-field text", baseline),
        ("  load_with_lines (YAML keeping lines)", timed(lambda: load_with_lines(text), repeat)),
        ("  load_with_lines + schema (load_definition)", timed(
            lambda: load_definition(load_with_lines(text)), repeat)),
        (f"cold compile: lines + schema + lint + {expressions} CEL compiles", timed(
            lambda: cold(text), repeat)),
        ("warm compile_text (cache hit by SHA-256)", timed(lambda: compiled_texts.compile_text(text), 200)),
    ]
    print(f"definition: 200 fields, {len(text) // 1024} KiB of YAML, {expressions} expressions")
    for name, ms in rows:
        print(f"{name:<58} {ms:9.3f} ms  {ms / baseline:8.2f}x baseline")

    from app.engine.answers import validate_page

    definition, answers = busy_page()
    ctx = EngineContext(today=TODAY)
    fields = definition["pages"][0]["fields"] + definition["pages"][1]["fields"]
    kinds = cel_kinds(fields)
    sources = [f["visible_when"] for f in definition["pages"][1]["fields"]]
    programs = [compile_expression(s) for s in sources]
    person = dict(VARIABLES["person"])

    def conditions_only():
        scope = Scope(bind_answers(answers, kinds) | {"filer": "agent", "person": person,
                                                      "region": "130203"}, today=TODAY)
        return [p.evaluate_bool(scope) for p in programs]

    shown = sum(conditions_only())
    page_baseline = timed(conditions_only, 200)
    page_engine = timed(lambda: validate_page(definition, "busy", answers, ctx, VARIABLES), 100)
    print(f"\npage of 50 conditional fields ({shown} shown) after a 10-question page")
    print(f"{'baseline: bind answers + 50 conditions in one Scope':<58} {page_baseline:9.3f} ms"
          f"  {1:8.2f}x baseline")
    print(f"{'answers.validate_page (earlier page, visibility, parsing)':<58} {page_engine:9.3f} ms"
          f"  {page_engine / page_baseline:8.2f}x baseline")


if __name__ == "__main__":
    main()
