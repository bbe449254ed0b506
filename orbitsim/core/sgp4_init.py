"""SGP4/SDP4 initialisation: mean elements to a row of propagation coefficients.

The algorithm is Vallado's revision of SGP4 ("improved" operation mode ``'i'``, WGS72 constants)
as published in Vallado, Crawford, Hujsak & Kelso, "Revisiting Spacetrack Report #3", AIAA
2006-6753, and distributed as the C++ code behind the ``sgp4`` Python package; the formulas go back
to Hoots & Roehrich, Spacetrack Report #3 (1980) and Hoots, Spacetrack Report #6 (1986). This module
is our own numba implementation of its ``initl``, ``sgp4init``, ``dscom`` and ``dsinit`` steps.

Every object gets one row of a ``(n_obj, N_COEF)`` float64 table (struct of arrays); the column
indices are the module-level ``C_*`` constants. Integer flags (method, isimp, irez, init error)
are stored as floats. Angles are radians, mean motion radians/minute, distances earth radii, time
minutes, as in the reference.
"""

from __future__ import annotations

import math

import numpy as np

from ._jit import jit, prange

# --- WGS72 constants, as the reference's getgravconst('wgs72') (sgp4/earth_gravity.py) ----------
MU_KM3_S2 = 398600.8
RE_KM = 6378.135
XKE = 60.0 / math.sqrt(RE_KM * RE_KM * RE_KM / MU_KM3_S2)  # sqrt(mu) in earth radii^1.5 / min
TUMIN = 1.0 / XKE
J2 = 0.001082616
J3 = -0.00000253881
J4 = -0.00000165597
J3OJ2 = J3 / J2
X2O3 = 2.0 / 3.0
TWOPI = 2.0 * math.pi
DEG2RAD = math.pi / 180.0
#: Julian date of the reference's time origin, 1949-12-31 00:00 UT (epoch = days since then).
JD_1950 = 2433281.5

# --- column indices of the coefficient table ------------------------------------------------------
_NAMES = (
    # elements and flags
    "NO", "ECCO", "INCLO", "NODEO", "ARGPO", "MO", "BSTAR", "GSTO", "METHOD", "ISIMP", "IREZ",
    "INIT_ERR", "EPOCH_JD", "EPOCH_FR",
    # near-earth secular and periodic coefficients
    "CON41", "CC1", "CC4", "CC5", "D2", "D3", "D4", "DELMO", "ETA", "ARGPDOT", "OMGCOF", "SINMAO",
    "T2COF", "T3COF", "T4COF", "T5COF", "X1MTH2", "X7THM1", "MDOT", "NODEDOT", "XLCOF", "XMCOF",
    "NODECF", "AYCOF", "SINIO", "COSIO", "AM0",
    # deep-space resonance and lunar-solar coefficients
    "D2201", "D2211", "D3210", "D3222", "D4410", "D4422", "D5220", "D5232", "D5421", "D5433",
    "DEDT", "DEL1", "DEL2", "DEL3", "DIDT", "DMDT", "DNODT", "DOMDT", "E3", "EE2", "PEO", "PGHO",
    "PHO", "PINCO", "PLO", "SE2", "SE3", "SGH2", "SGH3", "SGH4", "SH2", "SH3", "SI2", "SI3", "SL2",
    "SL3", "SL4", "XFACT", "XGH2", "XGH3", "XGH4", "XH2", "XH3", "XI2", "XI3", "XL2", "XL3", "XL4",
    "XLAMO", "ZMOL", "ZMOS",
    # orbitsim's plausibility bound on the geocentric distance [km]
    "RMAX_KM",
)
COLUMNS = {name: i for i, name in enumerate(_NAMES)}
N_COEF = len(_NAMES)

(C_NO, C_ECCO, C_INCLO, C_NODEO, C_ARGPO, C_MO, C_BSTAR, C_GSTO, C_METHOD, C_ISIMP, C_IREZ,
 C_INIT_ERR, C_EPOCH_JD, C_EPOCH_FR,
 C_CON41, C_CC1, C_CC4, C_CC5, C_D2, C_D3, C_D4, C_DELMO, C_ETA, C_ARGPDOT, C_OMGCOF, C_SINMAO,
 C_T2COF, C_T3COF, C_T4COF, C_T5COF, C_X1MTH2, C_X7THM1, C_MDOT, C_NODEDOT, C_XLCOF, C_XMCOF,
 C_NODECF, C_AYCOF, C_SINIO, C_COSIO, C_AM0,
 C_D2201, C_D2211, C_D3210, C_D3222, C_D4410, C_D4422, C_D5220, C_D5232, C_D5421, C_D5433,
 C_DEDT, C_DEL1, C_DEL2, C_DEL3, C_DIDT, C_DMDT, C_DNODT, C_DOMDT, C_E3, C_EE2, C_PEO, C_PGHO,
 C_PHO, C_PINCO, C_PLO, C_SE2, C_SE3, C_SGH2, C_SGH3, C_SGH4, C_SH2, C_SH3, C_SI2, C_SI3, C_SL2,
 C_SL3, C_SL4, C_XFACT, C_XGH2, C_XGH3, C_XGH4, C_XH2, C_XH3, C_XI2, C_XI3, C_XL2, C_XL3, C_XL4,
 C_XLAMO, C_ZMOL, C_ZMOS,
 C_RMAX_KM) = range(N_COEF)

