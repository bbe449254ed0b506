"""``orbitsim report``: tables (CSV, ECSV, Markdown, LaTeX), plots and report.html from a run directory."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from ..errors import InputError, UsageError

#: Screening window of the --four-tests runs, days (conjunctions are not part of the comparison).
FOUR_TESTS_SCREENING_DAYS = 0.05  # and only the first member is screened (screened_members = 1)

EXAMPLES = """\
examples:
  orbitsim report runs/c1408                       writes runs/c1408/report/ and runs/c1408/report.html
  orbitsim report runs/c1408 --out paper/tables --force
  orbitsim report runs/c1408 --force --pdf          also runs/c1408/report.pdf (headless Chromium)
  orbitsim report --four-tests docs/four-tests.md  runs the four presets, compares with published figures

Every table carries its provenance (package version, catalog files and SHA-256, epochs, seeds,
parameters, whether the scenario is hypothetical). Same run directory, same bytes.
"""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "report", help="write tables and plots of a run directory",
        description="Render a run directory's results as CSV, ECSV, Markdown and LaTeX tables and PNG plots.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("run_dir", nargs="?", metavar="RUN_DIR", help="a directory written by simulate or sweep")
    p.add_argument("--out", metavar="DIR", help="report folder (default RUN_DIR/report)")
    p.add_argument("--force", action="store_true",
                   help="replace an existing report folder / file that orbitsim wrote (never anything else)")
    p.add_argument("--pdf", action="store_true",
                   help="also print report.html to RUN_DIR/report.pdf with headless Chromium")
    p.add_argument("--four-tests", metavar="FILE.md", dest="four_tests",
                   help="simulate the four presets and write the comparison with the published figures")
    p.add_argument("--runs", metavar="DIR", help="with --four-tests: keep the preset runs here")
    p.add_argument("--seeds", type=int, metavar="N", help="with --four-tests: seeds per preset")
    p.add_argument("--horizon-years", type=float, dest="horizon_years", metavar="Y",
                   help="with --four-tests: evolution horizon, years")
    p.set_defaults(func=main)


def main(args) -> int:
    from ..io import atomic_dir
    from ..report import render

    if args.four_tests:
        return _four_tests(args)
    if not args.run_dir:
        raise UsageError("give RUN_DIR (a directory written by 'orbitsim simulate' or 'orbitsim sweep')")
    run = Path(args.run_dir)
    if not (run / "summary.csv").is_file() and (run / "ceiling.csv").is_file():
        return _ceiling_report(run)
    if not (run / "summary.csv").is_file():
        raise InputError(f"{run}: not a run directory (no summary.csv)")
    out = Path(args.out) if args.out else run / "report"
    with atomic_dir(out, force=args.force) as tmp:
        paths = render(run, tmp)
    # the run's own page, regenerated from its data (figures from the report just written)
    from ..report.html import write_report

    write_report(run, run / "report.html", figures_dir=out)
    print(f"wrote {len(paths)} files to {out} and {run / 'report.html'}")
    if args.pdf:
        from ..report.html import print_to_pdf

        print(f"wrote {print_to_pdf(run / 'report.html', run / 'report.pdf')}")
    return 0


def _ceiling_report(run: Path) -> int:
    """Regenerate a ceiling directory's report.html from its ceiling.csv, ceiling.json and figure."""
    import json

    from ..report import read_csv
    from ..report.html import write_ceiling_report

    try:
        record = json.loads((run / "ceiling.json").read_text())
        prov = json.loads((run / "provenance.json").read_text()) if (run / "provenance.json").is_file() else {}
    except (OSError, ValueError) as exc:
        raise InputError(f"{run}: cannot read ceiling.json / provenance.json ({exc})") from None
    write_ceiling_report(read_csv(run / "ceiling.csv"), record, prov, run / "report.html",
                         figure=run / "ceiling.png")
    print(f"wrote {run / 'report.html'}")
    return 0


def _four_tests(args) -> int:
    from .. import pipeline, scenario as scen
    from ..report import compare_published

    from ..io import check_output_file

    target = check_output_file(args.four_tests, force=args.force)
    keep = Path(args.runs) if args.runs else None
    with tempfile.TemporaryDirectory() as td:
        base = keep or Path(td)
        dirs = {}
        for name in scen.PRESETS:
            dirs[name] = {}
            for mode in scen.BREAKUP_MODES:
                s = pipeline.apply_overrides(scen.load_preset(name), seeds=args.seeds,
                                             horizon_years=args.horizon_years, breakup_mode=mode)
                # the comparison needs counts, lifetimes and apogees, not conjunctions: a short window
                s = s.with_settings(screening_days=FOUR_TESTS_SCREENING_DAYS, screened_members=1)
                res = pipeline.run_scenarios([s])
                dirs[name][mode] = pipeline.write_run(res, base / f"{name}-{mode}", force=True,
                                                      command="orbitsim report --four-tests")
                print(f"{name} ({mode}): done")
        compare_published(dirs, target)
    print(f"wrote {target}")
    return 0
