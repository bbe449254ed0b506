"""``orbitsim catalog``: what a catalog holds (``info``) and subsets of it written to a file (``select``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

import numpy as np

from ..errors import InputError

INFO_EPILOG = """\
examples:
  orbitsim catalog info                          the embedded default catalog
  orbitsim catalog info my.tle other.csv         your own TLE/3LE, OMM CSV or OMM JSON files
  orbitsim catalog info --json > info.json       machine-readable summary
  orbitsim catalog info --strict my.tle          stop at the first bad record (exit code 1)
"""

SELECT_EPILOG = """\
examples:
  orbitsim catalog select --regime LEO --type PAYLOAD --out leo-payloads.tle
  orbitsim catalog select --altitude 400 600 --crossing --out band.csv --format omm-csv
  orbitsim catalog select my.tle --owner PRC --active --out prc.json --format omm-json
"""


def register(subparsers) -> None:
    p = subparsers.add_parser("catalog", help="inspect and subset element-set catalogs",
                              description="Inspect and subset element-set catalogs (TLE/3LE, OMM CSV/JSON).")
    sub = p.add_subparsers(dest="catalog_command", metavar="ACTION", parser_class=type(p))
    info = sub.add_parser("info", help="counts by regime, type and owner; epoch range; rejected records",
                          description="Summarise a catalog: counts by regime, object type and owner, epoch\n"
                                      "range, duplicates and rejected records. Without FILE: the embedded default\n"
                                      "catalog (CelesTrak active payloads + four debris groups), joined with SATCAT\n"
                                      "and UCS. Regimes by altitude: LEO apogee < 2,000 km; MEO perigee >= 2,000 and\n"
                                      "apogee < 35,286 km; GEO perigee and apogee within 35,786 +/- 500 km; HEO the rest.",
                          epilog=INFO_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(info)
    info.add_argument("--json", action="store_true", help="print the summary as JSON")
    info.add_argument("--top", type=int, default=10, metavar="N", help="owners listed (default 10)")
    info.add_argument("--show-rejected", type=int, default=20, metavar="N",
                      help="rejected records listed (default 20; all in --json)")
    info.set_defaults(func=run_info)
    sel = sub.add_parser("select", help="write a subset (regime, altitude, type, owner, active) to a file",
                         description="Select objects and write them as 3LE, OMM CSV or OMM JSON (atomically).\n"
                                     "Filters combine (AND). 3LE cannot hold ids above 339,999: use OMM for those.",
                         epilog=SELECT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(sel)
    sel.add_argument("--regime", nargs="+", type=str.upper, choices=["LEO", "MEO", "GEO", "HEO"],
                     help="orbit regime(s)")
    sel.add_argument("--altitude", nargs=2, type=float, metavar=("MIN_KM", "MAX_KM"),
                     help="perigee >= MIN_KM and apogee <= MAX_KM")
    sel.add_argument("--crossing", action="store_true", help="with --altitude: orbits that cross the band")
    sel.add_argument("--type", nargs="+", dest="types", metavar="TYPE",
                     help="PAYLOAD, 'ROCKET BODY', DEBRIS, UNKNOWN")
    sel.add_argument("--owner", nargs="+", metavar="CODE", help="SATCAT owner code(s): US, PRC, CIS, ...")
    sel.add_argument("--active", action="store_true", help="active payloads only")
    sel.add_argument("--out", required=True, help="output file")
    sel.add_argument("--format", choices=["tle", "omm-csv", "omm-json"], default=None,
                     help="output format (default: from the --out suffix: .csv, .json, else 3LE)")
    sel.add_argument("--force", action="store_true", help="overwrite --out if orbitsim wrote it")
    sel.set_defaults(func=run_select)
    own = sub.add_parser("owners", help="the SATCAT owner codes: code, country or organisation, payloads",
                         description="List the SATCAT owner codes orbitsim knows (the codes a scenario's\n"
                                     "target.owner and taxonomy.tester take), with the country or organisation\n"
                                     "and the number of payloads in the embedded SATCAT (ever, and on orbit).",
                         epilog="examples:\n  orbitsim catalog owners\n  orbitsim catalog owners --json\n"
                                "  orbitsim catalog owners --sort payloads | head",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    own.add_argument("--json", action="store_true", help="print the table as JSON")
    own.add_argument("--markdown", action="store_true",
                     help="print the table as Markdown (how docs/owner-codes.md is made)")
    own.add_argument("--sort", choices=["code", "payloads"], default="code",
                     help="order: by code (default) or by payloads on orbit, most first")
    own.set_defaults(func=run_owners)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _default_files():
    from ..data import default_catalog_files

    return default_catalog_files()


def _common(p) -> None:
    p.add_argument("files", nargs="*", metavar="FILE", help="element-set files (default: embedded catalog)")
    p.add_argument("--strict", action="store_true", help="fail on the first bad record instead of reporting it")


def _load(args):
    from .. import catalog

    if args.files:
        return catalog.load(*args.files, strict=args.strict)
    return catalog.load_default()


def summary(cat, top: int = 10) -> dict:
    """A JSON-ready summary of a catalog (what ``catalog info`` prints)."""
    from ..timeutil import iso

    out = {"objects": len(cat), "files": [str(f) for f in cat.files]}
    regimes = Counter(cat.regime.tolist())
    order = ["LEO", "MEO", "GEO", "HEO", "INVALID"]
    out["by_regime"] = {k: int(regimes[k]) for k in order if regimes[k]}
    out["by_type"] = {k: int(v) for k, v in Counter(cat.object_type.tolist()).most_common()}
    owners = Counter(o or "(unknown)" for o in cat.owner.tolist())
    out["by_owner"] = {k: int(v) for k, v in owners.most_common(top)}
    out["owners_total"] = len(owners)
    out["owner_estimated"] = int(cat.owner_estimated.sum())
    out["owner_unknown"] = int((cat.owner == "").sum())
    out["by_file"] = {k: int(v) for k, v in Counter(cat.source_file.tolist()).items()}
    out["active_payloads"] = int((cat.is_active & (cat.object_type == "PAYLOAD")).sum())
    out["mass_estimated"] = int(cat.mass_estimated.sum())
    if len(cat):
        t = cat.epoch
        out["epoch_min"], out["epoch_max"] = str(iso(t.min())), str(iso(t.max()))
        out["epoch_median"] = str(iso(np.sort(t)[len(t) // 2]))
    else:
        out["epoch_min"] = out["epoch_max"] = out["epoch_median"] = None
    out["duplicates"] = len(cat.duplicates)
    out["rejected"] = len(cat.rejected)
    out["rejected_records"] = [{"file": r.file, "line": r.line, "reason": r.reason} for r in cat.rejected]
    return out


def run_info(args) -> int:
    cat = _load(args)
    s = summary(cat, args.top)
    if args.json:
        json.dump(s, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0 if len(cat) else 1
    w = sys.stdout.write
    w(f"{s['objects']:,} objects from {len(s['files'])} file(s)\n")
    for f, n in s["by_file"].items():
        w(f"  {f}: {n:,}\n")
    w(f"epochs: {s['epoch_min']} .. {s['epoch_max']} (median {s['epoch_median']})\n")
    for title, key in (("regime", "by_regime"), ("type", "by_type"), (f"owner (top {args.top} of {s['owners_total']})", "by_owner")):
        w(f"by {title}:\n")
        for k, n in s[key].items():
            w(f"  {k:<14} {n:>7,}\n")
    w(f"owners: {s['objects'] - s['owner_estimated'] - s['owner_unknown']:,} from SATCAT, "
      f"{s['owner_estimated']:,} estimated from launch or name (owner_estimated), "
      f"{s['owner_unknown']:,} unknown\n")
    w(f"active payloads: {s['active_payloads']:,}; masses estimated by type: {s['mass_estimated']:,}\n")
    w(f"duplicates dropped (newest epoch kept): {s['duplicates']:,}\n")
    w(f"rejected records: {s['rejected']:,}\n")
    for r in cat.rejected[: args.show_rejected]:
        w(f"  {r}\n")
    if s["rejected"] > args.show_rejected:
        w(f"  ... {s['rejected'] - args.show_rejected:,} more (--show-rejected N, or --json for all)\n")
    if not len(cat):
        from ..catalog import require_records

        require_records(cat, ", ".join(map(str, args.files or ["the embedded catalog"])))
    return 0


def run_owners(args) -> int:
    from ..io import dumps_json
    from ..owners import owner_table

    rows = owner_table()
    if args.sort == "payloads":
        rows.sort(key=lambda r: (-r["payloads_on_orbit"], r["code"]))
    if args.json:
        sys.stdout.write(dumps_json(rows))
        return 0
    w = sys.stdout.write
    if args.markdown:
        w("# SATCAT owner codes\n\n"
          "The codes a scenario's `target.owner` and `taxonomy.tester` take (anything else is refused,\n"
          "with the nearest codes suggested). Names: CelesTrak's SATCAT source list\n"
          "(data/satcat/owner-codes.csv); payload counts: the embedded SATCAT\n"
          "(celestrak-satcat-2025-03.csv), ever launched and not decayed. Generated by\n"
          "`orbitsim catalog owners --markdown > docs/owner-codes.md`.\n\n"
          "| code | country or organisation | payloads | on orbit |\n|---|---|---:|---:|\n")
        for r in rows:
            w(f"| {r['code']} | {r['name']} | {r['payloads']:,} | {r['payloads_on_orbit']:,} |\n")
        return 0
    w(f"{'code':<6} {'payloads':>8} {'on orbit':>8}  country or organisation\n")
    for r in rows:
        w(f"{r['code']:<6} {r['payloads']:>8,} {r['payloads_on_orbit']:>8,}  {r['name']}\n")
    w(f"{len(rows)} codes (embedded SATCAT); a scenario's target.owner and taxonomy.tester take one of them\n")
    return 0


def run_select(args) -> int:
    from ..formats.omm import write_omm_csv, write_omm_json
    from ..formats.tle import write_tle

    cat = _load(args)
    if args.regime:
        cat = cat.select_regime(*args.regime)
    if args.altitude:
        cat = cat.select_altitude(*args.altitude, crossing=args.crossing)
    if args.types:
        cat = cat.select_type(*args.types)
    if args.owner:
        cat = cat.select_owner(*args.owner)
    if args.active:
        cat = cat.active_payloads()
    fmt = args.format or ("omm-csv" if args.out.lower().endswith(".csv")
                          else "omm-json" if args.out.lower().endswith(".json") else "tle")
    writer = {"tle": write_tle, "omm-csv": write_omm_csv, "omm-json": write_omm_json}[fmt]
    from ..io import check_output_file, write_json
    from ..provenance import provenance

    check_output_file(args.out, force=args.force)
    writer(args.out, cat, force=True)
    filters = {k: getattr(args, k) for k in ("regime", "altitude", "crossing", "types", "owner", "active")}
    write_json(args.out + ".provenance.json",
               provenance(inputs=args.files or _default_files(), parameters={"filters": filters, "format": fmt},
                          command="orbitsim catalog select"))
    print(f"wrote {len(cat):,} objects to {args.out} ({fmt}; provenance in {args.out}.provenance.json)")
    return 0
