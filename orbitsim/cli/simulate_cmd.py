"""``orbitsim simulate``: one ASAT-test scenario end to end, written as a run directory."""

from __future__ import annotations

import argparse
import math
import sys
import time

from ..errors import UsageError
from ._args import note, positive_float, positive_int
from .ensemble_options import add_ensemble_options, executor_from_args

EXAMPLES = """\
examples:
  orbitsim simulate --list
  orbitsim simulate cosmos-1408 --out runs/c1408
  orbitsim simulate cosmos-1408 --seeds 8 --min-size 0.05 --out runs/c1408-5cm --force
  orbitsim simulate my-test.toml --horizon-years 25 --out runs/my-test
  orbitsim simulate my-test.toml --catalog spacetrack.tle --targets payloads --out runs/mine
  orbitsim simulate cosmos-1408 --members 200 --executor dask --out runs/c1408-200
  orbitsim simulate cosmos-1408 --members 200 --scheduler tcp://10.0.0.5:8786 --out runs/c1408-200

The run directory holds summary.csv/.ecsv/.md/.tex (one row per scenario; median and _p05/_p95
band over seeds), conjunctions.csv, exposure_by_owner.csv, density_by_shell.csv,
on_orbit_over_time.csv, gabbard.csv, taxonomy.json, provenance.json, timings.json and PNG plots.
Values beyond the horizon are empty cells (CSV) and null (JSON): not determined, never 0.
--force replaces only a run directory orbitsim wrote (it holds a .orbitsim-output marker);
an interrupted run leaves nothing behind. Before any work the run's time and memory are
estimated; over --budget-minutes or --budget-gib it stops with exit code 4.
"""


def add_run_options(p: argparse.ArgumentParser) -> None:
    """Options shared by simulate and sweep."""
    from ..budget import DEFAULT_BUDGET_GIB, DEFAULT_BUDGET_MINUTES
    from ..catalog import TARGET_CHOICES

    p.add_argument("--out", metavar="DIR", help="run directory to write (required)")
    p.add_argument("--min-size", type=positive_float, metavar="M", dest="min_size",
                   help="smallest fragment simulated, m (default: the scenario's, 0.1 for presets)")
    p.add_argument("--horizon-years", type=positive_float, metavar="Y", dest="horizon_years",
                   help="long-term evolution horizon, years (default: the scenario's, 100 for presets)")
    p.add_argument("--catalog", metavar="FILE", default=None,
                   help="catalog to screen against (default: the embedded one)")
    p.add_argument("--targets", choices=TARGET_CHOICES, default=None,
                   help="exposed assets: active payloads, all payloads, or all objects (default: active, or "
                        "payloads for a catalog without activity information)")
    p.add_argument("--budget-minutes", type=positive_float, metavar="MIN", dest="budget_minutes",
                   help=f"refuse runs estimated to take longer (default {DEFAULT_BUDGET_MINUTES:g} min)")
    p.add_argument("--budget-gib", type=positive_float, metavar="GIB", dest="budget_gib",
                   help=f"refuse runs estimated to need more memory (default {DEFAULT_BUDGET_GIB:g} GiB)")
    p.add_argument("--force", action="store_true", help="replace an existing run directory orbitsim wrote")
    p.add_argument("--json", action="store_true",
                   help="print the headline numbers as strict JSON on stdout (the summary line goes to stderr)")
    p.add_argument("--breakup-mode", dest="breakup_mode", choices=("sbm", "sbm-momentum", "calibrated"),
                   default=None, help="breakup model: sbm (NASA SBM as published), sbm-momentum (SBM "
                   "about the centre of mass of target and interceptor), calibrated (fitted to the four "
                   "real tests, docs/four-tests.md); default: the scenario's [breakup] mode, calibrated")
    add_ensemble_options(p)


def check_run_options(args) -> None:
    if not args.out:
        raise UsageError("--out DIR is required")


