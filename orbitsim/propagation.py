"""SGP4/SDP4 propagation of catalogs and fragment clouds, and fragments as element sets.

The physics lives in :mod:`orbitsim.core.sgp4` (numba, Vallado's 2006 SGP4, WGS72, improved mode);
this module converts units at the boundary:

- :func:`sgp4` mirrors ``sgp4.api.SatrecArray.sgp4``: a Catalog (or a list of ``Satrec``) and
  arrays of Julian dates in, ``(e, r, v)`` out, TEME km and km/s;
- :func:`sgp4_chunks` streams the same result in blocks of times so memory stays bounded;
- :func:`fragment_elements` / :func:`fragments_to_catalog` turn post-breakup TEME states into SGP4
  mean element sets (any SGP4 user can propagate them), B* from A/M.

Error codes: 0 ok; 1..6 as the reference (``sgp4.api.SGP4_ERRORS``); 7 orbitsim's guard
(non-finite input, eccentricity outside [0, 1) or mean motion <= 0 at epoch, a result farther from
the geocentre than twice the epoch apogee radius or 1e6 km: SGP4 extrapolated past validity, such
as the 1e10 km positions of a negative B* far from epoch); 8 time farther from the element epoch than ``max_age_days``. Rows with a non-zero code
hold NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .core import sgp4 as _k
from .core import sgp4_init as _ki
from .core import elements as _ke
from .errors import InputError

#: rev/day -> rad/min, exactly as SGP4.cpp twoline2rv divides (xpdotp = 1440 / 2 pi).
XPDOTP = 1440.0 / (2.0 * np.pi)
DEG2RAD = np.pi / 180.0
#: Error code for a time beyond ``max_age_days`` from the element epoch.
ERR_TOO_FAR = 8
ERROR_MESSAGES = {
    0: "ok",
    1: "mean eccentricity is outside the range 0 <= e < 1",
    2: "mean motion has fallen below zero",
    3: "perturbed eccentricity is outside the range 0 <= e <= 1",
    4: "length of the orbit's semi-latus rectum has fallen below zero",
    5: "(unused by the reference)",
    6: "mrt is less than 1.0: the satellite has decayed",
    7: "orbitsim guard: non-finite or out-of-range elements or time, or an implausible result",
    8: "time farther from the element epoch than max_age_days",
}

__all__ = [
    "sgp4", "sgp4_chunks", "coefficients", "states_at", "fragment_elements", "fragments_to_catalog",
    "FragmentElements", "bstar_from_area_to_mass", "sgp4_effective_bstar_of", "ERROR_MESSAGES",
]


def _is_satrec_list(obj) -> bool:
    return isinstance(obj, (list, tuple)) and (len(obj) == 0 or hasattr(obj[0], "no_kozai"))


def _elements_of(catalog) -> dict:
    """Mean elements in SGP4's units (rad, rad/min) from a Catalog or a list of Satrec."""
    if _is_satrec_list(catalog):
        def col(name):
            return np.array([getattr(s, name) for s in catalog], dtype=np.float64)

        for k, sat in enumerate(catalog):
            if getattr(sat, "radiusearthkm", _ki.RE_KM) != _ki.RE_KM or getattr(sat, "mu", _ki.MU_KM3_S2) != _ki.MU_KM3_S2 \
                    or getattr(sat, "operationmode", "i") != "i":
                raise InputError(f"propagation: Satrec {k} (satnum {getattr(sat, 'satnum', '?')}) was built with "
                                 "other constants or mode than WGS72 / 'i', the ones orbitsim implements; "
                                 "build it with sgp4.api.WGS72 and opsmode 'i'")
        jd = col("jdsatepoch")
        fr = col("jdsatepochF")
        return dict(epoch_jd=jd, epoch_fr=fr, epoch_days=(jd + fr) - _ki.JD_1950,
                    no_kozai=col("no_kozai"), ecco=col("ecco"), inclo=col("inclo"),
                    nodeo=col("nodeo"), argpo=col("argpo"), mo=col("mo"), bstar=col("bstar"))
    try:
        jd = np.asarray(catalog.epoch_jd, dtype=np.float64)
        fr = np.asarray(catalog.epoch_fr, dtype=np.float64)
        f64 = lambda name: np.asarray(getattr(catalog, name), dtype=np.float64)  # noqa: E731
        n_rev_day = f64("mean_motion_rev_per_day")
        ecc = f64("eccentricity")
        inc = f64("inclination_deg")
        raan = f64("raan_deg")
        argp = f64("arg_perigee_deg")
        ma = f64("mean_anomaly_deg")
        bstar = f64("bstar_per_earth_radii")
    except AttributeError as exc:
        raise InputError(f"propagation: expected an orbitsim Catalog or a list of sgp4 Satrec ({exc})")
    # the epoch sgp4init receives, as each sgp4 path computes it: twoline2rv passes
    # (jdsatepoch + jdsatepochF) - 2433281.5, sgp4.omm passes days since 1949-12-31 directly
    fmt = getattr(catalog, "element_format", None)
    tle_rule = (jd + fr) - _ki.JD_1950
    if fmt is not None:
        epoch_days = np.where(np.asarray(fmt) == "TLE", tle_rule, (jd - _ki.JD_1950) + fr)
    else:
        epoch_days = tle_rule
    return dict(epoch_jd=jd, epoch_fr=fr, epoch_days=epoch_days, no_kozai=n_rev_day / XPDOTP,
                ecco=ecc, inclo=inc * DEG2RAD, nodeo=raan * DEG2RAD, argpo=argp * DEG2RAD,
                mo=ma * DEG2RAD, bstar=bstar)


