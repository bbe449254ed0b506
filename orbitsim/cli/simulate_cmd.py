"""``orbitsim simulate``: one ASAT-test scenario end to end, written as a run directory."""

from __future__ import annotations

import argparse
import sys
import time

from ..errors import InputError
from .ensemble_options import add_ensemble_options, executor_from_args

EXAMPLES = """\
examples:
  orbitsim simulate --list
  orbitsim simulate cosmos-1408 --out runs/c1408
  orbitsim simulate cosmos-1408 --seeds 8 --min-size 0.05 --out runs/c1408-5cm --force
  orbitsim simulate my-test.toml --horizon-years 25 --out runs/my-test
  orbitsim simulate cosmos-1408 --members 200 --executor dask --out runs/c1408-200
  orbitsim simulate cosmos-1408 --members 200 --scheduler tcp://10.0.0.5:8786 --out runs/c1408-200

The run directory holds summary.csv/.ecsv/.md/.tex (one row per scenario; median and _p05/_p95
band over seeds), conjunctions.csv, exposure_by_owner.csv, density_by_shell.csv,
on_orbit_over_time.csv, gabbard.csv, taxonomy.json, provenance.json, timings.json and PNG plots.
An existing directory is replaced only with --force; an interrupted run leaves nothing behind.
"""


def add_run_options(p: argparse.ArgumentParser) -> None:
    """Options shared by simulate and sweep."""
    p.add_argument("--out", metavar="DIR", help="run directory to write (required)")
    p.add_argument("--min-size", type=float, metavar="M", dest="min_size",
                   help="smallest fragment simulated, m (default: the scenario's, 0.1 for presets)")
    p.add_argument("--horizon-years", type=float, metavar="Y", dest="horizon_years",
                   help="long-term evolution horizon, years (default: the scenario's, 100 for presets)")
    p.add_argument("--catalog", metavar="FILE", default=None,
                   help="catalog to screen against (default: the embedded one)")
    p.add_argument("--force", action="store_true", help="replace an existing run directory")
    add_ensemble_options(p)


def check_run_options(args) -> None:
    if not args.out:
        raise InputError("--out DIR is required")
    if args.seeds is not None and args.seeds < 1:
        raise InputError(f"--seeds: {args.seeds}; expected a positive integer")
    if args.min_size is not None and not args.min_size > 0:
        raise InputError(f"--min-size: {args.min_size}; expected a positive size in m")
    if args.horizon_years is not None and not args.horizon_years > 0:
        raise InputError(f"--horizon-years: {args.horizon_years}; expected a positive number of years")
    if args.workers is not None and args.workers < 0:
        raise InputError(f"--workers: {args.workers}; expected 0 or more")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "simulate", help="simulate one ASAT test (preset or TOML scenario) end to end",
        description="Break the target up, follow the debris for the horizon, screen it against the "
                    "catalog's active payloads and write the consequences.",
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
        raise InputError("give a preset or scenario file (see 'orbitsim simulate --list')")
    check_run_options(args)
    ex = executor_from_args(args)  # a missing dask install fails here, before any work
    from ..io import check_output_dir
    from .. import pipeline

    s = scen.resolve(args.scenario)
    s = pipeline.apply_overrides(s, seeds=args.seeds, min_size_m=args.min_size, horizon_years=args.horizon_years)
    out = check_output_dir(args.out, force=args.force)  # before any work
    t0 = time.perf_counter()
    with ex:
        res = pipeline.run_scenarios([s], catalog_path=args.catalog, executor=ex)
    t_run = time.perf_counter() - t0
    t1 = time.perf_counter()
    pipeline.write_run(res, out, force=args.force, catalog_path=args.catalog,
                       command="orbitsim simulate", executor=ex.name)
    t_write = time.perf_counter() - t1
    row = res[0].row
    print(f"{s.name}: {row['n_ge_10cm']:.0f} fragments >= 10 cm [{row['n_ge_10cm_p05']:.0f}, "
          f"{row['n_ge_10cm_p95']:.0f}], {row['on_orbit_25y']:.0f} still up after 25 y, "
          f"reversibility {row['reversibility']}; wrote {out}")
    print(pipeline.format_timings(res, t_run) + f"; report {t_write:.1f} s", file=sys.stderr)
    return 0
