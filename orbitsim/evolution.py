"""Long-term evolution of catalogued objects and fragment clouds: decay dates and shell occupancy.

:func:`decay` takes a :class:`~orbitsim.catalog.Catalog` (TLE/OMM mean elements, B* or A/M) or a
:class:`~orbitsim.breakup.FragmentCloud` (TEME states + A/M) and propagates every object from its
own epoch with the orbit-averaged mean-element model of :mod:`orbitsim.core.decay` (J2/J3/J4
secular and long-period gravity, drag with a Jacchia-type atmosphere driven by the real daily
F10.7/Ap of :mod:`orbitsim.atmosphere`).

Ballistic coefficient ``B = Cd A/M`` (m^2/kg), ``Cd = 2.2`` (model notes sec. 2):

- ``area_to_mass_m2_per_kg`` when finite (fragments);
- else from B*, by default (``bstar_conversion="physical"``) the B for which this model's
  orbit-averaged da/dt at epoch, with the real solar activity of the
  :data:`BSTAR_FIT_WINDOW_DAYS` before it, equals SGP4's ``-2 a0 C1`` (C1 = B* C2, Hoots &
  Roehrich 1980): :func:`physical_bc_from_bstar`; validated in docs/validation.md. Options:
- ``bstar_conversion="reference"``: ``B = 2 B* / rho0``, ``rho0 = 0.15696615 kg/m^2/ER`` (the inverse of what
  :func:`orbitsim.propagation.bstar_from_area_to_mass` writes). B* <= 0 (TLE fits sometimes give
  it) is taken as |B*|; a warning says how many.
- option ``bstar_conversion="calibrated"``: additionally multiply by SGP4's power-law density over
  this model's density at the object's perigee at epoch, so the model's decay rate at epoch equals
  the rate SGP4 (fitted to tracking) implies. SGP4's density ``rho0 ((q0 - s)/(r - s))^4`` is
  ~2x the real one at 400 km and ~30x at 800 km, so B* alone understates B for high objects.

Mean elements: TLE (Kozai) mean motion is converted to Brouwer's as SGP4 does, ``a = (mu/n^2)^(1/3)``.
Fragment states are converted to the SGP4 mean elements that reproduce them (the propagation
stage's fixed point), so a cloud and its exported element sets decay alike; fragments where that
fails start from osculating two-body elements.

Re-entry altitude: 120 km perigee (documented default; from there a circular orbit lasts under a
day and an eccentric one a few passes).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from . import atmosphere as atm
from .core import decay as kd
from .core._jit import get_threads, set_threads
from .errors import InputError
from .timeutil import datetime64_to_jd, jd_to_iso, parse_iso

__all__ = ["DecayResult", "decay", "decay_elements", "DEFAULT_OUTPUT_YEARS", "CD_DEFAULT",
           "RHO0_KG_M2_PER_ER", "DEFAULT_REENTRY_ALTITUDE_KM", "kozai_to_brouwer", "state_to_elements",
           "BSTAR_CONVERSIONS", "BSTAR_FIT_WINDOW_DAYS", "physical_bc_from_bstar", "sgp4_effective_bstar",
           "sgp4_dadt_per_bstar_km_per_day", "model_dadt_per_bc_km_per_day"]

#: Drag coefficient (model notes sec. 2).
CD_DEFAULT = 2.2
#: SGP4 reference density, kg/m^2/earth radius (Vallado 2013; model notes sec. 2).
RHO0_KG_M2_PER_ER = 0.15696615
#: Perigee altitude (km above the equatorial radius) at which an object counts as re-entered.
DEFAULT_REENTRY_ALTITUDE_KM = 120.0
#: Times (years after start) at which counts are reported by default.
DEFAULT_OUTPUT_YEARS = (1.0 / 12.0, 1.0, 5.0, 10.0, 25.0, 50.0, 100.0)

_MU = kd.MU_KM3_S2
_RE = kd.RE_KM
_J2 = kd.J2
_XKE = 60.0 / np.sqrt(_RE ** 3 / _MU)  # 1/min, SGP4's ke
_YEAR_D = 365.25


@dataclass
class DecayResult:
    """Decay dates and cloud statistics (struct of arrays, one row per object, input order).

    Attributes
    ----------
    norad_id : ndarray int64
    decay_jd : ndarray float64
        Julian date (UTC) of re-entry; NaN if still on orbit at the horizon (or invalid input).
    epoch_jd : ndarray float64
        Each object's start (element-set epoch), Julian date.
    status : ndarray int64
        0 on orbit at the horizon, 1 decayed, 2 invalid elements (not propagated).
    start_jd, years : float
        Reference start and horizon length; the horizon is ``start_jd + years * 365.25``.
    ballistic_coefficient_m2_per_kg : ndarray
        The Cd A/M used.
    output_years : ndarray
        Times after start of the stored elements ``elements`` (n, n_out, 6: a km, e, i, RAAN,
        argp, M in degrees), NaN where decayed or before the object's epoch.
    shell_occupancy : ndarray, shape (n_time_bins, n_shells)
        Object-years spent in each altitude shell in each time bin (time-weighted along each
        orbit: an eccentric orbit spreads over the shells it crosses, by time spent there).
    altitude_shells_km : ndarray, shape (n_shells + 1,)
        Shell edges (altitude above the equatorial radius).
    occupancy_time_edges_years : ndarray, shape (n_time_bins + 1,)
    steps : ndarray int64
        Integrator steps per object.
    """

    norad_id: np.ndarray
    decay_jd: np.ndarray
    epoch_jd: np.ndarray
    status: np.ndarray
    start_jd: float
    years: float
    ballistic_coefficient_m2_per_kg: np.ndarray
    output_years: np.ndarray
    elements: np.ndarray
    shell_occupancy: np.ndarray
    altitude_shells_km: np.ndarray
    occupancy_time_edges_years: np.ndarray
    steps: np.ndarray
    parameters: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.norad_id.shape[0])

    @property
    def horizon_jd(self) -> float:
        return self.start_jd + self.years * _YEAR_D

    @property
    def lifetime_years(self) -> np.ndarray:
        """Years from each object's epoch to re-entry (inf if still up, NaN if invalid)."""
        life = (self.decay_jd - self.epoch_jd) / _YEAR_D
        life = np.where(self.status == kd.STATUS_UP, np.inf, life)
        return life

    def on_orbit(self, t_years):
        """Number of objects on orbit ``t_years`` after start (scalar or array).

        An object counts while its decay date is later (objects whose epoch is later than the time
        count as on orbit: they exist). Invalid rows never count.
        """
        t = np.asarray(t_years, dtype=np.float64)
        jd = self.start_jd + t * _YEAR_D
        valid = self.status != kd.STATUS_INVALID
        up = np.where(np.isnan(self.decay_jd), np.inf, self.decay_jd)
        counts = ((up[None, :] > jd.reshape(-1)[:, None]) & valid[None, :]).sum(axis=1)
        return int(counts[0]) if t.ndim == 0 else counts.reshape(t.shape)

    def counts_at(self, years_list=DEFAULT_OUTPUT_YEARS) -> dict:
        """``{t_years: count}`` for the given times (default 1 month, 1, 5, 10, 25, 50, 100 y)."""
        ys = [float(y) for y in years_list]
        c = self.on_orbit(np.array(ys))
        return {y: int(k) for y, k in zip(ys, c)}

    @property
    def fragment_years(self) -> float:
        """Object-years on orbit between start and the horizon (from each object's epoch if later)."""
        valid = self.status != kd.STATUS_INVALID
        t0 = np.maximum(self.epoch_jd, self.start_jd)
        t1 = np.where(np.isnan(self.decay_jd), self.horizon_jd, np.minimum(self.decay_jd, self.horizon_jd))
        return float(np.sum(np.clip(t1 - t0, 0.0, None)[valid]) / _YEAR_D)

    def decay_dates_utc(self) -> np.ndarray:
        """ISO 8601 decay dates, ``""`` for objects still up (or invalid)."""
        out = np.full(len(self), "", dtype=object)
        ok = np.isfinite(self.decay_jd)
        if ok.any():
            out[ok] = jd_to_iso(self.decay_jd[ok])
        return out

    def summary(self) -> dict:
        return {"n": len(self), "decayed": int((self.status == kd.STATUS_DECAYED).sum()),
                "on_orbit_at_horizon": int((self.status == kd.STATUS_UP).sum()),
                "invalid": int((self.status == kd.STATUS_INVALID).sum()),
                "fragment_years": self.fragment_years,
                "counts_at_years": self.counts_at([y for y in DEFAULT_OUTPUT_YEARS if y <= self.years + 1e-9])}


