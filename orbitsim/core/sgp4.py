"""SGP4/SDP4 propagation kernels: one object at one time, and objects x times in parallel.

Our numba implementation of the propagation half of Vallado's SGP4 (AIAA 2006-6753, improved
mode ``'i'``, WGS72), i.e. the reference's ``sgp4``, ``dspace`` and ``dpper`` procedures, reading
the coefficient rows built by :mod:`orbitsim.core.sgp4_init`. Results are TEME positions [km] and
velocities [km/s]; error codes are the reference's (1 mean eccentricity out of range, 2 mean motion
<= 0, 3 perturbed eccentricity out of range, 4 semi-latus rectum < 0, 6 decayed: radius below one
earth radius) plus ``ERR_GUARD`` (7) from orbitsim's input guard. A row with a non-zero code holds
NaN.

Speed without changing the answer beyond rounding (tests hold us to 1e-6 km and 1e-9 km/s of the
C++ reference; we measure about 2e-7 km and 1e-10 km/s):
- times are the inner loop, so an object's coefficients stay in cache, and the deep-space resonance
  integrator continues from the previous time's state exactly as the reference C++ does when a
  ``Satrec`` is called repeatedly (the integrator is deterministic, so this equals restarting);
- near-earth objects (the vast majority) run :func:`_near_row`: blocks of 128 times go through
  branch-free stages (secular terms; a fixed number of Newton steps for Kepler's equation, enough
  for the reference's 1e-12 tolerance; short-period terms) that LLVM turns into SIMD code; error
  codes are chosen by selects at the end;
- sines and cosines come from one argument reduction and fdlibm's minimax polynomials
  (:func:`_sincos`), angles shifted by a small correction by exact angle addition; the
  near-earth semi-major axis avoids the two ``pow`` calls;
- numba's "numpy" error model (no ZeroDivisionError checks: a zero divisor gives inf/NaN, which
  the guards turn into error codes) and fast-math flags without reassociation or no-NaN
  assumptions.
"""

from __future__ import annotations

import math

import numpy as np

from ._jit import jit, prange
from .sgp4_init import (
    C_AM0, C_ARGPDOT, C_ARGPO, C_AYCOF, C_BSTAR, C_CC1, C_CC4, C_CC5, C_CON41, C_COSIO, C_D2,
    C_D3, C_D4, C_D2201, C_D2211, C_D3210, C_D3222, C_D4410, C_D4422, C_D5220, C_D5232, C_D5421,
    C_D5433, C_DEDT, C_DEL1, C_DEL2, C_DEL3, C_DELMO, C_DIDT, C_DMDT, C_DNODT, C_DOMDT, C_E3,
    C_ECCO, C_EE2, C_EPOCH_FR, C_EPOCH_JD, C_ETA, C_GSTO, C_INCLO, C_INIT_ERR, C_IREZ, C_ISIMP,
    C_MDOT, C_METHOD, C_MO, C_NO, C_NODECF, C_NODEDOT, C_NODEO, C_OMGCOF, C_PEO, C_PGHO, C_PHO,
    C_PINCO, C_PLO, C_SE2, C_SE3, C_SGH2, C_SGH3, C_SGH4, C_SH2, C_SH3, C_SI2, C_SI3, C_SINIO,
    C_SINMAO, C_SL2, C_SL3, C_SL4, C_T2COF, C_T3COF, C_T4COF, C_T5COF, C_X1MTH2, C_X7THM1,
    C_XFACT, C_XGH2, C_XGH3, C_XGH4, C_XH2, C_XH3, C_XI2, C_XI3, C_XL2, C_XL3, C_XL4, C_XLAMO,
    C_XLCOF, C_XMCOF, C_ZMOL, C_ZMOS, C_RMAX_KM, ERR_GUARD, J2, J3OJ2, RE_KM, TWOPI, X2O3, XKE,
)

#: LLVM fast-math flags for the propagation kernels: contraction into FMA, reciprocal and
#: approximate-function rewrites, no signed zeros; not reassociation (it undoes the two-part
#: argument reduction of _sincos: errors of 5e-3 km on Vallado's set) and not "no NaNs"/"no
#: infinities" (they would delete the NaN guards). Verified: still within 1e-6 km / 1e-9 km/s of the C++ sgp4 on
#: Vallado's set and the whole catalog (tests/test_sgp4_vallado.py, tests/test_propagation.py).
_FASTMATH = {"contract", "arcp", "nsz", "afn"}

#: Velocity unit of the reference: earth radii per minute -> km/s.
VKMPERSEC = RE_KM * XKE / 60.0
NAN = math.nan


@jit(fastmath=_FASTMATH, error_model="numpy")
def _fmod(x, y):
    """C ``fmod`` (sign of ``x``), exact, as the reference C++ uses."""
    return np.fmod(x, y)


