"""Orbit-averaged mean-element propagation with J2/J3/J4 secular rates and atmospheric drag.

Plain floats and arrays only. State per object: semi-major axis ``a`` (km, Brouwer: ``a = (mu /
n^2)^(1/3)``), eccentricity ``e``, inclination ``i``, RAAN, argument of perigee and mean anomaly
(rad). Time: days since the density table's first day.

Physics (every term orbit-averaged):

- Gravity, secular: the Brouwer rates as SGP4 writes them (Hoots & Roehrich 1980, Spacetrack
  Report #3: J2 to second order, J4 to first) for RAAN, perigee and mean anomaly.
- J3, long-period: the eccentricity vector ``(e cos w, e sin w)`` turns at the perigee rate about
  the frozen point ``(0, e_f)``, ``e_f = -(J3 / 2 J2) (Re / p) sin i``; equivalently
  ``de/dt = -(3/2) n J3 (Re/p)^3 sin i (1 - 5/4 sin^2 i) cos w`` (Kozai 1959; Vallado 2013,
  sec. 11.4). Integrated exactly within a step (a rotation), so no step limit comes from it.
- Drag, from Gauss's equations with a tangential force ``0.5 rho v^2 Cd A/M`` averaged over mean
  anomaly by trapezoid quadrature in eccentric anomaly E (exponentially convergent for a periodic
  integrand; 8 to 64 nodes chosen from ``a e``):
  ``<da/dt> = -(B F a^2 / mu) <rho v^3 (1 - e cos E)>_E``,
  ``<de/dt> = -B F (1 - e^2) <rho v cos E>_E`` (King-Hele 1987, eqs. 3.15-3.16 before the Bessel
  expansion), ``B = Cd A/M``, F = (1 - r_p w_E cos i / v_p)^2 the atmosphere-rotation factor
  (King-Hele 1987, eq. 3.8). Density comes from the table at the geodetic-like altitude
  ``r - Re (1 - f sin^2 phi)`` of every node, averaged over the step's days exactly (cumulative
  table), log-linear in altitude.
- Integration: midpoint RK2 for (a, e) with the step chosen so the perigee moves at most
  ``tol_frac`` local density scale heights and ``a`` at most 1%; no step shorter than one orbital
  period (the model's resolution; an orbit that drag would close within one revolution re-enters
  at that pass) nor longer than ``dt_max``. A step spanning part of the perigee's J3/J2 turn
  averages the drag over up to four phases of that turn (trapezoid, exact for the 1st and 2nd
  harmonics the J3 term and the perigee latitude bring). Gravity terms at the step's mid state;
  the mean argument of latitude advances at ``mdot + argpdot``.
- Re-entry: when the perigee altitude above the equatorial radius falls below
  ``reentry_altitude_km`` (linear interpolation in time within the step).

Constants: WGS72 (docs/interfaces.md): mu, Re, J2, J3, J4 as in ``sgp4.earth_gravity.wgs72``.
"""

from __future__ import annotations

import math

import numpy as np

from ._jit import jit, prange

MU_KM3_S2 = 398600.8  # WGS72
RE_KM = 6378.135  # WGS72
J2 = 0.001082616  # WGS72
J3 = -0.00000253881  # WGS72
J4 = -0.00000165597  # WGS72
FLATTENING = 1.0 / 298.26  # WGS72
OMEGA_EARTH_RAD_S = 7.2921158553e-5  # WGS72 / Vallado 2013
SECONDS_PER_DAY = 86400.0
TWO_PI = 2.0 * math.pi

# parameter vector layout (params array passed to the kernels)
P_REENTRY_KM = 0
P_TOL_FRAC = 1
P_DT_MAX_DAYS = 2
P_DT_MIN_DAYS = 3
N_PARAMS = 4

# status codes
STATUS_UP = 0
STATUS_DECAYED = 1
STATUS_INVALID = 2

