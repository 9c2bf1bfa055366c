"""Time the CEL engine against plain Python lambdas measured in the same run.

Run: python bench/bench_cel.py. Prints figures only; nothing here asserts on time.
"""

import datetime as dt
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.engine.cel import Scope, bind_answers, compile_expression  # noqa: E402

TODAY = dt.date(2024, 6, 15)
N_CONDITIONS = 50


def page():
    """Return kinds, answers, CEL sources and equivalent lambdas for a 50-condition page."""
    kinds, answers, sources, lambdas = {}, {}, [], []
    for i in range(N_CONDITIONS):
        shape = i % 5
        if shape == 0:
            kinds[f"special{i}"], answers[f"special{i}"] = "text", "1" if i % 2 else "0"
            sources.append(f'special{i} == "1"')
            lambdas.append(lambda v, k=f"special{i}": v[k] == "1")
        elif shape == 1:
            kinds[f"amount{i}"], answers[f"amount{i}"] = "money", f"{i * 500}.00"
            sources.append(f"amount{i} != null && amount{i} > 10000")
            lambdas.append(lambda v, k=f"amount{i}": v[k] is not None and v[k] > 10000)
        elif shape == 2:
            kinds[f"delivery{i}"], answers[f"delivery{i}"] = "date", f"20{10 + i // 5:02d}-03-01"
            sources.append(f"days_between(delivery{i}, today) <= 1095")
            lambdas.append(lambda v, k=f"delivery{i}": (v["today"] - v[k]).days <= 1095)
        elif shape == 3:
            kinds[f"kinds{i}"], answers[f"kinds{i}"] = ("list", "text"), ["a", "c"]
            sources.append(f'"b" in kinds{i} || length(kinds{i}) > 1')
            lambdas.append(lambda v, k=f"kinds{i}": "b" in v[k] or len(v[k]) > 1)
        else:
            kinds[f"flag{i}"], answers[f"flag{i}"] = "bool", bool(i % 3)
            sources.append(f'flag{i} && filer == "agent" && person.age >= 18')
            lambdas.append(lambda v, k=f"flag{i}": v[k] and v["filer"] == "agent"
                           and v["person"]["age"] >= 18)
    return kinds, answers, sources, lambdas


def best(stmt, number):
    """Return the best per-call time in microseconds over five repeats."""
    return min(timeit.repeat(stmt, number=number, repeat=5)) / number * 1e6


def main():
    kinds, answers, sources, lambdas = page()
    extra = {"filer": "agent", "person": {"age": 30.0, "name": "张三"}, "region": "440300"}
    variables = bind_answers(answers, kinds) | extra
    compiled = [compile_expression(source) for source in sources]

    # The baseline sees the same values as Python objects (dates as date, money as float).
    py_values = {k: (v.date() if isinstance(v, dt.datetime) else v) for k, v in variables.items()}
    py_values["today"] = TODAY

    scope = Scope(variables, today=TODAY)
    cel_results = [expression.evaluate_bool(scope) for expression in compiled]
    if cel_results != [condition(py_values) for condition in lambdas]:
        sys.exit("CEL and the Python baseline disagree; the figures would compare different work")

    counter = iter(range(10**9))
    rows = []
    baseline = best(lambda: [condition(py_values) for condition in lambdas], 2000)
    rows.append(("baseline: 50 Python lambdas, one page", baseline))
    rows.append(("compile, cache miss (one expression)",
                 best(lambda: compile_expression(f"x{next(counter)} > 10000 && y == \"1\""), 2000)))
    rows.append(("compile, cache hit (one expression)",
                 best(lambda: compile_expression(sources[7]), 20000)))
    rows.append(("evaluate one condition in a ready Scope",
                 best(lambda: compiled[1].evaluate(scope), 20000)))
    rows.append(("bind 50 answers (to_cel each)", best(lambda: bind_answers(answers, kinds), 500)))
    rows.append(("build Scope of 54 variables", best(lambda: Scope(variables, today=TODAY), 500)))
    def page_in_one_scope():
        page_scope = Scope(variables, today=TODAY)
        return [expression.evaluate_bool(page_scope) for expression in compiled]

    rows.append(("page: 50 conditions, one Scope (incl. its build)", best(page_in_one_scope, 500)))
    rows.append(("page: 50 conditions, a mapping per condition",
                 best(lambda: [e.evaluate_bool(variables) for e in compiled], 50)))

    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  {'µs/call':>10}  {'× baseline':>10}")
    print("-" * (width + 24))
    for name, micros in rows:
        print(f"{name:<{width}}  {micros:>10.2f}  {micros / baseline:>10.2f}")
    print(f"({N_CONDITIONS} conditions over {len(variables) + 1} variables; "
          f"baseline = plain-Python page evaluation, same values, same process)")


if __name__ == "__main__":
    main()