# --------------------------------------------------------------------------------------- elements
def kozai_to_brouwer(n_kozai_rev_per_day, e, inc_deg):
    """Brouwer mean motion (rad/s) and semi-major axis (km) from TLE Kozai mean motion (SGP4 initl)."""
    no = np.asarray(n_kozai_rev_per_day, dtype=np.float64) * 2 * np.pi / 1440.0  # rad/min
    e = np.asarray(e, dtype=np.float64)
    cosi = np.cos(np.radians(inc_deg))
    omeosq = 1.0 - e * e
    ak = (_XKE / no) ** (2.0 / 3.0)
    d1 = 0.75 * _J2 * (3.0 * cosi * cosi - 1.0) / (np.sqrt(omeosq) * omeosq)
    dl = d1 / (ak * ak)
    adel = ak * (1.0 - dl * dl - dl * (1.0 / 3.0 + 134.0 * dl * dl / 81.0))
    dl = d1 / (adel * adel)
    n_rad_min = no / (1.0 + dl)
    n_rad_s = n_rad_min / 60.0
    a_km = (_MU / n_rad_s ** 2) ** (1.0 / 3.0)
    return n_rad_s, a_km


def state_to_elements(r_km, v_km_s):
    """Osculating two-body elements from TEME states: a km, e, i, RAAN, argp, M (rad)."""
    r = np.atleast_2d(np.asarray(r_km, dtype=np.float64))
    v = np.atleast_2d(np.asarray(v_km_s, dtype=np.float64))
    rn = np.linalg.norm(r, axis=1)
    vn2 = np.sum(v * v, axis=1)
    h = np.cross(r, v)
    hn = np.linalg.norm(h, axis=1)
    energy = 0.5 * vn2 - _MU / rn
    with np.errstate(divide="ignore", invalid="ignore"):
        a = -_MU / (2.0 * energy)
        evec = ((vn2 - _MU / rn)[:, None] * r - np.sum(r * v, axis=1)[:, None] * v) / _MU
        e = np.linalg.norm(evec, axis=1)
        inc = np.arccos(np.clip(h[:, 2] / hn, -1, 1))
        nvec = np.stack([-h[:, 1], h[:, 0], np.zeros(len(h))], axis=1)
        nn = np.linalg.norm(nvec, axis=1)
        raan = np.where(nn > 1e-12, np.arctan2(nvec[:, 1], nvec[:, 0]), 0.0) % (2 * np.pi)
        # argument of perigee, true anomaly (equatorial/circular cases handled by fallbacks)
        nx = np.where(nn > 1e-12, nvec[:, 0] / np.where(nn > 0, nn, 1), 1.0)
        ny = np.where(nn > 1e-12, nvec[:, 1] / np.where(nn > 0, nn, 1), 0.0)
        # perifocal basis: p along node line, q = h x p
        hz = h / hn[:, None]
        pvec = np.stack([nx, ny, np.zeros(len(h))], axis=1)
        qvec = np.cross(hz, pvec)
        ew = np.arctan2(np.sum(evec * qvec, axis=1), np.sum(evec * pvec, axis=1))
        u = np.arctan2(np.sum(r * qvec, axis=1), np.sum(r * pvec, axis=1))
        argp = np.where(e > 1e-10, ew, 0.0) % (2 * np.pi)
        nu = (u - argp) % (2 * np.pi)
        ecc_anom = 2.0 * np.arctan2(np.sqrt(np.clip(1 - e, 0, None)) * np.sin(nu / 2),
                                    np.sqrt(1 + e) * np.cos(nu / 2))
        m = (ecc_anom - e * np.sin(ecc_anom)) % (2 * np.pi)
    return a, e, inc, raan, argp, m