_NMAX = 64
_COS_E = np.cos(TWO_PI * np.arange(_NMAX) / _NMAX)
_SIN_E = np.sin(TWO_PI * np.arange(_NMAX) / _NMAX)


@jit
def secular_rates(a_km, e, inc):
    """Secular rates (rad/day) of mean anomaly, argument of perigee and RAAN (SGP4's Brouwer form).

    Returns
    -------
    (mdot, argpdot, nodedot, n) : rad/day, rad/day, rad/day, rad/day
    """
    n = math.sqrt(MU_KM3_S2 / (a_km * a_km * a_km))  # rad/s
    a_er = a_km / RE_KM
    b2 = 1.0 - e * e
    beta = math.sqrt(b2)
    th = math.cos(inc)
    th2 = th * th
    th4 = th2 * th2
    pinvsq = 1.0 / (a_er * a_er * b2 * b2)
    temp1 = 1.5 * J2 * pinvsq * n
    temp2 = 0.5 * temp1 * J2 * pinvsq
    temp3 = -0.46875 * J4 * pinvsq * pinvsq * n
    mdot = n + 0.5 * temp1 * beta * (3.0 * th2 - 1.0) + 0.0625 * temp2 * beta * (13.0 - 78.0 * th2 + 137.0 * th4)
    argpdot = (-0.5 * temp1 * (1.0 - 5.0 * th2) + 0.0625 * temp2 * (7.0 - 114.0 * th2 + 395.0 * th4)
               + temp3 * (3.0 - 36.0 * th2 + 49.0 * th4))
    nodedot = -temp1 * th + (0.5 * temp2 * (4.0 - 19.0 * th2) + 2.0 * temp3 * (3.0 - 7.0 * th2)) * th
    return mdot * SECONDS_PER_DAY, argpdot * SECONDS_PER_DAY, nodedot * SECONDS_PER_DAY, n * SECONDS_PER_DAY


@jit
def _fill_log_density(cum, t0, t1, jlo, jhi, buf):
    """buf[j - jlo] = log of the time-averaged density over [t0, t1] (days) at grid index j.

    Returns the highest index filled (<= jhi).
    """
    nd = cum.shape[0] - 1
    if t0 < 0.0:
        t0 = 0.0
    if t1 > nd - 1e-9:
        t1 = nd - 1e-9
    if t0 > t1 - 1e-9:
        t0 = t1 - 1e-9
    if t1 - t0 < 1e-6:
        k = int(math.floor(t0))
        for j in range(jlo, jhi + 1):
            buf[j - jlo] = math.log(max(cum[k + 1, j] - cum[k, j], 1e-300))
            if j >= jlo + 2 and buf[j - jlo] < buf[0] - 40.0:
                return j
        return jhi
    k0 = int(math.floor(t0))
    f0 = t0 - k0
    k1 = int(math.floor(t1))
    f1 = t1 - k1
    inv = 1.0 / (t1 - t0)
    for j in range(jlo, jhi + 1):
        c0 = cum[k0, j] + (cum[k0 + 1, j] - cum[k0, j]) * f0
        c1 = cum[k1, j] + (cum[k1 + 1, j] - cum[k1, j]) * f1
        buf[j - jlo] = math.log(max((c1 - c0) * inv, 1e-300))
        # e^-40 of the lowest altitude's density no longer matters to any orbit average: stop, and
        # let _log_rho extrapolate the last slope above
        if j >= jlo + 2 and buf[j - jlo] < buf[0] - 40.0:
            return j
    return jhi


@jit
def _log_rho(h_km, alt0, dalt, jlo, jhi, buf):
    """Log density at altitude h from the buffer (log-linear; extrapolated above the top)."""
    x = (h_km - alt0) / dalt
    if x <= jlo:
        return buf[0] + (x - jlo) * (buf[1] - buf[0])
    if x >= jhi:
        return buf[jhi - jlo] + (x - jhi) * (buf[jhi - jlo] - buf[jhi - jlo - 1])
    j = int(x)
    f = x - j
    return buf[j - jlo] + f * (buf[j + 1 - jlo] - buf[j - jlo])


