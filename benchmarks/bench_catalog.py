"""Catalog loading: the embedded default catalog, read, validated, joined and made ready to propagate.

Baseline (the issue's): a plain Python loop of ``sgp4.api.Satrec.twoline2rv`` over the same
records as TLE text. The OMM part of the catalog (15,985 active payloads) is first written as TLE
lines with ``sgp4.exporter.export_tle`` (outside the timing; all its ids fit TLE), so the baseline
reads one TLE text file, splits it and initialises every record: no validation, no SATCAT/UCS
join. A second baseline is sgp4's own native path for each format (``sgp4.omm.parse_csv`` +
``omm.initialize`` for the OMM CSV, ``twoline2rv`` for the 3LE files).

Ours: ``load_default()`` (validated columns with the SATCAT/UCS join and the owner estimates: ready
for the numba propagator, which consumes the arrays) and ``load_default().satrecs()`` (plus one sgp4
``Satrec`` per object, ready for ``sgp4``). "cold" clears every per-process cache first (files,
SATCAT, UCS, owner rules); "files re-parsed" clears the parsed-file cache before each call (the
fair comparison with the baseline, which parses every time: the issue's target); "warm" is a
repeated load in one process, which reuses the parsed files.

Timing: the candidates run interleaved (one call of each per round, best of N rounds), so a busy
machine slows all of them alike; each comparison is reported twice, as a wall-time and as a
CPU-time ratio (``ratio`` = baseline time / our time = our objects/s over the baseline's; > 1 means
faster than the baseline). The catalog stage has no numba kernels, so there is no compile-time row.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sgp4 import omm as sgp4_omm
from sgp4.api import Satrec
from sgp4.exporter import export_tle

from orbitsim import catalog, data


def _race(fns: dict, rounds: int) -> dict:
    """Best wall and CPU seconds of each function, calling them in turn ``rounds`` times."""
    best = {k: [float("inf"), float("inf"), None] for k in fns}
    for _ in range(rounds):
        for k, fn in fns.items():
            c0, t0 = time.process_time(), time.perf_counter()
            out = fn()
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            b = best[k]
            b[0], b[1], b[2] = min(b[0], wall), min(b[1], cpu), out
    return best


def _tle_text(files) -> str:
    """The records of ``files`` as TLE text (OMM rows exported with sgp4's exporter)."""
    lines = []
    for f in files:
        if f.suffix == ".csv":
            with open(f, newline="") as fh:
                for row in sgp4_omm.parse_csv(fh):
                    s = Satrec()
                    sgp4_omm.initialize(s, row)
                    lines += [row["OBJECT_NAME"], *export_tle(s)]
        else:
            lines += [ln.strip() for ln in f.read_text().splitlines() if ln.strip()]
    return "\n".join(lines) + "\n"


def _baseline_twoline2rv(path: Path):
    lines = path.read_text().splitlines()
    return [Satrec.twoline2rv(lines[i + 1], lines[i + 2]) for i in range(0, len(lines) - 2, 3)]


def _baseline_native(files):
    out = []
    for f in files:
        if f.suffix == ".csv":
            with open(f, newline="") as fh:
                for row in sgp4_omm.parse_csv(fh):
                    s = Satrec()
                    sgp4_omm.initialize(s, row)
                    out.append(s)
        else:
            lines = [ln.rstrip() for ln in f.read_text().splitlines() if ln.strip()]
            out += [Satrec.twoline2rv(lines[i + 1], lines[i + 2]) for i in range(0, len(lines), 3)]
    return out


def run(quick: bool = False) -> list[dict]:
    files = data.default_catalog_files()
    if quick:
        files = data.debris_files()
    rounds = 3 if quick else 9
    load = (lambda: catalog.load(*files))

    catalog.clear_cache()
    c0, t0 = time.process_time(), time.perf_counter()
    cat = load()
    cold, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
    n = len(cat)

    def reparse():
        catalog._FILE_CACHE.clear()  # files parsed again; SATCAT/UCS tables stay cached
        return load()

    with tempfile.TemporaryDirectory() as tmp:
        text_file = Path(tmp) / "catalog.tle"
        text_file.write_text(_tle_text(files))
        res = _race({"base": lambda: _baseline_twoline2rv(text_file), "reparse": reparse, "warm": load,
                     "ready": lambda: load().satrecs(), "native": lambda: _baseline_native(files)}, rounds)
    assert len(res["base"][2]) == n == len(res["native"][2])

    name = "catalog load (embedded default)" + (" [quick: debris files]" if quick else "")
    rows = []

    def row(metric, ours, baseline=None, clock="wall"):
        k = 0 if clock == "wall" else 1
        seconds = res[ours][k] if isinstance(ours, str) else ours
        base_seconds = res[baseline][k] if baseline else None
        label = {"base": "twoline2rv loop", "native": "sgp4 native (omm.initialize + twoline2rv)"}.get(baseline)
        note = f"{n} objects; ours {seconds * 1e3:.1f} ms {clock}"
        if baseline:
            note += f", baseline {base_seconds * 1e3:.1f} ms {clock}; ratio > 1: faster than the baseline"
        rows.append({"benchmark": name, "metric": f"{metric} [{clock} time]", "value": n / seconds,
                     "unit": "objects/s", "baseline": label,
                     "baseline_value": (n / base_seconds) if baseline else None,
                     "ratio": (base_seconds / seconds) if baseline else None, "note": note})

    row("load, cold (files, SATCAT, UCS, owner rules parsed)", cold)
    row("load, cold (files, SATCAT, UCS, owner rules parsed)", cold_cpu, clock="CPU")
    for clock in ("wall", "CPU"):
        row("load_default, files re-parsed: arrays ready for the numba propagator", "reparse", "base", clock)
    for clock in ("wall", "CPU"):
        row("load_default, warm (parsed files cached in-process)", "warm", "base", clock)
    for clock in ("wall", "CPU"):
        row("load_default + satrecs, warm: ready for sgp4", "ready", "base", clock)
    for clock in ("wall", "CPU"):
        row("load_default + satrecs, warm", "ready", "native", clock)
    return rows


def _summary(rows) -> str:
    out = []
    for r in rows:
        if r["ratio"] is not None:
            out.append(f"{r['metric']}: ratio {r['ratio']:.2f} vs {r['baseline']} ({r['note']})")
        else:
            out.append(f"{r['metric']}: {r['value']:,.0f} objects/s ({r['note']})")
    return "\n".join(out)


if __name__ == "__main__":
    import sys

    print(_summary(run(quick="--full" not in sys.argv[1:])))