def _sgp4_density_kg_m3(perigee_alt_km):
    """SGP4's power-law density at perigee height (Hoots & Roehrich 1980): rho0 ((q0-s)/(r-s))^4."""
    hp = np.asarray(perigee_alt_km, dtype=np.float64)
    q0, s0 = 120.0, 78.0
    s = np.where(hp >= 156.0, s0, np.where(hp < 98.0, 20.0, hp - 78.0))
    rho0_kg_m3 = RHO0_KG_M2_PER_ER / (_RE * 1e3)
    return rho0_kg_m3 * ((q0 - s) / np.maximum(hp - s, 1.0)) ** 4


#: B* to ballistic-coefficient conversions (``bstar_conversion=``); the first is the default.
BSTAR_CONVERSIONS = ("physical", "reference", "calibrated")
#: Days before an element set's epoch over which the model's density is averaged when B* is
#: matched to it. Chosen among 1, 3, 10 and 30 days on the 2019-03 development catalog and checked on
#: the 2022-07 one (leave-one-out; docs/validation.md).
BSTAR_FIT_WINDOW_DAYS = 1.0


def sgp4_dadt_per_bstar_km_per_day(n_kozai_rev_per_day, e, inc_deg, epoch_jd=2451545.0):
    """SGP4's secular ``da/dt`` at epoch for B* = 1 /ER (km/day; negative).

    SGP4 decays the semi-major axis as ``a(t) = a0 (1 - C1 t - D2 t^2 - ...)^2`` with
    ``C1 = B* C2`` (Hoots & Roehrich 1980, Spacetrack Report #3), so ``da/dt(0) = -2 a0 C2 B*``.
    C2 holds SGP4's static power-law density ``((q0 - s) / (r - s))^4`` and the orbit average.
    """
    from .core.sgp4_init import C_CC1, sgp4_init_many

    nk = np.atleast_1d(np.asarray(n_kozai_rev_per_day, dtype=np.float64))
    n = len(nk)
    ee = np.broadcast_to(np.asarray(e, dtype=np.float64), (n,)).copy()
    ii = np.radians(np.broadcast_to(np.asarray(inc_deg, dtype=np.float64), (n,))).copy()
    ep = np.broadcast_to(np.asarray(epoch_jd, dtype=np.float64), (n,)).copy()
    z = np.zeros(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        coef = sgp4_init_many(np.floor(ep), ep - np.floor(ep), np.full(n, np.nan), nk * 2 * np.pi / 1440.0,
                              ee, ii, z, z, z, np.ones(n))
        _n, a_km = kozai_to_brouwer(nk, ee, np.degrees(ii))
    return -2.0 * a_km * coef[:, C_CC1] * 1440.0


def model_dadt_per_bc_km_per_day(a_km, e, inc_deg, argp_deg, epoch_jd, *, table=None,
                                 window_days: float | None = None):
    """This model's orbit-averaged ``da/dt`` at epoch for Cd A/M = 1 m^2/kg (km/day; negative).

    The density is the model's mean over the ``window_days`` before each epoch (daily F10.7/Ap;
    default :data:`BSTAR_FIT_WINDOW_DAYS`).
    """
    if window_days is None:
        window_days = BSTAR_FIT_WINDOW_DAYS
    a = np.atleast_1d(np.asarray(a_km, dtype=np.float64))
    n = len(a)
    ee, ii, ww, ep = (np.broadcast_to(np.asarray(x, dtype=np.float64), (n,)).copy()
                      for x in (e, inc_deg, argp_deg, epoch_jd))
    ok = np.isfinite(ep)
    if not ok.any():
        return np.full(n, np.nan)
    if table is None:
        table = atm.density_table(float(ep[ok].min()) - window_days - 2, float(ep[ok].max()) + 2, warn=False)
    t1 = ep - table.jd0
    t0 = t1 - window_days
    return kd.unit_drag_dadt(a, ee, np.radians(ii), np.radians(ww), t0, t1, table.cum_rho_day,
                             table.alt0_km, table.dalt_km)


def physical_bc_from_bstar(bstar_per_earth_radii, n_kozai_rev_per_day, e, inc_deg, argp_deg, epoch_jd, *,
                           table=None, window_days: float | None = None):
    """Cd A/M (m^2/kg) whose decay in this model equals SGP4's with the given B*, at epoch.

    ``B = B* (da/dt)_SGP4(B*=1) / (da/dt)_model(B=1)``: SGP4's secular semi-major-axis decay at
    epoch (its power-law density, fitted to tracking) over the model's orbit-averaged decay with
    the real daily solar activity of the ``window_days`` before the epoch. |B*| is used.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        _n, a = kozai_to_brouwer(n_kozai_rev_per_day, e, inc_deg)
        num = sgp4_dadt_per_bstar_km_per_day(n_kozai_rev_per_day, e, inc_deg, epoch_jd)
        den = model_dadt_per_bc_km_per_day(a, e, inc_deg, argp_deg, epoch_jd, table=table, window_days=window_days)
        bc = np.abs(np.asarray(bstar_per_earth_radii, dtype=np.float64)) * num / den
    return np.where(np.isfinite(bc) & (bc >= 0), bc, np.nan)


def sgp4_effective_bstar(bc_m2_per_kg, n_kozai_rev_per_day, e, inc_deg, argp_deg, epoch_jd, *,
                         table=None, window_days: float | None = None):
    """B* (1/ER) with which SGP4's drag at epoch equals this model's for Cd A/M ``bc_m2_per_kg``.

    The inverse of :func:`physical_bc_from_bstar`; what exported fragment element sets carry, so
    that an SGP4 user sees the fragments decay as the model does near the epoch.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        _n, a = kozai_to_brouwer(n_kozai_rev_per_day, e, inc_deg)
        num = sgp4_dadt_per_bstar_km_per_day(n_kozai_rev_per_day, e, inc_deg, epoch_jd)
        den = model_dadt_per_bc_km_per_day(a, e, inc_deg, argp_deg, epoch_jd, table=table, window_days=window_days)
        bstar = np.asarray(bc_m2_per_kg, dtype=np.float64) * den / num
    return bstar


# --------------------------------------------------------------------------------------- driver
def decay_elements(a_km, e, inc_deg, raan_deg, argp_deg, mean_anomaly_deg, ballistic_coefficient_m2_per_kg,
                   epoch_jd, *, norad_id=None, start=None, years: float = 25.0,
                   reentry_altitude_km: float = DEFAULT_REENTRY_ALTITUDE_KM,
                   output_years=DEFAULT_OUTPUT_YEARS, shell_edges_km=None, occupancy_bin_years=None,
                   f107_scale: float = 1.0, f107_sfu: float | None = None, ap: float | None = None,
                   tol_frac: float = 0.1, dt_max_days: float = 1000.0, threads: int | None = None,
                   space_weather_path=None, table: "atm.DensityTable | None" = None,
                   parameters: dict | None = None) -> DecayResult:
    """Propagate mean elements (plain arrays) to re-entry or the horizon.

    Parameters
    ----------
    a_km, e, inc_deg, raan_deg, argp_deg, mean_anomaly_deg : array_like
        Brouwer mean elements at each object's epoch.
    ballistic_coefficient_m2_per_kg : array_like
        Cd A/M per object (0: no drag).
    epoch_jd : array_like
        Element epochs, Julian dates (UTC).
    start : str, datetime64 or float (Julian date), optional
        Reference time of the counts and of the horizon; default the latest epoch.
    years : float
        Horizon length after ``start``.
    reentry_altitude_km : float
        Perigee altitude counted as re-entry (default 120 km).
    output_years : sequence of float
        Times after start at which to store elements (those past the horizon are dropped).
    shell_edges_km : array_like, optional
        Altitude shell edges for the occupancy (default 100 .. 2,100 km by 50 km).
    occupancy_bin_years : float, optional
        Time-bin width of the occupancy (default ``years / 100``, at least one day).
    f107_scale, f107_sfu, ap : optional
        What-ifs: scale the data's F10.7, or use a constant F10.7/Ap instead of the data.
    tol_frac : float
        Largest perigee change per step, in local density scale heights (accuracy knob).
    dt_max_days : float
        Largest step.
    threads : int, optional
        Threads for the parallel kernel (default: all).
    table : DensityTable, optional
        A prebuilt density table covering the span (skips building one).

    Returns
    -------
    DecayResult
    """
    cols = [np.atleast_1d(np.asarray(x, dtype=np.float64)) for x in
            (a_km, e, inc_deg, raan_deg, argp_deg, mean_anomaly_deg, ballistic_coefficient_m2_per_kg, epoch_jd)]
    n = max(len(c) for c in cols)
    cols = [np.broadcast_to(c, (n,)).copy() for c in cols]
    a, ecc, inc, raan, argp, m, bc, ep = cols
    if not np.isfinite(years) or years <= 0:
        raise InputError(f"years: {years!r}; expected a positive number of years")
    if not np.isfinite(reentry_altitude_km) or not 60.0 <= reentry_altitude_km <= 400.0:
        raise InputError(f"reentry_altitude_km: {reentry_altitude_km!r}; expected 60 .. 400 km")
    ids = np.arange(n, dtype=np.int64) if norad_id is None else np.asarray(norad_id, dtype=np.int64)
    start_jd = _start_jd(start, ep)
    end_jd = start_jd + years * _YEAR_D
    valid_ep = np.isfinite(ep)
    first_jd = float(min(start_jd, np.min(ep[valid_ep]))) if valid_ep.any() else start_jd
    if table is None:
        table = atm.density_table(first_jd - 1.0, end_jd + 1.0, f107_scale=f107_scale, f107_sfu=f107_sfu,
                                  ap=ap, sw=atm.space_weather(space_weather_path) if space_weather_path else None)
    elif table.jd0 > first_jd or table.jd0 + table.n_days < end_jd:
        raise InputError("table: the density table does not cover the epochs and the horizon")
    t_start = ep - table.jd0
    t_end = end_jd - table.jd0
    out_y = np.array([y for y in output_years if 0.0 <= y <= years + 1e-9], dtype=np.float64)
    out_t = start_jd + out_y * _YEAR_D - table.jd0
    if shell_edges_km is None:
        shell_edges_km = np.arange(100.0, 2100.0 + 1e-9, 50.0)
    edges = np.asarray(shell_edges_km, dtype=np.float64)
    dsh = np.diff(edges)
    if len(edges) < 2 or np.any(dsh <= 0) or not np.allclose(dsh, dsh[0]):
        raise InputError("shell_edges_km: expected evenly spaced increasing altitudes")
    if occupancy_bin_years is None:
        occupancy_bin_years = max(years / 100.0, 1.0 / _YEAR_D)
    n_tb = int(np.ceil(years / occupancy_bin_years - 1e-9))
    params = np.zeros(kd.N_PARAMS)
    params[kd.P_REENTRY_KM] = reentry_altitude_km
    params[kd.P_TOL_FRAC] = tol_frac
    params[kd.P_DT_MAX_DAYS] = dt_max_days
    params[kd.P_DT_MIN_DAYS] = 1e-4
    old = get_threads()
    nthr = set_threads(threads) if threads is not None else old
    try:
        n_chunks = int(max(1, min(n, 4 * nthr)))
        dec_t, status, steps, out_state, _final, occ = kd.propagate_many(
            a, ecc, np.radians(inc), np.radians(raan), np.radians(argp), np.radians(m), bc,
            t_start, float(t_end), table.cum_rho_day, table.alt0_km, table.dalt_km, params, out_t,
            float(start_jd - table.jd0), float(occupancy_bin_years * _YEAR_D), n_tb,
            float(edges[0]), float(dsh[0]), len(edges) - 1, n_chunks)
    finally:
        if threads is not None:
            set_threads(old)
    els = out_state.copy()
    els[:, :, 2:] = np.degrees(els[:, :, 2:])
    pars = {"reentry_altitude_km": reentry_altitude_km, "tol_frac": tol_frac, "dt_max_days": dt_max_days,
            "f107_scale": f107_scale, "f107_sfu": f107_sfu, "ap": ap, "atmosphere": "J71-type global mean, "
            "USSA76 boundary (orbitsim.atmosphere)"}
    pars.update(parameters or {})
    return DecayResult(norad_id=ids, decay_jd=dec_t + table.jd0, epoch_jd=ep, status=status,
                       start_jd=float(start_jd), years=float(years), ballistic_coefficient_m2_per_kg=bc,
                       output_years=out_y, elements=els, shell_occupancy=occ, altitude_shells_km=edges,
                       occupancy_time_edges_years=np.arange(n_tb + 1) * occupancy_bin_years, steps=steps,
                       parameters=pars)


def _start_jd(start, epochs) -> float:
    if start is None:
        ok = np.isfinite(epochs)
        if not ok.any():
            raise InputError("start: no object has a finite epoch; give start explicitly")
        return float(np.max(epochs[ok]))
    if isinstance(start, (float, int, np.floating)) and not isinstance(start, bool):
        return float(start)
    if isinstance(start, tuple) and len(start) == 2:
        return float(start[0]) + float(start[1])
    if isinstance(start, str):
        start = parse_iso(start, "start")
    jd, fr = datetime64_to_jd(start)
    return float(jd) + float(fr)


def decay(catalog_or_cloud, start=None, years: float = 25.0, *, cd: float = CD_DEFAULT,
          bstar_conversion: str = "physical", **kwargs) -> DecayResult:
    """Decay dates and cloud statistics of a Catalog or a FragmentCloud.

    Parameters
    ----------
    catalog_or_cloud : Catalog or FragmentCloud
        A Catalog's objects start from their own element-set epochs (mean elements, Kozai mean
        motion converted to Brouwer's); a cloud's from its event epoch (osculating TEME states).
    start : str, datetime64, (jd, fr) or float JD, optional
        Reference time (t = 0 of the counts, horizon = start + years). Default: the latest epoch.
    years : float
        Horizon (years after start).
    cd : float
        Drag coefficient for objects with a known A/M (default 2.2).
    bstar_conversion : {"physical", "reference", "calibrated"}
        How B is derived from B* when A/M is unknown (module docstring); default "physical".
    elements : {"sgp4", "osculating"}, keyword, clouds only
        Start a cloud's fragments from the SGP4 mean elements that reproduce their states
        (default; :func:`orbitsim.propagation.fragment_elements`), or from the osculating two-body
        elements (short-period J2 then biases a by up to ~10 km).
    **kwargs
        Passed to :func:`decay_elements` (reentry_altitude_km, output_years, shell_edges_km,
        occupancy_bin_years, f107_scale, f107_sfu, ap, tol_frac, dt_max_days, threads, ...).

    Returns
    -------
    DecayResult
    """
    if bstar_conversion not in BSTAR_CONVERSIONS:
        raise InputError(f"bstar_conversion: {bstar_conversion!r}; expected one of {', '.join(BSTAR_CONVERSIONS)}")
    if hasattr(catalog_or_cloud, "r_km") and hasattr(catalog_or_cloud, "v_km_s"):
        return _decay_cloud(catalog_or_cloud, start, years, cd, **kwargs)
    if hasattr(catalog_or_cloud, "mean_motion_rev_per_day"):
        return _decay_catalog(catalog_or_cloud, start, years, cd, bstar_conversion, **kwargs)
    raise InputError(f"decay: expected a Catalog or a FragmentCloud, got {type(catalog_or_cloud).__name__}")


def _decay_cloud(cloud, start, years, cd, elements="sgp4", **kwargs) -> DecayResult:
    r = np.asarray(cloud.r_km, dtype=np.float64).reshape(-1, 3)
    v = np.asarray(cloud.v_km_s, dtype=np.float64).reshape(-1, 3)
    if len(r) and not np.all(np.isfinite(r)):
        raise InputError("fragment cloud: some fragments have no state (r_km NaN); give the parent a state")
    ep = float(cloud.epoch_jd) + float(cloud.epoch_fr)
    if not np.isfinite(ep):
        raise InputError("fragment cloud: epoch unknown; create it with epoch=...")
    if len(r):
        a, e, inc, raan, argp, m = state_to_elements(r, v)
    else:
        a = e = inc = raan = argp = m = np.zeros(0)
    how = "osculating two-body from TEME states"
    if elements == "sgp4" and len(r):
        # SGP4 mean elements whose epoch state reproduces each fragment state (the propagation
        # stage's fixed point), so the decay starts from the same mean orbit as the element sets
        from .propagation import fragment_elements

        am = np.asarray(cloud.area_to_mass_m2_per_kg, dtype=np.float64)
        fe = fragment_elements(r, v, am, float(cloud.epoch_jd), float(cloud.epoch_fr), cd=cd)
        ok = np.asarray(fe.ok, dtype=bool)
        if ok.any():
            with np.errstate(invalid="ignore", divide="ignore"):
                _n, a_m = kozai_to_brouwer(fe.mean_motion_rev_per_day, fe.eccentricity, fe.inclination_deg)
            a = np.where(ok, a_m, a)
            e = np.where(ok, fe.eccentricity, e)
            inc = np.where(ok, np.radians(fe.inclination_deg), inc)
            raan = np.where(ok, np.radians(fe.raan_deg), raan)
            argp = np.where(ok, np.radians(fe.arg_perigee_deg), argp)
            m = np.where(ok, np.radians(fe.mean_anomaly_deg), m)
        how = (f"SGP4 mean elements reproducing the TEME state ({int(ok.sum())} fragments), "
               f"osculating two-body for the other {int((~ok).sum())}")
    elif elements not in ("sgp4", "osculating"):
        raise InputError(f"elements: {elements!r}; expected 'sgp4' or 'osculating'")
    bad = ~(np.isfinite(a) & (a > 0) & (e < 1))
    a = np.where(bad, np.nan, a)
    bc = cd * np.asarray(cloud.area_to_mass_m2_per_kg, dtype=np.float64)
    return decay_elements(a, e, np.degrees(inc), np.degrees(raan), np.degrees(argp), np.degrees(m), bc,
                          np.full(len(r), ep), norad_id=np.arange(len(r), dtype=np.int64),
                          start=ep if start is None else start, years=years,
                          parameters={"cd": cd, "elements": how}, **kwargs)


def _decay_catalog(cat, start, years, cd, bstar_conversion, **kwargs) -> DecayResult:
    n_k = np.asarray(cat.mean_motion_rev_per_day, dtype=np.float64)
    e = np.asarray(cat.eccentricity, dtype=np.float64)
    inc = np.asarray(cat.inclination_deg, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        _n, a = kozai_to_brouwer(n_k, e, inc)
    ep = np.asarray(cat.epoch_jd, dtype=np.float64) + np.asarray(cat.epoch_fr, dtype=np.float64)
    am = np.asarray(getattr(cat, "area_to_mass_m2_per_kg", np.full(len(n_k), np.nan)), dtype=np.float64)
    bstar = np.asarray(cat.bstar_per_earth_radii, dtype=np.float64)
    neg = np.isfinite(bstar) & (bstar < 0) & ~np.isfinite(am)
    if neg.any():
        warnings.warn(f"{int(neg.sum())} object(s) have B* < 0; their |B*| is used", UserWarning, stacklevel=3)
    bc_bstar = 2.0 * np.abs(np.nan_to_num(bstar)) / RHO0_KG_M2_PER_ER
    if bstar_conversion == "calibrated":
        hp = a * (1 - e) - _RE
        ok = np.isfinite(hp) & np.isfinite(ep)
        if ok.any():
            tab = atm.density_table(float(ep[ok].min()) - 16, float(ep[ok].max()) + 16, warn=False)
            rho_m = np.array([tab.mean_density_kg_m3(max(h, 100.0), t - 15, t + 15) if k else np.nan
                              for h, t, k in zip(hp, ep, ok)])
            factor = np.where(ok, _sgp4_density_kg_m3(hp) / rho_m, 1.0)
            bc_bstar = bc_bstar * factor
    elif bstar_conversion == "physical":
        bc_bstar = physical_bc_from_bstar(bstar, n_k, e, inc, cat.arg_perigee_deg, ep)
        bc_bstar = np.where(np.isfinite(bc_bstar), bc_bstar, 2.0 * np.abs(np.nan_to_num(bstar)) / RHO0_KG_M2_PER_ER)
    bc = np.where(np.isfinite(am), cd * am, bc_bstar)
    return decay_elements(a, e, inc, cat.raan_deg, cat.arg_perigee_deg, cat.mean_anomaly_deg, bc, ep,
                          norad_id=np.asarray(cat.norad_id, dtype=np.int64), start=start, years=years,
                          parameters={"cd": cd, "bstar_conversion": bstar_conversion,
                                      "elements": "TLE mean elements, Kozai -> Brouwer mean motion"},
                          **kwargs)