#: Error code of orbitsim's own input guard (non-finite elements or time, e >= 1 or < 0 at epoch,
#: mean motion <= 0, or a non-finite or implausible result). Codes 1..6 are the reference's.
ERR_GUARD = 7
#: Plausibility bound: a result farther from the geocentre than this factor times the epoch
#: apogee radius (or than 1e6 km, about the earth's Hill radius of 1.5e6 km) is SGP4 extrapolated
#: past its validity (e.g. negative B* far from epoch: the semi-major axis grows without bound),
#: not an orbit; flagged ERR_GUARD. Drag only lowers apogee, and lunar-solar terms change it by tens
#: of percent at most, so a factor of 2 never flags a physical result.
RMAX_APOGEE_FACTOR = 2.0
RMAX_ABS_KM = 1.0e6


@jit(error_model="numpy")
def gstime(jdut1):
    """Greenwich mean sidereal time [rad] of a UT1 Julian date (IAU-82, as the reference's gstime)."""
    tut1 = (jdut1 - 2451545.0) / 36525.0
    temp = (-6.2e-6 * tut1 * tut1 * tut1 + 0.093104 * tut1 * tut1
            + (876600.0 * 3600 + 8640184.812866) * tut1 + 67310.54841)  # seconds
    temp = np.fmod(temp * DEG2RAD / 240.0, TWOPI)
    if temp < 0.0:
        temp += TWOPI
    return temp


