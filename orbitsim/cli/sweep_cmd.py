"""``orbitsim sweep``: the same test at a list of altitudes (LEO vs high LEO), side by side."""

from __future__ import annotations

import argparse
import sys
import time

from ..errors import InputError
from ..io import check_output_dir
from .ensemble_options import executor_from_args
from .simulate_cmd import add_run_options, check_run_options

EXAMPLES = """\
examples:
  orbitsim sweep --target cosmos-1408 --altitudes 300 500 800 --out runs/sweep
  orbitsim sweep --target fengyun-1c --altitudes 250 400 550 700 850 1000 1200 --seeds 4 --out runs/fy1c-sweep
  orbitsim sweep --target my-test.toml --altitudes 400 900 --horizon-years 50 --out runs/s --force

Each altitude is a hypothetical test: the target on a circular orbit at that altitude with its
inclination kept. summary.csv has one row per altitude; leo_vs_high_leo.png draws them side by side.
"""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "sweep", help="run one target at several altitudes (LEO vs high-LEO comparison)",
        description="Run the same ASAT test at each altitude and write the comparison table and plot.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", required=True, metavar="PRESET_OR_FILE",
                   help="a preset or scenario TOML whose target and interceptor are moved")
    p.add_argument("--altitudes", required=True, nargs="+", type=float, metavar="KM",
                   help="altitudes of the circular orbits, km")
    add_run_options(p)
    p.set_defaults(func=main)


def main(args) -> int:
    from .. import pipeline, scenario as scen

    check_run_options(args)
    ex = executor_from_args(args)  # a missing dask install fails here, before any work
    for a in args.altitudes:
        if not (100.0 <= a <= 40000.0):
            raise InputError(f"--altitudes: {a:g} km; expected altitudes between 100 and 40,000 km")
    s = scen.resolve(args.target)
    s = pipeline.apply_overrides(s, seeds=args.seeds, min_size_m=args.min_size, horizon_years=args.horizon_years)
    out = check_output_dir(args.out, force=args.force)  # before any work
    t0 = time.perf_counter()
    with ex:
        res = pipeline.run_sweep(s, args.altitudes, catalog_path=args.catalog, executor=ex)
    t_run = time.perf_counter() - t0
    pipeline.write_run(res, out, force=args.force, catalog_path=args.catalog, command="orbitsim sweep",
                       executor=ex.name)
    for r in res:
        row = r.row
        print(f"{row['altitude_km']:8.0f} km  n>=10cm {row['n_ge_10cm']:7.0f}  up after 25 y "
              f"{row['on_orbit_25y']:7.0f}  fragment-years {row['fragment_years']:10.0f}  {row['reversibility']}")
    print(f"wrote {out}")
    print(pipeline.format_timings(res, t_run), file=sys.stderr)
    return 0
