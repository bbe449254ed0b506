"""``orbitsim propagate``: SGP4 ephemerides of a catalog file on a time grid, streamed to CSV."""

from __future__ import annotations

import argparse
import math
import sys

import numpy as np

from ..errors import InputError, ResourceError, UsageError

#: Most time steps one run may ask for (the time grid itself is held in memory: 16 bytes a step).
MAX_TIMES = 20_000_000

EPILOG = """\
examples:
  orbitsim propagate my.tle --start 2026-07-10 --duration 24 --step 60 --out eph.csv
  orbitsim propagate active.csv --start 2026-07-10T06:00:00Z --duration 2 --step 10 --out eph.csv
  orbitsim propagate frags.json --start 2007-01-12 --duration 168 --step 600 --max-age-days 30 --out f.csv

output: one row per object and time, ordered by time then by catalog order, columns
  norad_id, time_utc, x_km, y_km, z_km, vx_km_s, vy_km_s, vz_km_s, error_code
TEME frame, km and km/s, floats at full precision. error_code 0 is ok; 1-6 are SGP4's own
(6: decayed); 7 orbitsim's guard (bad elements or an implausible result); 8 beyond
--max-age-days. Rows with a non-zero code have empty position/velocity cells. Memory stays
bounded whatever the duration: times are propagated and written in blocks.
"""

COLUMNS = ["norad_id", "time_utc", "x_km", "y_km", "z_km", "vx_km_s", "vy_km_s", "vz_km_s", "error_code"]


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "propagate", help="SGP4 ephemerides (TEME) of a catalog file, streamed to CSV",
        description="Propagate every element set of CATALOG_FILE (TLE/3LE, OMM CSV or OMM JSON) with "
                    "SGP4/SDP4 from --start for --duration hours every --step seconds; write TEME "
                    "positions and velocities to a CSV file.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("catalog_file", metavar="CATALOG_FILE", help="TLE/3LE, OMM CSV or OMM JSON file")
    p.add_argument("--start", required=True, metavar="ISO", help="first instant, UTC (e.g. 2026-07-10T00:00:00Z)")
    p.add_argument("--duration", required=True, type=float, metavar="HOURS", help="length of the grid, hours")
    p.add_argument("--step", required=True, type=float, metavar="SECONDS", help="time step, seconds")
    p.add_argument("--out", required=True, metavar="FILE.csv", help="output CSV")
    p.add_argument("--max-age-days", type=float, default=None, metavar="DAYS",
                   help="flag times farther than DAYS from an object's epoch (error_code 8)")
    p.add_argument("--chunk", type=int, default=None, metavar="N",
                   help="times per block (default: about 100,000 rows per block)")
    p.add_argument("--strict", action="store_true", help="stop at the first bad record of CATALOG_FILE")
    p.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    p.set_defaults(func=run)


def _fmt_floats(a: np.ndarray) -> list:
    return ["" if not math.isfinite(x) else repr(x) for x in a.tolist()]


def write_ephemeris_csv(path, catalog, jd, fr, *, chunk: int | None = None, max_age_days=None,
                        force: bool = True, provenance=None) -> int:
    """Propagate ``catalog`` to the times ``(jd, fr)`` and stream the rows to ``path``.

    Rows are ordered by time, then by catalog order. Returns the number of rows written. Memory is
    bounded by one block of ``chunk`` times.
    """
    from .. import propagation
    from ..io import atomic_write, write_json
    from ..timeutil import jd_to_iso
    from pathlib import Path

    coef = propagation.coefficients(catalog)
    n_obj = coef.shape[0]
    if chunk is None:
        # about 100,000 rows per block: a few tens of MB of formatted text at most
        chunk = max(1, 100_000 // max(1, n_obj))
    ids = [str(int(i)) for i in np.asarray(catalog.norad_id).tolist()]
    n_rows = 0
    with atomic_write(path, "w", force=force) as fh:
        fh.write(",".join(COLUMNS) + "\n")
        for j0, e, r, v in propagation.sgp4_chunks(coef, jd, fr, chunk_size=chunk, max_age_days=max_age_days):
            m = e.shape[1]
            times = jd_to_iso(jd[j0:j0 + m], fr[j0:j0 + m])
            # time-major: transpose (obj, t) -> (t, obj)
            et = e.T.reshape(-1).tolist()
            rt = r.transpose(1, 0, 2).reshape(-1, 3)
            vt = v.transpose(1, 0, 2).reshape(-1, 3)
            cols = [_fmt_floats(rt[:, 0]), _fmt_floats(rt[:, 1]), _fmt_floats(rt[:, 2]),
                    _fmt_floats(vt[:, 0]), _fmt_floats(vt[:, 1]), _fmt_floats(vt[:, 2])]
            tcol = [str(t) for t in times.tolist()]
            idcol = ids * m
            tcol_rows = [ts for ts in tcol for _ in range(n_obj)]
            fh.write("".join(f"{a},{b},{c},{d},{e_},{f},{g},{h},{k}\n" for a, b, c, d, e_, f, g, h, k in
                             zip(idcol, tcol_rows, *cols, et)))
            n_rows += len(et)
    if provenance is not None:
        p = Path(path)
        write_json(p.with_name(p.name + ".provenance.json"), provenance, force=True)
    return n_rows


def run(args) -> int:
    from .. import catalog as _catalog
    from ..provenance import provenance
    from ..timeutil import parse_iso, time_grid

    from ._args import cli_time

    start = cli_time(args.start, "--start")
    if not math.isfinite(args.duration) or args.duration < 0:
        raise UsageError(f"--duration: {args.duration!r} hours; expected zero or a positive number")
    if not math.isfinite(args.step) or args.step <= 0:
        raise UsageError(f"--step: {args.step!r} s; expected a positive number of seconds")
    if args.chunk is not None and args.chunk < 1:
        raise UsageError(f"--chunk: {args.chunk}; expected a positive number of times")
    if args.max_age_days is not None and not (args.max_age_days > 0):
        raise UsageError(f"--max-age-days: {args.max_age_days!r}; expected a positive number of days")
    n_times = math.floor(args.duration * 3600.0 / args.step + 1e-9) + 1
    if n_times > MAX_TIMES:
        raise ResourceError(f"--duration/--step: {n_times:,} times requested; the limit is {MAX_TIMES:,} "
                            "(use a larger --step or a shorter --duration)")
    jd, fr = time_grid(start, args.duration * 3600.0, args.step)
    from ..io import check_output_file

    check_output_file(args.out, force=args.force)
    cat = _catalog.require_records(_catalog.load(args.catalog_file, strict=args.strict), args.catalog_file)
    prov = provenance(inputs=[args.catalog_file], epoch=str(np.datetime_as_string(start, unit="s")) + "Z",
                      parameters={"duration_h": args.duration, "step_s": args.step,
                                  "max_age_days": args.max_age_days, "model": "SGP4 (Vallado 2006, WGS72, "
                                  "improved mode), TEME"},
                      command="orbitsim propagate")
    n = write_ephemeris_csv(args.out, cat, jd, fr, chunk=args.chunk, max_age_days=args.max_age_days,
                            force=True, provenance=prov)
    print(f"wrote {n} rows ({len(cat)} objects x {len(jd)} times) to {args.out}", file=sys.stderr)
    return 0
