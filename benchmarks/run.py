"""Run orbitsim's benchmarks: print a table, write JSON with the machine and package versions.

Every ``benchmarks/bench_*.py`` defines ``run(quick: bool) -> list[dict]``; each row has at least
``benchmark``, ``metric``, ``value`` and ``unit``, and where there is one, ``baseline`` (a named
implementation measured in the same run), ``baseline_value`` and ``ratio`` (ours / baseline, >1 is
better for rates). First-call numba compile time is reported as its own row, never mixed into
steady-state numbers.

Usage: ``python benchmarks/run.py [--only NAME ...] [--quick] [--out DIR]``
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # benchmarks share _compile.py


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gib = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    versions = {}
    for mod in ("orbitsim", "numpy", "numba", "sgp4", "skyfield", "astropy", "scipy"):
        try:
            versions[mod] = importlib.import_module(mod).__version__
        except Exception:
            versions[mod] = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem_gib,
            "python": platform.python_version(), "platform": platform.platform(), "versions": versions}


def _fmt(v):
    if isinstance(v, float):
        return f"{v:.4g}"
    return "" if v is None else str(v)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", default=None, help="benchmark file stems, e.g. bench_catalog")
    ap.add_argument("--quick", action="store_true", help="smaller inputs (a smoke run)")
    ap.add_argument("--out", default=str(HERE / "results"), help="folder for the JSON results")
    args = ap.parse_args(argv)

    files = sorted(HERE.glob("bench_*.py"))
    if args.only:
        files = [f for f in files if f.stem in args.only or f.stem.removeprefix("bench_") in args.only]
    rows, failures = [], []
    for f in files:
        spec = importlib.util.spec_from_file_location(f.stem, f)
        mod = importlib.util.module_from_spec(spec)
        t0 = time.perf_counter()
        try:
            spec.loader.exec_module(mod)
            got = mod.run(quick=args.quick)
        except Exception:
            failures.append(f.stem)
            traceback.print_exc()
            continue
        for r in got:
            r.setdefault("file", f.stem)
        rows.extend(got)
        print(f"[{f.stem}] done in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    cols = ["benchmark", "metric", "value", "unit", "baseline", "baseline_value", "ratio", "note"]
    table = [[_fmt(r.get(c)) for c in cols] for r in rows]
    widths = [max(len(c), *(len(t[i]) for t in table)) if table else len(c) for i, c in enumerate(cols)]
    print(" | ".join(c.ljust(w) for c, w in zip(cols, widths)))
    print("-+-".join("-" * w for w in widths))
    for t in table:
        print(" | ".join(x.ljust(w) for x, w in zip(t, widths)))

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    result = {"machine": machine(), "quick": args.quick, "rows": rows, "failed": failures}
    path = out / f"bench-{stamp}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    (out / "latest.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(f"\nwrote {path}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
