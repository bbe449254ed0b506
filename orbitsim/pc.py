"""Collision probability in the encounter plane (Foster 2D), numpy over the erf kernel of
:mod:`orbitsim.core.special` (no scipy).

References
----------
Foster, J. L. and Estes, H. S. (1992), "A parametric analysis of orbital debris collision
probability and maneuver rate for space vehicles", NASA JSC-25898: the 2-D Gaussian integral over
the hard-body circle in the plane normal to the relative velocity.
NASA CARA Analysis Tools, ``Pc2D_Foster``: the convention followed here, with the full 3-D miss
vector placed along the x axis of the encounter plane (x along the miss component normal to the
relative velocity, y along the relative velocity, z along ``r x v``).
Alfano, S. (2005), "Relating position uncertainty to maximum conjunction probability", J.
Astronaut. Sci. 53(2): the maximum over a scaled covariance of fixed shape.

The circle integral is written with ``x = HBR sin(theta)`` so that the inner 1-D Gaussian integral
(an erf difference) is taken across the thinner principal axis and the outer integrand is smooth in
``theta``. When the thinner standard deviation vanishes (a "very thin" covariance) the inner
integral is an indicator and the whole probability is the 1-D erf expression
``Phi((w - m1)/s1) - Phi((-w - m1)/s1)``, ``w = sqrt(HBR^2 - m2^2)``.

Quadrature: :func:`pc_circle` integrates over ``theta`` adaptively (global bisection of the
subinterval with the largest error estimate, as QUADPACK's QAG does; Piessens et al. 1983), each
subinterval by 15- and 31-point Gauss-Legendre rules whose difference is the error estimate, split
first at the points where the integrand has its peaks or steps. The maximum over covariance scale
(:func:`pc_max_one`) is a log-spaced scan followed by golden-section search in ``log k`` around the
best node.
"""

from __future__ import annotations

import heapq
import math

import numpy as np

from .core.special import half_erf_diff_flat

_SQRT2 = math.sqrt(2.0)
_GL_X, _GL_W = np.polynomial.legendre.leggauss(96)
#: Gauss-Legendre pair of the adaptive quadrature (nodes, weights on [-1, 1]).
_GL_LO = np.polynomial.legendre.leggauss(15)
_GL_HI = np.polynomial.legendre.leggauss(31)
_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
#: Below this ratio of thin to thick principal sigma, or of thin sigma to HBR, the 1-D erf form is used.
THIN_RATIO = 1e-7


def encounter_frame(r1, v1, r2, v2):
    """Return (unit x, unit z, 3-D miss) of the encounter plane, batched over leading axes.

    ``r = r1 - r2``, ``v = v1 - v2``; ``y = v/|v|``, ``z = (r x v)/|r x v|``, ``x = y x z``.
    """
    r = np.asarray(r1, float) - np.asarray(r2, float)
    v = np.asarray(v1, float) - np.asarray(v2, float)
    miss = np.linalg.norm(r, axis=-1)
    y = v / np.linalg.norm(v, axis=-1, keepdims=True)
    h = np.cross(r, v)
    hn = np.linalg.norm(h, axis=-1, keepdims=True)
    # Degenerate (zero miss or miss along v): any unit vector normal to v will do.
    bad = (hn[..., 0] <= 1e-300) | ~np.isfinite(hn[..., 0])
    if np.any(bad):
        trial = np.where(np.abs(y[..., :1]) < 0.9, np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0]))
        alt = np.cross(trial, y)
        h = np.where(bad[..., None], alt, h)
        hn = np.linalg.norm(h, axis=-1, keepdims=True)
    z = h / hn
    x = np.cross(y, z)
    return x, z, miss


def project_covariance(cov_km2, x, z):
    """Project 3x3 covariance(s) onto the encounter plane axes: returns ``(cxx, cxz, czz)``."""
    cov = np.asarray(cov_km2, float)
    cx = np.einsum("...ij,...j->...i", cov, x)
    cz = np.einsum("...ij,...j->...i", cov, z)
    return (np.einsum("...i,...i->...", x, cx), np.einsum("...i,...i->...", x, cz),
            np.einsum("...i,...i->...", z, cz))


def principal(cxx, cxz, czz, miss):
    """Principal sigmas (thick ``s1 >= s2``) and the miss vector in the principal axes."""
    tr = 0.5 * (cxx + czz)
    det_half = np.sqrt(np.maximum(0.25 * (cxx - czz) ** 2 + cxz ** 2, 0.0))
    l1 = tr + det_half
    l2 = np.maximum(tr - det_half, 0.0)
    # eigenvector of l1: angle phi with tan(2 phi) = 2 cxz / (cxx - czz)
    phi = 0.5 * np.arctan2(2.0 * cxz, cxx - czz)
    m1 = miss * np.cos(phi)   # miss (miss, 0) projected on (cos phi, sin phi)
    m2 = -miss * np.sin(phi)  # and on (-sin phi, cos phi)
    return np.sqrt(np.maximum(l1, 0.0)), np.sqrt(l2), m1, m2