@jit(error_model="numpy")
def _dscom_store(c, epoch, ep, argpp, tc, inclp, nodep, np_):
    """Deep-space common terms (reference ``dscom``). Stores the lunar-solar periodic coefficients
    in row ``c`` and returns the terms ``dsinit`` needs."""
    zes = 0.01675
    zel = 0.05490
    c1ss = 2.9864797e-6
    c1l = 4.7968065e-7
    zsinis = 0.39785416
    zcosis = 0.91744867
    zcosgs = 0.1945905
    zsings = -0.98088458

    nm = np_
    em = ep
    snodm = math.sin(nodep)
    cnodm = math.cos(nodep)
    sinomm = math.sin(argpp)
    cosomm = math.cos(argpp)
    sinim = math.sin(inclp)
    cosim = math.cos(inclp)
    emsq = em * em
    betasq = 1.0 - emsq
    rtemsq = math.sqrt(betasq)

    # lunar and solar initial terms
    day = epoch + 18261.5 + tc / 1440.0
    xnodce = np.fmod(4.5236020 - 9.2422029e-4 * day, TWOPI)
    stem = math.sin(xnodce)
    ctem = math.cos(xnodce)
    zcosil = 0.91375164 - 0.03568096 * ctem
    zsinil = math.sqrt(1.0 - zcosil * zcosil)
    zsinhl = 0.089683511 * stem / zsinil
    zcoshl = math.sqrt(1.0 - zsinhl * zsinhl)
    gam = 5.8351514 + 0.0019443680 * day
    zx = 0.39785416 * stem / zsinil
    zy = zcoshl * ctem + 0.91744867 * zsinhl * stem
    zx = math.atan2(zx, zy)
    zx = gam + zx - xnodce
    zcosgl = math.cos(zx)
    zsingl = math.sin(zx)

    zcosg = zcosgs
    zsing = zsings
    zcosi = zcosis
    zsini = zsinis
    zcosh = cnodm
    zsinh = snodm
    cc = c1ss
    xnoi = 1.0 / nm

    # solar pass (lsflg 1) is kept as ss*/sz*; lunar pass (lsflg 2) as s*/z*
    ss1 = ss2 = ss3 = ss4 = ss5 = ss6 = ss7 = 0.0
    sz1 = sz2 = sz3 = sz11 = sz12 = sz13 = sz21 = sz22 = sz23 = sz31 = sz32 = sz33 = 0.0
    s1 = s2 = s3 = s4 = s5 = s6 = s7 = 0.0
    z1 = z2 = z3 = z11 = z12 = z13 = z21 = z22 = z23 = z31 = z32 = z33 = 0.0
    for lsflg in range(1, 3):
        a1 = zcosg * zcosh + zsing * zcosi * zsinh
        a3 = -zsing * zcosh + zcosg * zcosi * zsinh
        a7 = -zcosg * zsinh + zsing * zcosi * zcosh
        a8 = zsing * zsini
        a9 = zsing * zsinh + zcosg * zcosi * zcosh
        a10 = zcosg * zsini
        a2 = cosim * a7 + sinim * a8
        a4 = cosim * a9 + sinim * a10
        a5 = -sinim * a7 + cosim * a8
        a6 = -sinim * a9 + cosim * a10

        x1 = a1 * cosomm + a2 * sinomm
        x2 = a3 * cosomm + a4 * sinomm
        x3 = -a1 * sinomm + a2 * cosomm
        x4 = -a3 * sinomm + a4 * cosomm
        x5 = a5 * sinomm
        x6 = a6 * sinomm
        x7 = a5 * cosomm
        x8 = a6 * cosomm

        z31 = 12.0 * x1 * x1 - 3.0 * x3 * x3
        z32 = 24.0 * x1 * x2 - 6.0 * x3 * x4
        z33 = 12.0 * x2 * x2 - 3.0 * x4 * x4
        z1 = 3.0 * (a1 * a1 + a2 * a2) + z31 * emsq
        z2 = 6.0 * (a1 * a3 + a2 * a4) + z32 * emsq
        z3 = 3.0 * (a3 * a3 + a4 * a4) + z33 * emsq
        z11 = -6.0 * a1 * a5 + emsq * (-24.0 * x1 * x7 - 6.0 * x3 * x5)
        z12 = -6.0 * (a1 * a6 + a3 * a5) + emsq * (
            -24.0 * (x2 * x7 + x1 * x8) - 6.0 * (x3 * x6 + x4 * x5))
        z13 = -6.0 * a3 * a6 + emsq * (-24.0 * x2 * x8 - 6.0 * x4 * x6)
        z21 = 6.0 * a2 * a5 + emsq * (24.0 * x1 * x5 - 6.0 * x3 * x7)
        z22 = 6.0 * (a4 * a5 + a2 * a6) + emsq * (
            24.0 * (x2 * x5 + x1 * x6) - 6.0 * (x4 * x7 + x3 * x8))
        z23 = 6.0 * a4 * a6 + emsq * (24.0 * x2 * x6 - 6.0 * x4 * x8)
        z1 = z1 + z1 + betasq * z31
        z2 = z2 + z2 + betasq * z32
        z3 = z3 + z3 + betasq * z33
        s3 = cc * xnoi
        s2 = -0.5 * s3 / rtemsq
        s4 = s3 * rtemsq
        s1 = -15.0 * em * s4
        s5 = x1 * x3 + x2 * x4
        s6 = x2 * x3 + x1 * x4
        s7 = x2 * x4 - x1 * x3

        if lsflg == 1:
            ss1 = s1
            ss2 = s2
            ss3 = s3
            ss4 = s4
            ss5 = s5
            ss6 = s6
            ss7 = s7
            sz1 = z1
            sz2 = z2
            sz3 = z3
            sz11 = z11
            sz12 = z12
            sz13 = z13
            sz21 = z21
            sz22 = z22
            sz23 = z23
            sz31 = z31
            sz32 = z32
            sz33 = z33
            zcosg = zcosgl
            zsing = zsingl
            zcosi = zcosil
            zsini = zsinil
            zcosh = zcoshl * cnodm + zsinhl * snodm
            zsinh = snodm * zcoshl - cnodm * zsinhl
            cc = c1l

    c[C_ZMOL] = np.fmod(4.7199672 + 0.22997150 * day - gam, TWOPI)
    c[C_ZMOS] = np.fmod(6.2565837 + 0.017201977 * day, TWOPI)

    # solar periodic terms
    c[C_SE2] = 2.0 * ss1 * ss6
    c[C_SE3] = 2.0 * ss1 * ss7
    c[C_SI2] = 2.0 * ss2 * sz12
    c[C_SI3] = 2.0 * ss2 * (sz13 - sz11)
    c[C_SL2] = -2.0 * ss3 * sz2
    c[C_SL3] = -2.0 * ss3 * (sz3 - sz1)
    c[C_SL4] = -2.0 * ss3 * (-21.0 - 9.0 * emsq) * zes
    c[C_SGH2] = 2.0 * ss4 * sz32
    c[C_SGH3] = 2.0 * ss4 * (sz33 - sz31)
    c[C_SGH4] = -18.0 * ss4 * zes
    c[C_SH2] = -2.0 * ss2 * sz22
    c[C_SH3] = -2.0 * ss2 * (sz23 - sz21)
    # lunar periodic terms
    c[C_EE2] = 2.0 * s1 * s6
    c[C_E3] = 2.0 * s1 * s7
    c[C_XI2] = 2.0 * s2 * z12
    c[C_XI3] = 2.0 * s2 * (z13 - z11)
    c[C_XL2] = -2.0 * s3 * z2
    c[C_XL3] = -2.0 * s3 * (z3 - z1)
    c[C_XL4] = -2.0 * s3 * (-21.0 - 9.0 * emsq) * zel
    c[C_XGH2] = 2.0 * s4 * z32
    c[C_XGH3] = 2.0 * s4 * (z33 - z31)
    c[C_XGH4] = -18.0 * s4 * zel
    c[C_XH2] = -2.0 * s2 * z22
    c[C_XH3] = -2.0 * s2 * (z23 - z21)
    # peo, pinco, plo, pgho, pho stay zero (the reference's dpper at init stores nothing)
    c[C_PEO] = 0.0
    c[C_PINCO] = 0.0
    c[C_PLO] = 0.0
    c[C_PGHO] = 0.0
    c[C_PHO] = 0.0

    return (sinim, cosim, emsq, s1, s2, s3, s4, s5, ss1, ss2, ss3, ss4, ss5,
            sz1, sz3, sz11, sz13, sz21, sz23, sz31, sz33,
            z1, z3, z11, z13, z21, z23, z31, z33, nm, em)


