"""Long-term decay throughput: a Fengyun-1C-like cloud for a century, vs scipy solve_ivp.

Rows:
- ``decay_compile``: first-call numba compilation of the decay kernels (cold cache, subprocess).
- ``decay_table``: building the century density table (numpy).
- ``decay_cloud``: N fragments (SBM collision cloud, 863 km, 2007-01-11, >= 5 mm; 100,000 in the
  full run, 2,000 quick) propagated 100 years on all threads: wall time and fragment-years/s.
- ``decay_vs_solve_ivp``: the same model (same numba drag and gravity rates, same density table)
  integrated with scipy's ``solve_ivp`` (RK45, rtol 1e-6) on a sample; ratio of fragment-years/s,
  ours / scipy, both single-threaded.
"""

from __future__ import annotations

from _compile import first_call_seconds

import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_COMPILE_SNIPPET = r"""
import time, warnings
warnings.simplefilter("ignore")
t0 = time.perf_counter()
from orbitsim import evolution as ev
from orbitsim import atmosphere as atm
tab = atm.density_table(2458849.5, 2458849.5 + 40, warn=False)
t1 = time.perf_counter()
ev.decay_elements(6778.0, 0.001, 51.6, 0, 0, 0, 0.02, 2458849.5, years=0.05, table=tab)
t2 = time.perf_counter()
print(t2 - t1)
"""


def _compile_seconds() -> float:
    return first_call_seconds(_COMPILE_SNIPPET, runs=1)[0][-1]


def _cloud(n: int):
    from orbitsim import breakup

    mu, re = 398600.8, 6378.135
    r = np.array([re + 863.0, 0.0, 0.0])
    v = np.sqrt(mu / r[0]) * np.array([0.0, np.cos(np.radians(98.7)), np.sin(np.radians(98.7))])
    c = breakup.collision(breakup.Parent(mass_kg=880.0, r_km=r, v_km_s=v), breakup.Parent(mass_kg=50.0), 9.36,
                          min_size=0.005, seed=2007, epoch="2007-01-11T22:26")
    reps = int(np.ceil(n / len(c)))
    idx = np.arange(reps * len(c))[:n] % len(c)
    return c[idx]


def _solve_ivp_rates(sample, tab, years):
    """Integrate (a, e cos w, e sin w) with solve_ivp using the kernel's own rate functions."""
    from scipy.integrate import solve_ivp

    from orbitsim.core import decay as kd

    cos_e = np.cos(2 * np.pi * np.arange(64) / 64)
    sin_e = np.sin(2 * np.pi * np.arange(64) / 64)
    nalt = tab.cum_rho_day.shape[1]
    buf = np.empty(nalt)
    reentry = 120.0
    frag_years = 0.0
    a0s, e0s, incs, w0s, bcs, t0s = sample
    t_end = t0s[0] + years * 365.25
    for a0, e0, inc, w0, bc, t0 in zip(a0s, e0s, incs, w0s, bcs, t0s):
        def rhs(t, y):
            a, kx, hx = y
            e = min(np.hypot(kx, hx), 0.99)
            w = np.arctan2(hx, kx)
            _mdot, wdot, _odot, _n = kd.secular_rates(a, e, inc)
            e_f = -(kd.J3 / (2 * kd.J2)) * np.sin(inc) * kd.RE_KM / (a * (1 - e * e))
            _fill(tab.cum_rho_day, t, buf)
            hs = kd._scale_height_km(a * (1 - e) - kd.RE_KM, tab.alt0_km, tab.dalt_km, 0, nalt - 1, buf)
            dadt, dedt = kd.drag_rates(a, e, inc, w, bc, tab.alt0_km, tab.dalt_km, 0, nalt - 1, buf,
                                       cos_e, sin_e, hs)
            ce, se = (kx / e, hx / e) if e > 0 else (1.0, 0.0)
            return [dadt, dedt * ce - wdot * (hx - e_f), dedt * se + wdot * kx]

        def hit(t, y):
            return y[0] * (1 - np.hypot(y[1], y[2])) - kd.RE_KM - reentry

        hit.terminal = True
        sol = solve_ivp(rhs, (t0, t_end), [a0, e0 * np.cos(w0), e0 * np.sin(w0)], rtol=1e-6, atol=1e-9,
                        events=hit, method="RK45")
        frag_years += (sol.t[-1] - t0) / 365.25
    return frag_years


