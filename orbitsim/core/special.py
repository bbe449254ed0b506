"""Special functions as numba kernels: differences of the error function over arrays.

numpy has no ``erf``; :func:`math.erf` / :func:`math.erfc` (C99, accurate to a few ulp) compiled
over flat arrays are what the encounter-plane probability of :mod:`orbitsim.pc` needs.
"""

from __future__ import annotations

import math

import numpy as np

from ._jit import jit


@jit
def half_erf_diff_flat(a, b):
    """``(erf(a) - erf(b)) / 2`` element-wise for 1-D float64 arrays with ``a >= b``, accurate in the
    tails: where both arguments have the same sign the difference is taken between the small
    complements (``erfc``), so a probability of 1e-300 keeps its relative accuracy instead of
    vanishing in the rounding of numbers near 1."""
    out = np.empty(a.shape[0])
    for i in range(a.shape[0]):
        if b[i] >= 0.0:
            out[i] = 0.5 * (math.erfc(b[i]) - math.erfc(a[i]))
        elif a[i] <= 0.0:
            out[i] = 0.5 * (math.erfc(-a[i]) - math.erfc(-b[i]))
        else:
            out[i] = 0.5 * (math.erf(a[i]) - math.erf(b[i]))
    return out