@jit
def _n_nodes(a_km, e, h_scale_km):
    # trapezoid error for exp(x cos E) is ~ 2 I_N(x) / I_0(x) ~ 2 exp(-N^2 / 2x), x = a e / H:
    # N^2 >= 18.4 x keeps it below 2e-4 (Abramowitz & Stegun 9.7.7 asymptotics)
    x = a_km * e / max(h_scale_km, 5.0)
    need = math.sqrt(18.4 * x)
    if need <= 8.0:
        return 8
    if need <= 16.0:
        return 16
    if need <= 32.0:
        return 32
    return 64


@jit
def drag_rates(a_km, e, inc, argp, bc_m2_kg, alt0, dalt, jlo, jhi, buf, cos_e, sin_e, h_scale_km):
    """Orbit-averaged drag rates (da/dt km/day, de/dt 1/day) for the buffered density.

    ``bc_m2_kg`` is Cd A/M (m^2/kg).
    """
    if bc_m2_kg <= 0.0:
        return 0.0, 0.0
    nn = _n_nodes(a_km, e, h_scale_km)
    stride = _NMAX // nn
    beta = math.sqrt(max(1.0 - e * e, 1e-12))
    si = math.sin(inc)
    sw = math.sin(argp)
    cw = math.cos(argp)
    mu_a = MU_KM3_S2 / a_km
    # atmosphere rotation factor at perigee
    rp = a_km * (1.0 - e)
    vp = math.sqrt(mu_a * (1.0 + e) / max(1.0 - e, 1e-12))
    fr = 1.0 - rp * OMEGA_EARTH_RAD_S * math.cos(inc) / vp
    frot = fr * fr
    sum_a = 0.0
    sum_e = 0.0
    for k in range(nn):
        ce = cos_e[k * stride]
        se = sin_e[k * stride]
        q = 1.0 - e * ce
        r = a_km * q
        cnu = (ce - e) / q
        snu = beta * se / q
        su = sw * cnu + cw * snu  # sin(argp + nu)
        sphi = si * su
        h = r - RE_KM * (1.0 - FLATTENING * sphi * sphi)
        rho = math.exp(_log_rho(h, alt0, dalt, jlo, jhi, buf))
        v = math.sqrt(mu_a * (1.0 + e * ce) / q)
        sum_a += rho * v * v * v * q
        sum_e += rho * v * ce
    scale = bc_m2_kg * frot * 1e3 / nn  # rho B in 1/m -> 1/km
    dadt = -(a_km * a_km / MU_KM3_S2) * sum_a * scale * SECONDS_PER_DAY
    dedt = -(1.0 - e * e) * sum_e * scale * SECONDS_PER_DAY
    return dadt, dedt


@jit
def drag_rates_phased(a_km, kx, hx, scale, e_f, dph, n_ph, inc, bc_m2_kg, alt0, dalt, jlo, jhi, buf,
                      cos_e, sin_e, h_scale_km):
    """Drag rates averaged over ``n_ph`` phases of the eccentricity vector's J3 turn.

    The vector ``scale * (kx, hx)`` is turned about ``(0, e_f)`` by ``(j + 0.5) dph``, j < n_ph;
    with one phase it is used as is.
    """
    sa = 0.0
    se = 0.0
    x0 = scale * kx
    y0 = scale * hx - e_f
    for j in range(n_ph):
        if n_ph == 1:
            x = scale * kx
            y = scale * hx
        else:
            ang = (j + 0.5) * dph
            ca = math.cos(ang)
            sn = math.sin(ang)
            x = x0 * ca - y0 * sn
            y = x0 * sn + y0 * ca + e_f
        ee = math.sqrt(x * x + y * y)
        w = math.atan2(y, x) if ee > 0.0 else 0.0
        da, de = drag_rates(a_km, ee, inc, w, bc_m2_kg, alt0, dalt, jlo, jhi, buf, cos_e, sin_e, h_scale_km)
        sa += da
        se += de
    return sa / n_ph, se / n_ph