# fdlibm's minimax coefficients for sin and cos on [-pi/4, pi/4] (k_sin.c, k_cos.c, Sun
# Microsystems 1993) and its two-part pi/2 for argument reduction (e_rem_pio2.c).
_S1 = -1.66666666666666324348e-01
_S2 = 8.33333333332248946124e-03
_S3 = -1.98412698298579493134e-04
_S4 = 2.75573137070700676789e-06
_S5 = -2.50507602534068634195e-08
_S6 = 1.58969099521155010221e-10
_C1 = 4.16666666666666019037e-02
_C2 = -1.38888888888741095749e-03
_C3 = 2.48015872894767294178e-05
_C4 = -2.75573143513906633035e-07
_C5 = 2.08757232129817482790e-09
_C6 = -1.13596475577881948265e-11
_INVPIO2 = 6.36619772367581382433e-01
_PIO2_1 = 1.57079632673412561417e+00  # first 33 bits of pi/2
_PIO2_1T = 6.07710050650619224932e-11  # pi/2 - _PIO2_1


@jit(fastmath=_FASTMATH, inline="always", error_model="numpy")
def _sincos_v(x):
    """Branch-free :func:`_sincos` (no libm fallback) so that loops over times vectorize (SIMD);
    absolute error about 2e-16 for |x| < 1.6e6, about ulp(x) beyond (an angle of 1e7 rad is a
    propagation decades from epoch, far outside SGP4's validity)."""
    fn = math.floor(x * _INVPIO2 + 0.5)
    y = (x - fn * _PIO2_1) - fn * _PIO2_1T
    z = y * y
    sn = y + y * z * (_S1 + z * (_S2 + z * (_S3 + z * (_S4 + z * (_S5 + z * _S6)))))
    cs = 1.0 - 0.5 * z + z * z * (_C1 + z * (_C2 + z * (_C3 + z * (_C4 + z * (_C5 + z * _C6)))))
    q = int(fn) & 3
    odd = (q & 1) != 0
    a = cs if odd else sn
    b = sn if odd else cs
    s = -a if (q & 2) != 0 else a
    c = -b if ((q + 1) & 2) != 0 else b
    return s, c


@jit(fastmath=_FASTMATH, error_model="numpy")
def _sincos(x):
    """(sin x, cos x) with one argument reduction; absolute error about 2e-16 for |x| < 1.6e6
    (libm beyond). SGP4's tolerance here is 1e-10 relative, so this is exact for our purpose."""
    if not (abs(x) < 1.6e6):
        return math.sin(x), math.cos(x)
    return _sincos_v(x)


@jit(fastmath=_FASTMATH, inline="always", error_model="numpy")
def _short_period(pl, rl, rdotl, rvdotl, betal, sin2u, cos2u, nm, con41, x1mth2, x7thm1, cosip, sinip):
    """SGP4's short-period periodics (Vallado et al. 2006, sgp4 step; Hoots & Roehrich 1980).

    Returns ``(mrt, dsu, dnode, dinc, mvt, rvdot)``: radius (earth radii), corrections to the
    argument of latitude, node and inclination (rad), and radial / transverse rates (earth radii
    per minute over XKE). Shared by the scalar and the vectorized (SIMD) paths; inlined in both.
    """
    temp = 1.0 / pl
    temp1 = 0.5 * J2 * temp
    temp2 = temp1 * temp
    mrt = rl * (1.0 - 1.5 * temp2 * betal * con41) + 0.5 * temp1 * x1mth2 * cos2u
    dsu = -0.25 * temp2 * x7thm1 * sin2u
    dnode = 1.5 * temp2 * cosip * sin2u
    dinc = 1.5 * temp2 * cosip * sinip * cos2u
    mvt = rdotl - nm * temp1 * x1mth2 * sin2u * (1.0 / XKE)
    rvdot = rvdotl + nm * temp1 * (x1mth2 * cos2u + 1.5 * con41) * (1.0 / XKE)
    return mrt, dsu, dnode, dinc, mvt, rvdot


@jit(fastmath=_FASTMATH, error_model="numpy")
def _reduce(x):
    """x modulo 2 pi in [0, 2 pi) (rounding-level differences from C fmod do not matter where
    this is used: the result only feeds sines, cosines and Kepler's equation)."""
    return x - TWOPI * math.floor(x / TWOPI)


@jit(fastmath=_FASTMATH, error_model="numpy")
def _sincos_small(d):
    """Sine and cosine of a small angle |d| <= 0.05 rad by Taylor series (error < 1e-21)."""
    d2 = d * d
    s = d * (1.0 - d2 / 6.0 * (1.0 - d2 / 20.0 * (1.0 - d2 / 42.0 * (1.0 - d2 / 72.0))))
    c = 1.0 - d2 / 2.0 * (1.0 - d2 / 12.0 * (1.0 - d2 / 30.0 * (1.0 - d2 / 56.0 * (1.0 - d2 / 90.0))))
    return s, c


@jit(fastmath=_FASTMATH, error_model="numpy")
def _sincos_shift(s0, c0, d):
    """(sin, cos) of ``a + d`` from ``s0 = sin a``, ``c0 = cos a`` by the addition formula;
    callers use it for |d| <= 0.05 only."""
    sd, cd = _sincos_small(d)
    return s0 * cd + c0 * sd, c0 * cd - s0 * sd