def coefficients(catalog) -> np.ndarray:
    """SGP4 coefficient table ``(n_obj, N_COEF)`` of a Catalog or list of Satrec (see
    :mod:`orbitsim.core.sgp4_init`); compute it once and pass it to :func:`sgp4` to save time."""
    if isinstance(catalog, np.ndarray) and catalog.ndim == 2 and catalog.shape[1] == _ki.N_COEF:
        return catalog
    el = _elements_of(catalog)
    if len(el["no_kozai"]) == 0:
        return np.empty((0, _ki.N_COEF))
    return _ki.sgp4_init_many(el["epoch_jd"], el["epoch_fr"], el["epoch_days"], el["no_kozai"],
                              el["ecco"], el["inclo"], el["nodeo"], el["argpo"], el["mo"],
                              el["bstar"])


def _times(jd, fr):
    jd = np.atleast_1d(np.asarray(jd, dtype=np.float64))
    fr = np.atleast_1d(np.asarray(fr, dtype=np.float64))
    if jd.ndim != 1 or fr.ndim != 1:
        raise InputError("propagation: jd and fr must be one-dimensional arrays of Julian dates")
    jd, fr = np.broadcast_arrays(jd, fr)
    return np.ascontiguousarray(jd), np.ascontiguousarray(fr)


def sgp4(catalog, jd, fr, *, max_age_days: float | None = None):
    """Propagate every object to every time, as ``sgp4.api.SatrecArray.sgp4`` does.

    Parameters
    ----------
    catalog : Catalog, list of sgp4.api.Satrec, or coefficient table
        The objects (``orbitsim.catalog.Catalog``; a list of ``Satrec``, whose fields ``no_kozai``,
        ``ecco``, ``inclo``, ``nodeo``, ``argpo``, ``mo``, ``bstar``, ``jdsatepoch(F)`` are read;
        or the array from :func:`coefficients`).
    jd, fr : array_like (n_t,)
        UTC Julian dates split in two (whole and fraction), as ``SatrecArray.sgp4`` takes them.
    max_age_days : float, optional
        If given, times farther than this from an object's element epoch get error code 8 and NaN
        (element sets are meant for days to weeks around their epoch).

    Returns
    -------
    e : uint8 (n_obj, n_t)
        Error code, 0 = ok (see :data:`ERROR_MESSAGES`).
    r : float64 (n_obj, n_t, 3)
        TEME position [km], NaN where ``e != 0``.
    v : float64 (n_obj, n_t, 3)
        TEME velocity [km/s], NaN where ``e != 0``.
    """
    coef = coefficients(catalog)
    jd, fr = _times(jd, fr)
    n, m = coef.shape[0], jd.shape[0]
    e = np.zeros((n, m), dtype=np.uint8)
    r = np.empty((n, m, 3))
    v = np.empty((n, m, 3))
    if n and m:
        _k.sgp4_many(coef, jd, fr, e, r, v)
        if max_age_days is not None:
            _apply_max_age(coef, jd, fr, float(max_age_days), e, r, v)
    return e, r, v


def _apply_max_age(coef, jd, fr, max_age_days, e, r, v):
    age = np.abs((jd[None, :] - coef[:, _ki.C_EPOCH_JD, None]) + (fr[None, :] - coef[:, _ki.C_EPOCH_FR, None]))
    far = ~(age <= max_age_days)
    far &= e == 0
    e[far] = ERR_TOO_FAR
    r[far] = np.nan
    v[far] = np.nan


