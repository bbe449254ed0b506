"""The one JIT decorator of orbitsim.

Every kernel in :mod:`orbitsim.core` is compiled through :func:`jit`, so that caching, fast math
policy and the switch that runs everything as plain Python (for coverage and debugging) live in one
place.

Set ``ORBITSIM_DISABLE_JIT=1`` (or numba's own ``NUMBA_DISABLE_JIT=1``) before importing orbitsim to
run the kernels uncompiled.
"""

from __future__ import annotations

import os

import numba
from numba import prange  # re-exported for kernels: ``from ._jit import jit, prange``

DISABLE_JIT = os.environ.get("ORBITSIM_DISABLE_JIT", "") not in ("", "0") or bool(
    numba.config.DISABLE_JIT
)

__all__ = ["jit", "prange", "DISABLE_JIT", "set_threads", "get_threads"]


def jit(func=None, *, parallel: bool = False, cache: bool = True, fastmath: bool = False, **options):
    """Compile a kernel with numba's ``njit`` (nopython mode), or leave it alone.

    Parameters
    ----------
    func : callable, optional
        The kernel. ``@jit`` and ``@jit(parallel=True)`` both work.
    parallel : bool
        Compile ``prange`` loops as parallel loops. Use it for the ``*_many`` wrappers only.
    cache : bool
        Cache the machine code on disk (next to the source) so later processes skip compilation.
    fastmath : bool
        Allow fast-math reassociation. Off by default: reproducibility (same seed, same bits)
        matters more than the last few percent.
    **options
        Passed to :func:`numba.njit`.
    """

    def wrap(f):
        if DISABLE_JIT:
            return f
        return numba.njit(parallel=parallel, cache=cache, fastmath=fastmath, nogil=True, **options)(f)

    if func is not None:
        return wrap(func)
    return wrap


def set_threads(n: int | None) -> int:
    """Set the number of threads the parallel kernels use (``None``: all cores). Returns it."""
    if DISABLE_JIT:
        return 1
    n_max = numba.config.NUMBA_NUM_THREADS
    n = n_max if n is None else max(1, min(int(n), n_max))
    numba.set_num_threads(n)
    return n


def get_threads() -> int:
    """Return the number of threads the parallel kernels use now."""
    return 1 if DISABLE_JIT else numba.get_num_threads()