@jit(fastmath=_FASTMATH, error_model="numpy")
def _dpper(c, t, ep, inclp, nodep, argpp, mp):
    """Lunar-solar long-period periodics (reference ``dpper``, init = 'n', opsmode 'i')."""
    zns = 1.19459e-5
    zes = 0.01675
    znl = 1.5835218e-4
    zel = 0.05490

    # solar
    zm = c[C_ZMOS] + zns * t
    zf = zm + 2.0 * zes * _sincos(zm)[0]
    sinzf, coszf = _sincos(zf)
    f2 = 0.5 * sinzf * sinzf - 0.25
    f3 = -0.5 * sinzf * coszf
    ses = c[C_SE2] * f2 + c[C_SE3] * f3
    sis = c[C_SI2] * f2 + c[C_SI3] * f3
    sls = c[C_SL2] * f2 + c[C_SL3] * f3 + c[C_SL4] * sinzf
    sghs = c[C_SGH2] * f2 + c[C_SGH3] * f3 + c[C_SGH4] * sinzf
    shs = c[C_SH2] * f2 + c[C_SH3] * f3
    # lunar
    zm = c[C_ZMOL] + znl * t
    zf = zm + 2.0 * zel * _sincos(zm)[0]
    sinzf, coszf = _sincos(zf)
    f2 = 0.5 * sinzf * sinzf - 0.25
    f3 = -0.5 * sinzf * coszf
    sel = c[C_EE2] * f2 + c[C_E3] * f3
    sil = c[C_XI2] * f2 + c[C_XI3] * f3
    sll = c[C_XL2] * f2 + c[C_XL3] * f3 + c[C_XL4] * sinzf
    sghl = c[C_XGH2] * f2 + c[C_XGH3] * f3 + c[C_XGH4] * sinzf
    shll = c[C_XH2] * f2 + c[C_XH3] * f3

    pe = ses + sel - c[C_PEO]
    pinc = sis + sil - c[C_PINCO]
    pl = sls + sll - c[C_PLO]
    pgh = sghs + sghl - c[C_PGHO]
    ph = shs + shll - c[C_PHO]
    inclp = inclp + pinc
    ep = ep + pe
    sinip, cosip = _sincos(inclp)

    # apply periodics directly (GSFC choice: perturbed inclination against the 0.2 rad limit)
    if inclp >= 0.2:
        ph = ph / sinip
        pgh = pgh - cosip * ph
        argpp = argpp + pgh
        nodep = nodep + ph
        mp = mp + pl
    else:
        # Lyddane modification for low inclinations
        sinop, cosop = _sincos(nodep)
        alfdp = sinip * sinop
        betdp = sinip * cosop
        dalf = ph * cosop + pinc * cosip * sinop
        dbet = -ph * sinop + pinc * cosip * cosop
        alfdp = alfdp + dalf
        betdp = betdp + dbet
        nodep = _fmod(nodep, TWOPI)
        xls = mp + argpp + pl + pgh + (cosip - pinc * sinip) * nodep
        xnoh = nodep
        nodep = math.atan2(alfdp, betdp)
        if abs(xnoh - nodep) > math.pi:
            if nodep < xnoh:
                nodep = nodep + TWOPI
            else:
                nodep = nodep - TWOPI
        mp = mp + pl
        argpp = xls - mp - cosip * nodep
    return ep, inclp, nodep, argpp, mp