@jit(error_model="numpy")
def _dsinit_store(c, cosim, emsq, argpo, s1, s2, s3, s4, s5, sinim, ss1, ss2, ss3, ss4, ss5,
                  sz1, sz3, sz11, sz13, sz21, sz23, sz31, sz33, tc, gsto, mo, mdot, no,
                  nodeo, nodedot, xpidot, z1, z3, z11, z13, z21, z23, z31, z33, ecco, eccsq,
                  em, inclm, nm):
    """Deep-space secular rates and geopotential resonance terms (reference ``dsinit``, t = 0)."""
    q22 = 1.7891679e-6
    q31 = 2.1460748e-6
    q33 = 2.2123015e-7
    root22 = 1.7891679e-6
    root44 = 7.3636953e-9
    root54 = 2.1765803e-9
    rptim = 4.37526908801129966e-3  # earth rotation, rad/min (7.29211514668855e-5 rad/s)
    root32 = 3.7393792e-7
    root52 = 1.1428639e-7
    znl = 1.5835218e-4
    zns = 1.19459e-5

    # resonance flags: 1 = one-day (synchronous), 2 = half-day (Molniya-like)
    irez = 0
    if 0.0034906585 < nm < 0.0052359877:
        irez = 1
    if 8.26e-3 <= nm <= 9.24e-3 and em >= 0.5:
        irez = 2

    # solar terms
    ses = ss1 * zns * ss5
    sis = ss2 * zns * (sz11 + sz13)
    sls = -zns * ss3 * (sz1 + sz3 - 14.0 - 6.0 * emsq)
    sghs = ss4 * zns * (sz31 + sz33 - 6.0)
    shs = -zns * ss2 * (sz21 + sz23)
    if inclm < 5.2359877e-2 or inclm > math.pi - 5.2359877e-2:
        shs = 0.0
    if sinim != 0.0:
        shs = shs / sinim
    sgs = sghs - cosim * shs

    # lunar terms
    dedt = ses + s1 * znl * s5
    didt = sis + s2 * znl * (z11 + z13)
    dmdt = sls - znl * s3 * (z1 + z3 - 14.0 - 6.0 * emsq)
    sghl = s4 * znl * (z31 + z33 - 6.0)
    shll = -znl * s2 * (z21 + z23)
    if inclm < 5.2359877e-2 or inclm > math.pi - 5.2359877e-2:
        shll = 0.0
    domdt = sgs + sghl
    dnodt = shs
    if sinim != 0.0:
        domdt = domdt - cosim / sinim * shll
        dnodt = dnodt + shll / sinim

    theta = np.fmod(gsto + tc * rptim, TWOPI)

    d2201 = d2211 = d3210 = d3222 = d4410 = d4422 = d5220 = d5232 = d5421 = d5433 = 0.0
    del1 = del2 = del3 = xfact = xlamo = 0.0
    if irez != 0:
        aonv = math.pow(nm / XKE, X2O3)
        if irez == 2:
            # geopotential resonance for 12-hour orbits (uses the epoch eccentricity)
            cosisq = cosim * cosim
            em = ecco
            emsq = eccsq
            eoc = em * emsq
            g201 = -0.306 - (em - 0.64) * 0.440
            if em <= 0.65:
                g211 = 3.616 - 13.2470 * em + 16.2900 * emsq
                g310 = -19.302 + 117.3900 * em - 228.4190 * emsq + 156.5910 * eoc
                g322 = -18.9068 + 109.7927 * em - 214.6334 * emsq + 146.5816 * eoc
                g410 = -41.122 + 242.6940 * em - 471.0940 * emsq + 313.9530 * eoc
                g422 = -146.407 + 841.8800 * em - 1629.014 * emsq + 1083.4350 * eoc
                g520 = -532.114 + 3017.977 * em - 5740.032 * emsq + 3708.2760 * eoc
            else:
                g211 = -72.099 + 331.819 * em - 508.738 * emsq + 266.724 * eoc
                g310 = -346.844 + 1582.851 * em - 2415.925 * emsq + 1246.113 * eoc
                g322 = -342.585 + 1554.908 * em - 2366.899 * emsq + 1215.972 * eoc
                g410 = -1052.797 + 4758.686 * em - 7193.992 * emsq + 3651.957 * eoc
                g422 = -3581.690 + 16178.110 * em - 24462.770 * emsq + 12422.520 * eoc
                if em > 0.715:
                    g520 = -5149.66 + 29936.92 * em - 54087.36 * emsq + 31324.56 * eoc
                else:
                    g520 = 1464.74 - 4664.75 * em + 3763.64 * emsq
            if em < 0.7:
                g533 = -919.22770 + 4988.6100 * em - 9064.7700 * emsq + 5542.21 * eoc
                g521 = -822.71072 + 4568.6173 * em - 8491.4146 * emsq + 5337.524 * eoc
                g532 = -853.66600 + 4690.2500 * em - 8624.7700 * emsq + 5341.4 * eoc
            else:
                g533 = -37995.780 + 161616.52 * em - 229838.20 * emsq + 109377.94 * eoc
                g521 = -51752.104 + 218913.95 * em - 309468.16 * emsq + 146349.42 * eoc
                g532 = -40023.880 + 170470.89 * em - 242699.48 * emsq + 115605.82 * eoc

            sini2 = sinim * sinim
            f220 = 0.75 * (1.0 + 2.0 * cosim + cosisq)
            f221 = 1.5 * sini2
            f321 = 1.875 * sinim * (1.0 - 2.0 * cosim - 3.0 * cosisq)
            f322 = -1.875 * sinim * (1.0 + 2.0 * cosim - 3.0 * cosisq)
            f441 = 35.0 * sini2 * f220
            f442 = 39.3750 * sini2 * sini2
            f522 = 9.84375 * sinim * (sini2 * (1.0 - 2.0 * cosim - 5.0 * cosisq)
                                      + 0.33333333 * (-2.0 + 4.0 * cosim + 6.0 * cosisq))
            f523 = sinim * (4.92187512 * sini2 * (-2.0 - 4.0 * cosim + 10.0 * cosisq)
                            + 6.56250012 * (1.0 + 2.0 * cosim - 3.0 * cosisq))
            f542 = 29.53125 * sinim * (2.0 - 8.0 * cosim
                                       + cosisq * (-12.0 + 8.0 * cosim + 10.0 * cosisq))
            f543 = 29.53125 * sinim * (-2.0 - 8.0 * cosim
                                       + cosisq * (12.0 + 8.0 * cosim - 10.0 * cosisq))
            xno2 = nm * nm
            ainv2 = aonv * aonv
            temp1 = 3.0 * xno2 * ainv2
            temp = temp1 * root22
            d2201 = temp * f220 * g201
            d2211 = temp * f221 * g211
            temp1 = temp1 * aonv
            temp = temp1 * root32
            d3210 = temp * f321 * g310
            d3222 = temp * f322 * g322
            temp1 = temp1 * aonv
            temp = 2.0 * temp1 * root44
            d4410 = temp * f441 * g410
            d4422 = temp * f442 * g422
            temp1 = temp1 * aonv
            temp = temp1 * root52
            d5220 = temp * f522 * g520
            d5232 = temp * f523 * g532
            temp = 2.0 * temp1 * root54
            d5421 = temp * f542 * g521
            d5433 = temp * f543 * g533
            xlamo = np.fmod(mo + nodeo + nodeo - theta - theta, TWOPI)
            xfact = mdot + dmdt + 2.0 * (nodedot + dnodt - rptim) - no
        if irez == 1:
            # synchronous resonance terms
            g200 = 1.0 + emsq * (-2.5 + 0.8125 * emsq)
            g310 = 1.0 + 2.0 * emsq
            g300 = 1.0 + emsq * (-6.0 + 6.60937 * emsq)
            f220 = 0.75 * (1.0 + cosim) * (1.0 + cosim)
            f311 = 0.9375 * sinim * sinim * (1.0 + 3.0 * cosim) - 0.75 * (1.0 + cosim)
            f330 = 1.0 + cosim
            f330 = 1.875 * f330 * f330 * f330
            del1 = 3.0 * nm * nm * aonv * aonv
            del2 = 2.0 * del1 * f220 * g200 * q22
            del3 = 3.0 * del1 * f330 * g300 * q33 * aonv
            del1 = del1 * f311 * g310 * q31 * aonv
            xlamo = np.fmod(mo + nodeo + argpo - theta, TWOPI)
            xfact = mdot + xpidot - rptim + dmdt + domdt + dnodt - no

    c[C_IREZ] = irez
    c[C_D2201] = d2201
    c[C_D2211] = d2211
    c[C_D3210] = d3210
    c[C_D3222] = d3222
    c[C_D4410] = d4410
    c[C_D4422] = d4422
    c[C_D5220] = d5220
    c[C_D5232] = d5232
    c[C_D5421] = d5421
    c[C_D5433] = d5433
    c[C_DEDT] = dedt
    c[C_DIDT] = didt
    c[C_DMDT] = dmdt
    c[C_DNODT] = dnodt
    c[C_DOMDT] = domdt
    c[C_DEL1] = del1
    c[C_DEL2] = del2
    c[C_DEL3] = del3
    c[C_XFACT] = xfact
    c[C_XLAMO] = xlamo


