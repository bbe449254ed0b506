"""Benchmark: ensemble throughput with the local and dask executors, and what one member costs.

Rows
----
- ``members_per_minute_local`` / ``members_per_minute_dask``: the same ensemble (cosmos-1408 at
  10 cm, the preset's settings, N = 4 members) on the local executor (2 spawned worker processes)
  and on a ``distributed.LocalCluster`` of 2 one-thread worker processes, two interleaved rounds,
  best of each (the machine's load changes during a run); the
  dask row's baseline is the local row (ratio = dask / local, 1 = no cost). The cluster's start-up
  is reported on its own (``dask_cluster_start``), since one cluster serves many ensembles.
- ``members_per_minute_local_oversubscribed``: the local row with every worker using all cores
  for numba (``ORBITSIM_WORKER_THREADS``), baseline the default division of cores among workers.
- ``dask_dispatch_per_member``: worker-seconds per trivial task that carries a member's argument
  through the scheduler (submission, serialization, scheduling, result): the dask path's own cost.
- ``dask_overhead_per_member``: extra worker-seconds per member on the dask path, i.e.
  ``2 x (wall_dask - wall_local) / N``, and (``note``) as a percentage of a member's own time (the
  mean of the members' summed stage times). Goal: under 5% of a 10 cm member.
- ``member_cost_<preset>_<size>``: wall time and peak memory (max RSS) of one member in a fresh
  process (after a warm-up member that loads the catalog and numba's cache), for each preset at
  10 cm. The 1 cm rows are slow (minutes and GiBs per member) and run only with
  ``ORBITSIM_BENCH_1CM=1`` or ``python benchmarks/bench_ensemble.py --member-cost PRESET 0.01``.

``quick=True``: fragments >= 30 cm, 0.05-day screening, 10-year horizon, 8 members, cosmos-1408 only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

PRESETS = ("fengyun-1c", "usa-193", "microsat-r", "cosmos-1408")
WORKERS = 2
MEMBERS = 4
QUICK_MEMBERS = 8
ROUNDS = 2


def _scenario(quick: bool, preset: str = "cosmos-1408", min_size_m: float | None = None):
    from orbitsim import scenario

    s = scenario.load_preset(preset)
    if quick:
        s = s.with_settings(min_size_m=0.3, screening_days=0.05, horizon_years=10.0)
    if min_size_m is not None:
        s = s.with_settings(min_size_m=float(min_size_m))
    return s


def member_cost(preset: str, min_size_m: float, quick: bool = False) -> dict:
    """One member of ``preset`` at ``min_size_m`` in this process: wall seconds, peak RSS, fragments."""
    import resource

    from orbitsim import pipeline

    s = _scenario(quick, preset, min_size_m)
    warm = s.with_settings(min_size_m=0.3, screening_days=0.05, horizon_years=1.0)
    pipeline.run_member((warm, 99, None))  # catalog load, numba cache load
    t0 = time.perf_counter()
    mr = pipeline.run_member((s, 1, None))
    wall = time.perf_counter() - t0
    rss_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # Linux: KiB
    return {"preset": preset, "min_size_m": min_size_m, "wall_s": wall, "max_rss_gib": rss_gib,
            "fragments": int(len(mr.gabbard.get("perigee_km", []))),
            "stages_s": {k: round(v, 2) for k, v in mr.timings_s.items()}}


def _member_cost_subprocess(preset: str, min_size_m: float, quick: bool) -> dict:
    cmd = [sys.executable, __file__, "--member-cost", preset, str(min_size_m)] + (["--quick"] if quick else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True,
                         env=dict(os.environ, ORBITSIM_WORKER_THREADS=str(os.cpu_count() or 1)))
    return json.loads(out.stdout.strip().splitlines()[-1])


def _row(metric, value, unit, note, baseline=None, baseline_value=None, ratio=None):
    return {"benchmark": "ensemble", "metric": metric, "value": value, "unit": unit, "baseline": baseline,
            "baseline_value": baseline_value, "ratio": ratio, "note": note}


def run(quick: bool = False) -> list[dict]:
    from orbitsim import pipeline
    from orbitsim.executors import get_executor

    n = QUICK_MEMBERS if quick else MEMBERS
    s = _scenario(quick).with_settings(seeds=tuple(range(1, n + 1)))
    what = (f"cosmos-1408, {n} members, min {s.min_size_m} m, screening {s.screening_days} d, "
            f"horizon {s.horizon_years} y, {WORKERS} workers")
    rows = []

    # dask cluster start-up on its own row (one cluster serves many ensembles)
    t0 = time.perf_counter()
    ex = get_executor("dask", workers=WORKERS)
    ex._connect()
    rows.append(_row("dask_cluster_start", time.perf_counter() - t0, "s",
                     f"distributed.LocalCluster, {WORKERS} worker processes x 1 thread"))
    # the dask path's own cost per member: a trivial task with a member's argument, through the scheduler
    member_arg = (s, 1, None)
    k = 50
    ex.map(len, [member_arg] * WORKERS)
    t0 = time.perf_counter()
    ex.map(len, [member_arg] * k)
    dispatch = WORKERS * (time.perf_counter() - t0) / k
    # interleaved rounds, best of each: the machine's load changes during a run
    walls = {"local": [], "dask": []}
    try:
        for _ in range(ROUNDS):
            for name in ("local", "dask"):
                t0 = time.perf_counter()
                got = pipeline.run_scenarios([s], workers=WORKERS, progress_bar=False,
                                             executor=ex if name == "dask" else "local")
                walls[name].append(time.perf_counter() - t0)
                if name == "local":
                    local = got
                else:
                    dask = got
    finally:
        ex.close()
    wall_local, wall_dask = min(walls["local"]), min(walls["dask"])
    member_s = sum(local[0].timings_s.values()) / n
    rows.append(_row("members_per_minute_local", 60.0 * n / wall_local, "members/min",
                     what + f"; spawned processes, started (and numba cache loaded) in the timing; best of "
                            f"{ROUNDS} interleaved rounds {[round(w, 1) for w in walls['local']]} s"))

    if not quick:  # the division of cores vs every worker using all of them (oversubscribed)
        os.environ["ORBITSIM_WORKER_THREADS"] = str(os.cpu_count() or 1)
        try:
            t0 = time.perf_counter()
            pipeline.run_scenarios([s], workers=WORKERS, progress_bar=False, executor="local")
            wall_over = time.perf_counter() - t0
        finally:
            os.environ.pop("ORBITSIM_WORKER_THREADS")
        rows.append(_row("members_per_minute_local_oversubscribed", 60.0 * n / wall_over, "members/min",
                         what + f"; numba threads = all {os.cpu_count()} cores in each worker",
                         baseline="local executor, cores divided among workers", baseline_value=60.0 * n / wall_local,
                         ratio=wall_local / wall_over))

    same = dask[0].row == local[0].row or json.dumps(dask[0].row, default=str, sort_keys=True) == json.dumps(
        local[0].row, default=str, sort_keys=True)
    rate_local, rate_dask = 60.0 * n / wall_local, 60.0 * n / wall_dask
    rows.append(_row("members_per_minute_dask", rate_dask, "members/min",
                     what + f"; LocalCluster already running; best of {ROUNDS} interleaved rounds "
                            f"{[round(w, 1) for w in walls['dask']]} s; summary row identical to local: {same}",
                     baseline="local executor, same run", baseline_value=rate_local, ratio=rate_dask / rate_local))
    over = WORKERS * (wall_dask - wall_local) / n
    rows.append(_row("dask_overhead_per_member", over, "s",
                     f"{100.0 * over / member_s:.1f}% of a member's own time ({member_s:.1f} s, summed stages); "
                     "goal < 5%; negative = dask was faster in this run (noise, or the local path's "
                     "worker start-up)"))

    rows.append(_row("dask_dispatch_per_member", dispatch, "s",
                     f"{100.0 * dispatch / member_s:.2f}% of a member's own time here; worker-seconds per "
                     f"trivial task carrying a member's argument (the scenario), {k} tasks on {WORKERS} workers"))

    sizes = [0.1] + ([0.01] if os.environ.get("ORBITSIM_BENCH_1CM") and not quick else [])
    for preset in (("cosmos-1408",) if quick else PRESETS):
        for size in sizes:
            c = _member_cost_subprocess(preset, 0.3 if quick else size, quick)
            tag = f"{preset}_{'quick' if quick else ('10cm' if size == 0.1 else '1cm')}"
            rows.append(_row(f"member_cost_{tag}", c["wall_s"], "s",
                             f"one member, {c['fragments']} fragments >= {c['min_size_m']} m, max RSS "
                             f"{c['max_rss_gib']:.2f} GiB, stages {c['stages_s']}"))
    return rows


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--member-cost":
        print(json.dumps(member_cost(sys.argv[2], float(sys.argv[3]), quick="--quick" in sys.argv)))
    else:
        for r in run(quick="--quick" in sys.argv):
            print(r)
