"""Monte Carlo ensembles: run members on an executor, report the median and a 5-95% band.

The breakup model is stochastic, so a single run is one draw. An ensemble is a list of members, one
per (scenario, member index); member ``k`` of a scenario uses breakup seed ``k`` (``members=N``
means seeds ``1..N``). :func:`run` runs the members of a list of scenarios on an executor and
returns one summarized result per scenario; :func:`run_members` maps any module-level function over
a list of arguments on an executor (:mod:`orbitsim.executors`: ``local`` processes by default, or
``dask``), results in the order of the arguments whatever the order they finish in, so the outputs
do not depend on the executor. :func:`summarize` turns the members' flat metric dicts into ``x``
(median), ``x_p05`` and ``x_p95`` (5th and 95th percentiles, linear interpolation between members:
with 4 members the band is close to the min-max range).
"""

from __future__ import annotations

import math
from typing import Callable, Iterable, Sequence

import numpy as np

from .executors import DEFAULT_WORKERS, Executor, get_executor  # noqa: F401  (DEFAULT_WORKERS re-exported)


def run_members(func: Callable, args: Sequence, *, workers: int | None = None, desc: str = "members",
                progress_bar: bool | None = None, executor: str | Executor | None = None,
                scheduler: str | None = None, setup: tuple | None = None,
                labels: Sequence[str] | None = None) -> list:
    """Call ``func(a)`` for each ``a`` in ``args`` on an executor; results in the order of ``args``.

    Parameters
    ----------
    func : callable
        A module-level (picklable) function.
    args : sequence
        One small picklable argument per member (e.g. ``(scenario, seed, catalog_path)`` tuples).
    workers : int, optional
        Local worker processes (default 2, capped at ``len(args)``; ``1`` or ``0`` runs in this
        process), or the worker count of a dask ``LocalCluster`` (default: the machine's cores).
    executor : str or Executor, optional
        ``"local"`` (default) or ``"dask"``, or an executor object (then left open for reuse).
    scheduler : str, optional
        A running dask scheduler's address (implies ``executor="dask"``).
    setup : (callable, tuple), optional
        Run once in each worker process before its first member (e.g. loading the catalog).
    labels : sequence of str, optional
        How failures name each member.

    Raises
    ------
    orbitsim.executors.MembersFailedError
        Members that failed twice, by index, with the other members' results attached.
    """
    if isinstance(executor, Executor):
        return executor.map(func, args, setup=setup, desc=desc, progress_bar=progress_bar, labels=labels)
    with get_executor(executor, scheduler=scheduler, workers=workers) as ex:
        return ex.map(func, args, setup=setup, desc=desc, progress_bar=progress_bar, labels=labels)


def run(scenarios, members: int | Sequence[int] | None = None, *, executor: str | Executor | None = None,
        scheduler: str | None = None, workers: int | None = None, catalog_path: str | None = None,
        progress_bar: bool | None = None) -> list:
    """Run the Monte Carlo ensemble of each scenario; one summarized result per scenario.

    Parameters
    ----------
    scenarios : Scenario or sequence of Scenario
        What to simulate (see :mod:`orbitsim.scenario`).
    members : int or sequence of int, optional
        ``N``: members (breakup seeds) ``1..N`` of every scenario; a sequence: those seeds; default:
        each scenario's own.
    executor : str or Executor, optional
        ``"local"`` (default) or ``"dask"`` (see :mod:`orbitsim.executors`). The results, and every
        output file written from them, are the same whichever runs the members.
    scheduler : str, optional
        Address of a running dask scheduler (e.g. ``tcp://10.0.0.5:8786``; implies ``"dask"``).
    workers : int, optional
        Local worker processes (default 2), or a dask ``LocalCluster``'s worker count.
    catalog_path : str, optional
        Catalog to screen against (default: the embedded one).

    Returns
    -------
    list of orbitsim.pipeline.ScenarioResult
        In the order of ``scenarios``.
    """
    from . import pipeline
    from .scenario import Scenario

    if isinstance(scenarios, Scenario):
        scenarios = [scenarios]
    scenarios = [pipeline.apply_overrides(s, seeds=members) for s in scenarios]
    return pipeline.run_scenarios(scenarios, workers=workers, catalog_path=catalog_path,
                                  progress_bar=progress_bar, executor=executor, scheduler=scheduler)


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
