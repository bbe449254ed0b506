"""Numba kernels: plain floats and arrays in, arrays out.

Nothing in this package imports astropy, skyfield or the API modules above it. Kernels come in
pairs: one object (``@jit``) and many (a ``prange`` wrapper named ``*_many``). All are compiled
through :func:`orbitsim.core._jit.jit`.
"""
