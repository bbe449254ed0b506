"""``orbitsim ceiling``: below what intercept altitude does a test's debris clear itself, and how fast?"""

from __future__ import annotations

import argparse
import sys
import time

from ..errors import InputError, UsageError
from ._args import positive_float
from .ensemble_options import add_ensemble_options, executor_from_args

EXAMPLES = """\
examples:
  orbitsim ceiling cosmos-1408 --out runs/ceiling                      250-1,000 km every 50 km, min and max
  orbitsim ceiling my-test.toml --altitudes 300 400 500 --phases min --members 4 --out runs/c
  orbitsim ceiling usa-193 --altitude-range 200 800 100 --members 16 --out runs/c --force --json

Writes ceiling.csv (one row per altitude and solar phase: years until 50/90/99% of the fragments
>= 10 cm and >= 1 cm are gone, with _p05/_p95, and the fraction above the ISS apogee),
ceiling.json (the highest altitude meeting 99% gone within 5 years, FCC 2022, and within 25
years, IADC, per size and phase, with its band), ceiling.png and report.html. Conjunctions and
collision risk are not computed here: run 'orbitsim sweep' at the altitudes of interest.
"""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "ceiling", help="the altitude below which a test's debris clears itself (5 and 25 years)",
        description="Sweep one parent over intercept altitudes and solar phases; report persistence and the "
                    "altitude ceilings of the FCC 5-year and IADC 25-year criteria.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", metavar="PRESET_OR_FILE", help="a preset or scenario TOML (the parent)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--altitudes", nargs="+", type=float, metavar="KM", help="intercept altitudes, km")
    g.add_argument("--altitude-range", nargs=3, type=float, metavar=("LO", "HI", "STEP"), dest="altitude_range",
                   help="altitudes LO, LO+STEP, ... HI, km (default 250 1000 50)")
    p.add_argument("--phases", nargs="+", default=["min", "max"], choices=["min", "max"],
                   help="solar phases of the event date (default: min max)")
    p.add_argument("--horizon-years", type=positive_float, default=100.0, dest="horizon_years", metavar="Y",
                   help="decay horizon, years (default 100)")
    add_ensemble_options(p)  # --members N (default 6 per altitude and phase), --executor, --scheduler, --workers
    p.add_argument("--out", metavar="DIR", help="output directory (required)")
    p.add_argument("--force", action="store_true", help="replace an existing output directory")
    p.add_argument("--json", action="store_true", help="print ceiling.json on stdout")
    p.set_defaults(func=main)


#: Default Monte Carlo members per cell.
DEFAULT_MEMBERS = 6


def altitudes_from(args) -> list[float]:
    if args.altitudes:
        return [float(a) for a in args.altitudes]
    lo, hi, step = args.altitude_range or (250.0, 1000.0, 50.0)
    if not (step > 0 and hi >= lo):
        raise InputError(f"--altitude-range {lo:g} {hi:g} {step:g}: expected LO <= HI and STEP > 0")
    n = int(round((hi - lo) / step))
    if n > 200:
        raise InputError(f"--altitude-range: {n + 1} altitudes; expected at most 201")
    return [lo + k * step for k in range(n + 1) if lo + k * step <= hi + 1e-9]


def main(args) -> int:
    from .. import ceiling, scenario as scen
    from ..io import check_output_dir

    if not args.out:
        raise UsageError("--out DIR is required")
    members = DEFAULT_MEMBERS if args.seeds is None else args.seeds
    ex = executor_from_args(args)  # a missing dask install fails here, before any work
    alts = altitudes_from(args)
    s = scen.resolve(args.scenario)
    out = check_output_dir(args.out, force=args.force)
    t0 = time.perf_counter()
    with ex:
        table = ceiling.run_ceiling(s, alts, args.phases, members, horizon_years=args.horizon_years,
                                    executor=ex)
    record = ceiling.ceilings(table)
    prov = ceiling.provenance_record(s, table, members)
    ceiling.write_ceiling(table, record, out, prov, force=args.force)
    text = sys.stderr if args.json else sys.stdout
    for c in record["criteria"]:
        v = c["ceiling_altitude_km"]
        print(f"99% of {c['size']:6s} gone within {c['within_years']:>2g} y, solar {c['solar_phase']}: "
              f"{'none' if v is None else f'{v:,.0f} km'} "
              f"[{c['ceiling_altitude_km_p05']}, {c['ceiling_altitude_km_p95']}]", file=text)
    print(f"wrote {out} ({time.perf_counter() - t0:.0f} s)", file=text)
    if args.json:
        from ..report.headline import dumps

        sys.stdout.write(dumps(record))
    return 0