def _half_erf_diff(a, b):
    """``(erf(a) - erf(b)) / 2`` for ``a >= b``, broadcast, accurate in the tails."""
    a, b = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    return half_erf_diff_flat(np.ascontiguousarray(a).ravel(), np.ascontiguousarray(b).ravel()).reshape(a.shape)


def _thin_1d(s1, m1, m2, hbr):
    w = np.sqrt(np.maximum(hbr * hbr - m2 * m2, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(s1 > 0, (w - m1) / s1, np.where(w - m1 > 0, np.inf, -np.inf))
        b = np.where(s1 > 0, (-w - m1) / s1, np.where(-w - m1 > 0, np.inf, -np.inf))
    p = _half_erf_diff(a / _SQRT2, b / _SQRT2)  # Phi(a) - Phi(b), a >= b, accurate in the tails
    return np.where(w > 0, p, 0.0)


def _integrand(theta, s1, s2, m1, m2, hbr):
    x = hbr * np.sin(theta)
    c = hbr * np.cos(theta)
    g = np.exp(-0.5 * ((x - m1) / s1) ** 2) / (s1 * math.sqrt(2.0 * math.pi))
    inner = _half_erf_diff((c - m2) / (_SQRT2 * s2), (-c - m2) / (_SQRT2 * s2))
    return c * g * inner


def pc_circle(s1, s2, m1, m2, hbr, *, epsrel=1e-12):
    """Exact circle integral for one encounter (adaptive quadrature), principal-axes inputs."""
    if not (hbr > 0):
        return 0.0
    if s2 <= THIN_RATIO * max(s1, hbr):
        return float(_thin_1d(np.float64(s1), m1, m2, hbr))
    pts = []
    for centre in (m1, m1 - 4 * s1, m1 + 4 * s1):
        if abs(centre) < hbr:
            pts.append(math.asin(centre / hbr))
    if abs(m2) < hbr:  # where the inner erf steps (thin covariances)
        th = math.acos(abs(m2) / hbr)
        pts.extend([-th, th])
    val = adaptive_quad(lambda th: _integrand(th, s1, s2, m1, m2, hbr), -math.pi / 2, math.pi / 2,
                        points=sorted(set(pts)), epsrel=epsrel, limit=400)
    return float(min(max(val, 0.0), 1.0))


def pc_batch(s1, s2, m1, m2, hbr):
    """Circle integral for many encounters: 96-point Gauss-Legendre in theta where it is accurate
    (HBR below half the thick sigma), adaptive quadrature elsewhere, 1-D erf for thin ones."""
    s1, s2, m1, m2, hbr = np.broadcast_arrays(*(np.asarray(a, float) for a in (s1, s2, m1, m2, hbr)))
    out = np.zeros(s1.shape)
    thin = s2 <= THIN_RATIO * np.maximum(s1, hbr)
    smooth = ~thin & (hbr <= 0.5 * s1) & (hbr > 0)
    if np.any(thin):
        out[thin] = _thin_1d(s1[thin], m1[thin], m2[thin], hbr[thin])
    if np.any(smooth):
        th = 0.5 * math.pi * _GL_X
        w = 0.5 * math.pi * _GL_W
        f = _integrand(th[None, :], s1[smooth, None], s2[smooth, None], m1[smooth, None],
                       m2[smooth, None], hbr[smooth, None])
        out[smooth] = f @ w
    rest = np.flatnonzero(~thin & ~smooth & (hbr > 0))
    for i in rest:
        out.flat[i] = pc_circle(s1.flat[i], s2.flat[i], m1.flat[i], m2.flat[i], hbr.flat[i])
    return np.clip(out, 0.0, 1.0)


def pc_max_batch(s1, s2, m1, m2, hbr, *, k_lo=1e-3, k_hi=1e3, iters=45):
    """Maximum of the circle integral over covariance scale ``k^2 C`` (Alfano 2005), batched.

    Closed form where the circle is small against the scaled covariance (relative error < 1e-4),
    else golden-section search in ``log k`` on ``[k_lo, k_hi]`` (Pc(k) is unimodal in ``k`` for a
    fixed miss). Returns ``(pc_max, k_at_max)``.
    """
    s1, s2, m1, m2, hbr = np.broadcast_arrays(*(np.asarray(a, float) for a in (s1, s2, m1, m2, hbr)))
    out_p = np.zeros(s1.shape)
    out_k = np.zeros(s1.shape)
    # Small circle (HBR << k* s2): Pc(k) = HBR^2 / (2 k^2 s1 s2) exp(-d^2 / (2 k^2)) (1 + O(HBR^2 /
    # (k s2)^2)), maximal at k* = d / sqrt(2): Pc_max = HBR^2 / (e s1 s2 d^2) (Alfano 2005).
    with np.errstate(divide="ignore", invalid="ignore"):
        d2 = (m1 / s1) ** 2 + (m2 / s2) ** 2
        k_star = np.sqrt(d2 / 2.0)
        closed = (s2 > 0) & np.isfinite(d2) & (d2 > 0) & (hbr < 0.005 * k_star * s2)
        out_p[closed] = hbr[closed] ** 2 / (math.e * s1[closed] * s2[closed] * d2[closed])
        out_k[closed] = k_star[closed]
    rest = ~closed
    if np.any(rest):
        p, k = _pc_max_golden(s1[rest], s2[rest], m1[rest], m2[rest], hbr[rest], k_lo, k_hi, iters)
        out_p[rest] = p
        out_k[rest] = k
    return out_p, out_k


def _pc_max_golden(s1, s2, m1, m2, hbr, k_lo, k_hi, iters):
    a = np.full(s1.shape, math.log(k_lo))
    b = np.full(s1.shape, math.log(k_hi))
    gr = (math.sqrt(5.0) - 1.0) / 2.0

    def f(lk):
        k = np.exp(lk)
        return pc_batch(k * s1, k * s2, m1, m2, hbr)

    c = b - gr * (b - a)
    d = a + gr * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(iters):
        left = fc >= fd
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        d_new = np.where(left, c, a + gr * (b - a))
        c_new = np.where(left, b - gr * (b - a), d)
        c, d = c_new, d_new
        fnew = f(np.where(left, c, d))
        fd, fc = np.where(left, fc, fnew), np.where(left, fnew, fd)
    lk = 0.5 * (a + b)
    return f(lk), np.exp(lk)


def adaptive_quad(f, a: float, b: float, *, points=(), epsrel: float = 1e-12, limit: int = 400) -> float:
    """Integral of a vectorised ``f`` over ``[a, b]``, adaptive Gauss-Legendre (15 vs 31 points).

    The interval is first split at ``points`` (inside ``(a, b)``); then the subinterval with the
    largest error estimate ``|G31 - G15|`` is bisected until the summed estimate is at most
    ``epsrel`` times the integral's magnitude, or ``limit`` subintervals exist. No absolute
    tolerance: a probability of 1e-200 is resolved relative to itself.
    """
    edges = [a] + [p for p in points if a < p < b] + [b]

    nodes = np.concatenate([_GL_LO[0], _GL_HI[0]])
    n_lo = _GL_LO[0].size

    def rule(lo, hi):  # one call of f for both rules
        half, mid = 0.5 * (hi - lo), 0.5 * (hi + lo)
        fx = f(mid + half * nodes)
        g_lo = half * float(np.dot(fx[:n_lo], _GL_LO[1]))
        g_hi = half * float(np.dot(fx[n_lo:], _GL_HI[1]))
        return g_hi, abs(g_hi - g_lo)

    heap = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        if hi > lo:
            v, e = rule(lo, hi)
            heapq.heappush(heap, (-e, lo, hi, v))
    while len(heap) < limit:
        total = sum(item[3] for item in heap)
        err = sum(-item[0] for item in heap)
        if err <= epsrel * abs(total) or err == 0.0:
            break
        _, lo, hi, _ = heapq.heappop(heap)
        mid = 0.5 * (lo + hi)
        if not lo < mid < hi:  # cannot split further in floating point
            heapq.heappush(heap, (0.0, lo, hi, _))
            break
        for u, w in ((lo, mid), (mid, hi)):
            v, e = rule(u, w)
            heapq.heappush(heap, (-e, u, w, v))
    return float(sum(item[3] for item in heap))


def golden_max(f, lo: float, hi: float, *, xatol: float = 1e-8) -> tuple[float, float]:
    """Maximum of a unimodal ``f`` on ``[lo, hi]`` by golden-section search: ``(x, f(x))``."""
    c, d = hi - _GOLDEN * (hi - lo), lo + _GOLDEN * (hi - lo)
    fc, fd = f(c), f(d)
    while hi - lo > xatol:
        if fc >= fd:
            hi, d, fd = d, c, fc
            c = hi - _GOLDEN * (hi - lo)
            fc = f(c)
        else:
            lo, c, fc = c, d, fd
            d = lo + _GOLDEN * (hi - lo)
            fd = f(d)
    x = 0.5 * (lo + hi)
    return x, f(x)


def pc_max_one(s1, s2, m1, m2, hbr):
    """Maximum Pc over covariance scale for one encounter, with the exact circle integral.

    ``Pc(k)`` for the covariance ``k^2 C`` is unimodal in ``k`` (Alfano 2005); it underflows to 0
    far below the maximum, so a 49-node scan of ``log k`` on ``[1e-4, 1e4]`` finds the bracket
    first and golden-section search refines it (``log k`` to 1e-8).
    """
    f = lambda lk: pc_circle(math.exp(lk) * s1, math.exp(lk) * s2, m1, m2, hbr, epsrel=1e-10)  # noqa: E731
    grid = np.linspace(math.log(1e-4), math.log(1e4), 49)
    vals = [f(g) for g in grid]
    j = int(np.argmax(vals))
    lk, p = golden_max(f, float(grid[max(j - 1, 0)]), float(grid[min(j + 1, len(grid) - 1)]))
    if vals[j] > p:
        lk, p = float(grid[j]), vals[j]
    return float(p), math.exp(lk)
