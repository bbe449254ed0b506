"""``orbitsim validate decay``: hindcast the decay model against the SATCAT's re-entry dates."""

from __future__ import annotations

import argparse
import sys
import warnings

from ..errors import InputError

EPILOG = """\
examples:
  orbitsim validate decay old-catalog-2019.3le --until 2025-03-01 --out runs/hindcast-2019
  orbitsim validate decay debris.tle --until 2024-12-31 --satcat satcat.csv --out runs/h --force

Every object of CATALOG_FILE found in the SATCAT (payloads excluded unless --include-payloads:
they manoeuvre) is propagated from its own epoch with the same model and defaults as
'orbitsim decay', and its predicted re-entry is compared with the SATCAT decay_date (empty: still
on orbit). UNTIL must not be later than the SATCAT's date.

outputs (in DIR, written atomically):
  survivors.csv   date_utc, observed_on_orbit, model_on_orbit      (first of every month)
  lifetimes.csv   norad_id, epoch_utc, observed_decay_utc, model_decay_utc, ratio
  summary.json    n_objects, n_observed_reentries, n_model_reentries, median_lifetime_ratio,
                  p10_lifetime_ratio, p90_lifetime_ratio, fraction_within_1_5x,
                  max_survivor_error_fraction                      (null where undefined)
  hindcast.png    survivor curves and the lifetime-ratio histogram
  provenance.json inputs and parameters

ratio = (model decay - epoch) / (observed decay - epoch) for objects that re-entered before
UNTIL; the model runs 15 years past UNTIL so that long-lived predictions still get a ratio (still
up then: the ratio is a lower bound). Objects still up at UNTIL have no ratio; they count in the
survivor curves. See docs/validation.md.
"""


def register(subparsers) -> None:
    p = subparsers.add_parser("validate", help="check models against the observed record (hindcasts)",
                              description="Check orbitsim's models against what really happened.")
    sub = p.add_subparsers(dest="validate_what", metavar="WHAT", parser_class=type(p))
    d = sub.add_parser("decay", help="hindcast re-entries of a past catalog against SATCAT decay dates",
                       description="Hindcast: predict the re-entry of every object of a past catalog "
                                   "and compare with the SATCAT's decay dates.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    d.add_argument("catalog_file", metavar="CATALOG_FILE", help="TLE/3LE, OMM CSV or OMM JSON file")
    d.add_argument("--until", required=True, metavar="DATE", help="last date of the record to compare with (ISO)")
    d.add_argument("--satcat", default=None, metavar="FILE",
                   help="CelesTrak SATCAT CSV with decay_date (default: the embedded 2025-03 one)")
    d.add_argument("--include-payloads", action="store_true", help="keep payloads (excluded by default)")
    d.add_argument("--bstar", choices=["physical", "reference", "calibrated"], default="physical",
                   help="B* conversion, as for 'orbitsim decay' (default: physical)")
    d.add_argument("--threads", type=int, default=None, help="threads for the parallel kernel (default: all)")
    d.add_argument("--strict", action="store_true", help="stop at the first bad record of CATALOG_FILE")
    d.add_argument("--out", required=True, metavar="DIR", help="output folder")
    d.add_argument("--force", action="store_true", help="replace DIR if it exists")
    d.set_defaults(func=run_decay)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def run_decay(args) -> int:
    from .. import catalog as _catalog
    from ..io import check_output_dir
    from ..provenance import provenance
    from ..timeutil import parse_iso
    from ..validation import hindcast, write_hindcast

    if args.threads is not None and args.threads < 1:
        raise InputError(f"--threads: {args.threads}; expected a positive number")
    until = parse_iso(args.until, "--until")
    check_output_dir(args.out, force=args.force)
    cat = _catalog.load(args.catalog_file, strict=args.strict)
    if len(cat) == 0:
        raise InputError(f"{args.catalog_file}: no usable element sets")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = hindcast(cat, until, satcat_path=args.satcat, include_payloads=args.include_payloads,
                       threads=args.threads, bstar_conversion=args.bstar)
    for w in caught:
        print(f"orbitsim: warning: {w.message}", file=sys.stderr)
    inputs = [args.catalog_file] + ([args.satcat] if args.satcat else [])
    prov = provenance(inputs=inputs, parameters={"until": args.until, "bstar": args.bstar,
                                                 "include_payloads": args.include_payloads},
                      command="orbitsim validate decay")
    write_hindcast(res, args.out, force=args.force, provenance=prov)
    s = res.summary

    def f(x, fmt="{:.3f}"):
        return "n/a" if x is None else fmt.format(x)

    print(f"{s['n_objects']} objects: {s['n_observed_reentries']} re-entered by {args.until} "
          f"(model: {s['n_model_reentries']}); lifetime ratio median {f(s['median_lifetime_ratio'])}, "
          f"p10 {f(s['p10_lifetime_ratio'])}, p90 {f(s['p90_lifetime_ratio'])}, "
          f"within 1.5x {f(s['fraction_within_1_5x'])}; largest survivor error "
          f"{f(s['max_survivor_error_fraction'], '{:.1%}')} -> {args.out}")
    return 0
