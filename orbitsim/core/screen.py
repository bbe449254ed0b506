"""Conjunction screening kernels: a spatial-grid sieve over Hermite-interpolated ephemerides.

Plain floats and arrays only. The API module :mod:`orbitsim.screening` propagates every object with
SGP4 at coarse *nodes* (spacing ``h_s``), calls :func:`sieve_many` on a chunk of nodes, and polishes
the candidates it returns with exact SGP4 evaluations.

Method (and why nothing within the threshold is missed)
-------------------------------------------------------
Between two nodes each object's position is the cubic Hermite interpolant of the SGP4 positions and
velocities at the nodes; its error is bounded per object by ``eps_km`` (see
:func:`hermite_error_bound_km`). Each node interval is cut into ``m_sub`` fine intervals of length
``dt_s = h_s / m_sub``. For every fine interval, with states interpolated at its midpoint ``t_m``:

1. every secondary is placed in a cubic grid (cells hashed into a small table) of cell size
   ``cell_km`` (twice ``pad_km`` by default);
2. every primary visits each cell whose nearest point lies within ``pad_km`` of it (8 cells at
   the default size) and keeps secondaries with ``|dr(t_m)| <= pad_km``. A pair whose true distance falls to ``threshold_km`` at some ``t`` in the
   interval is at most ``threshold + v_rel,max dt/2 + (Hermite and curvature margins)`` apart at
   ``t_m`` because ``|t - t_m| <= dt/2``; ``pad_km`` is that sum, with ``v_rel,max`` the sum of the
   two largest speeds in the chunk (an upper bound of any relative speed), so no such pair is lost;
3. the straight-line relative motion from ``t_m`` gives the minimum distance over the interval; it
   is kept if below ``threshold + margin`` where the margin bounds the Hermite position and
   velocity errors and the relative acceleration ``3 mu / r_min^3 * pad`` (gravity gradient) over
   ``dt/2``;
4. the interval holds a time of closest approach if the range rate ``g = dr . dv`` of the
   interpolants changes sign from negative to non-negative across it (each local minimum of the
   continuous, C1 interpolated distance is counted in exactly one fine interval); its root, found
   on the interpolants by the Illinois method, is the approximate TCA handed back for polishing.

A local minimum closer than ``threshold`` makes the interval containing its interpolated minimum
pass every step above, so it is returned (minima closer together than one fine interval, which need
relative accelerations far beyond orbital ones, are the only stated exception).
"""

from __future__ import annotations

import math

import numpy as np

from ._jit import jit, prange
from .sgp4 import sgp4_one, sgp4_row_times
from .sgp4_init import C_EPOCH_FR, C_EPOCH_JD

#: Earth's gravitational parameter, WGS72 (docs/interfaces.md, sgp4.earth_gravity.wgs72), km^3/s^2.
MU_KM3_S2 = 398600.8
#: Polar radius of the Earth (WGS84 b), km: a state below it has re-entered.
RE_MIN_KM = 6356.752


@jit
def hermite_state(p0, v0, p1, v1, h, s, out_r, out_v):
    """Cubic Hermite position and velocity at fraction ``s`` of a node interval of ``h`` seconds."""
    s2 = s * s
    s3 = s2 * s
    h00 = 2.0 * s3 - 3.0 * s2 + 1.0
    h10 = s3 - 2.0 * s2 + s
    h01 = -2.0 * s3 + 3.0 * s2
    h11 = s3 - s2
    d00 = (6.0 * s2 - 6.0 * s) / h
    d10 = 3.0 * s2 - 4.0 * s + 1.0
    d01 = (-6.0 * s2 + 6.0 * s) / h
    d11 = 3.0 * s2 - 2.0 * s
    for k in range(3):
        out_r[k] = h00 * p0[k] + h10 * h * v0[k] + h01 * p1[k] + h11 * h * v1[k]
        out_v[k] = d00 * p0[k] + d10 * v0[k] + d01 * p1[k] + d11 * v1[k]