@jit
def _altitude_rows(a_km, e, alt0, dalt, nalt):
    """Rows ``jlo..jhi`` of the density grid that an orbit's nodes can reach (a 30 km margin below
    the perigee for the step's decay, 5 km above the apogee for the Earth's flattening)."""
    hmin = a_km * (1.0 - e) - RE_KM - 30.0
    hmax = a_km * (1.0 + e) - RE_KM * (1.0 - FLATTENING) + 5.0
    jlo = int(math.floor((hmin - alt0) / dalt))
    if jlo < 0:
        jlo = 0
    if jlo > nalt - 2:
        jlo = nalt - 2
    jhi = int(math.ceil((hmax - alt0) / dalt))
    if jhi > nalt - 1:
        jhi = nalt - 1
    if jhi < jlo + 1:
        jhi = jlo + 1
    return jlo, jhi


@jit
def _scale_height_km(h_km, alt0, dalt, jlo, jhi, buf):
    d = _log_rho(h_km - 0.5 * dalt, alt0, dalt, jlo, jhi, buf) - _log_rho(h_km + 0.5 * dalt, alt0, dalt, jlo, jhi, buf)
    if d <= 1e-6:
        return 1e4
    return dalt / d


@jit
def _accumulate_occupancy(occ, t0, dt, a_km, e, occ_t0, occ_dt, shell0, dshell, cos_e):
    """Add dt (days, as years) of one object to time bins x altitude shells (E-node time weights)."""
    ntb = occ.shape[0]
    nsh = occ.shape[1]
    if ntb == 0 or nsh == 0 or dt <= 0.0:
        return
    nn = _n_nodes(a_km, e, 30.0)
    stride = _NMAX // nn
    t1 = t0 + dt
    b0 = int(math.floor((t0 - occ_t0) / occ_dt))
    b1 = int(math.floor((t1 - occ_t0) / occ_dt))
    if b0 < 0:
        b0 = 0
    if b1 >= ntb:
        b1 = ntb - 1
    for b in range(b0, b1 + 1):
        lo = max(t0, occ_t0 + b * occ_dt)
        hi = min(t1, occ_t0 + (b + 1) * occ_dt)
        if hi <= lo:
            continue
        years = (hi - lo) / 365.25
        for k in range(nn):
            ce = cos_e[k * stride]
            w = (1.0 - e * ce) / nn
            h = a_km * (1.0 - e * ce) - RE_KM
            s = int(math.floor((h - shell0) / dshell))
            if 0 <= s < nsh:
                occ[b, s] += years * w


@jit
def _record_outputs(out_t, out_state, io, t, a_km, e, inc, raan, argp, m_anom):
    """Write the elements into every output row ``io, io+1, ...`` whose time is <= ``t`` (days);
    return the index of the next output still to fill."""
    n_out = out_t.shape[0]
    while io < n_out and out_t[io] <= t:
        out_state[io, 0] = a_km
        out_state[io, 1] = e
        out_state[io, 2] = inc
        out_state[io, 3] = raan
        out_state[io, 4] = argp
        out_state[io, 5] = m_anom
        io += 1
    return io