def sgp4_chunks(catalog, jd, fr, *, chunk_size: int = 1440, max_age_days: float | None = None):
    """Yield ``(j0, e, r, v)`` for consecutive blocks of at most ``chunk_size`` times.

    ``j0`` is the index of the block's first time; ``e, r, v`` as :func:`sgp4` for those times.
    Memory is bounded by ``n_obj * chunk_size`` whatever the number of times.
    """
    coef = coefficients(catalog)
    jd, fr = _times(jd, fr)
    chunk_size = max(1, int(chunk_size))
    for j0 in range(0, jd.shape[0], chunk_size):
        e, r, v = sgp4(coef, jd[j0:j0 + chunk_size], fr[j0:j0 + chunk_size], max_age_days=max_age_days)
        yield j0, e, r, v


def states_at(catalog, t, *, max_age_days: float | None = None, frame: str = "teme"):
    """States of every object at ``datetime64`` instant(s) ``t`` (UTC).

    Parameters
    ----------
    frame : {"teme", "gcrs", "itrs"}
        TEME as SGP4 gives it, or converted with astropy (:mod:`orbitsim.frames`).

    Returns ``(e, r_km, v_km_s)`` as :func:`sgp4` (a scalar ``t`` gives ``(n_obj,)`` and
    ``(n_obj, 3)`` shapes).
    """
    from .timeutil import datetime64_to_jd

    if frame not in ("teme", "gcrs", "itrs"):
        raise InputError(f"frame: {frame!r}; expected 'teme', 'gcrs' or 'itrs'")
    scalar = np.ndim(t) == 0
    jd, fr = datetime64_to_jd(np.atleast_1d(np.asarray(t, dtype="datetime64[us]")))
    e, r, v = sgp4(catalog, jd, fr, max_age_days=max_age_days)
    if frame != "teme":
        from . import frames

        conv = frames.teme_to_gcrs if frame == "gcrs" else frames.teme_to_itrs
        r, v = conv(r, v, jd[None, :], fr[None, :])
    if scalar:
        return e[:, 0], r[:, 0], v[:, 0]
    return e, r, v


# ----------------------------------------------------------------------- fragments as element sets
def bstar_from_area_to_mass(area_to_mass_m2_per_kg, cd: float = _ke.CD_DEFAULT) -> np.ndarray:
    """B* [1/earth radii] = Cd (A/M) rho0 / 2, rho0 = 0.15696615 kg/m^2/ER (model notes sec. 2)."""
    am = np.asarray(area_to_mass_m2_per_kg, dtype=np.float64)
    return cd * am * _ke.RHO0_KG_M2_PER_ER / 2.0


@dataclass
class FragmentElements:
    """SGP4 mean element sets of fragments (struct of arrays, one row per fragment).

    Angles in degrees, mean motion (Kozai, as TLE/OMM write it) in rev/day, B* in 1/earth radii.
    ``pos_err_km``/``vel_err_km_s``: SGP4 state at epoch minus the input state (norm). ``ok``:
    finite elements with epoch position error below the tolerance.
    """

    epoch_jd: np.ndarray
    epoch_fr: np.ndarray
    mean_motion_rev_per_day: np.ndarray
    eccentricity: np.ndarray
    inclination_deg: np.ndarray
    raan_deg: np.ndarray
    arg_perigee_deg: np.ndarray
    mean_anomaly_deg: np.ndarray
    bstar_per_earth_radii: np.ndarray
    pos_err_km: np.ndarray
    vel_err_km_s: np.ndarray
    n_iter: np.ndarray
    ok: np.ndarray

    def __len__(self) -> int:
        return len(self.eccentricity)


