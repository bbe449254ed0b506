"""First-call (numba compile) timing shared by the benchmarks.

A snippet runs in fresh Python processes that share one empty ``NUMBA_CACHE_DIR``: the first
process compiles every kernel it touches, later ones load the cache just written (what a user pays
after the first run). The snippet prints its timings, whitespace-separated, on its last line.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def first_call_seconds(code: str, runs: int = 2) -> list[list[float]]:
    """Run ``code`` ``runs`` times on one fresh numba cache; return the floats of each last line.

    Returns
    -------
    list of list of float
        ``[cold_run_values, cached_run_values, ...]``.
    """
    out = []
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, PYTHONPATH=str(ROOT))
        for _ in range(runs):
            res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                 cwd=str(ROOT), check=True)
            out.append([float(x) for x in res.stdout.strip().splitlines()[-1].split()])
    return out