@jit
def hermite_error_bound_km(perigee_radius_km, eccentricity, h_s):
    """Bound of the cubic Hermite position error of a Kepler-like orbit sampled every ``h_s`` s.

    The interpolation error is ``max|r''''| h^4 / 384``. On a circular orbit ``|r''''| = n^4 r``;
    at the perigee of an eccentric orbit the angular rate is ``sqrt(mu (1 + e) / r_p^3)``, and the
    higher derivatives grow with ``e``; the factor ``2 (1 + 10 e)`` covers that (checked against
    SGP4 over the embedded catalog in ``tests/test_screening.py``) and SGP4's short-period terms.
    Returns km (at least 5 m).
    """
    w2 = MU_KM3_S2 * (1.0 + eccentricity) / perigee_radius_km ** 3
    d4 = w2 * w2 * perigee_radius_km * (1.0 + eccentricity) * 2.0 * (1.0 + 10.0 * eccentricity)
    return max(d4 * h_s ** 4 / 384.0, 0.005)


@jit
def _slot(ix, iy, iz, mask):
    """Hash of integer cell coordinates into ``[0, mask]`` (Teschner et al. 2003 primes)."""
    return ((ix * 73856093) ^ (iy * 19349663) ^ (iz * 83492791)) & mask


@jit
def _gap(f, d):
    """Distance (in cells) from a point at fraction ``f`` of its cell to the cell ``d`` away."""
    if d > 0:
        return (1.0 - f) + (d - 1)
    if d < 0:
        return f + (-d - 1)
    return 0.0


@jit
def _cubic_coefficients(RT, VT, k, h, valid, C):
    """Power-basis coefficients of every object's Hermite cubic on node interval ``k``:
    ``r(s) = C[o,0] + s C[o,1] + s^2 C[o,2] + s^3 C[o,3]``, ``s`` in [0, 1]."""
    n_obj = RT.shape[1]
    for o in range(n_obj):
        ok = not (math.isnan(RT[k, o, 0]) or math.isnan(RT[k + 1, o, 0]))
        valid[o] = ok
        if not ok:
            continue
        for c in range(3):
            p0 = RT[k, o, c]
            p1 = RT[k + 1, o, c]
            m0 = VT[k, o, c] * h
            m1 = VT[k + 1, o, c] * h
            C[o, 0, c] = p0
            C[o, 1, c] = m0
            C[o, 2, c] = -3.0 * p0 - 2.0 * m0 + 3.0 * p1 - m1
            C[o, 3, c] = 2.0 * p0 + m0 - 2.0 * p1 + m1


@jit
def _eval_cubic(C, o, s, h, r, v):
    for c in range(3):
        r[c] = C[o, 0, c] + s * (C[o, 1, c] + s * (C[o, 2, c] + s * C[o, 3, c]))
        v[c] = (C[o, 1, c] + s * (2.0 * C[o, 2, c] + 3.0 * s * C[o, 3, c])) / h


@jit
def _eval_pos(C, o, s, r):
    for c in range(3):
        r[c] = C[o, 0, c] + s * (C[o, 1, c] + s * (C[o, 2, c] + s * C[o, 3, c]))


@jit
def _eval_vel(C, o, s, h, v):
    for c in range(3):
        v[c] = (C[o, 1, c] + s * (2.0 * C[o, 2, c] + 3.0 * s * C[o, 3, c])) / h


@jit
def _range_rate(C, i, j, h, s, ri, vi, rj, vj):
    _eval_cubic(C, i, s, h, ri, vi)
    _eval_cubic(C, j, s, h, rj, vj)
    g = 0.0
    for c in range(3):
        g += (rj[c] - ri[c]) * (vj[c] - vi[c])
    return g


