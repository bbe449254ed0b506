"""Breakup throughput: the 1 mm Iridium 33 + Cosmos 2251 cloud (~3.2 M fragments).

Rows: fragments per second of :func:`orbitsim.breakup.collision` (with parent states, the orbit
drop rules and the Krisko 2011 mass budget) on 1 and 2 threads, the same for the bare kernel,
a straightforward NumPy implementation of the same model (written below, vectorized, one thread)
as the baseline, peak Python-heap memory (tracemalloc) of one API call, and numba's first-call
compile time measured in a fresh process with an empty cache.

Published reference: the best public implementation (C++17) does about 3 M fragments/s on one core
(docs/model-notes.md section 1). ``quick=True`` uses a 1 cm cut (~62 k fragments).
"""

from __future__ import annotations

from _compile import first_call_seconds

import math
import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from orbitsim import breakup  # noqa: E402
from orbitsim.breakup import Parent  # noqa: E402
from orbitsim.core import sbm  # noqa: E402
from orbitsim.core._jit import get_threads, set_threads  # noqa: E402

MU = 398600.8
RE = 6378.135


def _parents():
    # Iridium 33 and Cosmos 2251 at about 789 km, 2009-02-10 (a circular stand-in for the states)
    r = RE + 789.0
    v = math.sqrt(MU / r)
    r_km = np.array([r, 0.0, 0.0])
    cosmos = Parent(900.0, r_km=r_km, v_km_s=np.array([0.0, v * math.cos(1.30), v * math.sin(1.30)]),
                    name="COSMOS 2251")
    iridium = Parent(556.0, r_km=r_km, v_km_s=np.array([0.0, v * math.cos(1.51), -v * math.sin(1.51)]),
                     name="IRIDIUM 33")
    return cosmos, iridium


# -------------------------------------------------------------------------- the NumPy baseline
def numpy_breakup(n_mean, lc_min, lc_max, p_first, parent_r, parent_v, rng):
    """The same model (collision, spacecraft laws, sample-blend bridge, mixture reading) in
    plain vectorized NumPy: whole-array temporaries, one thread. Returns (kept rows, dropped)."""
    n = rng.poisson(n_mean)
    a = 1.71
    parent = (rng.random(n) >= p_first).astype(np.int64)
    u = rng.random(n)
    lc = (lc_min ** -a - u * (lc_min ** -a - lc_max ** -a)) ** (-1.0 / a)
    x = np.log10(lc)
    mu_s = np.where(x <= -1.75, -0.3, np.where(x < -1.25, -0.3 - 1.4 * (x + 1.75), -1.0))
    sg_s = np.where(x <= -3.5, 0.2, 0.2 + 0.1333 * (x + 3.5))
    chi_s = mu_s + sg_s * rng.standard_normal(n)
    alpha = np.clip(0.3 + 0.4 * (x + 1.2), 0.0, 1.0)
    mu1 = np.clip(-0.6 - 0.318 * (x + 1.1), -0.95, -0.6)
    s1 = np.clip(0.1 + 0.2 * (x + 1.3), 0.1, 0.3)
    mu2 = np.clip(-1.2 - 1.333 * (x + 0.7), -2.0, -1.2)
    s2 = np.clip(0.5 - (x + 0.5), 0.3, 0.5)
    first = rng.random(n) < alpha
    chi_l = np.where(first, mu1 + s1 * rng.standard_normal(n), mu2 + s2 * rng.standard_normal(n))
    w = np.clip((lc - 0.08) / 0.03, 0.0, 1.0)
    chi = (1 - w) * chi_s + w * chi_l
    am = 10.0 ** chi
    area = np.where(lc < 0.00167, 0.540424 * lc ** 2, 0.556945 * lc ** 2.0047077)
    mass = area / am
    speed = 10.0 ** (0.9 * chi + 2.9 + 0.4 * rng.standard_normal(n))
    cz = rng.uniform(-1, 1, n)
    phi = rng.uniform(0, 2 * np.pi, n)
    sz = np.sqrt(1 - cz ** 2)
    dv = np.stack([speed * sz * np.cos(phi), speed * sz * np.sin(phi), speed * cz], axis=1)
    r = parent_r[parent]
    v = parent_v[parent] + dv / 1e3
    rn = np.linalg.norm(r, axis=1)
    energy = 0.5 * np.einsum("ij,ij->i", v, v) - MU / rn
    sma = -MU / (2 * energy)
    h = np.linalg.norm(np.cross(r, v), axis=1)
    e = np.sqrt(np.clip(1 - h ** 2 / (MU * sma), 0, None))
    keep = (energy < 0) & (sma * (1 - e) - RE >= 100.0)
    out = [arr[keep] for arr in (lc, am, area, mass, dv, parent, r, v)]
    return n, out


