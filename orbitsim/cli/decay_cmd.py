"""``orbitsim decay``: re-entry dates of every object in a catalog file (long-term mean-element model)."""

from __future__ import annotations

import argparse
import math
import sys
import warnings

import numpy as np

from ..errors import InputError, UsageError

EPILOG = """\
examples:
  orbitsim decay fragments.tle --years 25 --out decay.csv
  orbitsim decay debris.csv --start 2025-02-01 --years 100 --out decay.csv --summary
  orbitsim decay frags.json --years 10 --f107-scale 1.5 --out high-activity.csv

Every object is treated as a fragment: ballistic coefficient Cd*A/M from its area_to_mass (when the
file carries one) or from its B*. --bstar physical (default, validated in docs/validation.md): the
Cd A/M whose orbit-averaged decay at epoch, in this model's atmosphere with the real solar activity
of the day before the epoch, equals SGP4's decay with that B* (SGP4's own power-law density).
--bstar reference: the textbook Cd A/M = 2 B* / rho0 (rho0 = 0.15696615 kg/m^2/ER; far too small
above ~400 km). --bstar calibrated: the earlier perigee-only version of 'physical' (SGP4 density
over the model's at perigee, +/-15 days). Each object is propagated
from its own element-set epoch with J2/J3/J4 secular gravity and drag in a Jacchia-type atmosphere
driven by the bundled daily F10.7/Ap (1998-07 .. 2026-04), the monthly forecast to 2041 and a
fitted 11.7-year solar-cycle model after that (a warning says when the model is used).

output: norad_id, decay_date_utc  (empty when the object is still up at START + YEARS; START
defaults to the latest epoch in the file). Re-entry: perigee below 120 km (--reentry-km).
A sidecar FILE.csv.provenance.json records inputs and parameters.
"""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "decay", help="re-entry dates of a catalog's objects (J2/J3 + drag with real solar activity)",
        description="Propagate every object of CATALOG_FILE (TLE/3LE, OMM CSV or OMM JSON) with the "
                    "long-term orbit-averaged model from its own epoch to START + YEARS and write "
                    "its re-entry date.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("catalog_file", metavar="CATALOG_FILE", help="TLE/3LE, OMM CSV or OMM JSON file")
    p.add_argument("--start", default=None, metavar="ISO",
                   help="reference time; the horizon is START + YEARS (default: latest epoch in the file)")
    p.add_argument("--years", required=True, type=float, metavar="N", help="horizon, years after START")
    p.add_argument("--out", required=True, metavar="FILE.csv", help="output CSV")
    p.add_argument("--bstar", choices=["physical", "reference", "calibrated"], default="physical",
                   help="B* to ballistic coefficient conversion (default: physical; see below)")
    p.add_argument("--cd", type=float, default=2.2, help="drag coefficient for objects with A/M (default 2.2)")
    p.add_argument("--reentry-km", type=float, default=120.0, metavar="KM",
                   help="perigee altitude counted as re-entry (default 120)")
    p.add_argument("--f107-scale", type=float, default=1.0, metavar="X",
                   help="multiply all F10.7 values by X (what-if; default 1)")
    p.add_argument("--threads", type=int, default=None, help="threads for the parallel kernel (default: all)")
    p.add_argument("--summary", action="store_true", help="print counts on orbit and fragment-years")
    p.add_argument("--strict", action="store_true", help="stop at the first bad record of CATALOG_FILE")
    p.add_argument("--force", action="store_true", help="overwrite --out if orbitsim wrote it")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import catalog as _catalog
    from ..evolution import decay
    from ..io import write_csv
    from ..provenance import provenance
    from ..timeutil import parse_iso
    from pathlib import Path

    if not math.isfinite(args.years) or args.years <= 0:
        raise UsageError(f"--years: {args.years!r}; expected a positive number of years")
    if args.years > 1000:
        raise UsageError(f"--years: {args.years!r}; at most 1000 years")
    if not math.isfinite(args.cd) or args.cd <= 0:
        raise UsageError(f"--cd: {args.cd!r}; expected a positive drag coefficient")
    if not math.isfinite(args.f107_scale) or args.f107_scale <= 0:
        raise UsageError(f"--f107-scale: {args.f107_scale!r}; expected a positive factor")
    if args.threads is not None and args.threads < 1:
        raise UsageError(f"--threads: {args.threads}; expected a positive number")
    from ..io import check_output_file

    check_output_file(args.out, force=args.force)
    from ._args import cli_time

    start = cli_time(args.start, "--start") if args.start else None
    cat = _catalog.require_records(_catalog.load(args.catalog_file, strict=args.strict), args.catalog_file)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = decay(cat, start=start, years=args.years, cd=args.cd, bstar_conversion=args.bstar,
                    reentry_altitude_km=args.reentry_km, f107_scale=args.f107_scale, threads=args.threads)
    for w in caught:
        print(f"orbitsim: warning: {w.message}", file=sys.stderr)
    prov = provenance(inputs=[args.catalog_file], epoch=_iso(res.start_jd),
                      parameters={"years": args.years, "horizon_utc": _iso(res.horizon_jd), "bstar": args.bstar,
                                  "cd": args.cd, "reentry_altitude_km": args.reentry_km,
                                  "f107_scale": args.f107_scale, "space_weather": "SW-All-2026-04.csv"},
                      command="orbitsim decay")
    write_csv(args.out, {"norad_id": res.norad_id, "decay_date_utc": res.decay_dates_utc()}, prov,
              force=True)  # checked above: absent, or orbitsim's and --force
    s = res.summary()
    print(f"{s['n']} objects: {s['decayed']} re-enter before {_iso(res.horizon_jd)}, "
          f"{s['on_orbit_at_horizon']} still up, {s['invalid']} invalid -> {args.out}")
    if args.summary:
        for y, c in s["counts_at_years"].items():
            print(f"  on orbit after {y:8.3f} y: {c}")
        print(f"  fragment-years over the horizon: {s['fragment_years']:.1f}")
    return 0


def _iso(jd: float) -> str:
    from ..timeutil import jd_to_iso

    return str(jd_to_iso(np.array([jd]))[0])