@jit
def sieve_block(RT, VT, h_s, m_sub, k_lo, k_hi, n_prim, sec_lo, all_vs_all, ids, eps_km, epsv_km_s,
                threshold_km, pad_km, accel_km_s2, box_km, cell_km, nx,
                out_i, out_j, out_t, out_d):
    """Sieve node intervals ``k_lo..k_hi-1`` of one chunk; return the number of candidates found.

    Parameters
    ----------
    RT, VT : (n_nodes, n_obj, 3) float64
        Node positions (km) and velocities (km/s), time-major; NaN rows are skipped.
    h_s : float
        Node spacing, s. ``m_sub`` fine intervals per node interval.
    n_prim : int
        Objects ``0..n_prim-1`` are primaries; ``sec_lo..n_obj-1`` secondaries. With
        ``all_vs_all`` both ranges are the whole set and only pairs ``i < j`` are kept.
    ids : (n_obj,) int64
        Catalog numbers; pairs of equal ids are skipped.
    eps_km, epsv_km_s : (n_obj,) float64
        Hermite position / velocity error bounds per object.
    threshold_km, pad_km, accel_km_s2 : float
        Screening distance, grid query radius, relative-acceleration bound.
    box_km, cell_km, nx : float, float, int
        The grid covers ``[-box_km, box_km)^3`` with ``nx^3`` cells of ``cell_km``, hashed into a
        table of about twice as many slots as objects; a primary visits every cell whose nearest
        point is within ``pad_km`` of it.
    out_i, out_j, out_t, out_d : arrays
        Candidate primary index, secondary index, approximate TCA (s from the chunk's first node)
        and interpolated miss (km). Writing stops at capacity; the count keeps going.
    """
    n_obj = RT.shape[1]
    cap = out_i.shape[0]
    dt = h_s / m_sub
    half = 0.5 * dt
    # cells are hashed into a small table (a slot may hold several cells: only more pairs to test)
    n_slots = 1024
    while n_slots < 2 * n_obj:
        n_slots *= 2
    mask = n_slots - 1
    head = np.full(n_slots, -1, np.int32)
    nxt = np.full(n_obj, -1, np.int32)
    cell_of = np.full(n_obj, -1, np.int64)
    pos = np.empty((n_obj, 3))
    C = np.empty((n_obj, 4, 3))
    valid = np.zeros(n_obj, np.bool_)
    ri = np.empty(3)
    vi = np.empty(3)
    rj = np.empty(3)
    vj = np.empty(3)
    ra = np.empty(3)
    va = np.empty(3)
    rb = np.empty(3)
    vb = np.empty(3)
    rtmp = np.empty(3)
    count = 0
    q_hi = n_obj if all_vs_all else n_prim
    pad2 = pad_km * pad_km
    for k in range(k_lo, k_hi):
        _cubic_coefficients(RT, VT, k, h_s, valid, C)
        for sub in range(m_sub):
            s_mid = (sub + 0.5) / m_sub
            # interpolate and insert secondaries
            for o in range(sec_lo, n_obj):
                if not valid[o]:
                    continue
                _eval_pos(C, o, s_mid, rtmp)
                for c in range(3):
                    pos[o, c] = rtmp[c]
                ix = int(math.floor((rtmp[0] + box_km) / cell_km))
                iy = int(math.floor((rtmp[1] + box_km) / cell_km))
                iz = int(math.floor((rtmp[2] + box_km) / cell_km))
                if ix < 0 or iy < 0 or iz < 0 or ix >= nx or iy >= nx or iz >= nx:
                    continue
                cidx = _slot(ix, iy, iz, mask)
                cell_of[o] = cidx
                nxt[o] = head[cidx]
                head[cidx] = o
            # query with primaries
            for p in range(0, q_hi):
                if not valid[p]:
                    continue
                if p < sec_lo:
                    _eval_pos(C, p, s_mid, rtmp)
                    for c in range(3):
                        pos[p, c] = rtmp[c]
                have_vp = False
                ux = (pos[p, 0] + box_km) / cell_km
                uy = (pos[p, 1] + box_km) / cell_km
                uz = (pos[p, 2] + box_km) / cell_km
                ix = int(math.floor(ux))
                iy = int(math.floor(uy))
                iz = int(math.floor(uz))
                fx = ux - ix
                fy = uy - iy
                fz = uz - iz
                rr = pad_km / cell_km
                for cz in range(int(math.floor(uz - rr)), int(math.floor(uz + rr)) + 1):
                    if cz < 0 or cz >= nx:
                        continue
                    gz = _gap(fz, cz - iz) * cell_km
                    gz2 = gz * gz
                    if gz2 > pad2:
                        continue
                    for cy in range(int(math.floor(uy - rr)), int(math.floor(uy + rr)) + 1):
                        if cy < 0 or cy >= nx:
                            continue
                        gy = _gap(fy, cy - iy) * cell_km
                        gzy2 = gz2 + gy * gy
                        if gzy2 > pad2:
                            continue
                        for cx in range(int(math.floor(ux - rr)), int(math.floor(ux + rr)) + 1):
                            if cx < 0 or cx >= nx:
                                continue
                            gx = _gap(fx, cx - ix) * cell_km
                            if gzy2 + gx * gx > pad2:
                                continue
                            q = head[_slot(cx, cy, cz, mask)]
                            while q >= 0:
                                if (all_vs_all and q <= p) or ids[q] == ids[p]:
                                    q = nxt[q]
                                    continue
                                d0 = pos[q, 0] - pos[p, 0]
                                d1 = pos[q, 1] - pos[p, 1]
                                d2 = pos[q, 2] - pos[p, 2]
                                dd = d0 * d0 + d1 * d1 + d2 * d2
                                if dd <= pad2:
                                    if not have_vp:
                                        _eval_vel(C, p, s_mid, h_s, vi)
                                        have_vp = True
                                    _eval_vel(C, q, s_mid, h_s, vj)
                                    u0 = vj[0] - vi[0]
                                    u1 = vj[1] - vi[1]
                                    u2 = vj[2] - vi[2]
                                    uu = u0 * u0 + u1 * u1 + u2 * u2
                                    tau = 0.0
                                    if uu > 0.0:
                                        tau = -(d0 * u0 + d1 * u1 + d2 * u2) / uu
                                    if tau > half:
                                        tau = half
                                    elif tau < -half:
                                        tau = -half
                                    e0 = d0 + u0 * tau
                                    e1 = d1 + u1 * tau
                                    e2 = d2 + u2 * tau
                                    dmin = math.sqrt(e0 * e0 + e1 * e1 + e2 * e2)
                                    margin = (eps_km[p] + eps_km[q]
                                              + (epsv_km_s[p] + epsv_km_s[q]) * half
                                              + 0.5 * accel_km_s2 * half * half)
                                    if dmin <= threshold_km + margin:
                                        s0 = sub / m_sub
                                        s1 = (sub + 1.0) / m_sub
                                        g0 = _range_rate(C, p, q, h_s, s0, ra, va, rb, vb)
                                        g1 = _range_rate(C, p, q, h_s, s1, ra, va, rb, vb)
                                        if g0 < 0.0 and g1 >= 0.0:
                                            # Illinois (regula falsi) on the interpolated range rate
                                            a = s0
                                            b = s1
                                            ga = g0
                                            gb = g1
                                            side = 0
                                            sr = a
                                            for _it in range(60):
                                                sr = (a * gb - b * ga) / (gb - ga)
                                                gr = _range_rate(C, p, q, h_s, sr, ra, va, rb, vb)
                                                if gr < 0.0:
                                                    a = sr
                                                    ga = gr
                                                    if side == -1:
                                                        gb *= 0.5
                                                    side = -1
                                                else:
                                                    b = sr
                                                    gb = gr
                                                    if side == 1:
                                                        ga *= 0.5
                                                    side = 1
                                                if (b - a) * h_s < 1e-4:
                                                    break
                                            _range_rate(C, p, q, h_s, sr, ra, va, rb, vb)
                                            dm = 0.0
                                            for c in range(3):
                                                dm += (rb[c] - ra[c]) ** 2
                                            if count < cap:
                                                out_i[count] = p
                                                out_j[count] = q
                                                out_t[count] = (k + sr) * h_s
                                                out_d[count] = math.sqrt(dm)
                                            count += 1
                                q = nxt[q]
            # clear the cells used
            for o in range(sec_lo, n_obj):
                if cell_of[o] >= 0:
                    head[cell_of[o]] = -1
                    cell_of[o] = -1
                    nxt[o] = -1
    return count