@jit
def propagate_one(a_km, e, inc, raan, argp, m_anom, bc_m2_kg, t_start, t_end,
                  cum, alt0, dalt, params, out_t, out_state, occ, occ_t0, occ_dt, shell0, dshell,
                  cos_e, sin_e, buf, final_state):
    """Propagate one object from ``t_start`` to ``t_end`` (days); return (decay_t, status, steps).

    ``out_state`` (n_out, 6) receives a, e, i, RAAN, argp, M at the times ``out_t`` (NaN before
    ``t_start`` and after decay); ``occ`` (n_time_bins, n_shells) gains the object's time per
    altitude shell (fragment-years); ``final_state`` (6,) the elements at the end.
    """
    reentry = params[P_REENTRY_KM]
    tol_frac = params[P_TOL_FRAC]
    dt_max = params[P_DT_MAX_DAYS]
    n_out = out_t.shape[0]
    nalt = cum.shape[1]
    for j in range(n_out):
        for c in range(6):
            out_state[j, c] = np.nan
    for c in range(6):
        final_state[c] = np.nan
    if not (a_km > 0.0 and e >= 0.0 and e < 1.0 and math.isfinite(a_km) and math.isfinite(bc_m2_kg)
            and math.isfinite(t_start)):
        return np.nan, STATUS_INVALID, 0
    t = t_start
    if a_km * (1.0 - e) - RE_KM < reentry:
        return t, STATUS_DECAYED, 0
    kx = e * math.cos(argp)
    hx = e * math.sin(argp)
    lam = argp + m_anom  # mean argument of latitude
    io = 0
    while io < n_out and out_t[io] < t:
        io += 1
    dt_prop = 1.0
    steps = 0
    decay_t = np.nan
    status = STATUS_UP
    n_iter = 0
    while t < t_end:
        n_iter += 1
        if n_iter > 1000000:  # a guard, never reached by a bound orbit: give up on this object
            return np.nan, STATUS_INVALID, steps
        # no step shorter than one orbital period: an orbit-averaged model resolves nothing finer
        dt_min = max(params[P_DT_MIN_DAYS], TWO_PI * math.sqrt(a_km * a_km * a_km / MU_KM3_S2) / SECONDS_PER_DAY)
        # an output exactly at t (e.g. at the start)
        io = _record_outputs(out_t, out_state, io, t, a_km, e, inc, raan, argp, m_anom)
        t_stop = t_end
        if io < n_out and out_t[io] < t_stop:
            t_stop = out_t[io]
        if dt_prop > dt_max:
            dt_prop = dt_max
        if dt_prop < dt_min:
            dt_prop = dt_min
        dt = dt_prop
        last = False
        if t + dt >= t_stop:
            dt = t_stop - t
            last = True
        # buffer: altitudes the nodes can reach this step (margin for the step's decay)
        jlo, jhi = _altitude_rows(a_km, e, alt0, dalt, nalt)
        jhi = _fill_log_density(cum, t, t + dt, jlo, jhi, buf)
        # gravity rates at the start state: the perigee turns during the step; the drag is averaged
        # over the phases of the eccentricity vector's turn about the frozen point (J3) it spans
        mdot0, wdot0, odot0, _n0 = secular_rates(a_km, e, inc)
        p_er0 = a_km * (1.0 - e * e) / RE_KM
        e_f0 = -(J3 / (2.0 * J2)) * math.sin(inc) / p_er0
        span = abs(wdot0 * dt)
        n_ph = 1
        if a_km * e > 2.0:  # the perigee's latitude and height matter only for a e above a few km
            # smooth and periodic in the phase: 4 trapezoid phases per cycle integrate the
            # perigee-latitude (2nd harmonic) and J3 (1st harmonic) terms exactly
            n_ph = int(math.ceil(span / (0.5 * math.pi)))
            if n_ph > 4:
                n_ph = 4
            if n_ph < 1:
                n_ph = 1
        if span > TWO_PI:
            dph = TWO_PI / n_ph
        else:
            dph = wdot0 * dt / n_ph
        hs = _scale_height_km(a_km * (1.0 - e) - RE_KM, alt0, dalt, jlo, jhi, buf)
        k1a, k1e = drag_rates_phased(a_km, kx, hx, 1.0, e_f0, dph, n_ph, inc, bc_m2_kg,
                                     alt0, dalt, jlo, jhi, buf, cos_e, sin_e, hs)
        am = a_km + 0.5 * dt * k1a
        em = e + 0.5 * dt * k1e
        if em < 0.0:
            em = 0.0
        if am * (1.0 - em) - RE_KM < reentry - 50.0 and dt > dt_min:
            dt_prop = max(0.25 * dt, dt_min)
            continue
        sc = em / e if e > 0.0 else 1.0
        k2a, k2e = drag_rates_phased(am, kx, hx, sc, e_f0, dph, n_ph, inc, bc_m2_kg,
                                     alt0, dalt, jlo, jhi, buf, cos_e, sin_e, hs)
        a_new = a_km + dt * k2a
        e_new = e + dt * k2e
        if e_new < 0.0:
            e_new = 0.0
        rp0 = a_km * (1.0 - e)
        rp1 = a_new * (1.0 - e_new)
        ra0 = a_km * (1.0 + e)
        ra1 = a_new * (1.0 + e_new)
        tol = tol_frac * hs
        # perigee moves at most tol; a (and with it the apogee) at most 1% per step
        err = max(abs(rp1 - rp0), tol * abs(a_new - a_km) / (0.01 * a_km))
        floor = dt <= dt_min * 1.0001
        if not floor and (not (a_new > 0.0) or err > tol or not (err == err)):
            dt_prop = max(dt * max(0.1, 0.8 * tol / max(err, 1e-300)), dt_min)
            continue
        steps += 1
        if not (a_new > RE_KM) or not (e_new < 1.0):
            # drag takes the whole orbit within one revolution: it re-enters at this pass
            rp1 = RE_KM + reentry - 1.0
            a_new = rp1
            e_new = 0.0
        # re-entry within this step?
        hp1 = rp1 - RE_KM
        frac = 1.0
        if hp1 < reentry:
            hp0 = rp0 - RE_KM
            frac = (hp0 - reentry) / max(hp0 - hp1, 1e-12)
            if frac < 0.0:
                frac = 0.0
            if frac > 1.0:
                frac = 1.0
        _accumulate_occupancy(occ, t, dt * frac, 0.5 * (a_km + a_new), 0.5 * (e + e_new),
                              occ_t0, occ_dt, shell0, dshell, cos_e)
        if hp1 < reentry:
            decay_t = t + frac * dt
            status = STATUS_DECAYED
            break
        # gravity: secular rates at the mid state, J3 as a rotation of the eccentricity vector
        amid = 0.5 * (a_km + a_new)
        emid = 0.5 * (e + e_new)
        mdot, wdot, odot, _n = secular_rates(amid, emid, inc)
        p_er = amid * (1.0 - emid * emid) / RE_KM
        e_f = -(J3 / (2.0 * J2)) * math.sin(inc) / p_er
        scale = e_new / e if e > 0.0 else 0.0
        kx *= scale
        hx *= scale
        if e <= 0.0 and e_new > 0.0:
            kx = e_new * math.cos(argp)
            hx = e_new * math.sin(argp)
        ang = wdot * dt
        ca = math.cos(ang)
        sa = math.sin(ang)
        ky = hx - e_f
        kx2 = kx * ca - ky * sa
        ky2 = kx * sa + ky * ca
        kx = kx2
        hx = ky2 + e_f
        e = math.sqrt(kx * kx + hx * hx)
        if e >= 1.0:
            return np.nan, STATUS_INVALID, steps
        argp = math.atan2(hx, kx) if e > 0.0 else (argp + ang) % TWO_PI
        if argp < 0.0:
            argp += TWO_PI
        raan = (raan + odot * dt) % TWO_PI
        # the mean argument of latitude advances at mdot + argpdot whatever the J3 turn does to
        # the perigee's direction, so M is what remains of it after the new perigee
        lam = lam + (mdot + wdot) * dt
        m_anom = (lam - argp) % TWO_PI
        a_km = a_new
        t = t + dt
        if last:
            t = t_stop
        # next step: grow towards the tolerance
        grow = 0.8 * tol / max(err, 1e-300)
        if grow > 4.0:
            grow = 4.0
        if not last or grow < 1.0:
            dt_prop = dt * grow
    if status == STATUS_UP:
        io = _record_outputs(out_t, out_state, io, t, a_km, e, inc, raan, argp, m_anom)
    if status == STATUS_UP:
        final_state[0] = a_km
        final_state[1] = e
        final_state[2] = inc
        final_state[3] = raan
        final_state[4] = argp
        final_state[5] = m_anom
    return decay_t, status, steps