def fragment_elements(r_km, v_km_s, area_to_mass_m2_per_kg, epoch_jd, epoch_fr=0.0, *,
                      cd: float = _ke.CD_DEFAULT, max_iter: int = 25, tol_km: float = 1e-6,
                      ok_km: float = 0.01) -> FragmentElements:
    """SGP4 mean elements whose SGP4 state at epoch reproduces each TEME state.

    Parameters
    ----------
    r_km, v_km_s : array_like (n, 3)
        TEME position [km] and velocity [km/s] at the epoch.
    area_to_mass_m2_per_kg : array_like (n,)
        For B* = Cd (A/M) rho0 / 2.
    epoch_jd, epoch_fr : float or array_like (n,)
        UTC epoch of the states (Julian date pair).
    cd : float
        Drag coefficient (2.2).
    max_iter, tol_km : int, float
        Fixed-point iteration limit and target epoch position error [km].
    ok_km : float
        Epoch position error [km] above which a row is flagged ``ok = False`` (10 m).
    """
    r = np.ascontiguousarray(np.asarray(r_km, dtype=np.float64).reshape(-1, 3))
    v = np.ascontiguousarray(np.asarray(v_km_s, dtype=np.float64).reshape(-1, 3))
    n = r.shape[0]
    if v.shape[0] != n:
        raise InputError(f"fragment states: {n} positions but {v.shape[0]} velocities")
    am = np.broadcast_to(np.asarray(area_to_mass_m2_per_kg, dtype=np.float64), (n,))
    jd = np.ascontiguousarray(np.broadcast_to(np.asarray(epoch_jd, dtype=np.float64), (n,)))
    fr = np.ascontiguousarray(np.broadcast_to(np.asarray(epoch_fr, dtype=np.float64), (n,)))
    bstar = np.ascontiguousarray(bstar_from_area_to_mass(am, cd))
    el, pos_err, vel_err, n_iter = _ke.mean_elements_many(jd, fr, r, v, bstar, int(max_iter), float(tol_km))
    rad2deg = 180.0 / np.pi
    ok = np.isfinite(el).all(axis=1) & (pos_err < ok_km)
    return FragmentElements(
        epoch_jd=jd.copy(), epoch_fr=fr.copy(),
        mean_motion_rev_per_day=el[:, 0] * XPDOTP, eccentricity=el[:, 1],
        inclination_deg=el[:, 2] * rad2deg, raan_deg=el[:, 3] * rad2deg,
        arg_perigee_deg=el[:, 4] * rad2deg, mean_anomaly_deg=el[:, 5] * rad2deg,
        bstar_per_earth_radii=bstar, pos_err_km=pos_err, vel_err_km_s=vel_err, n_iter=n_iter, ok=ok,
    )


def sgp4_effective_bstar_of(fe: FragmentElements, area_to_mass_m2_per_kg, cd: float = _ke.CD_DEFAULT) -> np.ndarray:
    """SGP4-effective B* (1/ER) of fragment element sets: SGP4's drag at epoch = the model's.

    SGP4 applies B* with its own static power-law density (Hoots & Roehrich 1980), from about the
    real density at 300 km to ~100 times it near 900 km, so the textbook ``B* = Cd (A/M) rho0 / 2``
    makes SGP4 decay a fragment 1-100 times too fast. This B* is chosen so that SGP4's secular
    ``da/dt`` at epoch equals the orbit-averaged ``da/dt`` of the long-term model
    (:mod:`orbitsim.evolution`, real solar activity of the days before the epoch) for
    ``Cd * A/M``; see :func:`orbitsim.evolution.sgp4_effective_bstar` and docs/models.md. Where
    it cannot be computed (failed element sets), the textbook value is kept.
    """
    from .evolution import sgp4_effective_bstar

    am = np.broadcast_to(np.asarray(area_to_mass_m2_per_kg, dtype=np.float64), (len(fe),))
    textbook = bstar_from_area_to_mass(am, cd)
    if len(fe) == 0:
        return textbook
    ep = np.asarray(fe.epoch_jd, dtype=np.float64) + np.asarray(fe.epoch_fr, dtype=np.float64)
    ok = np.isfinite(fe.eccentricity) & np.isfinite(fe.mean_motion_rev_per_day) & np.isfinite(ep) & np.isfinite(am)
    out = textbook.copy()
    if ok.any():
        b = sgp4_effective_bstar(cd * am[ok], fe.mean_motion_rev_per_day[ok], fe.eccentricity[ok],
                                 fe.inclination_deg[ok], fe.arg_perigee_deg[ok], ep[ok])
        out[ok] = np.where(np.isfinite(b), b, textbook[ok])
    return out


