"""``orbitsim compare``: the headline numbers of two runs side by side."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import InputError

EXAMPLES = """\
examples:
  orbitsim compare runs/c1408 runs/c1408-5cm
  orbitsim compare runs/low runs/high --out paper/compare.md
  orbitsim compare runs/a runs/b --out compare.json          (strict JSON: both runs' headline numbers)

Each cell is the median with its 5-95% band over breakup seeds; with one scenario per run a last
column gives the ratio of the medians. --out FILE.md writes Markdown, FILE.csv CSV, FILE.json JSON.
"""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "compare", help="the headline numbers of two runs side by side, with their bands",
        description="Compare two run directories (with and without a test, two altitudes, two modes...).",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("run_a", metavar="RUN_A", help="a directory written by simulate or sweep")
    p.add_argument("run_b", metavar="RUN_B", help="another one")
    p.add_argument("--out", metavar="FILE", help="also write the table (.md, .csv or .json)")
    p.add_argument("--force", action="store_true", help="overwrite FILE")
    p.set_defaults(func=main)


def main(args) -> int:
    from ..io import atomic_write, write_csv
    from ..report import read_run
    from ..report.headline import compare_markdown, compare_table, dumps, headline_record, rows_of

    runs = []
    for d in (args.run_a, args.run_b):
        run = read_run(d)
        runs.append((Path(d).name or str(d), headline_record(rows_of(run["summary"]), run["taxonomy"])))
    if runs[0][0] == runs[1][0]:
        runs = [(str(Path(args.run_a)), runs[0][1]), (str(Path(args.run_b)), runs[1][1])]
    table = compare_table(runs)
    text = compare_markdown(table, f"orbitsim compare: {runs[0][0]} vs {runs[1][0]}")
    print(text, end="")
    if args.out:
        out = Path(args.out)
        suffix = out.suffix.lower()
        if suffix not in (".md", ".csv", ".json"):
            raise InputError(f"--out {out}: expected a .md, .csv or .json file name")
        if out.exists() and not args.force:
            from ..errors import OutputExistsError

            raise OutputExistsError(f"{out} exists; pass --force to overwrite it")
        if suffix == ".csv":
            import numpy as np

            write_csv(out, {k: np.asarray(v, dtype=object) for k, v in table.items()})
        else:
            with atomic_write(out, "w") as fh:
                fh.write(dumps({"runs": [{"run": lab, **rec} for lab, rec in runs]}) if suffix == ".json" else text)
        print(f"wrote {out}")
    return 0
