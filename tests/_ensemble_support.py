"""Shared pieces of the ensemble/executor tests: a small scenario, a small catalog, member functions.

Member functions live in this importable module (not in a test file) so that spawned local workers
and dask workers can unpickle them; for dask the module is shipped by value (cloudpickle).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

#: A small hypothetical scenario: fragments >= 30 cm, a 5-year horizon, 72 minutes of screening.
SMALL_TOML = """
name = "small-ensemble"
epoch = "2026-07-10T00:00:00Z"
hypothetical = true
[target]
mass_kg = 1500.0
owner = "CIS"
[target.orbit]
altitude_km = 480.0
inclination_deg = 82.6
[interceptor]
mass_kg = 40.0
closing_speed_km_s = 7.0
[simulation]
min_size_m = 0.3
seeds = [1, 2]
screening_days = 0.05
horizon_years = 5.0
[taxonomy]
tester = "CIS"
"""

#: Rows of the embedded active-payload file kept in the small catalog (screening and risk cost
#: grow with the number of payloads; a few hundred keep a member near a second).
SMALL_CATALOG_ROWS = 300


def write_small_inputs(folder: Path) -> tuple[Path, Path]:
    """Write ``small.toml`` and ``small-active.csv`` (first rows of the embedded OMM file) into ``folder``."""
    from orbitsim.data import ACTIVE_OMM, data_path

    folder.mkdir(parents=True, exist_ok=True)
    toml = folder / "small.toml"
    toml.write_text(SMALL_TOML)
    lines = data_path(ACTIVE_OMM).read_text().splitlines(keepends=True)
    cat = folder / "small-active.csv"  # "active" in the name: its objects are active payloads
    cat.write_text("".join(lines[:SMALL_CATALOG_ROWS + 1]))
    return toml, cat


def sleep_then_return(arg):
    """``arg = (delay_s, value)``: sleep, then return ``(value, pid)``."""
    delay_s, value = arg
    time.sleep(delay_s)
    return value, os.getpid()


def flaky(arg):
    """``arg = (folder, index, failures)``: raise on the first ``failures`` calls for ``index``.

    Attempts are counted with files in ``folder`` (shared by every process on this machine).
    """
    folder, index, failures = arg
    n = len([p for p in os.listdir(folder) if p.startswith(f"{index}-")])
    Path(folder, f"{index}-{n}-{os.getpid()}").touch()
    if n < failures:
        raise ValueError(f"planned failure {n + 1} of member {index}")
    return index * 10


def session_processes(sid: int) -> list[int]:
    """Live (non-zombie) processes of session ``sid``, other than its leader, from /proc."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == sid:
            continue
        try:
            stat = Path(f"/proc/{d}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            out.append(int(d))
    return out


def compare_runs(a, b, executors_=("local", "dask")):
    """Every file byte-identical except timings.json; provenance.json differs only in ``executor``."""
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert "summary.csv" in names and "provenance.json" in names
    for name in names:
        if name in ("timings.json", "provenance.json"):
            continue
        if (a / name).read_bytes() != (b / name).read_bytes():
            x, y = (a / name).read_bytes(), (b / name).read_bytes()
            i = next(k for k in range(min(len(x), len(y))) if x[k] != y[k])
            raise AssertionError(f"{name}: {x[i - 300:i + 100]!r} != {y[i - 300:i + 100]!r}")
    pa, pb = (json.loads((d / "provenance.json").read_text()) for d in (a, b))
    assert (pa.pop("executor"), pb.pop("executor")) == executors_
    assert pa == pb
    for name in names:  # the executor's name is in provenance.json only
        if name != "provenance.json" and not name.endswith(".png"):
            assert b'"dask"' not in (b / name).read_bytes() and b"executor" not in (b / name).read_bytes(), name
