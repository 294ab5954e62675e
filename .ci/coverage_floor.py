"""Fail when the coverage of archive/ (the combined data in .coverage) falls under its floors.

The floors are for lines and for branches, each apart: coverage's own `fail_under` is on the
two counted together, where a fall in lines can hide behind branches covered more (and there
are four times as many lines as branches). Each floor is the figure measured on both databases
when it was set, rounded down; raise it when the figure rises, never lower it to pass.
"""

import json
import sys
import tempfile
from pathlib import Path

import coverage

LINES_FLOOR = 96
BRANCHES_FLOOR = 89


def main() -> int:
    measured = coverage.Coverage()
    measured.load()
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "coverage.json"
        measured.json_report(outfile=str(report))
        totals = json.loads(report.read_text())["totals"]
    lines = totals["percent_statements_covered"]
    branches = totals["percent_branches_covered"]
    print(
        f"Coverage of archive/: lines {lines:.2f} % (floor {LINES_FLOOR} %), "
        f"branches {branches:.2f} % (floor {BRANCHES_FLOOR} %), "
        f"both counted together {totals['percent_covered']:.2f} %"
    )
    under = [
        f"{name} {figure:.2f} % < {floor} %"
        for name, figure, floor in (
            ("lines", lines, LINES_FLOOR),
            ("branches", branches, BRANCHES_FLOOR),
        )
        if figure < floor
    ]
    if under:
        print("Coverage is under its floor: " + ", ".join(under), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
