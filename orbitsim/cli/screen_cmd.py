"""``orbitsim screen``: close approaches of a set of objects with a catalog (SOCRATES-style).

Parses, calls :func:`orbitsim.screening.screen`, writes and prints; no physics here.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import InputError, UsageError

EXAMPLES = """\
examples:
  orbitsim screen fragments.tle --start 2026-07-10 --days 7 --threshold-km 5 --out conj.csv
      fragments against the embedded catalog (active payloads + debris groups), one week, 5 km
  orbitsim screen fy1c.tle active.csv --days 1 --threshold-km 10 --out conj.csv --cdm conj.cdm
      against another catalog file (TLE/3LE, OMM CSV or JSON), with CCSDS CDM-style records
  orbitsim screen catalog.tle --all-vs-all --days 1 --out pairs.csv
      every pair within one file

Times are UTC. --start defaults to the latest element-set epoch among the primaries. One row per
encounter (a pair that approaches twice has two rows); columns: primary_id, secondary_id, tca_utc,
miss_km, rel_speed_km_s, pc, then pc_max, radial_km, in_track_km, cross_track_km, hbr_km,
primary_owner, secondary_owner, secondary_active, secondary_name. pc is the Foster 2-D probability
with the stated default covariance (radial/in-track/cross-track 1-sigma 0.1/0.3/0.1 km per object,
SOCRATES' shape); pc_max its maximum over covariance scale. Provenance goes to FILE.provenance.json.
Exit codes: 0 ok, 1 bad input, 2 bad command line, 3 output exists (use --force).
"""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "screen",
        help="find close approaches (TCA, miss, Pc) between objects and a catalog",
        description="Screen PRIMARIES_FILE against SECONDARIES_FILE (default: the embedded "
                    "catalog) for close approaches: every local minimum of distance under the "
                    "threshold, with time of closest approach, miss distance, relative speed and "
                    "collision probability.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("primaries", metavar="PRIMARIES_FILE", help="TLE/3LE, OMM CSV or OMM JSON file")
    p.add_argument("secondaries", metavar="SECONDARIES_FILE", nargs="?", default=None,
                   help="catalog to screen against (default: the embedded catalog)")
    p.add_argument("--start", metavar="ISO", default=None,
                   help="window start, UTC ISO 8601 (default: latest epoch among the primaries)")
    p.add_argument("--days", type=float, default=7.0, metavar="D", help="window length [days] (default 7)")
    p.add_argument("--threshold-km", type=float, default=5.0, metavar="K",
                   help="report approaches closer than this [km] (default 5)")
    p.add_argument("--all-vs-all", action="store_true",
                   help="screen the primaries against each other (SECONDARIES_FILE not allowed)")
    p.add_argument("--step", type=float, default=20.0, metavar="S",
                   help="sieve time step [s] (default 20; results do not depend on it)")
    p.add_argument("--out", metavar="FILE.csv", required=True,
                   help="output table: CSV (provenance in FILE.provenance.json) or, for a .ecsv "
                        "name, ECSV with the provenance in its header")
    p.add_argument("--cdm", metavar="FILE", help="also write CCSDS CDM-style records (KVN) here")
    p.add_argument("--targets", choices=["active", "payloads", "all"], default=None,
                   help="screen only against these secondaries: active payloads, all payloads or all "
                        "objects (default: every object of SECONDARIES_FILE)")
    p.add_argument("--force", action="store_true", help="overwrite existing outputs orbitsim wrote")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from .. import catalog, screening

    if args.all_vs_all and args.secondaries:
        raise UsageError("--all-vs-all screens PRIMARIES_FILE against itself; drop SECONDARIES_FILE")
    if not (args.days > 0):
        raise UsageError(f"--days: {args.days!r}; the window must be a positive number of days")
    if not (args.threshold_km > 0):
        raise UsageError(f"--threshold-km: {args.threshold_km!r}; expected a positive distance")
    from ._args import cli_time

    start = cli_time(args.start, "--start") if args.start else None
    from ..io import check_output_file

    out = Path(args.out)
    for path in (out, Path(args.cdm) if args.cdm else None):
        if path is not None:
            check_output_file(path, force=args.force)
    prim = catalog.require_records(catalog.load(args.primaries), args.primaries)
    sec = None
    if args.secondaries:
        sec = catalog.require_records(catalog.load(args.secondaries), args.secondaries)
    if args.targets is not None:
        if args.all_vs_all:
            prim, note = prim.exposed_assets(args.targets)
        else:
            sec, note = (sec if sec is not None else catalog.load_default()).exposed_assets(args.targets)
        if note:
            print(f"orbitsim: note: {note}", file=sys.stderr)
    conj = screening.screen(prim, sec, start=start, days=args.days,
                            threshold_km=args.threshold_km, all_vs_all=args.all_vs_all,
                            step_s=args.step)
    if args.secondaries is None and not args.all_vs_all:  # the embedded catalog (or its --targets subset)
        from ..data import default_catalog_files

        conj.inputs = list(prim.files) + default_catalog_files()
    command = "orbitsim screen " + " ".join(sys.argv[2:])
    if out.suffix.lower() == ".ecsv":
        conj.to_ecsv(out, force=True, command=command)
    else:
        conj.to_csv(out, force=True, command=command)
    if args.cdm:
        conj.to_cdm(args.cdm, force=True)
    summary = {
        "encounters": len(conj),
        "pairs": int(len(set(zip(conj.primary_id.tolist(), conj.secondary_id.tolist())))),
        "with_active_payloads": int(conj.secondary_is_active.sum()),
        "min_miss_km": float(conj.miss_km.min()) if len(conj) else None,
        "max_pc": float(conj.pc.max()) if len(conj) else None,
        "start_utc": conj.parameters["start_utc"],
        "days": conj.parameters["days"],
        "threshold_km": conj.parameters["threshold_km"],
        "out": str(out),
    }
    if args.json:
        from ..io import dumps_json

        sys.stdout.write(dumps_json(summary))
    else:
        print(f"{summary['encounters']} encounters ({summary['pairs']} pairs, "
              f"{summary['with_active_payloads']} with active payloads) within "
              f"{args.threshold_km:g} km over {args.days:g} days from {summary['start_utc']} -> {out}")
    return 0
