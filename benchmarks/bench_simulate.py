"""Benchmark: ``orbitsim simulate cosmos-1408`` at 10 cm, end to end, and where the time goes.

Rows
----
- ``first_member``: the first pipeline member in this process (numba compile or cache load,
  catalog load) -- reported on its own, never mixed into the steady-state numbers;
- ``simulate_wall``: a warm ensemble run (default preset: 4 seeds, >= 10 cm, 7-day screening against
  the embedded catalog's active payloads, 100-year horizon) on 2 worker processes; baseline: the
  issue's target of 120 s (ratio = target / measured, > 1 is better);
- ``stage_<name>``: seconds per stage, summed over members (screening dominates);
- ``parallel_speedup``: the same 2-seed ensemble with 2 workers vs 1 worker (baseline), same run.

``quick=True``: fragments >= 30 cm, 0.05-day screening, 10-year horizon, 2 seeds.
"""

from __future__ import annotations

import time


def _settings(quick: bool):
    from orbitsim import scenario

    s = scenario.load_preset("cosmos-1408")
    if quick:
        s = s.with_settings(seeds=[1, 2], min_size_m=0.3, screening_days=0.05, horizon_years=10.0)
    return s


def run(quick: bool = False) -> list[dict]:
    from orbitsim import pipeline

    s = _settings(quick)
    rows = []
    t0 = time.perf_counter()
    pipeline.run_member((s.with_settings(seeds=[99]), 99, None))
    rows.append({"benchmark": "simulate", "metric": "first_member", "value": time.perf_counter() - t0,
                 "unit": "s", "baseline": None, "baseline_value": None, "ratio": None,
                 "note": "first member in a fresh process: numba compile/cache load + catalog load"})

    t0 = time.perf_counter()
    res = pipeline.run_scenarios([s], workers=2, progress_bar=False)
    wall = time.perf_counter() - t0
    target = 120.0
    rows.append({"benchmark": "simulate", "metric": "simulate_wall", "value": wall, "unit": "s",
                 "baseline": "issue 7 target (2 min)", "baseline_value": target, "ratio": target / wall,
                 "note": f"cosmos-1408, {len(s.seeds)} seeds, min {s.min_size_m} m, screening "
                         f"{s.screening_days} d, horizon {s.horizon_years} y, 2 workers (spawned, "
                         "each loads the catalog)"})
    for k, v in res[0].timings_s.items():
        rows.append({"benchmark": "simulate", "metric": "stage_" + k.removesuffix("_s"), "value": v,
                     "unit": "s", "baseline": None, "baseline_value": None, "ratio": None,
                     "note": "summed over members (CPU-side, across 2 workers)"})

    two = s.with_settings(seeds=[1, 2])
    t0 = time.perf_counter()
    pipeline.run_scenarios([two], workers=1, progress_bar=False)
    serial = time.perf_counter() - t0
    t0 = time.perf_counter()
    pipeline.run_scenarios([two], workers=2, progress_bar=False)
    par = time.perf_counter() - t0
    rows.append({"benchmark": "simulate", "metric": "parallel_speedup", "value": par, "unit": "s",
                 "baseline": "same 2-seed ensemble, 1 worker", "baseline_value": serial,
                 "ratio": serial / par, "note": "2 worker processes vs in-process (machine shared)"})
    return rows


if __name__ == "__main__":
    for r in run(quick=True):
        print(r)
