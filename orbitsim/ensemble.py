"""Monte Carlo over breakup seeds: run members in parallel, report the median and a 5-95% band.

The breakup model is stochastic, so a single run is one draw. :func:`run_members` runs one function
per seed (local processes by default, ``concurrent.futures.ProcessPoolExecutor`` with 2 workers,
results in seed order whatever the finishing order); :func:`summarize` turns the members' flat
metric dicts into ``x`` (median), ``x_p05`` and ``x_p95`` (5th and 95th percentiles, linear
interpolation between members: with 4 seeds the band is close to the min-max range).
"""

from __future__ import annotations

import math
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, Sequence

import numpy as np

from .progress import progress

#: Default number of worker processes (the machine's stated 2 cores).
DEFAULT_WORKERS = 2


def _init_worker(threads: int) -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        from .core._jit import set_threads

        set_threads(threads)
    except Exception:  # numba missing or disabled: nothing to set
        pass


def run_members(func: Callable, args: Sequence, *, workers: int | None = None, desc: str = "members",
                progress_bar: bool | None = None) -> list:
    """Call ``func(a)`` for each ``a`` in ``args``; return the results in the order of ``args``.

    Parameters
    ----------
    func : callable
        A module-level (picklable) function.
    args : sequence
        One argument per member (e.g. ``(scenario, seed)`` tuples).
    workers : int, optional
        Worker processes; default 2 (capped at ``len(args)``). ``1`` or ``0`` runs in this process.
    """
    args = list(args)
    n = DEFAULT_WORKERS if workers is None else int(workers)
    n = max(0, min(n, len(args)))
    if n <= 1:
        return [func(a) for a in progress(args, desc=desc, enabled=progress_bar)]
    # numba threads per worker: all cores (measured: cosmos-1408, 4 seeds, 2 workers on 2 cores, 67 s
    # with 2 threads each vs 90 s with 1 -- the stages have serial phases that leave cores idle);
    # ORBITSIM_WORKER_THREADS overrides.
    threads = int(os.environ.get("ORBITSIM_WORKER_THREADS", 0)) or max(1, os.cpu_count() or 1)
    ctx = multiprocessing.get_context("spawn")  # no fork after numba threads have started
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_init_worker,
                             initargs=(threads,)) as pool:
        futures = [pool.submit(func, a) for a in args]
        results = []
        for f in progress(futures, total=len(futures), desc=desc, enabled=progress_bar):
            results.append(f.result())
    return results


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def band(values: Iterable[float]) -> tuple[float, float, float]:
    """Median, 5th and 95th percentile of finite-or-inf values (NaN if all are NaN)."""
    x = np.asarray(list(values), dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return float("nan"), float("nan"), float("nan")
    with np.errstate(invalid="ignore"):
        med, lo, hi = np.percentile(x, [50.0, 5.0, 95.0])
    # percentile of [.., inf] may give nan from inf - inf; fall back to order statistics
    def fix(q, v):
        if math.isnan(v):
            return float(np.sort(x)[min(x.size - 1, int(round(q / 100.0 * (x.size - 1))))])
        return float(v)
    return fix(50.0, med), fix(5.0, lo), fix(95.0, hi)


def summarize(members: Sequence[dict], keep: Sequence[str] = ()) -> dict:
    """Median and 5-95% band of every numeric metric over members.

    Numbers give ``key`` (median), ``key_p05``, ``key_p95``; other values (text) are taken from the
    first member (they must describe the scenario, not the draw) unless listed in ``keep``.
    """
    if not members:
        return {}
    out: dict = {}
    for key in members[0]:
        vals = [m.get(key) for m in members]
        if all(_is_number(v) for v in vals):
            med, lo, hi = band(vals)
            out[key] = med
            out[key + "_p05"] = lo
            out[key + "_p95"] = hi
        else:
            out[key] = vals[0]
    return out


def summarize_arrays(arrays: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Element-wise median, 5th and 95th percentile of equal-shape arrays (e.g. curves over time)."""
    import warnings

    a = np.asarray(arrays, dtype=float)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns (beyond the horizon) stay NaN
        med, lo, hi = np.nanpercentile(a, [50.0, 5.0, 95.0], axis=0)
    return med, lo, hi