@jit(parallel=True)
def sieve_many(RT, VT, h_s, m_sub, n_blocks, n_prim, sec_lo, all_vs_all, ids, eps_km, epsv_km_s,
               threshold_km, pad_km, accel_km_s2, box_km, cell_km, nx,
               out_i, out_j, out_t, out_d):
    """Run :func:`sieve_block` on ``n_blocks`` contiguous groups of node intervals in parallel.

    ``RT, VT`` are time-major ``(n_nodes, n_obj, 3)``. The output arrays are
    ``(n_blocks, capacity)``; returns the candidate count of each block (a count above capacity
    means the caller must retry with more room).
    """
    n_int = RT.shape[0] - 1
    counts = np.zeros(n_blocks, np.int64)
    for b in prange(n_blocks):
        k_lo = (n_int * b) // n_blocks
        k_hi = (n_int * (b + 1)) // n_blocks
        counts[b] = sieve_block(RT, VT, h_s, m_sub, k_lo, k_hi, n_prim, sec_lo, all_vs_all, ids,
                                eps_km, epsv_km_s, threshold_km, pad_km, accel_km_s2, box_km,
                                cell_km, nx, out_i[b], out_j[b], out_t[b], out_d[b])
    return counts


@jit(parallel=True)
def propagate_time_major(coef, jd, fr, t_s, fail_s, RT, VT, stats):
    """SGP4 of every row of ``coef`` at every time into time-major ``RT, VT`` (n_t, n_obj, 3).

    A failed state (error code, non-finite, faster than the local escape speed or below the
    Earth's polar radius) holds NaN, and so does every later one: once SGP4 has failed for an
    object (decay: error codes 1, 4, 6), the states it may still return later are not physical
    (a re-entered USA-193 fragment gave an error-free 500,000 km/s state hours after its decay),
    so the object is screened up to its last valid state only.

    ``t_s`` (n_t,) are the same times in seconds from the window start (increasing); ``fail_s``
    (n_obj,) is read and updated in place: the time of each object's first failed state (inf
    while none), carried from chunk to chunk. ``stats`` (n_obj, 3) receives each object's maximum
    speed (km/s), minimum and maximum radius (km) over its valid states (NaN if none).
    """
    n_obj = coef.shape[0]
    n_t = jd.shape[0]
    for i in prange(n_obj):
        err = np.zeros(n_t, np.int64)
        r = np.empty((n_t, 3))
        v = np.empty((n_t, 3))
        if t_s[0] < fail_s[i]:
            sgp4_row_times(coef[i], jd, fr, err, r, v)
        vmax = -1.0
        rmin = 1e300
        rmax = -1.0
        for j in range(n_t):
            bad = t_s[j] >= fail_s[i]
            if not bad:
                bad = err[j] != 0 or math.isnan(r[j, 0]) or math.isnan(v[j, 0])
            if not bad:
                # a state no bound orbit can have (faster than escape speed, or inside the Earth):
                # SGP4 far outside its validity (e.g. decaying element sets long after epoch)
                r2 = r[j, 0] ** 2 + r[j, 1] ** 2 + r[j, 2] ** 2
                v2 = v[j, 0] ** 2 + v[j, 1] ** 2 + v[j, 2] ** 2
                bad = not (r2 >= RE_MIN_KM * RE_MIN_KM and v2 * math.sqrt(r2) <= 2.0 * MU_KM3_S2)
            if bad and t_s[j] < fail_s[i]:
                fail_s[i] = t_s[j]
            for c in range(3):
                RT[j, i, c] = math.nan if bad else r[j, c]
                VT[j, i, c] = math.nan if bad else v[j, c]
            if not bad:
                sp = math.sqrt(v[j, 0] ** 2 + v[j, 1] ** 2 + v[j, 2] ** 2)
                rr = math.sqrt(r[j, 0] ** 2 + r[j, 1] ** 2 + r[j, 2] ** 2)
                vmax = max(vmax, sp)
                rmin = min(rmin, rr)
                rmax = max(rmax, rr)
        if vmax < 0.0:
            stats[i, 0] = math.nan
            stats[i, 1] = math.nan
            stats[i, 2] = math.nan
        else:
            stats[i, 0] = vmax
            stats[i, 1] = rmin
            stats[i, 2] = rmax