@jit(fastmath=_FASTMATH, error_model="numpy")
def _dspace(c, t, atime, xli, xni, em, argpm, inclm, mm, nodem):
    """Deep-space secular effects and resonance integration (reference ``dspace``).

    ``atime, xli, xni`` is the integrator state carried between calls (start with ``0, 0, 0``).
    Returns ``(atime, xli, xni, em, argpm, inclm, mm, nodem, nm)``.
    """
    fasx2 = 0.13130908
    fasx4 = 2.8843198
    fasx6 = 0.37448087
    g22 = 5.7686396
    g32 = 0.95240898
    g44 = 1.8014998
    g52 = 1.0508330
    g54 = 4.4108898
    rptim = 4.37526908801129966e-3  # earth rotation, rad/min
    stepp = 720.0
    stepn = -720.0
    step2 = 259200.0

    no = c[C_NO]
    theta = _reduce(c[C_GSTO] + t * rptim)
    em = em + c[C_DEDT] * t
    inclm = inclm + c[C_DIDT] * t
    argpm = argpm + c[C_DOMDT] * t
    nodem = nodem + c[C_DNODT] * t
    mm = mm + c[C_DMDT] * t
    nm = no

    irez = int(c[C_IREZ])
    if irez != 0:
        # restart the integrator from epoch when needed (same rule as the reference)
        if atime == 0.0 or t * atime <= 0.0 or abs(t) < abs(atime):
            atime = 0.0
            xni = no
            xli = c[C_XLAMO]
        delt = stepp if t > 0.0 else stepn
        del1 = c[C_DEL1]
        del2 = c[C_DEL2]
        del3 = c[C_DEL3]
        d2201 = c[C_D2201]
        d2211 = c[C_D2211]
        d3210 = c[C_D3210]
        d3222 = c[C_D3222]
        d4410 = c[C_D4410]
        d4422 = c[C_D4422]
        d5220 = c[C_D5220]
        d5232 = c[C_D5232]
        d5421 = c[C_D5421]
        d5433 = c[C_D5433]
        argpo = c[C_ARGPO]
        argpdot = c[C_ARGPDOT]
        xfact = c[C_XFACT]
        ft = 0.0
        xndt = 0.0
        xldot = 0.0
        xnddt = 0.0
        while True:
            if irez != 2:
                # near-synchronous resonance terms
                s1_, c1_ = _sincos(xli - fasx2)
                s2_, c2_ = _sincos(2.0 * (xli - fasx4))
                s3_, c3_ = _sincos(3.0 * (xli - fasx6))
                xndt = del1 * s1_ + del2 * s2_ + del3 * s3_
                xldot = xni + xfact
                xnddt = del1 * c1_ + 2.0 * del2 * c2_ + 3.0 * del3 * c3_
                xnddt = xnddt * xldot
            else:
                # near half-day resonance terms
                xomi = argpo + argpdot * atime
                x2omi = xomi + xomi
                x2li = xli + xli
                sa, ca = _sincos(x2omi + xli - g22)
                sb, cb = _sincos(xli - g22)
                sc, cc = _sincos(xomi + xli - g32)
                sd, cd = _sincos(-xomi + xli - g32)
                se, ce = _sincos(x2omi + x2li - g44)
                sf, cf = _sincos(x2li - g44)
                sg, cg = _sincos(xomi + xli - g52)
                sh, ch = _sincos(-xomi + xli - g52)
                si, ci = _sincos(xomi + x2li - g54)
                sj, cj = _sincos(-xomi + x2li - g54)
                xndt = (d2201 * sa + d2211 * sb + d3210 * sc + d3222 * sd + d4410 * se
                        + d4422 * sf + d5220 * sg + d5232 * sh + d5421 * si + d5433 * sj)
                xldot = xni + xfact
                xnddt = (d2201 * ca + d2211 * cb + d3210 * cc + d3222 * cd + d5220 * cg + d5232 * ch
                         + 2.0 * (d4410 * ce + d4422 * cf + d5421 * ci + d5433 * cj))
                xnddt = xnddt * xldot
            if abs(t - atime) >= stepp:
                xli = xli + xldot * delt + xndt * step2
                xni = xni + xndt * delt + xnddt * step2
                atime = atime + delt
            else:
                ft = t - atime
                break
        nm = xni + xndt * ft + xnddt * ft * ft * 0.5
        xl = xli + xldot * ft + xndt * ft * ft * 0.5
        if irez != 1:
            mm = xl - 2.0 * nodem + 2.0 * theta
        else:
            mm = xl - nodem - argpm + theta
        dndt = nm - no
        nm = no + dndt
    return atime, xli, xni, em, argpm, inclm, mm, nodem, nm