def _best(fn, repeats):
    """Best wall time of ``repeats`` calls, the process CPU time of that call, and its result."""
    best = float("inf")
    cpu = float("nan")
    result = None
    for _ in range(repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - t0
        if dt < best:
            best, cpu = dt, time.process_time() - c0
    return best, cpu, result


def _load() -> str:
    try:
        return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    except OSError:
        return ""


def _compile_time() -> dict:
    """First call in a fresh interpreter with an empty numba cache, minus a second call."""
    code = (
        "import time, numpy as np\n"
        "t0 = time.perf_counter()\n"
        "from orbitsim import breakup\n"
        "from orbitsim.breakup import Parent\n"
        "t1 = time.perf_counter()\n"
        "p = Parent(900.0, r_km=[7000.0, 0, 0], v_km_s=[0, 7.5, 0])\n"
        "breakup.collision(p, Parent(556.0), 11.7, min_size=0.005, seed=1)\n"
        "t2 = time.perf_counter()\n"
        "breakup.collision(p, Parent(556.0), 11.7, min_size=0.005, seed=1)\n"
        "t3 = time.perf_counter()\n"
        "print(t1 - t0, (t2 - t1) - (t3 - t2))\n"
    )
    (imp, cold), (_, cached) = first_call_seconds(code, runs=2)
    return {"cold": cold, "cached": cached, "import": imp}


def run(quick: bool = False) -> list[dict]:
    min_size = 0.01 if quick else 0.001
    repeats = 2 if quick else 3
    cosmos, iridium = _parents()
    label = f"Iridium-Cosmos {'1 cm' if quick else '1 mm'} cut"
    rows = []

    comp = _compile_time()
    rows.append(dict(benchmark="breakup", metric="numba compile, first call (empty cache)",
                     value=comp["cold"], unit="s", note="fresh process; all breakup kernels"))
    rows.append(dict(benchmark="breakup", metric="first call with on-disk cache", value=comp["cached"],
                     unit="s", note=f"import orbitsim.breakup {comp['import']:.2f} s"))

    def api():
        return breakup.collision(cosmos, iridium, 11.7, min_size=min_size, seed=42)

    threads_before = get_threads()
    api()  # warm (compiled)
    rates = {}
    n_sampled = None
    try:
        for th in (1, 2):
            set_threads(th)
            dt, cpu, cloud = _best(api, repeats)
            n_sampled = cloud.parameters["n_sampled"]
            rates[th] = n_sampled / dt
            rows.append(dict(benchmark="breakup", metric=f"collision() fragments/s, {th} thread(s)",
                             value=rates[th], unit="fragments/s", baseline="C++17 published (1 core)",
                             baseline_value=3.0e6, ratio=rates[th] / 3.0e6,
                             note=f"{label}: {n_sampled:,} sampled, {len(cloud):,} kept, "
                                  f"{dt:.3f} s wall; states, drops and Krisko budget included; "
                                  f"{_load()}"))
            if th == 1:
                rows.append(dict(benchmark="breakup",
                                 metric="collision() fragments per CPU-second, 1 thread",
                                 value=n_sampled / cpu, unit="fragments/s",
                                 baseline="C++17 published (1 core)", baseline_value=3.0e6,
                                 ratio=n_sampled / cpu / 3.0e6,
                                 note="process CPU time of the timed call: robust to a busy machine"))
        # the bare kernel (no API, no drops, no budget)
        n = n_sampled
        nb = -(-n // sbm.BLOCK)
        states = np.random.SeedSequence(7).generate_state(4 * nb, dtype=np.uint64).reshape(nb, 4)
        pr = np.stack([cosmos.r_km, iridium.r_km])
        pv = np.stack([cosmos.v_km_s, iridium.v_km_s])
        bufs = (np.empty(n, np.int64), np.empty(n), np.empty(n), np.empty(n), np.empty(n),
                np.empty((n, 3)), np.empty((n, 3)), np.empty((n, 3)), np.empty(n, np.int8),
                np.empty(nb))
        lmax = cosmos.lc_m

        def kernel():
            sbm.sample_fragments_many(n, states, min_size, lmax, 1.71, 900 / 1456, 0, 0, 0, 0, 0,
                                      pr, pv, True, RE + 100.0, *bufs)
        for th in (1, 2):
            set_threads(th)
            dt, cpu, _ = _best(kernel, repeats)
            rows.append(dict(benchmark="breakup", metric=f"kernel fragments/s, {th} thread(s)",
                             value=n / dt, unit="fragments/s",
                             note=f"{label}: sample_fragments_many, buffers reused; "
                                  f"{n / cpu:.3g} per CPU-second; {_load()}"))
        del bufs
    finally:
        set_threads(threads_before)

    # baseline: straightforward NumPy, same model and drop rules
    rng = np.random.default_rng(42)
    coef = 0.1 * 1456.0 ** 0.75
    n_mean = coef * (min_size ** -1.71 - cosmos.lc_m ** -1.71)

    def base():
        return numpy_breakup(n_mean, min_size, cosmos.lc_m, 900 / 1456,
                             np.stack([cosmos.r_km, iridium.r_km]),
                             np.stack([cosmos.v_km_s, iridium.v_km_s]), rng)
    dt_np, _, (n_np, _) = _best(base, 1 if not quick else 2)
    np_rate = n_np / dt_np
    for th in (1, 2):
        rows.append(dict(benchmark="breakup", metric=f"vs NumPy baseline, {th} thread(s)",
                         value=rates[th], unit="fragments/s", baseline="numpy_breakup (this file)",
                         baseline_value=np_rate, ratio=rates[th] / np_rate,
                         note=f"NumPy: {n_np:,} fragments in {dt_np:.3f} s"))

    # what merely touching fresh memory of the cloud's size costs here (page faults; large on VMs):
    # collision() writes into new arrays, the bare-kernel rows above reuse theirs
    nbytes = n_sampled * (5 * 8 + 3 * 24 + 3)

    def touch():
        import mmap
        m = mmap.mmap(-1, nbytes)  # a fresh anonymous mapping: every page faults once
        buf = np.frombuffer(m, dtype=np.uint8)
        buf[::4096] = 1
        del buf
        m.close()
        return nbytes
    dt_touch, cpu_touch, _ = _best(touch, 2)
    rows.append(dict(benchmark="breakup", metric="first touch of fresh memory, cloud-sized",
                     value=cpu_touch, unit="CPU s",
                     note=f"{nbytes / 2**20:.0f} MiB fresh mapping, one write a page, {dt_touch:.3f} s wall: the part of "
                          "collision() time that is the machine's page-fault cost"))

    # peak memory of one API call (Python heap incl. NumPy arrays)
    set_threads(threads_before)
    tracemalloc.start()
    cloud = api()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(dict(benchmark="breakup", metric="peak memory, one collision() call", value=peak / 2**20,
                     unit="MiB", note=f"tracemalloc; {len(cloud):,} fragments kept; target < 1024 MiB"))
    tracemalloc.start()
    _ = base()
    _, peak_np = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(dict(benchmark="breakup", metric="peak memory, NumPy baseline", value=peak_np / 2**20,
                     unit="MiB", baseline="numpy_breakup (this file)", note="tracemalloc"))
    return rows


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(r)