def fragments_to_catalog(cloud, first_id: int = 900_000_000, *, cd: float = _ke.CD_DEFAULT,
                         drop_failed: bool = True):
    """A Catalog of SGP4 element sets, one per fragment of a ``FragmentCloud``.

    Parameters
    ----------
    cloud : orbitsim.breakup.FragmentCloud
        Needs ``r_km``, ``v_km_s`` (n, 3) TEME, ``area_to_mass_m2_per_kg``, ``mass_kg``, ``lc_m``,
        ``epoch_jd``, ``epoch_fr``, ``parent`` and ``parents``.
    first_id : int
        NORAD id of the first fragment; the others follow (int64; OMM carries ids above 99,999,
        TLE export needs ids that Alpha-5 can write).
    cd : float
        Drag coefficient for B* (2.2).
    drop_failed : bool
        Leave out fragments whose element set does not reproduce the state within 10 m (their
        number is in the returned catalog's ``rejected`` list); else keep them.

    Returns
    -------
    Catalog
        ``object_type = "DEBRIS"``, ``owner`` of the parent, ``area_to_mass_m2_per_kg`` (the
        physical A/M), ``mass_kg`` and ``size_m`` (= Lc) set; ``element_format = "OMM"``.
        ``bstar_per_earth_radii`` is the SGP4-effective B* (:func:`sgp4_effective_bstar_of`), not
        the textbook ``Cd (A/M) rho0 / 2``.
    """
    from .catalog import Catalog

    r_km = np.asarray(cloud.r_km, dtype=np.float64).reshape(-1, 3)
    if len(r_km) and not (np.isfinite(np.asarray(cloud.epoch_jd, dtype=float)).all()
                          and np.isfinite(np.asarray(cloud.epoch_fr, dtype=float)).all()):
        raise InputError("fragments_to_catalog: the fragment cloud has no epoch; give the breakup an "
                         "epoch (e.g. epoch='2007-01-11T22:26:00')")
    if len(r_km) and not np.isfinite(r_km).any():
        raise InputError("fragments_to_catalog: the fragment cloud has no states (r_km is NaN); give "
                         "the parent a TEME state (r_km, v_km_s) or a catalog row and an epoch")
    fe = fragment_elements(r_km, cloud.v_km_s, cloud.area_to_mass_m2_per_kg,
                           cloud.epoch_jd, cloud.epoch_fr, cd=cd)
    n = len(fe)
    bstar = sgp4_effective_bstar_of(fe, cloud.area_to_mass_m2_per_kg, cd)
    ids = np.int64(first_id) + np.arange(n, dtype=np.int64)
    parents = list(getattr(cloud, "parents", []) or [])
    pidx = np.asarray(getattr(cloud, "parent", np.zeros(n, np.int64)), dtype=np.int64)
    owners = np.array([(parents[i].get("owner", "") if 0 <= i < len(parents) else "") or "" for i in pidx],
                      dtype=object) if n else np.array([], dtype=object)
    pnames = np.array([(parents[i].get("name", "") if 0 <= i < len(parents) else "") or "" for i in pidx],
                      dtype=object) if n else np.array([], dtype=object)
    names = np.array([f"{p} DEB".strip() for p in pnames], dtype=object)
    fields = dict(
        norad_id=ids, name=names, epoch_jd=fe.epoch_jd, epoch_fr=fe.epoch_fr,
        mean_motion_rev_per_day=fe.mean_motion_rev_per_day, eccentricity=fe.eccentricity,
        inclination_deg=fe.inclination_deg, raan_deg=fe.raan_deg,
        arg_perigee_deg=fe.arg_perigee_deg, mean_anomaly_deg=fe.mean_anomaly_deg,
        bstar_per_earth_radii=bstar,
        mean_motion_dot=np.zeros(n), mean_motion_ddot=np.zeros(n),
        object_type=np.full(n, "DEBRIS", dtype=object), owner=owners,
        mass_kg=np.asarray(cloud.mass_kg, dtype=np.float64),
        mass_estimated=np.zeros(n, dtype=bool),
        size_m=np.asarray(cloud.lc_m, dtype=np.float64), size_estimated=np.zeros(n, dtype=bool),
        area_to_mass_m2_per_kg=np.asarray(cloud.area_to_mass_m2_per_kg, dtype=np.float64),
        element_format=np.full(n, "OMM", dtype=object),
    )
    keep = fe.ok if drop_failed else np.isfinite(fe.eccentricity)
    try:
        cat = Catalog.from_arrays(**fields)
    except TypeError:  # a Catalog without element_format
        fields.pop("element_format")
        cat = Catalog.from_arrays(**fields)
    if not keep.all():
        dropped = int((~keep).sum())
        cat = cat[keep]
        try:
            from .formats import RejectedRecord

            cat.rejected.append(RejectedRecord("<fragments>", 0, f"{dropped} fragment states could not "
                                               "be represented by SGP4 elements within 10 m"))
        except Exception:  # pragma: no cover - bookkeeping only
            pass
    return cat
