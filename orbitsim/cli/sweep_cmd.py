"""``orbitsim sweep``: the same test at a list of altitudes (LEO vs high LEO), side by side."""

from __future__ import annotations

import argparse
import sys
import time

from .ensemble_options import executor_from_args
from .simulate_cmd import add_run_options, check_run_options, prepare_run, print_json, print_warnings

EXAMPLES = """\
examples:
  orbitsim sweep --target cosmos-1408 --altitudes 300 500 800 --out runs/sweep
  orbitsim sweep --target fengyun-1c --altitudes 250 400 550 700 850 1000 1200 --seeds 4 --out runs/fy1c-sweep
  orbitsim sweep --target my-test.toml --altitudes 400 900 --horizon-years 50 --out runs/s --force

Each altitude is a hypothetical test: the target on a circular orbit at that altitude with its
inclination kept (100 to 40,000 km, each altitude once). summary.csv has one row per altitude;
leo_vs_high_leo.png draws them side by side.
"""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "sweep", help="run one target at several altitudes (LEO vs high-LEO comparison)",
        description="Run the same ASAT test at each altitude and write the comparison table and plot.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", required=True, metavar="PRESET_OR_FILE",
                   help="a preset or scenario TOML whose target and interceptor are moved")
    p.add_argument("--altitudes", required=True, nargs="+", type=_altitude, metavar="KM",
                   help="altitudes of the circular orbits, km (each once)")
    add_run_options(p)
    p.set_defaults(func=main)


def _altitude(text: str) -> float:
    from ..errors import InputError
    from ..scenario import check_altitude

    try:
        return check_altitude(float(text), "altitude")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(args) -> int:
    from .. import pipeline, scenario as scen
    from ..errors import UsageError

    check_run_options(args)
    seen = set()
    ex = executor_from_args(args)  # a missing dask install fails here, before any work
    for a in args.altitudes:
        if a in seen:
            raise UsageError(f"--altitudes: {a:g} km is given twice; give each altitude once")
        seen.add(a)
    s = scen.resolve(args.target)
    s = pipeline.apply_overrides(s, seeds=args.seeds, min_size_m=args.min_size, horizon_years=args.horizon_years,
                                 breakup_mode=args.breakup_mode, targets=args.targets)
    runs = [s.at_altitude(a) for a in args.altitudes]
    out = prepare_run(args, runs)  # before any work
    t0 = time.perf_counter()
    with ex:
        res = pipeline.run_scenarios(runs, catalog_path=args.catalog, executor=ex)
    t_run = time.perf_counter() - t0
    pipeline.write_run(res, out, force=args.force, catalog_path=args.catalog, command="orbitsim sweep",
                       executor=ex.name)
    print_warnings(res)
    from .. import consequences as cq

    text_out = sys.stderr if args.json else sys.stdout
    for r in res:
        row, h = r.row, r.scenario.horizon_years
        up = float(r.curve[0][-1]) if len(r.curve[0]) else float("nan")
        print(f"{row['altitude_km']:8.0f} km  n>=10cm {row['n_ge_10cm']:7.0f}  up after {h:g} y "
              f"{up:7.0f}  fragment-years {row['fragment_years']:10.0f}  "
              f"{cq.reversibility_text(row.get('reversibility'), h)}", file=text_out)
    print(f"wrote {out}", file=text_out)
    print_json(args, res)
    print(pipeline.format_timings(res, t_run), file=sys.stderr)
    return 0
