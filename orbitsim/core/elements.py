"""Osculating TEME states to SGP4 mean elements ("fragments as element sets").

SGP4 is initialised from mean elements, not from a state vector. For a fragment whose post-event
state (r, v) is known, we look for the mean elements whose SGP4 state at epoch reproduces (r, v):
start from the osculating elements of (r, v) and correct them by fixed-point iteration,

    x_{k+1} = x_k + (osc(r, v) - osc(SGP4(x_k) at t = 0)),

in equinoctial elements (n, h = e sin(w + O), k = e cos(w + O), p = tan(i/2) sin O,
q = tan(i/2) cos O, lambda = M + w + O), which stay regular for circular and equatorial orbits.
The map from mean to osculating elements is the identity plus terms of order J2 ~ 1e-3, so each
iteration gains about three digits. B* does not enter the state at epoch (SGP4's drag terms vanish
at t = 0), so it is set from A/M afterwards.

B* from area-to-mass ratio (model notes section 2): B* = Cd (A/M) rho0 / 2; see
:data:`RHO0_KG_M2_PER_ER` for the unit derivation. This textbook value is only the starting point:
exported element sets carry the SGP4-effective B* instead (SGP4's decay at epoch equal to the
long-term model's; :func:`orbitsim.propagation.sgp4_effective_bstar_of`, docs/models.md).
"""

from __future__ import annotations

import math

import numpy as np

from ._jit import jit, prange
from .sgp4 import sgp4_one
from .sgp4_init import MU_KM3_S2, N_COEF, TWOPI, sgp4_init_row

#: SGP4's reference atmospheric density rho0 in kg/m^2 per earth radius.
#: Unit derivation: drag acceleration a = rho/rho0 * B* * v^2 with B* = rho0 * Cd * (A/M) / 2. With
#: A/M in m^2/kg, B* in 1/earth-radii needs rho0 in kg/m^3 times metres per earth radius:
#: rho0 = 2.461e-8 kg/m^3 (2.461e-5 kg/m^2/km, the density SGP4 takes near its q0 = 120 km reference
#: altitude) x 6,378,135 m/ER = 0.15696615 kg/m^2/ER. Example: Cd = 2.2, A/M = 0.01 m^2/kg gives
#: B* = 2.2 * 0.01 * 0.157 / 2 = 1.73e-3 /ER. Sources: Hoots & Roehrich, Spacetrack Report #3 (1980)
#: (B* = B rho0 / 2, B = Cd A/m); T.S. Kelso, CelesTrak TLE FAQ; orbitsim model notes section 2
#: (rho0 = 0.157 kg/m^2/earth-radius).
RHO0_KG_M2_PER_ER = 0.15696615
#: Drag coefficient of a tumbling fragment (model notes section 2).
CD_DEFAULT = 2.2


@jit(error_model="numpy")
def bstar_from_am(area_to_mass_m2_per_kg, cd):
    """B* [1/earth radii] = Cd * (A/M) [m^2/kg] * rho0 [kg/m^2 per earth radius] / 2."""
    return cd * area_to_mass_m2_per_kg * RHO0_KG_M2_PER_ER / 2.0


@jit(error_model="numpy")
def equinoctial_from_state(x, y, z, vx, vy, vz):
    """Osculating equinoctial elements of a TEME state (km, km/s), WGS72 mu.

    Returns
    -------
    tuple
        ``(n, h, k, p, q, lam)``: mean motion [rad/min], h, k, p, q, mean longitude [rad].
        ``n`` is NaN for a non-elliptic state.
    """
    mu = MU_KM3_S2
    r = math.sqrt(x * x + y * y + z * z)
    v2 = vx * vx + vy * vy + vz * vz
    inv_a = 2.0 / r - v2 / mu
    if not (inv_a > 0.0):
        return math.nan, 0.0, 0.0, 0.0, 0.0, 0.0
    a = 1.0 / inv_a
    n = 60.0 * math.sqrt(mu * inv_a * inv_a * inv_a)
    # angular momentum and its unit vector
    hx = y * vz - z * vy
    hy = z * vx - x * vz
    hz = x * vy - y * vx
    hn = math.sqrt(hx * hx + hy * hy + hz * hz)
    wx = hx / hn
    wy = hy / hn
    wz = hz / hn
    p = wx / (1.0 + wz)
    q = -wy / (1.0 + wz)
    # eccentricity vector
    ex = (vy * hz - vz * hy) / mu - x / r
    ey = (vz * hx - vx * hz) / mu - y / r
    ez = (vx * hy - vy * hx) / mu - z / r
    # equinoctial frame
    s = 1.0 + p * p + q * q
    fx = (1.0 - p * p + q * q) / s
    fy = 2.0 * p * q / s
    fz = -2.0 * p / s
    gx = 2.0 * p * q / s
    gy = (1.0 + p * p - q * q) / s
    gz = 2.0 * q / s
    k = ex * fx + ey * fy + ez * fz
    h = ex * gx + ey * gy + ez * gz
    X = x * fx + y * fy + z * fz
    Y = x * gx + y * gy + z * gz
    e2 = h * h + k * k
    if not (e2 < 1.0):
        return math.nan, 0.0, 0.0, 0.0, 0.0, 0.0
    sq = math.sqrt(1.0 - e2)
    beta = 1.0 / (1.0 + sq)
    xa = X / a + k
    ya = Y / a + h
    cosF = ((1.0 - k * k * beta) * xa - h * k * beta * ya) / sq
    sinF = (-h * k * beta * xa + (1.0 - h * h * beta) * ya) / sq
    F = math.atan2(sinF, cosF)
    lam = F + h * math.cos(F) - k * math.sin(F)
    return n, h, k, p, q, lam


