"""Catalog loading: the embedded default catalog, read, validated, joined and made ready to propagate.

Baseline (the issue's): a plain Python loop of ``sgp4.api.Satrec.twoline2rv`` over the same
records as TLE text. The OMM part of the catalog (15,985 active payloads) is first written as TLE
lines with ``sgp4.exporter.export_tle`` (outside the timing; all its ids fit TLE), so the baseline
reads one TLE text file, splits it and initialises every record: no validation, no SATCAT/UCS
join. A second baseline is sgp4's own native path for each format (``sgp4.omm.parse_csv`` +
``omm.initialize`` for the OMM CSV, ``twoline2rv`` for the 3LE files).

Ours: ``load_default()`` (validated columns with the SATCAT/UCS join: ready for the numba
propagator, which consumes the arrays) and ``load_default().satrecs()`` (plus one sgp4 ``Satrec``
per object, ready for ``sgp4``). "cold" clears every per-process cache first; "files re-parsed"
clears the parsed-file cache before each call (the fair comparison with the baseline, which parses
every time); "warm" is a repeated load in one process, which reuses the parsed files.
The catalog stage has no numba kernels, so there is no compile-time row. Values are best-of-N wall
time; the note adds the best-of-N CPU-time ratio, steadier on a shared machine.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from sgp4 import omm as sgp4_omm
from sgp4.api import Satrec
from sgp4.exporter import export_tle

from orbitsim import catalog, data


_CPU = {}


def _best(fn, repeats):
    """Best and median wall time over ``repeats`` calls; the best CPU time is kept in ``_CPU``."""
    times, cpu = [], []
    for _ in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    _CPU[fn] = min(cpu)
    return min(times), statistics.median(times), out


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
    repeats = 2 if quick else 7
    load = (lambda: catalog.load(*files))

    catalog.clear_cache()
    t0 = time.perf_counter()
    cat = load()
    cold = time.perf_counter() - t0
    n = len(cat)

    def reparse():
        catalog._FILE_CACHE.clear()  # files parsed again; SATCAT/UCS tables stay cached
        return load()

    parse, parse_med, _ = _best(reparse, repeats)
    warm, warm_med, _ = _best(load, repeats)
    ready_fn = lambda: load().satrecs()  # noqa: E731
    ready, ready_med, _ = _best(ready_fn, repeats)

    with tempfile.TemporaryDirectory() as tmp:
        text_file = Path(tmp) / "catalog.tle"
        text_file.write_text(_tle_text(files))
        base_fn = lambda: _baseline_twoline2rv(text_file)  # noqa: E731
        base, base_med, sats = _best(base_fn, repeats)
    assert len(sats) == n
    native_fn = lambda: _baseline_native(files)  # noqa: E731
    native, native_med, sats = _best(native_fn, repeats)
    assert len(sats) == n

    name = "catalog load (embedded default)" + (" [quick: debris files]" if quick else "")
    rows = []

    def row(metric, seconds, baseline=None, base_seconds=None, note=""):
        r = {"benchmark": name, "metric": metric, "value": n / seconds, "unit": "objects/s",
             "baseline": baseline, "baseline_value": (n / base_seconds) if base_seconds else None,
             "ratio": (base_seconds / seconds) if base_seconds else None,
             "note": f"{n} objects; {seconds * 1e3:.1f} ms" + (f"; {note}" if note else "")}
        rows.append(r)

    cpu = lambda ours, theirs: f"CPU-time ratio {_CPU[theirs] / _CPU[ours]:.3g}"  # noqa: E731
    row("load, cold (files, SATCAT, UCS parsed)", cold, "twoline2rv loop", base)
    row("load, files re-parsed: arrays ready for the numba propagator", parse, "twoline2rv loop", base,
        f"median {parse_med * 1e3:.1f} ms; {cpu(reparse, base_fn)}")
    row("load, warm (parsed files cached in-process)", warm, "twoline2rv loop", base,
        f"median {warm_med * 1e3:.1f} ms; {cpu(load, base_fn)}")
    row("load + satrecs, warm: ready for sgp4", ready, "twoline2rv loop", base,
        f"median {ready_med * 1e3:.1f} ms; {cpu(ready_fn, base_fn)}")
    row("load + satrecs, warm", ready, "sgp4 native (omm.initialize + twoline2rv)", native,
        f"baseline median {native_med * 1e3:.1f} ms; {cpu(ready_fn, native_fn)}")
    return rows


if __name__ == "__main__":
    for r in run(quick=True):
        print(r)
