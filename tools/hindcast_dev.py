"""Run the decay hindcast on the development catalogs when they are present (docs/validation.md).

    python tools/hindcast_dev.py [--bstar physical|reference|calibrated] [--out runs/hindcast-dev]

Reads ``../shared/data/validation/decay-train-*.3le`` relative to the repository (never copied
into it: Space-Track terms); prints one line per catalog and writes each hindcast's folder.
Prints a note and exits 0 when the folder is absent, so it is safe anywhere.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = ROOT.parent / "shared" / "data" / "validation"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bstar", default="physical", choices=["physical", "reference", "calibrated"])
    p.add_argument("--until", default="2025-03-01")
    p.add_argument("--out", default=str(ROOT / "runs" / "hindcast-dev"))
    args = p.parse_args(argv)
    files = sorted(SETS.glob("decay-train-*.3le")) if SETS.is_dir() else []
    if not files:
        print(f"no development catalogs under {SETS}; nothing to do")
        return 0
    sys.path.insert(0, str(ROOT))
    from orbitsim import catalog
    from orbitsim.validation import hindcast, write_hindcast

    for f in files:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = hindcast(catalog.load(f), args.until, bstar_conversion=args.bstar)
        write_hindcast(res, Path(args.out) / f.stem, force=True)
        s = res.summary
        print(f"{f.name}: n {s['n_objects']}, re-entries obs {s['n_observed_reentries']} model "
              f"{s['n_model_reentries']}, ratio median {s['median_lifetime_ratio']:.3f} p10 "
              f"{s['p10_lifetime_ratio']:.3f} p90 {s['p90_lifetime_ratio']:.3f}, within 1.5x "
              f"{s['fraction_within_1_5x']:.3f}, max survivor error {s['max_survivor_error_fraction']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