@jit(error_model="numpy")
def classical_from_equinoctial(h, k, p, q, lam):
    """(e, i, node, argp, M) [rad] from equinoctial h, k, p, q, lambda; angles in [0, 2 pi)."""
    e = math.sqrt(h * h + k * k)
    incl = 2.0 * math.atan(math.sqrt(p * p + q * q))
    node = math.atan2(p, q) % TWOPI
    lper = math.atan2(h, k)
    argp = (lper - node) % TWOPI
    m = (lam - lper) % TWOPI
    return e, incl, node, argp, m


@jit(error_model="numpy")
def _wrap_pi(a):
    return (a + math.pi) % TWOPI - math.pi


@jit(error_model="numpy")
def mean_elements_one(coef_row, epoch_jd, epoch_fr, x, y, z, vx, vy, vz, bstar, max_iter, tol_km):
    """SGP4 mean elements whose state at epoch reproduces a TEME state.

    Parameters
    ----------
    coef_row : float64 array (N_COEF,)
        Scratch row; holds the final object's SGP4 coefficients on return.
    epoch_jd, epoch_fr : float
        Epoch of the state, UTC Julian date pair.
    x, y, z : float
        TEME position [km].
    vx, vy, vz : float
        TEME velocity [km/s].
    bstar : float
        B* [1/earth radii] to store in the element set.
    max_iter : int
        Iteration limit.
    tol_km : float
        Stop when the epoch position error is below this [km] (and the velocity error below
        ``tol_km`` * 1e-3 per second).

    Returns
    -------
    tuple
        ``(no_kozai [rad/min], ecco, inclo, nodeo, argpo, mo [rad], pos_err_km, vel_err_km_s,
        n_iter)``; elements NaN if the state is not an elliptic orbit SGP4 can represent.
    """
    nan = math.nan
    tn, th, tk, tp, tq, tl = equinoctial_from_state(x, y, z, vx, vy, vz)
    if not math.isfinite(tn):
        return nan, nan, nan, nan, nan, nan, nan, nan, 0
    n, h, k, p, q, lam = tn, th, tk, tp, tq, tl
    best = (nan, nan, nan, nan, nan, nan, nan, nan, 0)
    best_err = math.inf
    for it in range(1, max_iter + 1):
        e, incl, node, argp, m = classical_from_equinoctial(h, k, p, q, lam)
        if not (e < 1.0) or not (n > 0.0):
            break
        sgp4_init_row(coef_row, epoch_jd, epoch_fr, math.nan, n, e, incl, node, argp, m, bstar)
        err, rx, ry, rz, ux, uy, uz, a_, b_, c_ = sgp4_one(coef_row, 0.0, 0.0, 0.0, 0.0)
        if err != 0:
            break
        dpos = math.sqrt((rx - x) ** 2 + (ry - y) ** 2 + (rz - z) ** 2)
        dvel = math.sqrt((ux - vx) ** 2 + (uy - vy) ** 2 + (uz - vz) ** 2)
        if dpos < best_err:
            best_err = dpos
            best = (n, e, incl, node, argp, m, dpos, dvel, it)
        if dpos < tol_km and dvel < tol_km * 1e-3:
            break
        fn, fh, fk, fp, fq, fl = equinoctial_from_state(rx, ry, rz, ux, uy, uz)
        if not math.isfinite(fn):
            break
        n = n + (tn - fn)
        h = h + (th - fh)
        k = k + (tk - fk)
        p = p + (tp - fp)
        q = q + (tq - fq)
        lam = lam + _wrap_pi(tl - fl)
    # leave the row initialised with the returned elements
    if math.isfinite(best[0]):
        sgp4_init_row(coef_row, epoch_jd, epoch_fr, math.nan, best[0], best[1], best[2], best[3], best[4],
                      best[5], bstar)
    return best


@jit(parallel=True, error_model="numpy")
def mean_elements_many(epoch_jd, epoch_fr, r_km, v_km_s, bstar, max_iter, tol_km):
    """:func:`mean_elements_one` over arrays: ``r_km``, ``v_km_s`` (n, 3), the rest (n,).

    Returns
    -------
    elements : float64 (n, 6)
        no_kozai [rad/min], ecco, inclo, nodeo, argpo, mo [rad]; NaN rows for failures.
    pos_err_km, vel_err_km_s : float64 (n,)
        Epoch state error of the returned elements.
    n_iter : int64 (n,)
    """
    n = r_km.shape[0]
    out = np.empty((n, 6))
    pos_err = np.empty(n)
    vel_err = np.empty(n)
    n_iter = np.empty(n, np.int64)
    for i in prange(n):
        row = np.empty(N_COEF)
        res = mean_elements_one(row, epoch_jd[i], epoch_fr[i], r_km[i, 0], r_km[i, 1], r_km[i, 2],
                                v_km_s[i, 0], v_km_s[i, 1], v_km_s[i, 2], bstar[i], max_iter,
                                tol_km)
        out[i, 0] = res[0]
        out[i, 1] = res[1]
        out[i, 2] = res[2]
        out[i, 3] = res[3]
        out[i, 4] = res[4]
        out[i, 5] = res[5]
        pos_err[i] = res[6]
        vel_err[i] = res[7]
        n_iter[i] = res[8]
    return out, pos_err, vel_err, n_iter