@jit(parallel=True)
def propagate_many(a_km, e, inc, raan, argp, m_anom, bc_m2_kg, t_start, t_end,
                   cum, alt0, dalt, params, out_t, occ_t0, occ_dt, n_tbins, shell0, dshell, n_shells,
                   n_chunks):
    """Propagate many objects in parallel (interleaved chunks, one occupancy grid per chunk).

    Returns
    -------
    decay_t (n,), status (n,), steps (n,), out_state (n, n_out, 6), final_state (n, 6),
    occupancy (n_time_bins, n_shells) in object-years.
    """
    n = a_km.shape[0]
    n_out = out_t.shape[0]
    decay_t = np.full(n, np.nan)
    status = np.zeros(n, dtype=np.int64)
    steps = np.zeros(n, dtype=np.int64)
    out_state = np.full((n, n_out, 6), np.nan)
    final_state = np.full((n, 6), np.nan)
    occ = np.zeros((n_chunks, n_tbins, n_shells))
    cos_e = np.cos(TWO_PI * np.arange(_NMAX) / _NMAX)
    sin_e = np.sin(TWO_PI * np.arange(_NMAX) / _NMAX)
    nalt = cum.shape[1]
    for c in prange(n_chunks):
        buf = np.empty(nalt)
        for idx in range(c, n, n_chunks):
            dtk, st, ns = propagate_one(a_km[idx], e[idx], inc[idx], raan[idx], argp[idx], m_anom[idx],
                                        bc_m2_kg[idx], t_start[idx], t_end, cum, alt0, dalt, params,
                                        out_t, out_state[idx], occ[c], occ_t0, occ_dt, shell0, dshell,
                                        cos_e, sin_e, buf, final_state[idx])
            decay_t[idx] = dtk
            status[idx] = st
            steps[idx] = ns
    total = np.zeros((n_tbins, n_shells))
    for c in range(n_chunks):
        total += occ[c]
    return decay_t, status, steps, out_state, final_state, total


