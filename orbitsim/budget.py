"""Estimates before long work: members x fragments -> wall time and memory, and the budgets.

A scenario run costs, per Monte Carlo member, roughly a fixed part (catalog, compilation, the
screening sieve over the catalog) plus a part proportional to the fragments simulated (element
sets, decay over the horizon, screening, collision risk); its memory is a base (catalog, numba,
the risk sampling of the exposed assets) plus a share per fragment. The fragment count is the SBM
expectation :func:`orbitsim.breakup.collision_count` at the run's minimum size (the untruncated
power law: an upper estimate). Members run ``workers`` at a time, each worker holding one member; only the first
``screened_members`` of a scenario are screened and given the collision risk, the others cost the
breakup, element sets and decay alone (:data:`MEMBER_PERSISTENCE_BASE_S`,
:data:`MEMBER_PERSISTENCE_S_PER_FRAGMENT`).

The coefficients below were measured on the reference machine (2 shared cores, the embedded
catalog, 7-day screening, 100-year horizon, one member, ``--workers 1``, ``/usr/bin/time`` peak
RSS), Cosmos 1408 at two minimum sizes:

========  ====================  ==========  =============  ===========
min size  expected (simulated)  wall time   of which scr.  peak memory
========  ====================  ==========  =============  ===========
0.10 m    1,562 (1,335)         ~90 s [1]_  57 s           1.15 GB
0.03 m    12,260 (9,919)        559 s       500 s          3.22 GB
========  ====================  ==========  =============  ===========

.. [1] 118 s less about 30 s of first-call numba compilation.

A straight line through the two gives the per-fragment costs; screening dominates the time and
scales with the screening window, so that part is scaled by ``screening_days / 7``. Beyond the
measured range the lines are extrapolations: the estimate is good to a factor of about two and
every message says so. A run over the budget stops before any work with exit code 4 and names the
option that raises the budget.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from .errors import ResourceError

#: Default budgets: wall-clock minutes and peak memory (GiB) of one run (``--budget-minutes``,
#: ``--budget-gib``). 16 GiB leaves room on a 24 GiB machine.
DEFAULT_BUDGET_MINUTES = 120.0
DEFAULT_BUDGET_GIB = 16.0

#: Measured cost model (module docstring): seconds per member (fixed; per expected fragment for
#: the screening, per 7 days of window; per expected fragment for the rest) and GiB per member
#: (fixed; per expected fragment).
MEMBER_BASE_S = 21.0
MEMBER_SCREENING_S_PER_FRAGMENT = 0.040
MEMBER_OTHER_S_PER_FRAGMENT = 0.005
REFERENCE_SCREENING_DAYS = 7.0
#: A member that is not screened (``[simulation] screened_members``) runs only the breakup, its
#: element sets and the decay: ~1-3 s at 10 cm on the reference machine (Cosmos 1408).
MEMBER_PERSISTENCE_BASE_S = 2.0
#: ... plus its decay: 100 years of a fragment at the decay benchmark's ~460k fragment-years/s on two
#: threads is ~0.2 ms; with the element sets about 0.5 ms per fragment.
MEMBER_PERSISTENCE_S_PER_FRAGMENT = 5e-4
MEMBER_BASE_GIB = 0.80
MEMBER_GIB_PER_FRAGMENT = 1.8e-4


@dataclass(frozen=True)
class Estimate:
    """What a run is expected to cost (module docstring for the model and its accuracy)."""

    members: int
    fragments_per_member: float
    workers: int
    minutes: float
    peak_gib: float

    def describe(self) -> str:
        return (f"{self.members} member(s) x ~{self.fragments_per_member:,.0f} fragments, {self.workers} "
                f"at a time: about {self.minutes:,.1f} min and {self.peak_gib:,.1f} GiB "
                "(estimate, good to a factor ~2)")


def fragments_expected(scenario) -> float:
    """SBM expected fragment count of a scenario's breakup at its minimum size (upper estimate)."""
    from .breakup import collision_count

    return float(collision_count(scenario.min_size_m, scenario.target.mass_kg, scenario.interceptor.mass_kg,
                                 scenario.interceptor.closing_speed_km_s))


def estimate(scenarios: Sequence, workers: int | None = None) -> Estimate:
    """Estimate wall time and peak memory of running every member of ``scenarios``."""
    from .ensemble import DEFAULT_WORKERS

    w = DEFAULT_WORKERS if workers is None else max(1, int(workers))
    members, seconds, frag_max = 0, 0.0, 0.0
    for s in scenarios:
        n = fragments_expected(s)
        k = len(s.seeds)
        members += k
        screened = min(k, int(getattr(s, "screened_members", k)))
        per = MEMBER_BASE_S + n * (MEMBER_OTHER_S_PER_FRAGMENT + MEMBER_SCREENING_S_PER_FRAGMENT
                                   * s.screening_days / REFERENCE_SCREENING_DAYS)
        rest = MEMBER_PERSISTENCE_BASE_S + n * MEMBER_PERSISTENCE_S_PER_FRAGMENT
        seconds += screened * per + (k - screened) * rest
        frag_max = max(frag_max, n)
    at_once = max(1, min(w, members))
    wall_s = seconds / at_once
    gib = at_once * (MEMBER_BASE_GIB + MEMBER_GIB_PER_FRAGMENT * frag_max)
    return Estimate(members=members, fragments_per_member=frag_max, workers=at_once, minutes=wall_s / 60.0,
                    peak_gib=gib)


def check(est: Estimate, *, budget_minutes: float | None = None, budget_gib: float | None = None) -> Estimate:
    """Raise :class:`~orbitsim.errors.ResourceError` (exit 4) if ``est`` is over either budget."""
    minutes = DEFAULT_BUDGET_MINUTES if budget_minutes is None else float(budget_minutes)
    gib = DEFAULT_BUDGET_GIB if budget_gib is None else float(budget_gib)
    if est.peak_gib > gib:
        raise ResourceError(f"{est.describe()}: over the memory budget of {gib:g} GiB; raise it with "
                            f"--budget-gib {math.ceil(est.peak_gib)}, or use fewer --workers, a larger "
                            "--min-size or fewer --seeds")
    if est.minutes > minutes:
        raise ResourceError(f"{est.describe()}: over the time budget of {minutes:g} min; raise it with "
                            f"--budget-minutes {math.ceil(est.minutes)}, or use a larger --min-size or fewer --seeds")
    return est
