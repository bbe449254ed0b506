"""SGP4 throughput: orbitsim's numba SGP4/SDP4 against sgp4.SatrecArray (Vallado's C++) in the same run.

Workload: the embedded default catalog (about 18,700 objects, some 800 deep-space, resonant ones
included) x 1,440 times (one day at one-minute steps, Julian-date input as SatrecArray takes it).
Rows: SatrecArray single-threaded (baseline), ours on 1 and 2 threads (ratios to the baseline),
fragment state -> element-set conversion rate, and numba compile time (fresh cache) and cached load
time, each in its own row. ``quick``: every 8th object x 240 times, fewer fragments.
"""

from __future__ import annotations

from _compile import first_call_seconds

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _best(fn, repeat):
    best = np.inf
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def _compile_times() -> tuple[float, float]:
    """First-call time of the SGP4 kernels in a fresh process with an empty numba cache, then again
    with that cache filled (what users see after the first run)."""
    code = (
        "import time, numpy as np\n"
        "t=time.perf_counter()\n"
        "from sgp4.api import Satrec, WGS72\n"
        "from orbitsim import propagation\n"
        "s=Satrec.twoline2rv('1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753',"
        "'2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667', WGS72)\n"
        "t=time.perf_counter()\n"
        "propagation.sgp4([s], np.array([s.jdsatepoch]), np.array([0.5]))\n"
        "propagation.fragment_elements(np.array([[7000.0,0,0]]), np.array([[0,7.5,0.1]]), 0.1, 2451545.0)\n"
        "print(time.perf_counter()-t)\n"
    )
    (cold,), (cached,) = first_call_seconds(code, runs=2)
    return cold, cached


def run(quick: bool) -> list[dict]:
    from sgp4.api import SatrecArray

    from orbitsim import catalog, propagation
    from orbitsim.core._jit import get_threads, set_threads
    from orbitsim.core.sgp4_init import C_METHOD

    rows = []
    compile_s, cached_s = _compile_times()
    rows.append(dict(benchmark="sgp4", metric="first-call compile time (empty numba cache)",
                     value=compile_s, unit="s", note="init + propagate + fragment kernels"))
    rows.append(dict(benchmark="sgp4", metric="first-call time with the numba cache filled",
                     value=cached_s, unit="s"))

    cat = catalog.load_default()
    if quick:
        cat = cat[np.arange(0, len(cat), 8)]
    n_t = 240 if quick else 1440
    t0 = np.floor(np.median(cat.epoch_jd + cat.epoch_fr) - 0.5) + 0.5
    jd = np.full(n_t, t0)
    fr = np.arange(n_t) / 1440.0
    n_prop = len(cat) * n_t
    repeat = 2 if quick else 3

    sa = SatrecArray(cat.satrecs())
    t_sa = _best(lambda: sa.sgp4(jd, fr), repeat)
    base = n_prop / t_sa
    coef = propagation.coefficients(cat)
    n_deep = int((coef[:, C_METHOD] == 1).sum())
    workload = f"{len(cat)} objects ({n_deep} deep-space) x {n_t} times"
    rows.append(dict(benchmark="sgp4", metric="propagations/s, SatrecArray 1 thread", value=base,
                     unit="1/s", baseline="sgp4.SatrecArray", baseline_value=base, ratio=1.0, note=workload))
    threads_before = get_threads()
    try:
        for threads in (1, 2):
            set_threads(threads)
            propagation.sgp4(coef[:4], jd[:2], fr[:2])  # warm
            t = _best(lambda: propagation.sgp4(coef, jd, fr), repeat)
            rows.append(dict(benchmark="sgp4", metric=f"propagations/s, orbitsim {threads} thread(s)",
                             value=n_prop / t, unit="1/s", baseline="sgp4.SatrecArray (1 thread)",
                             baseline_value=base, ratio=(n_prop / t) / base,
                             note=workload + "; coefficient table precomputed"))
        # streaming: peak traced memory of sgp4_chunks does not grow with the number of times
        import tracemalloc

        sub = coef[: min(len(coef), 2000)]
        peaks = []
        for days in (1, 4):
            jd_s = np.full(days * 1440, t0)
            fr_s = np.arange(days * 1440) / 1440.0
            tracemalloc.start()
            for _ in propagation.sgp4_chunks(sub, jd_s, fr_s, chunk_size=240):
                pass
            peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
            tracemalloc.stop()
        rows.append(dict(benchmark="sgp4", metric="peak memory streaming 1 day / 4 days (chunks of 240 times)",
                         value=peaks[1], unit="MiB", baseline="same stream over 1 day",
                         baseline_value=peaks[0], ratio=peaks[1] / peaks[0],
                         note=f"{len(sub)} objects at 1-min steps; ratio 1 = no growth with time steps"))

        set_threads(1)
        t_init = _best(lambda: propagation.coefficients(cat), repeat)
        rows.append(dict(benchmark="sgp4", metric="initialisations/s (sgp4init), orbitsim 1 thread",
                         value=len(cat) / t_init, unit="1/s"))

        # fragment states -> element sets (a Fengyun-1C-like cloud at 863 km, 98.7 deg)
        rng = np.random.default_rng(2007)
        n_f = 20_000 if quick else 200_000
        a = 6378.135 + 863.0
        inc = np.radians(98.7)
        r0 = a * np.array([1.0, 0.0, 0.0])
        v0 = np.sqrt(398600.8 / a) * np.array([0.0, np.cos(inc), np.sin(inc)])
        d = rng.normal(size=(n_f, 3))
        d /= np.linalg.norm(d, axis=1)[:, None]
        v = v0 + np.exp(rng.normal(np.log(0.15), 0.6, n_f))[:, None] * d
        r = np.tile(r0, (n_f, 1))
        am = np.exp(rng.normal(np.log(0.1), 0.5, n_f))
        for threads in (1, 2):
            set_threads(threads)
            propagation.fragment_elements(r[:4], v[:4], am[:4], 2454112.5, 0.93)
            t = _best(lambda: propagation.fragment_elements(r, v, am, 2454112.5, 0.93), repeat)
            fe = propagation.fragment_elements(r[:2000], v[:2000], am[:2000], 2454112.5, 0.93)
            rows.append(dict(benchmark="fragment_elements", metric=f"fragments/s, {threads} thread(s)",
                             value=n_f / t, unit="1/s", note=f"{n_f} fragments; epoch position error "
                             f"99.9% < {np.nanquantile(fe.pos_err_km, 0.999) * 1e3:.2g} m"))
    finally:
        set_threads(threads_before)
    return rows


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