@jit(fastmath=_FASTMATH, error_model="numpy")
def sgp4_one(c, t, atime, xli, xni):
    """Propagate one object ``t`` minutes from its epoch (reference ``sgp4``).

    Parameters
    ----------
    c : float64 array (N_COEF,)
        Coefficient row from :func:`orbitsim.core.sgp4_init.sgp4_init_row`.
    t : float
        Minutes since the element epoch.
    atime, xli, xni : float
        Deep-space resonance integrator state from the previous call on this row (``0, 0, 0``
        to start afresh; ignored for near-earth objects).

    Returns
    -------
    tuple
        ``(error, x, y, z, vx, vy, vz, atime, xli, xni)``: error code, TEME position [km] and
        velocity [km/s] (NaN if error != 0), and the updated integrator state.
    """
    err = int(c[C_INIT_ERR])
    if err != 0 or not math.isfinite(t):
        return ERR_GUARD, NAN, NAN, NAN, NAN, NAN, NAN, atime, xli, xni

    deep = c[C_METHOD] != 0.0
    no = c[C_NO]
    bstar = c[C_BSTAR]

    # secular gravity and atmospheric drag
    xmdf = c[C_MO] + c[C_MDOT] * t
    argpdf = c[C_ARGPO] + c[C_ARGPDOT] * t
    nodedf = c[C_NODEO] + c[C_NODEDOT] * t
    argpm = argpdf
    mm = xmdf
    t2 = t * t
    nodem = nodedf + c[C_NODECF] * t2
    tempa = 1.0 - c[C_CC1] * t
    tempe = bstar * c[C_CC4] * t
    templ = c[C_T2COF] * t2

    if c[C_ISIMP] != 1.0:
        delomg = c[C_OMGCOF] * t
        sinxm, cosxm = _sincos(xmdf)
        delmtemp = 1.0 + c[C_ETA] * cosxm
        delm = c[C_XMCOF] * (delmtemp * delmtemp * delmtemp - c[C_DELMO])
        temp = delomg + delm
        mm = xmdf + temp
        argpm = argpdf - temp
        t3 = t2 * t
        t4 = t3 * t
        tempa = tempa - c[C_D2] * t2 - c[C_D3] * t3 - c[C_D4] * t4
        if abs(temp) <= 0.05:
            sinmm = _sincos_shift(sinxm, cosxm, temp)[0]
        else:
            sinmm = _sincos(mm)[0]
        tempe = tempe + bstar * c[C_CC5] * (sinmm - c[C_SINMAO])
        templ = templ + c[C_T3COF] * t3 + t4 * (c[C_T4COF] + t * c[C_T5COF])

    nm = no
    em = c[C_ECCO]
    inclm = c[C_INCLO]
    if deep:
        atime, xli, xni, em, argpm, inclm, mm, nodem, nm = _dspace(
            c, t, atime, xli, xni, em, argpm, inclm, mm, nodem)

    if nm <= 0.0:
        return 2, NAN, NAN, NAN, NAN, NAN, NAN, atime, xli, xni

    if deep:
        am = math.pow(XKE / nm, X2O3) * tempa * tempa
        nm = XKE / math.pow(am, 1.5)
    else:
        # nm == no here: (xke/no)^(2/3) is a per-object constant
        am = c[C_AM0] * tempa * tempa
        nm = XKE / (am * math.sqrt(am))
    em = em - tempe

    if em >= 1.0 or em < -0.001:
        return 1, NAN, NAN, NAN, NAN, NAN, NAN, atime, xli, xni
    if em < 1.0e-6:
        em = 1.0e-6
    mm = mm + no * templ
    # the reference reduces nodem, argpm, mm modulo 2 pi here; they only feed sines, cosines and
    # (through u below, reduced) Kepler's equation, so the reduction is left to those places

    # lunar-solar periodics
    ep = em
    xincp = inclm
    argpp = argpm
    nodep = nodem
    mp = mm
    if deep:
        ep, xincp, nodep, argpp, mp = _dpper(c, t, ep, xincp, nodep, argpp, mp)
        if xincp < 0.0:
            xincp = -xincp
            nodep = nodep + math.pi
            argpp = argpp - math.pi
        if ep < 0.0 or ep > 1.0:
            return 3, NAN, NAN, NAN, NAN, NAN, NAN, atime, xli, xni
        sinip, cosip = _sincos(xincp)
        aycof = -0.5 * J3OJ2 * sinip
        if abs(cosip + 1.0) > 1.5e-12:
            xlcof = -0.25 * J3OJ2 * sinip * (3.0 + 5.0 * cosip) / (1.0 + cosip)
        else:
            xlcof = -0.25 * J3OJ2 * sinip * (3.0 + 5.0 * cosip) / 1.5e-12
        cosisq = cosip * cosip
        con41 = 3.0 * cosisq - 1.0
        x1mth2 = 1.0 - cosisq
        x7thm1 = 7.0 * cosisq - 1.0
    else:
        sinip = c[C_SINIO]
        cosip = c[C_COSIO]
        aycof = c[C_AYCOF]
        xlcof = c[C_XLCOF]
        con41 = c[C_CON41]
        x1mth2 = c[C_X1MTH2]
        x7thm1 = c[C_X7THM1]

    # long-period periodics
    sinargp, cosargp = _sincos(argpp)
    axnl = ep * cosargp
    temp = 1.0 / (am * (1.0 - ep * ep))
    aynl = ep * sinargp + temp * aycof
    xl = mp + argpp + nodep + temp * xlcof * axnl

    # Kepler's equation (Newton, step limited to 0.95 rad, at most 10 iterations)
    u = _reduce(xl - nodep)
    eo1 = u
    sineo1, coseo1 = _sincos(eo1)
    tem5 = 9999.9
    ktr = 1
    while True:
        tem5 = (u - aynl * coseo1 + axnl * sineo1 - eo1) / (1.0 - coseo1 * axnl - sineo1 * aynl)
        if abs(tem5) >= 0.95:
            tem5 = 0.95 if tem5 > 0.0 else -0.95
        eo1 = eo1 + tem5
        ktr += 1
        if abs(tem5) < 1.0e-12 or ktr > 10:
            break
        # sin/cos of the new iterate; the values at the last iterate are the ones used below
        if abs(tem5) <= 0.05:
            sineo1, coseo1 = _sincos_shift(sineo1, coseo1, tem5)
        else:
            sineo1, coseo1 = _sincos(eo1)

    # short-period preliminary quantities
    ecose = axnl * coseo1 + aynl * sineo1
    esine = axnl * sineo1 - aynl * coseo1
    el2 = axnl * axnl + aynl * aynl
    pl = am * (1.0 - el2)
    if pl < 0.0:
        return 4, NAN, NAN, NAN, NAN, NAN, NAN, atime, xli, xni

    rl = am * (1.0 - ecose)
    rdotl = math.sqrt(am) * esine / rl
    rvdotl = math.sqrt(pl) / rl
    betal = math.sqrt(1.0 - el2)
    temp = esine / (1.0 + betal)
    sinu = am / rl * (sineo1 - aynl - axnl * temp)
    cosu = am / rl * (coseo1 - axnl + aynl * temp)
    sin2u = (cosu + cosu) * sinu
    cos2u = 1.0 - 2.0 * sinu * sinu
    mrt, dsu, dnode, dinc, mvt, rvdot = _short_period(
        pl, rl, rdotl, rvdotl, betal, sin2u, cos2u, nm, con41, x1mth2, x7thm1, cosip, sinip)

    # orientation vectors; su = atan2(sinu, cosu) + dsu, xinc = xincp + dinc
    if abs(dsu) <= 0.05:
        sinsu, cossu = _sincos_shift(sinu, cosu, dsu)
    else:
        su = math.atan2(sinu, cosu) + dsu
        sinsu, cossu = _sincos(su)
    xnode = nodep + dnode
    snod, cnod = _sincos(xnode)
    if abs(dinc) <= 0.05:
        sini, cosi = _sincos_shift(sinip, cosip, dinc)
    else:
        sini, cosi = _sincos(xincp + dinc)
    xmx = -snod * cosi
    xmy = cnod * cosi
    ux = xmx * sinsu + cnod * cossu
    uy = xmy * sinsu + snod * cossu
    uz = sini * sinsu
    vx = xmx * cossu - cnod * sinsu
    vy = xmy * cossu - snod * sinsu
    vz = sini * cossu

    mr = mrt * RE_KM
    x = mr * ux
    y = mr * uy
    z = mr * uz
    vxk = (mvt * ux + rvdot * vx) * VKMPERSEC
    vyk = (mvt * uy + rvdot * vy) * VKMPERSEC
    vzk = (mvt * uz + rvdot * vz) * VKMPERSEC

    if mrt < 1.0:
        return 6, NAN, NAN, NAN, NAN, NAN, NAN, atime, xli, xni
    if not (abs(mr) < c[C_RMAX_KM]) or not (math.isfinite(vxk) and math.isfinite(vyk)
                                        and math.isfinite(vzk)):
        return ERR_GUARD, NAN, NAN, NAN, NAN, NAN, NAN, atime, xli, xni
    return 0, x, y, z, vxk, vyk, vzk, atime, xli, xni


