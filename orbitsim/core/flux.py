"""Cell ("cube") collision-rate kernels: objects as time-averaged densities in cubic cells.

Liou (2006), "Collision activities in the future orbital debris environment", Adv. Space Res.
38(9): space is cut into cubes of volume ``U``; two objects found in the same cube with spatial
densities ``s_i = w_i / U``, ``s_j = w_j / U`` collide at the rate ``s_i s_j v_rel sigma U``, with
``sigma = pi (r_i + r_j)^2``. Here each object is represented by samples along its orbit (uniform
in mean anomaly, i.e. in time), each carrying the time fraction ``w`` (1/samples), so
``rate = sum over same-cube sample pairs of w_a w_b |v_a - v_b| sigma_ab / U``; its expectation over
the sampling equals the rate of the time-averaged densities.

Plain arrays in, arrays out.
"""

from __future__ import annotations

import math

import numpy as np

from ._jit import jit, prange

#: Earth's gravitational parameter, WGS72 (docs/interfaces.md), km^3/s^2.
MU_KM3_S2 = 398600.8


@jit
def kepler_state(a_km, e, i, raan, argp, mean_anomaly, out_r, out_v):
    """Two-body position (km) and velocity (km/s) from classical elements (radians)."""
    m = mean_anomaly % (2.0 * math.pi)
    ea = m if e < 0.8 else math.pi
    for _ in range(50):
        f = ea - e * math.sin(ea) - m
        d = f / (1.0 - e * math.cos(ea))
        ea -= d
        if abs(d) < 1e-13:
            break
    ce = math.cos(ea)
    se = math.sin(ea)
    sq = math.sqrt(1.0 - e * e)
    px = a_km * (ce - e)
    py = a_km * sq * se
    rr = a_km * (1.0 - e * ce)
    k = math.sqrt(MU_KM3_S2 * a_km) / rr
    vx = -k * se
    vy = k * sq * ce
    cO = math.cos(raan)
    sO = math.sin(raan)
    cw = math.cos(argp)
    sw = math.sin(argp)
    ci = math.cos(i)
    si = math.sin(i)
    # perifocal -> inertial rotation R3(-raan) R1(-i) R3(-argp)
    r11 = cO * cw - sO * sw * ci
    r12 = -cO * sw - sO * cw * ci
    r21 = sO * cw + cO * sw * ci
    r22 = -sO * sw + cO * cw * ci
    r31 = sw * si
    r32 = cw * si
    out_r[0] = r11 * px + r12 * py
    out_r[1] = r21 * px + r22 * py
    out_r[2] = r31 * px + r32 * py
    out_v[0] = r11 * vx + r12 * vy
    out_v[1] = r21 * vx + r22 * vy
    out_v[2] = r31 * vx + r32 * vy


@jit(parallel=True)
def sample_orbits_many(a_km, e, i, raan, argp, mean_anomaly, out_r, out_v):
    """:func:`kepler_state` for arrays ``(n,)`` of elements into ``out_r, out_v`` (n, 3)."""
    for k in prange(a_km.shape[0]):
        kepler_state(a_km[k], e[k], i[k], raan[k], argp[k], mean_anomaly[k], out_r[k], out_v[k])


@jit(parallel=True)
def cube_rates_many(lo, hi, order_a, va, wa, ra_m, ma_kg, class_a, vb, wb, rb_m, mb_kg, cell_km3,
                    emr_cat_j_per_g, out):
    """Collision rate (per second) contributed to each B sample by the A samples in its cube.

    Parameters
    ----------
    lo, hi : (n_b,) int64
        Range ``order_a[lo:hi]`` of the A samples in the same cube as each B sample.
    va, vb : (n, 3) velocities, km/s; ``wa, wb`` time fractions; ``ra_m, rb_m`` radii, m;
    ma_kg, mb_kg : masses, kg; ``class_a`` 0 for A objects under the tracking limit, 1 above.
    cell_km3 : float
        Cube volume.
    out : (n_b, 4) float64
        Rates of catastrophic, non-catastrophic, A-untracked and A-tracked collisions, 1/s.
    """
    for b in prange(lo.shape[0]):
        acc0 = 0.0
        acc1 = 0.0
        acc2 = 0.0
        acc3 = 0.0
        for k in range(lo[b], hi[b]):
            a = order_a[k]
            d0 = va[a, 0] - vb[b, 0]
            d1 = va[a, 1] - vb[b, 1]
            d2 = va[a, 2] - vb[b, 2]
            v = math.sqrt(d0 * d0 + d1 * d1 + d2 * d2)
            rad_km = (ra_m[a] + rb_m[b]) * 1e-3
            rate = wa[a] * wb[b] * v * math.pi * rad_km * rad_km / cell_km3
            m_small = min(ma_kg[a], mb_kg[b])
            m_large = max(ma_kg[a], mb_kg[b])
            emr = 0.5 * m_small * (v * 1000.0) ** 2 / m_large / 1000.0  # J/g
            if emr >= emr_cat_j_per_g:
                acc0 += rate
            else:
                acc1 += rate
            if class_a[a] == 0:
                acc2 += rate
            else:
                acc3 += rate
        out[b, 0] = acc0
        out[b, 1] = acc1
        out[b, 2] = acc2
        out[b, 3] = acc3
