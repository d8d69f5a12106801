"""The mutation score of the builder's core, from mutmut's results in mutants/ (bench/mutation.sh runs both).

    .venv/bin/python -m bench.mutmut_score

Prints, per module and in all, the mutants killed (a test failed), survived (every test passed), without a
test that reaches them, and timed out; the score is killed (timeouts included) over the mutants checked. A run
limited to some mutants (`mutmut run "builder.spec*"`) leaves the others unchecked: they are left out, and a
module with none checked is not shown. Survivors are
listed by `.venv/bin/mutmut results`, and `.venv/bin/mutmut show NAME` shows one.
"""

from __future__ import annotations

import json
from collections import Counter

from mutmut.stats import status_by_exit_code

from testkit.chromium import ROOT


def main() -> None:
    metas = sorted((ROOT / "mutants").rglob("*.py.meta"))
    if not metas:
        raise SystemExit("no results in mutants/: run `.venv/bin/mutmut run` (bench/mutation.sh py) first")
    total: Counter = Counter()
    print(
        f"{'module':28s} {'mutants':>8s} {'killed':>7s} {'survived':>9s} {'no test':>8s} {'timeout':>8s} {'score':>7s}"
    )
    for meta in metas:
        codes = json.loads(meta.read_text())["exit_code_by_key"].values()
        counts = Counter(status_by_exit_code[code] for code in codes)
        del counts["not checked"]
        if not counts:
            continue
        total += counts
        print(_row(str(meta.relative_to(ROOT / "mutants")).removesuffix(".meta"), counts))
    print(_row("all", total))


def _row(name: str, counts: Counter) -> str:
    mutants = sum(counts.values())
    killed = counts["killed"] + counts["timeout"]
    score = 100 * killed / mutants if mutants else 0.0
    return (
        f"{name:28s} {mutants:8d} {counts['killed']:7d} {counts['survived']:9d} {counts['no tests']:8d} "
        f"{counts['timeout']:8d} {score:6.1f}%"
    )


if __name__ == "__main__":
    main()