#: Times per block of the vectorized near-earth path (scratch arrays stay in L1 cache).
BLOCK = 128
# scratch rows of the vectorized near-earth path
_B_AM, _B_SQAM, _B_NODE, _B_U, _B_AXNL, _B_AYNL, _B_ERR1, _B_EO1 = range(8)
_B_X, _B_Y, _B_Z, _B_VX, _B_VY, _B_VZ, _B_ERR = range(8, 15)
_N_SCRATCH = 15


@jit(fastmath=_FASTMATH, error_model="numpy")
def _near_row(c, jd, fr, err_out, r_out, v_out):
    """Near-earth SGP4 (period < 225 min) of one row at every time, in blocks of times.

    The same formulas as :func:`sgp4_one`, arranged so that each stage is a branch-free loop over
    a block of times (secular terms; a fixed number of Newton steps for Kepler's equation, enough
    to reach the reference's 1e-12 tolerance for the object's eccentricity; short-period terms),
    which LLVM compiles to SIMD. Error codes as :func:`sgp4_one`.
    """
    ejd = c[C_EPOCH_JD]
    efr = c[C_EPOCH_FR]
    n_t = jd.shape[0]
    no = c[C_NO]
    ecco = c[C_ECCO]
    mo = c[C_MO]
    mdot = c[C_MDOT]
    argpo = c[C_ARGPO]
    argpdot = c[C_ARGPDOT]
    nodeo = c[C_NODEO]
    nodedot = c[C_NODEDOT]
    nodecf = c[C_NODECF]
    cc1 = c[C_CC1]
    bstar_cc4 = c[C_BSTAR] * c[C_CC4]
    t2cof = c[C_T2COF]
    simple = c[C_ISIMP] == 1.0
    # a "simple" object (perigee below 220 km) has no higher-order drag terms: zero coefficients
    # give exactly the reference's values (it skips those lines)
    omgcof = 0.0 if simple else c[C_OMGCOF]
    xmcof = 0.0 if simple else c[C_XMCOF]
    bstar_cc5 = 0.0 if simple else c[C_BSTAR] * c[C_CC5]
    eta = c[C_ETA]
    delmo = c[C_DELMO]
    d2 = c[C_D2]
    d3 = c[C_D3]
    d4 = c[C_D4]
    sinmao = c[C_SINMAO]
    t3cof = c[C_T3COF]
    t4cof = c[C_T4COF]
    t5cof = c[C_T5COF]
    am0 = c[C_AM0]
    sqrt_am0 = math.sqrt(am0)
    sinip = c[C_SINIO]
    cosip = c[C_COSIO]
    aycof = c[C_AYCOF]
    xlcof = c[C_XLCOF]
    con41 = c[C_CON41]
    x1mth2 = c[C_X1MTH2]
    x7thm1 = c[C_X7THM1]
    rmax_km = c[C_RMAX_KM]
    # Newton steps: the error squares each step from about e, so 4 steps reach 1e-16 for e < 0.1;
    # one or three more for margin (drag and negative B* move e); above, the reference's cap of 10
    if ecco < 0.01:
        n_newton = 5
    elif ecco < 0.1:
        n_newton = 7
    else:
        n_newton = 10
    buf = np.empty(_N_SCRATCH * BLOCK)  # one flat array: one base pointer for the vectorizer
    for j0 in range(0, n_t, BLOCK):
        m = min(BLOCK, n_t - j0)
        # --- secular gravity and drag, long-period terms
        for k in range(m):
            t = (jd[j0 + k] - ejd) * 1440.0 + (fr[j0 + k] - efr) * 1440.0
            xmdf = mo + mdot * t
            argpdf = argpo + argpdot * t
            t2 = t * t
            t3 = t2 * t
            t4 = t3 * t
            buf[_B_NODE * BLOCK + k] = nodeo + nodedot * t + nodecf * t2
            sinxm, cosxm = _sincos_v(xmdf)
            delmtemp = 1.0 + eta * cosxm
            temp = omgcof * t + xmcof * (delmtemp * delmtemp * delmtemp - delmo)
            mm = xmdf + temp
            argpm = argpdf - temp
            tempa = 1.0 - cc1 * t - d2 * t2 - d3 * t3 - d4 * t4
            sinmm, cosmm = _sincos_v(mm)
            tempe = bstar_cc4 * t + bstar_cc5 * (sinmm - sinmao)
            templ = t2cof * t2 + t3cof * t3 + t4 * (t4cof + t * t5cof)
            am = am0 * tempa * tempa
            buf[_B_AM * BLOCK + k] = am
            buf[_B_SQAM * BLOCK + k] = sqrt_am0 * abs(tempa)
            em = ecco - tempe
            buf[_B_ERR1 * BLOCK + k] = 1.0 if (em >= 1.0) | (em < -0.001) else 0.0
            em = em if em >= 1.0e-6 else 1.0e-6
            mm = mm + no * templ
            sinargp, cosargp = _sincos_v(argpm)
            axnl = em * cosargp
            temp = 1.0 / (am * (1.0 - em * em))
            aynl = em * sinargp + temp * aycof
            u = mm + argpm + temp * xlcof * axnl  # xl - node
            u = u - TWOPI * math.floor(u * (1.0 / TWOPI))
            buf[_B_U * BLOCK + k] = u
            buf[_B_EO1 * BLOCK + k] = u
            buf[_B_AXNL * BLOCK + k] = axnl
            buf[_B_AYNL * BLOCK + k] = aynl
        # --- Kepler's equation: Newton steps limited to 0.95 rad, as the reference
        for _ in range(n_newton):
            for k in range(m):
                eo1 = buf[_B_EO1 * BLOCK + k]
                axnl = buf[_B_AXNL * BLOCK + k]
                aynl = buf[_B_AYNL * BLOCK + k]
                sineo1, coseo1 = _sincos_v(eo1)
                tem5 = (buf[_B_U * BLOCK + k] - aynl * coseo1 + axnl * sineo1 - eo1) / (1.0 - coseo1 * axnl - sineo1 * aynl)
                tem5 = tem5 if tem5 < 0.95 else 0.95
                tem5 = tem5 if tem5 > -0.95 else -0.95
                buf[_B_EO1 * BLOCK + k] = eo1 + tem5
        # --- short-period periodics and position/velocity
        for k in range(m):
            am = buf[_B_AM * BLOCK + k]
            axnl = buf[_B_AXNL * BLOCK + k]
            aynl = buf[_B_AYNL * BLOCK + k]
            sineo1, coseo1 = _sincos_v(buf[_B_EO1 * BLOCK + k])
            ecose = axnl * coseo1 + aynl * sineo1
            esine = axnl * sineo1 - aynl * coseo1
            el2 = axnl * axnl + aynl * aynl
            pl = am * (1.0 - el2)
            rl = am * (1.0 - ecose)
            inv_rl = 1.0 / rl
            sqam = buf[_B_SQAM * BLOCK + k]
            nm = XKE / (am * sqam)
            rdotl = sqam * esine * inv_rl
            rvdotl = math.sqrt(abs(pl)) * inv_rl
            betal = math.sqrt(abs(1.0 - el2))
            temp = esine / (1.0 + betal)
            amr = am * inv_rl
            sinu = amr * (sineo1 - aynl - axnl * temp)
            cosu = amr * (coseo1 - axnl + aynl * temp)
            sin2u = (cosu + cosu) * sinu
            cos2u = 1.0 - 2.0 * sinu * sinu
            mrt, dsu, dnode, dinc, mvt, rvdot = _short_period(
                pl, rl, rdotl, rvdotl, betal, sin2u, cos2u, nm, con41, x1mth2, x7thm1, cosip, sinip)
            # sin/cos of su = atan2(sinu, cosu) + dsu and of xinc = inclo + dinc by addition
            sd, cd = _sincos_v(dsu)
            sinsu = sinu * cd + cosu * sd
            cossu = cosu * cd - sinu * sd
            snod, cnod = _sincos_v(buf[_B_NODE * BLOCK + k] + dnode)
            sdi, cdi = _sincos_v(dinc)
            sini = sinip * cdi + cosip * sdi
            cosi = cosip * cdi - sinip * sdi
            xmx = -snod * cosi
            xmy = cnod * cosi
            ux = xmx * sinsu + cnod * cossu
            uy = xmy * sinsu + snod * cossu
            uz = sini * sinsu
            vx = xmx * cossu - cnod * sinsu
            vy = xmy * cossu - snod * sinsu
            vz = sini * cossu
            mr = mrt * RE_KM
            buf[_B_X * BLOCK + k] = mr * ux
            buf[_B_Y * BLOCK + k] = mr * uy
            buf[_B_Z * BLOCK + k] = mr * uz
            vxk = (mvt * ux + rvdot * vx) * VKMPERSEC
            vyk = (mvt * uy + rvdot * vy) * VKMPERSEC
            vzk = (mvt * uz + rvdot * vz) * VKMPERSEC
            buf[_B_VX * BLOCK + k] = vxk
            buf[_B_VY * BLOCK + k] = vyk
            buf[_B_VZ * BLOCK + k] = vzk
            bad = (abs(mr) < rmax_km) & (abs(vxk) < 1e30) & (abs(vyk) < 1e30) & (abs(vzk) < 1e30)
            code = 0.0 if bad else float(ERR_GUARD)
            code = 6.0 if mrt < 1.0 else code
            code = 4.0 if pl < 0.0 else code
            code = 1.0 if buf[_B_ERR1 * BLOCK + k] != 0.0 else code
            buf[_B_ERR * BLOCK + k] = code
        # --- write out (NaN rows for errors)
        for k in range(m):
            code = buf[_B_ERR * BLOCK + k]
            j = j0 + k
            err_out[j] = int(code)
            if code == 0.0:
                r_out[j, 0] = buf[_B_X * BLOCK + k]
                r_out[j, 1] = buf[_B_Y * BLOCK + k]
                r_out[j, 2] = buf[_B_Z * BLOCK + k]
                v_out[j, 0] = buf[_B_VX * BLOCK + k]
                v_out[j, 1] = buf[_B_VY * BLOCK + k]
                v_out[j, 2] = buf[_B_VZ * BLOCK + k]
            else:
                r_out[j, 0] = NAN
                r_out[j, 1] = NAN
                r_out[j, 2] = NAN
                v_out[j, 0] = NAN
                v_out[j, 1] = NAN
                v_out[j, 2] = NAN