@jit
def two_body_accel(r, out):
    """Point-mass gravitational acceleration (km/s^2) at TEME position ``r`` (km)."""
    rr = math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2])
    f = -MU_KM3_S2 / (rr * rr * rr)
    for c in range(3):
        out[c] = f * r[c]


@jit
def newton_tca_step(r1, v1, r2, v2, max_step_s):
    """One Newton step on the range rate ``g = dr . dv`` toward the time of closest approach.

    ``dr = r2 - r1``; ``g' = |dv|^2 + dr . da`` with two-body accelerations. Returns seconds to add,
    clipped to ``+-max_step_s``.
    """
    a1 = np.empty(3)
    a2 = np.empty(3)
    two_body_accel(r1, a1)
    two_body_accel(r2, a2)
    g = 0.0
    gp = 0.0
    for c in range(3):
        dr = r2[c] - r1[c]
        dv = v2[c] - v1[c]
        g += dr * dv
        gp += dv * dv + dr * (a2[c] - a1[c])
    if gp <= 0.0:
        gp = 0.0
        for c in range(3):
            dv = v2[c] - v1[c]
            gp += dv * dv
        if gp <= 0.0:
            return 0.0
    step = -g / gp
    if step > max_step_s:
        step = max_step_s
    elif step < -max_step_s:
        step = -max_step_s
    return step