@jit(error_model="numpy")
def sgp4_init_row(c, epoch_jd, epoch_fr, epoch_days, no_kozai, ecco, inclo, nodeo, argpo, mo, bstar):
    """Fill one coefficient row from SGP4 mean elements (reference ``initl`` + ``sgp4init``).

    Parameters
    ----------
    c : float64 array (N_COEF,)
        The row to fill (overwritten).
    epoch_jd, epoch_fr : float
        Element epoch, UTC Julian date split as ``Satrec.jdsatepoch``, ``jdsatepochF``; times
        since epoch are measured from it.
    epoch_days : float
        The same epoch as days since 1949-12-31 00:00 UT, the form ``sgp4init`` takes (used for the
        sidereal time and the lunar-solar terms); NaN: computed as ``(jd + fr) - 2433281.5``,
        as ``twoline2rv`` does.
    no_kozai : float
        Kozai mean motion [rad/min].
    ecco : float
        Eccentricity.
    inclo, nodeo, argpo, mo : float
        Inclination, right ascension of the node, argument of perigee, mean anomaly [rad].
    bstar : float
        B* drag term [1/earth radii].

    Returns
    -------
    int
        0, or ``ERR_GUARD`` if the elements cannot be initialised (non-finite, e outside [0, 1),
        mean motion <= 0); the row then holds that code in ``C_INIT_ERR``.
    """
    for k in range(N_COEF):
        c[k] = 0.0
    c[C_EPOCH_JD] = epoch_jd
    c[C_EPOCH_FR] = epoch_fr
    c[C_NO] = no_kozai
    c[C_ECCO] = ecco
    c[C_INCLO] = inclo
    c[C_NODEO] = nodeo
    c[C_ARGPO] = argpo
    c[C_MO] = mo
    c[C_BSTAR] = bstar
    if math.isnan(epoch_days):
        epoch_days = (epoch_jd + epoch_fr) - JD_1950
    finite = (math.isfinite(epoch_days) and math.isfinite(epoch_jd) and math.isfinite(epoch_fr) and math.isfinite(no_kozai)
              and math.isfinite(ecco) and math.isfinite(inclo) and math.isfinite(nodeo)
              and math.isfinite(argpo) and math.isfinite(mo) and math.isfinite(bstar))
    if not finite or not (0.0 <= ecco < 1.0) or not (no_kozai > 0.0):
        c[C_INIT_ERR] = ERR_GUARD
        return ERR_GUARD

    epoch = epoch_days

    ss = 78.0 / RE_KM + 1.0
    qzms2ttemp = (120.0 - 78.0) / RE_KM
    qzms2t = qzms2ttemp * qzms2ttemp * qzms2ttemp * qzms2ttemp

    # ---- initl: un-Kozai the mean motion, common terms
    eccsq = ecco * ecco
    omeosq = 1.0 - eccsq
    rteosq = math.sqrt(omeosq)
    cosio = math.cos(inclo)
    cosio2 = cosio * cosio
    ak = math.pow(XKE / no_kozai, X2O3)
    d1 = 0.75 * J2 * (3.0 * cosio2 - 1.0) / (rteosq * omeosq)
    del_ = d1 / (ak * ak)
    adel = ak * (1.0 - del_ * del_ - del_ * (1.0 / 3.0 + 134.0 * del_ * del_ / 81.0))
    del_ = d1 / (adel * adel)
    no = no_kozai / (1.0 + del_)
    ao = math.pow(XKE / no, X2O3)
    sinio = math.sin(inclo)
    po = ao * omeosq
    con42 = 1.0 - 5.0 * cosio2
    con41 = -con42 - cosio2 - cosio2
    posq = po * po
    rp = ao * (1.0 - ecco)
    gsto = gstime(epoch + JD_1950)

    c[C_NO] = no
    c[C_CON41] = con41
    c[C_GSTO] = gsto
    c[C_SINIO] = sinio
    c[C_COSIO] = cosio
    c[C_AM0] = math.pow(XKE / no, X2O3)
    c[C_RMAX_KM] = min(RMAX_APOGEE_FACTOR * ao * (1.0 + ecco) * RE_KM, RMAX_ABS_KM)

    isimp = 0
    if rp < 220.0 / RE_KM + 1.0:
        isimp = 1
    sfour = ss
    qzms24 = qzms2t
    perige = (rp - 1.0) * RE_KM
    # for perigees below 156 km, s and qoms2t are altered
    if perige < 156.0:
        sfour = perige - 78.0
        if perige < 98.0:
            sfour = 20.0
        qzms24temp = (120.0 - sfour) / RE_KM
        qzms24 = qzms24temp * qzms24temp * qzms24temp * qzms24temp
        sfour = sfour / RE_KM + 1.0
    pinvsq = 1.0 / posq

    tsi = 1.0 / (ao - sfour)
    eta = ao * ecco * tsi
    etasq = eta * eta
    eeta = ecco * eta
    psisq = abs(1.0 - etasq)
    coef = qzms24 * math.pow(tsi, 4.0)
    coef1 = coef / math.pow(psisq, 3.5)
    cc2 = coef1 * no * (ao * (1.0 + 1.5 * etasq + eeta * (4.0 + etasq))
                        + 0.375 * J2 * tsi / psisq * con41 * (8.0 + 3.0 * etasq * (8.0 + etasq)))
    cc1 = bstar * cc2
    cc3 = 0.0
    if ecco > 1.0e-4:
        cc3 = -2.0 * coef * tsi * J3OJ2 * no * sinio / ecco
    x1mth2 = 1.0 - cosio2
    cc4 = 2.0 * no * coef1 * ao * omeosq * (
        eta * (2.0 + 0.5 * etasq) + ecco * (0.5 + 2.0 * etasq)
        - J2 * tsi / (ao * psisq) * (-3.0 * con41 * (1.0 - 2.0 * eeta + etasq * (1.5 - 0.5 * eeta))
                                     + 0.75 * x1mth2 * (2.0 * etasq - eeta * (1.0 + etasq))
                                     * math.cos(2.0 * argpo)))
    cc5 = 2.0 * coef1 * ao * omeosq * (1.0 + 2.75 * (etasq + eeta) + eeta * etasq)
    cosio4 = cosio2 * cosio2
    temp1 = 1.5 * J2 * pinvsq * no
    temp2 = 0.5 * temp1 * J2 * pinvsq
    temp3 = -0.46875 * J4 * pinvsq * pinvsq * no
    mdot = (no + 0.5 * temp1 * rteosq * con41
            + 0.0625 * temp2 * rteosq * (13.0 - 78.0 * cosio2 + 137.0 * cosio4))
    argpdot = (-0.5 * temp1 * con42 + 0.0625 * temp2 * (7.0 - 114.0 * cosio2 + 395.0 * cosio4)
               + temp3 * (3.0 - 36.0 * cosio2 + 49.0 * cosio4))
    xhdot1 = -temp1 * cosio
    nodedot = xhdot1 + (0.5 * temp2 * (4.0 - 19.0 * cosio2) + 2.0 * temp3 * (3.0 - 7.0 * cosio2)) * cosio
    xpidot = argpdot + nodedot
    omgcof = bstar * cc3 * math.cos(argpo)
    xmcof = 0.0
    if ecco > 1.0e-4:
        xmcof = -X2O3 * coef * bstar / eeta
    nodecf = 3.5 * omeosq * xhdot1 * cc1
    t2cof = 1.5 * cc1
    # avoid a division by zero for inclination = 180 deg
    if abs(cosio + 1.0) > 1.5e-12:
        xlcof = -0.25 * J3OJ2 * sinio * (3.0 + 5.0 * cosio) / (1.0 + cosio)
    else:
        xlcof = -0.25 * J3OJ2 * sinio * (3.0 + 5.0 * cosio) / 1.5e-12
    aycof = -0.5 * J3OJ2 * sinio
    delmotemp = 1.0 + eta * math.cos(mo)
    delmo = delmotemp * delmotemp * delmotemp
    sinmao = math.sin(mo)
    x7thm1 = 7.0 * cosio2 - 1.0

    c[C_ETA] = eta
    c[C_CC1] = cc1
    c[C_CC4] = cc4
    c[C_CC5] = cc5
    c[C_X1MTH2] = x1mth2
    c[C_MDOT] = mdot
    c[C_ARGPDOT] = argpdot
    c[C_NODEDOT] = nodedot
    c[C_OMGCOF] = omgcof
    c[C_XMCOF] = xmcof
    c[C_NODECF] = nodecf
    c[C_T2COF] = t2cof
    c[C_XLCOF] = xlcof
    c[C_AYCOF] = aycof
    c[C_DELMO] = delmo
    c[C_SINMAO] = sinmao
    c[C_X7THM1] = x7thm1

    # deep space: periods of 225 minutes or more
    method = 0
    if TWOPI / no >= 225.0:
        method = 1
        isimp = 1
        tc = 0.0
        inclm = inclo
        (sinim, cosim, emsq, s1, s2, s3, s4, s5, ss1, ss2, ss3, ss4, ss5,
         sz1, sz3, sz11, sz13, sz21, sz23, sz31, sz33,
         z1, z3, z11, z13, z21, z23, z31, z33, nm, em) = _dscom_store(
            c, epoch, ecco, argpo, tc, inclo, nodeo, no)
        # the reference calls dpper here with init='y': it changes nothing at epoch
        _dsinit_store(c, cosim, emsq, argpo, s1, s2, s3, s4, s5, sinim, ss1, ss2, ss3, ss4, ss5,
                      sz1, sz3, sz11, sz13, sz21, sz23, sz31, sz33, tc, gsto, mo, mdot, no,
                      nodeo, nodedot, xpidot, z1, z3, z11, z13, z21, z23, z31, z33, ecco, eccsq,
                      em, inclm, nm)

    if isimp != 1:
        cc1sq = cc1 * cc1
        d2 = 4.0 * ao * tsi * cc1sq
        temp = d2 * tsi * cc1 / 3.0
        d3 = (17.0 * ao + sfour) * temp
        d4 = 0.5 * temp * ao * tsi * (221.0 * ao + 31.0 * sfour) * cc1
        c[C_D2] = d2
        c[C_D3] = d3
        c[C_D4] = d4
        c[C_T3COF] = d2 + 2.0 * cc1sq
        c[C_T4COF] = 0.25 * (3.0 * d3 + cc1 * (12.0 * d2 + 10.0 * cc1sq))
        c[C_T5COF] = 0.2 * (3.0 * d4 + 12.0 * cc1 * d3 + 6.0 * d2 * d2
                            + 15.0 * cc1sq * (2.0 * d2 + cc1sq))
    c[C_METHOD] = method
    c[C_ISIMP] = isimp
    return 0


@jit(parallel=True, error_model="numpy")
def sgp4_init_many(epoch_jd, epoch_fr, epoch_days, no_kozai, ecco, inclo, nodeo, argpo, mo, bstar):
    """Coefficient table ``(n, N_COEF)`` for arrays of mean elements (see :func:`sgp4_init_row`)."""
    n = no_kozai.shape[0]
    coef = np.empty((n, N_COEF))
    for i in prange(n):
        sgp4_init_row(coef[i], epoch_jd[i], epoch_fr[i], epoch_days[i], no_kozai[i], ecco[i], inclo[i], nodeo[i],
                      argpo[i], mo[i], bstar[i])
    return coef