@jit(fastmath=_FASTMATH, error_model="numpy")
def sgp4_row_times(c, jd, fr, err_out, r_out, v_out):
    """Propagate one coefficient row to every time of ``(jd, fr)``; fill ``err_out[j]``,
    ``r_out[j, :]`` [km] and ``v_out[j, :]`` [km/s]."""
    if c[C_METHOD] == 0.0 and c[C_INIT_ERR] == 0.0:
        _near_row(c, jd, fr, err_out, r_out, v_out)
        return
    ejd = c[C_EPOCH_JD]
    efr = c[C_EPOCH_FR]
    atime = 0.0
    xli = 0.0
    xni = 0.0
    for j in range(jd.shape[0]):
        t = (jd[j] - ejd) * 1440.0 + (fr[j] - efr) * 1440.0
        e, x, y, z, vx, vy, vz, atime, xli, xni = sgp4_one(c, t, atime, xli, xni)
        err_out[j] = e
        r_out[j, 0] = x
        r_out[j, 1] = y
        r_out[j, 2] = z
        v_out[j, 0] = vx
        v_out[j, 1] = vy
        v_out[j, 2] = vz


@jit(parallel=True, error_model="numpy")
def sgp4_many(coef, jd, fr, err_out, r_out, v_out):
    """Propagate every row of ``coef`` (n_obj, N_COEF) to every time of ``jd, fr`` (n_t,).

    Fills ``err_out`` (n_obj, n_t) int8/int, ``r_out`` and ``v_out`` (n_obj, n_t, 3) in place:
    TEME km and km/s, NaN where the error code is non-zero. Objects run in parallel, times inner.
    """
    for i in prange(coef.shape[0]):
        sgp4_row_times(coef[i], jd, fr, err_out[i], r_out[i], v_out[i])
