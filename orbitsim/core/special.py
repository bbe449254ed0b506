"""Special functions as numba kernels: the error function over arrays.

numpy has no ``erf``; :func:`math.erf` (C99 ``erf``, accurate to a few ulp) compiled over a flat
array is what the encounter-plane probability of :mod:`orbitsim.pc` needs.
"""

from __future__ import annotations

import math

import numpy as np

from ._jit import jit


@jit
def erf_flat(x):
    """``erf`` of every element of a 1-D float64 array (a new array)."""
    out = np.empty(x.shape[0])
    for i in range(x.shape[0]):
        out[i] = math.erf(x[i])
    return out


@jit
def erfc_flat(x):
    """``erfc`` of every element of a 1-D float64 array (a new array), accurate in the far tail."""
    out = np.empty(x.shape[0])
    for i in range(x.shape[0]):
        out[i] = math.erfc(x[i])
    return out
