"""sgp4's in-memory element sets: ``sgp4init`` arguments and ``Satrec`` objects from catalog columns.

The values are computed exactly as ``sgp4`` computes them from the same text (``Satrec.twoline2rv``
for TLE rows, ``sgp4.omm.initialize`` for OMM rows), so a Satrec built here equals sgp4's own to the
bit; tests/test_catalog.py checks every attribute on the whole embedded catalog.
"""

from __future__ import annotations

import gc

import numpy as np


def sgp4_elements(cat) -> dict:
    """The arguments ``sgp4init`` receives for each row, computed as ``sgp4`` itself computes them.

    Returns a dict of float arrays: ``epoch_days`` (days since 1949-12-31 00:00 UTC), ``bstar``,
    ``ndot``, ``nddot`` (rad/min^2, rad/min^3), ``ecco``, ``argpo``, ``inclo``, ``mo`` (rad),
    ``no_kozai`` (rad/min), ``nodeo`` (rad), plus ``epoch_jd``/``epoch_fr`` and ``epochdays`` (the
    TLE day-of-year for TLE rows, NaN otherwise). TLE rows follow ``Satrec.twoline2rv`` (SGP4.cpp),
    OMM rows ``sgp4.omm.initialize``; the two differ in the last bit of some conversions, and a
    Satrec built from these values equals sgp4's own to the bit (tests/test_catalog.py).
    """
    tle = cat.element_format == "TLE"
    xpdotp = 1440.0 / (2.0 * np.pi)  # SGP4.cpp twoline2rv
    deg2rad = np.pi / 180.0
    n = cat.mean_motion_rev_per_day
    no_kozai = np.where(tle, n / xpdotp, n / 720.0 * np.pi)  # sgp4/omm.py: / 720.0 * pi
    ndot = np.where(tle, cat.mean_motion_dot / (xpdotp * 1440.0), cat.mean_motion_dot / (1036800.0 / np.pi))
    nddot = np.where(tle, cat.mean_motion_ddot / (xpdotp * 1440.0 * 1440),
                     cat.mean_motion_ddot / (2985984000.0 / 2.0 / np.pi))
    # The epoch: twoline2rv passes (jdsatepoch + jdsatepochF) - 2433281.5; sgp4.omm passes days since
    # 1949-12-31 from the epoch's microseconds, which rounding (jd, fr) to the microsecond recovers
    # (sgp4init's 8-decimal rounding of the fraction moves it < 1 us); other rows: (jd, fr) as is.
    us = cat.epoch.astype(np.int64) - np.datetime64("1949-12-31", "us").astype(np.int64)
    epoch = np.where(tle, (cat.epoch_jd + cat.epoch_fr) - 2433281.5,
                     np.where(cat.element_format == "OMM", (us.astype(np.float64) / 1e6) / 86400.0,
                              (cat.epoch_jd - 2433281.5) + cat.epoch_fr))
    # twoline2rv keeps the epoch day as written (YYDDD.DDDDDDDD); rebuild it for TLE rows.
    day0 = (cat.epoch.astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64) + 2440587.5 - 1.0)
    tle_days = np.where(tle, ((cat.epoch_jd - day0) * 1e8 + np.round(cat.epoch_fr * 1e8)) / 1e8, np.nan)
    return dict(epoch_days=epoch, bstar=cat.bstar_per_earth_radii, ndot=ndot, nddot=nddot,
                ecco=cat.eccentricity, argpo=cat.arg_perigee_deg * deg2rad, inclo=cat.inclination_deg * deg2rad,
                mo=cat.mean_anomaly_deg * deg2rad, no_kozai=no_kozai, nodeo=cat.raan_deg * deg2rad,
                epoch_jd=cat.epoch_jd, epoch_fr=cat.epoch_fr, epochdays=tle_days)


def make_satrecs(cat) -> list:
    """One ``Satrec`` per row via ``sgp4init`` (ids above 339,999, which have no Alpha-5 form, get
    ``satnum`` 0), with sgp4's own epoch pair, TLE epoch day and bookkeeping fields."""
    from sgp4.api import WGS72, Satrec

    el = sgp4_elements(cat)
    ids = np.where(cat.norad_id <= 339_999, cat.norad_id, 0)
    intl = [d[2:4] + d[5:] if len(d) > 5 and d[4] == "-" else d[:8] for d in cat.intl_designator]
    cls = [c or "U" for c in cat.classification]
    days = np.where(np.isnan(el["epochdays"]), -1.0, el["epochdays"])  # -1: keep sgp4init's value
    cols = [np.asarray(a).tolist() for a in (ids, *(el[k] for k in (
        "epoch_days", "bstar", "ndot", "nddot", "ecco", "argpo", "inclo", "mo", "no_kozai", "nodeo",
        "epoch_jd", "epoch_fr")), days, cat.element_set_no, cat.rev_at_epoch, cat.ephemeris_type)]
    out = []
    append = out.append
    was_enabled = gc.isenabled()
    gc.disable()  # thousands of new objects, no cycles: skip the collector's repeated scans
    try:
        _fill(append, cols, cls, intl, WGS72, Satrec)
    finally:
        if was_enabled:
            gc.enable()
    return out


def _fill(append, cols, cls, intl, WGS72, Satrec) -> None:
    """The per-object loop of :func:`make_satrecs` (sgp4 has no vectorized initialiser)."""
    for (sid, ep, bs, nd, ndd, ec, ap, inc, mo, no, nod, jd, fr, day, eln, rev, eph), c, d in zip(
            zip(*cols), cls, intl):
        s = Satrec()
        s.sgp4init(WGS72, "i", sid, ep, bs, nd, ndd, ec, ap, inc, mo, no, nod)
        s.jdsatepoch = jd
        s.jdsatepochF = fr
        if day >= 0.0:
            s.epochdays = day
        s.classification = c
        s.intldesg = d
        s.elnum = eln
        s.revnum = rev
        s.ephtype = eph
        append(s)