@jit(parallel=True)
def unit_drag_dadt(a_km, e, inc, argp, t0, t1, cum, alt0, dalt):
    """Orbit-averaged ``da/dt`` (km/day) for a ballistic coefficient of 1 m^2/kg, per object.

    The density is the table's time average over ``[t0, t1]`` (days since its first day), the
    orbit average that of :func:`drag_rates` (the propagator's): multiply by ``Cd A/M`` for the
    model's decay rate at epoch. NaN for invalid elements.
    """
    n = a_km.shape[0]
    out = np.full(n, np.nan)
    nalt = cum.shape[1]
    cos_e = np.cos(TWO_PI * np.arange(_NMAX) / _NMAX)
    sin_e = np.sin(TWO_PI * np.arange(_NMAX) / _NMAX)
    for i in prange(n):
        a = a_km[i]
        ee = e[i]
        if not (a > RE_KM and ee >= 0.0 and ee < 1.0 and math.isfinite(t0[i]) and math.isfinite(t1[i])):
            continue
        buf = np.empty(nalt)
        jlo, jhi = _altitude_rows(a, ee, alt0, dalt, nalt)
        jhi = _fill_log_density(cum, t0[i], t1[i], jlo, jhi, buf)
        hs = _scale_height_km(a * (1.0 - ee) - RE_KM, alt0, dalt, jlo, jhi, buf)
        da, _de = drag_rates(a, ee, inc[i], argp[i], 1.0, alt0, dalt, jlo, jhi, buf, cos_e, sin_e, hs)
        out[i] = da
    return out