def _fill(cum, t, buf):
    k = int(min(max(np.floor(t), 0), cum.shape[0] - 2))
    np.log(np.maximum(cum[k + 1] - cum[k], 1e-300), out=buf)


def run(quick: bool = False) -> list[dict]:
    warnings.simplefilter("ignore")
    from orbitsim import atmosphere as atm
    from orbitsim import evolution as ev
    from orbitsim.core._jit import get_threads

    rows = []
    n = 2_000 if quick else 100_000
    years = 100.0
    rows.append({"benchmark": "decay_compile", "metric": "first-call compile (cold cache)",
                 "value": _compile_seconds(), "unit": "s", "note": "numba, decay kernels"})
    cloud = _cloud(n)
    ep = float(cloud.epoch_jd) + float(cloud.epoch_fr)
    t0 = time.perf_counter()
    tab = atm.density_table(ep - 1, ep + years * 365.25 + 1, warn=False)
    rows.append({"benchmark": "decay_table", "metric": "density table, 100 y x 241 altitudes",
                 "value": time.perf_counter() - t0, "unit": "s"})
    ev.decay(cloud[np.arange(min(50, n))], years=0.1, table=tab)  # warm (loads cached kernels)
    t0 = time.perf_counter()
    res = ev.decay(cloud, years=years, table=tab)
    wall = time.perf_counter() - t0
    fy = res.fragment_years
    rows.append({"benchmark": "decay_cloud", "metric": f"{n} fragments x {years:.0f} y, wall",
                 "value": wall, "unit": "s", "note": f"{get_threads()} threads; target < 30 s for 100,000"})
    rows.append({"benchmark": "decay_cloud", "metric": "fragment-years per second", "value": fy / wall,
                 "unit": "fragment-yr/s", "note": f"{fy:.0f} fragment-years, mean {res.steps.mean():.0f} steps"})
    # baseline: solve_ivp on a sample (single thread both sides)
    rng = np.random.default_rng(0)
    m = 6 if quick else 20
    pick = rng.choice(n, m, replace=False)
    sub = cloud[pick]
    a, e, inc, raan, argp, mm = ev.state_to_elements(sub.r_km, sub.v_km_s)
    bc = 2.2 * sub.area_to_mass_m2_per_kg
    t0 = time.perf_counter()
    ours = ev.decay_elements(a, e, np.degrees(inc), np.degrees(raan), np.degrees(argp), np.degrees(mm), bc, ep,
                             years=years, table=tab, threads=1)
    t_ours = time.perf_counter() - t0
    sample = (a, e, inc, argp, bc, np.full(m, ep - tab.jd0))
    t0 = time.perf_counter()
    fy_ivp = _solve_ivp_rates(sample, tab, years)
    t_ivp = time.perf_counter() - t0
    r_ours = ours.fragment_years / t_ours
    r_ivp = fy_ivp / t_ivp
    rows.append({"benchmark": "decay_vs_solve_ivp", "metric": f"fragment-years/s, {m}-fragment sample, 1 thread",
                 "value": r_ours, "unit": "fragment-yr/s", "baseline": "scipy solve_ivp RK45 (same numba rates)",
                 "baseline_value": r_ivp, "ratio": r_ours / r_ivp,
                 "note": f"fragment-years ours {ours.fragment_years:.0f} vs solve_ivp {fy_ivp:.0f}"})
    return rows


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=1))
