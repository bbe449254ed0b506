"""TEME (what SGP4 gives) to GCRS or ITRS, at the API boundary, with astropy and no downloads.

SGP4 states are in TEME, the "true equator, mean equinox" frame of date. Screening and decay work
in TEME; users who need an inertial (GCRS) or earth-fixed (ITRS) frame convert here. astropy uses
its bundled IERS-B tables and leap seconds; nothing is fetched from the network
(``iers.conf.auto_download = False``). For instants beyond the bundled earth-orientation tables,
polar motion and UT1-UTC fall back to zero with a warning (error of a few tens of metres on the
ground track, far below SGP4's own error of about a kilometre).
"""

from __future__ import annotations

import warnings

import numpy as np

from .errors import InputError

__all__ = ["teme_to_gcrs", "teme_to_itrs"]


def _astropy():
    from astropy.utils import iers

    iers.conf.auto_download = False
    iers.conf.auto_max_age = None
    try:
        iers.conf.iers_degraded_accuracy = "warn"
    except Exception:  # older astropy without the option
        pass
    from astropy import coordinates as coord
    from astropy import units as u
    from astropy.time import Time

    return coord, u, Time


def _convert(r_km, v_km_s, jd, fr, target: str):
    coord, u, Time = _astropy()
    r = np.asarray(r_km, dtype=np.float64)
    v = np.asarray(v_km_s, dtype=np.float64)
    if r.shape != v.shape or r.shape[-1:] != (3,):
        raise InputError(f"frames: r and v must be (..., 3) arrays of the same shape, got {r.shape}, {v.shape}")
    jd = np.broadcast_to(np.asarray(jd, dtype=np.float64), r.shape[:-1])
    fr = np.broadcast_to(np.asarray(fr, dtype=np.float64), r.shape[:-1])
    flat_r = r.reshape(-1, 3)
    flat_v = v.reshape(-1, 3)
    out_r = np.full_like(flat_r, np.nan)
    out_v = np.full_like(flat_v, np.nan)
    good = np.isfinite(flat_r).all(axis=1) & np.isfinite(flat_v).all(axis=1)
    good &= np.isfinite(jd.reshape(-1)) & np.isfinite(fr.reshape(-1))
    if good.any():
        t = Time(jd.reshape(-1)[good], fr.reshape(-1)[good], format="jd", scale="utc")
        rep = coord.CartesianRepresentation(flat_r[good].T * u.km)
        dif = coord.CartesianDifferential(flat_v[good].T * (u.km / u.s))
        teme = coord.TEME(rep.with_differentials(dif), obstime=t)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # degraded-accuracy / ERFA "dubious year" notes
            frame = coord.GCRS(obstime=t) if target == "gcrs" else coord.ITRS(obstime=t)
            res = teme.transform_to(frame)
        cart = res.cartesian
        out_r[good] = cart.xyz.to_value(u.km).T
        out_v[good] = cart.differentials["s"].d_xyz.to_value(u.km / u.s).T
    return out_r.reshape(r.shape), out_v.reshape(v.shape)


def teme_to_gcrs(r_km, v_km_s, jd, fr=0.0):
    """Convert TEME states to GCRS.

    Parameters
    ----------
    r_km, v_km_s : array_like (..., 3)
        TEME position [km] and velocity [km/s] (NaN rows stay NaN).
    jd, fr : array_like, broadcastable to ``r_km.shape[:-1]``
        UTC instants as Julian date pairs.

    Returns
    -------
    r_gcrs_km, v_gcrs_km_s : ndarray (..., 3)
    """
    return _convert(r_km, v_km_s, jd, fr, "gcrs")


def teme_to_itrs(r_km, v_km_s, jd, fr=0.0):
    """Convert TEME states to ITRS (earth-fixed); arguments and returns as :func:`teme_to_gcrs`."""
    return _convert(r_km, v_km_s, jd, fr, "itrs")