def prepare_run(args, scenarios):
    """Checks before any work: output folder, catalog file, exposed assets, time/memory budget.

    Returns the output path. Prints the exposed-assets note and the estimate to stderr.
    """
    from .. import budget, pipeline
    from ..catalog import require_records
    from ..io import check_output_dir

    out = check_output_dir(args.out, force=args.force)
    cat = require_records(pipeline.load_catalog(args.catalog), args.catalog)
    seen = set()
    for s in scenarios:
        _, msg = cat.exposed_assets(s.targets)
        if msg and msg not in seen:
            seen.add(msg)
            note(msg)
    est = budget.check(budget.estimate(scenarios, args.workers), budget_minutes=args.budget_minutes,
                       budget_gib=args.budget_gib)
    print(f"orbitsim: estimate: {est.describe()}", file=sys.stderr)
    return out


def print_warnings(results) -> None:
    """The model's warnings (also in provenance.json), once each, to stderr."""
    for msg in sorted({n for r in results for n in r.notes}):
        note(msg, "warning")


def result_line(res) -> str:
    """One-line result of a scenario, with values at the run's own horizon (band only when defined)."""
    from .. import consequences as cq

    row, h = res.row, res.scenario.horizon_years
    up = float(res.curve[0][-1]) if len(res.curve[0]) else float("nan")
    lo, hi = row.get("n_ge_10cm_p05", float("nan")), row.get("n_ge_10cm_p95", float("nan"))
    band = f" [{lo:.0f}, {hi:.0f}]" if math.isfinite(lo) and math.isfinite(hi) else ""
    return (f"{res.scenario.name} ({row.get('breakup_mode', '')}, {row.get('n_members', '')} members): "
            f"{row['n_ge_10cm']:.0f} fragments >= 10 cm{band}, {up:.0f} still up after {h:g} y, reversibility "
            f"{cq.reversibility_text(row.get('reversibility'), h)}")


def print_json(args, results) -> None:
    """With ``--json``: the headline numbers of every scenario as strict JSON on stdout."""
    if getattr(args, "json", False):
        from ..report.headline import dumps, headline_record

        sys.stdout.write(dumps(headline_record([r.row for r in results],
                                               {r.scenario.name: r.taxonomy for r in results})))


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "simulate", help="simulate one ASAT test (preset or TOML scenario) end to end",
        description="Break the target up, follow the debris for the horizon, screen it against the "
                    "catalog's exposed assets (active payloads by default) and write the consequences.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", nargs="?", metavar="PRESET_OR_FILE",
                   help="a preset (fengyun-1c, usa-193, microsat-r, cosmos-1408) or a scenario TOML file")
    p.add_argument("--list", action="store_true", help="list the presets and exit")
    add_run_options(p)
    p.set_defaults(func=main)


def main(args) -> int:
    from .. import scenario as scen

    if args.list:
        for name, title in scen.list_presets():
            print(f"{name:12s}  {title}")
        return 0
    if not args.scenario:
        raise UsageError("give a preset or scenario file (see 'orbitsim simulate --list')")
    check_run_options(args)
    ex = executor_from_args(args)  # a missing dask install fails here, before any work
    from .. import pipeline

    s = scen.resolve(args.scenario)
    s = pipeline.apply_overrides(s, seeds=args.seeds, min_size_m=args.min_size, horizon_years=args.horizon_years,
                                 breakup_mode=args.breakup_mode, targets=args.targets)
    out = prepare_run(args, [s])  # before any work
    t0 = time.perf_counter()
    with ex:
        res = pipeline.run_scenarios([s], catalog_path=args.catalog, executor=ex)
    t_run = time.perf_counter() - t0
    t1 = time.perf_counter()
    pipeline.write_run(res, out, force=args.force, catalog_path=args.catalog,
                       command="orbitsim simulate", executor=ex.name)
    t_write = time.perf_counter() - t1
    print_warnings(res)
    print(f"{result_line(res[0])}; wrote {out}", file=sys.stderr if args.json else sys.stdout)
    print_json(args, res)
    print(pipeline.format_timings(res, t_run) + f"; report {t_write:.1f} s", file=sys.stderr)
    return 0