@jit(parallel=True)
def newton_tca_many(r1, v1, r2, v2, max_step_s):
    """:func:`newton_tca_step` for arrays of pairs ``(n, 3)``; returns ``(n,)`` seconds."""
    n = r1.shape[0]
    out = np.zeros(n)
    for i in prange(n):
        out[i] = newton_tca_step(r1[i], v1[i], r2[i], v2[i], max_step_s)
    return out


@jit
def state_at(c, jd0, fr0, t_s, r_out, v_out):
    """Exact SGP4 state of coefficient row ``c`` at ``t_s`` seconds after ``(jd0, fr0)``.

    Returns the SGP4 error code (0 ok). The deep-space integrator restarts from epoch, which is
    what the reference does and gives the same state."""
    t_min = (jd0 - c[C_EPOCH_JD]) * 1440.0 + (fr0 - c[C_EPOCH_FR]) * 1440.0 + t_s / 60.0
    e, x, y, z, vx, vy, vz, _a, _b, _c = sgp4_one(c, t_min, 0.0, 0.0, 0.0)
    r_out[0] = x
    r_out[1] = y
    r_out[2] = z
    v_out[0] = vx
    v_out[1] = vy
    v_out[2] = vz
    return e


@jit(parallel=True)
def polish_many(coef, ci, cj, jd0, fr0, t_s, max_step_s, tol_s, max_iter, r1, v1, r2, v2, ok):
    """Newton iterations on the range rate with exact SGP4 states, for many candidate pairs.

    ``t_s`` (seconds after ``(jd0, fr0)``) is updated in place; ``r1, v1, r2, v2`` receive the
    states at the final TCA and ``ok`` whether both propagations succeeded.
    """
    n = ci.shape[0]
    for k in prange(n):
        a = ci[k]
        b = cj[k]
        good = True
        for _it in range(max_iter):
            e1 = state_at(coef[a], jd0, fr0, t_s[k], r1[k], v1[k])
            e2 = state_at(coef[b], jd0, fr0, t_s[k], r2[k], v2[k])
            if e1 != 0 or e2 != 0 or math.isnan(r1[k, 0]) or math.isnan(r2[k, 0]):
                good = False
                break
            step = newton_tca_step(r1[k], v1[k], r2[k], v2[k], max_step_s)
            t_s[k] += step
            if abs(step) < tol_s:
                break
        if good:
            e1 = state_at(coef[a], jd0, fr0, t_s[k], r1[k], v1[k])
            e2 = state_at(coef[b], jd0, fr0, t_s[k], r2[k], v2[k])
            good = e1 == 0 and e2 == 0 and not (math.isnan(r1[k, 0]) or math.isnan(r2[k, 0]))
        ok[k] = good
