"""Solar activity and thermospheric density for long-term decay.

Three layers, each documented where it is defined:

1. **Space weather** (:func:`space_weather`): daily observed F10.7 (``F10.7_OBS``, solar flux units)
   and daily Ap from the bundled CelesTrak SW-All file (1998-07 .. 2026-04, rows OBS/INT and the
   45-day PRD forecast), the monthly PRM forecast to 2041-10 (interpolated to days; Ap is not given
   there and is set to the observed mean), and after that a **solar-cycle model**
   (:class:`SolarCycleModel`): ``F10.7(t) = mean + amplitude * cos(2 pi (t - t_max) / period)``
   fitted by least squares to the observed monthly means 1998-07 .. 2026-04. With the bundled
   file the fit is mean 110.6 sfu, amplitude 49.4 sfu, period 11.72 y, maxima at 2025.05 (and
   2013.33, 2001.61); it is recomputed from the file and printed by ``repr``. The model is blended
   linearly into the last forecast value over the first year after it. Dates *before* 1998-07 use the same model
   and raise :class:`SpaceWeatherFallbackWarning`; dates after the file's monthly forecast use it
   and warn too. F10.7 is clamped to >= 65 sfu (the observed floor of solar minima).

2. **Exospheric temperature** (Jacchia 1971, SAO Special Report 332, and Jacchia 1970, SR 313):
   ``T_c = 379 + 3.24 F81 + 1.3 (F - F81)`` K (F of the previous day, F81 the 81-day centred mean);
   the J71 diurnal/latitude variation ``T_l = T_c (1 + R sin^m theta) (1 + R (cos^m eta -
   sin^m theta) / (1 + R sin^m theta) cos^n(tau/2))`` with R = 0.3, m = 2.2, n = 3.0, beta = -37 deg,
   p = 6 deg, gamma = 43 deg, averaged over the globe (equinox, area weights) *in density*, not in
   temperature; the geomagnetic heating ``dT = Ap + 100 (1 - exp(-0.08 Ap))`` K (J70, Ap form) is
   added to the local temperature.

3. **Density profile above 120 km**: diffusive equilibrium of N2, O2, O, Ar, He (and H from
   500 km) in the Bates (1959) temperature profile ``T = T_inf - (T_inf - T_120) exp(-lambda xi)``
   on geopotential height xi, integrated analytically (Walker 1965). Boundary values are those of
   the U.S. Standard Atmosphere 1976 (T_120 = 360 K, lambda = 0.01875 /km, number densities at
   120 km, n_H(500 km)), so at T_inf = 1000 K the profile *is* USSA76's upper atmosphere. Below
   120 km: USSA76 total densities (100, 110, 120 km), log-interpolated. The J71 semi-annual
   variation ``log10 rho += f(z) g(t)`` is applied on top, its phase in tropical years from
   1958 January 1 (JD 2436204.5), as Jacchia 1971 counts it.

This is a global-mean model: no local time, latitude or season enter the decay (they average out
over the weeks a step spans). At matched indices its global and annual mean is 0.71-1.31 times
NRLMSISE-00's over 200-1,000 km and F10.7 70-250 sfu (``data/reference/nrlmsise00-global-mean.csv``,
docs/models.md); :func:`jb2008_ratio` compares with the bundled JB2008 grid, whose months after
2026 come from projected, not observed, solar activity.

The decay kernel consumes a :class:`DensityTable`: the *cumulative* time integral of the daily
density on an altitude grid, so a step of any length sees the exact time average of every day's
solar activity it spans.
"""

from __future__ import annotations

import csv
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import data
from .errors import InputError, ParseError, ResourceError

__all__ = [
    "SpaceWeatherFallbackWarning",
    "SpaceWeather",
    "SolarCycleModel",
    "space_weather",
    "solar_cycle_model",
    "exospheric_temperature_k",
    "density_profile_kg_m3",
    "global_mean_density_kg_m3",
    "DensityTable",
    "density_table",
    "load_jb2008",
    "jb2008_ratio",
    "JD_1998_07_01",
]


class SpaceWeatherFallbackWarning(UserWarning):
    """Solar activity for some dates came from the solar-cycle model, not from the data file."""


#: Julian date of 1998-07-01T00:00 UTC (first row of the bundled SW-All file).
JD_1998_07_01 = 2451000.5
_JD_UNIX = 2440587.5
_DAYS_PER_YEAR = 365.25

# --- physical constants (SI) -------------------------------------------------------------------
_K_BOLTZMANN = 1.380622e-23  # J/K, USSA76 value
_AMU_KG = 1.6605402e-27  # kg per atomic mass unit
_G0 = 9.80665  # m/s^2, USSA76
_R0_KM = 6356.766  # km, USSA76 effective Earth radius for geopotential height

# USSA76 (NOAA/NASA/USAF 1976), upper-atmosphere definitions:
_Z120_KM = 120.0
_T120_K = 360.0  # kinetic temperature at 120 km
_LAMBDA_PER_KM = 0.01875  # = (dT/dz at 120 km = 12 K/km) / (T_inf - T_120 = 640 K)
# species: molecular mass (amu), thermal-diffusion factor alpha, number density at the boundary (1/m^3)
# USSA76 table values at 120 km (N2, O, O2, Ar, He) and H at 500 km.
_SPECIES = (
    # name, mass_amu, alpha, n_boundary_per_m3, boundary_km
    ("N2", 28.0134, 0.0, 3.726e17, 120.0),
    ("O2", 31.9988, 0.0, 4.474e16, 120.0),
    ("O", 15.9994, 0.0, 9.275e16, 120.0),
    ("Ar", 39.948, 0.0, 1.096e15, 120.0),
    ("He", 4.0026, -0.40, 3.4e13, 120.0),
    ("H", 1.00797, -0.25, 8.0e10, 500.0),
)
# USSA76 total mass density below 120 km (kg/m^3), Table I.
_LOW_ALT_KM = np.array([100.0, 110.0, 120.0])
_LOW_RHO = np.array([5.604e-7, 9.708e-8, 2.222e-8])

# Jacchia 1971 diurnal-variation parameters (SAO SR 332, eqs. for T_l).
_J71_R, _J71_M, _J71_N = 0.3, 2.2, 3.0
_J71_BETA, _J71_P, _J71_GAMMA = np.radians(-37.0), np.radians(6.0), np.radians(43.0)

#: Jacchia 1971 (SAO SR 332) counts the semi-annual phase in tropical years from 1958 January 1.0
#: (JD 2436204.5).
_J71_SEMIANNUAL_EPOCH_JD = 2436204.5
#: Altitudes (km) and factors of :func:`_semiannual_scale` (printed by tools/make_msis_reference.py).
_SEMIANNUAL_SCALE_KM = np.array([200.0, 300.0, 400.0, 500.0, 600.0, 700.0, 800.0, 900.0])
_SEMIANNUAL_SCALE = np.array([1.0, 0.912, 0.821, 0.755, 0.712, 0.686, 0.672, 0.677])
#: Jacchia 1970 (SAO SR 313) daily-Ap form of the geomagnetic heating,
#: ``dT = Ap + 100 K (1 - exp(-0.08 Ap))``.
_J70_AP_K = 100.0

#: Lowest F10.7 the solar-cycle model returns (sfu): the observed floor of solar minima. Where the
#: file gives no Ap (the monthly PRM forecast) and in the model, Ap is the mean observed daily Ap.
_F107_FLOOR = 65.0
#: Largest cumulative density table built (bytes): ~300 years on the default altitude grid.
_TABLE_BUDGET_BYTES = 2 * 2**30


# ---------------------------------------------------------------------------------------------
# space weather
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SolarCycleModel:
    """``F10.7(t) = mean + amplitude cos(2 pi (year - t_max_year) / period_years)``, >= 65 sfu.

    Fitted by least squares to the monthly means of the observed daily F10.7 in the bundled file.
    ``ap`` is the constant geomagnetic index used with it (mean observed daily Ap).
    """

    mean_sfu: float
    amplitude_sfu: float
    period_years: float
    t_max_year: float
    ap: float

    def f107(self, year) -> np.ndarray:
        """Daily F10.7 (sfu) at decimal years ``year``."""
        y = np.asarray(year, dtype=np.float64)
        f = self.mean_sfu + self.amplitude_sfu * np.cos(2 * np.pi * (y - self.t_max_year) / self.period_years)
        return np.maximum(f, _F107_FLOOR)


@dataclass
class SpaceWeather:
    """Daily solar activity on a contiguous day grid.

    Attributes
    ----------
    jd0 : float
        Julian date of 00:00 UTC of the first day.
    f107_sfu, f107_81_sfu, ap : ndarray
        Daily F10.7, its 81-day centred mean, daily Ap.
    source : ndarray of str
        Per day: ``OBS`` (observed/interpolated), ``PRD`` (daily forecast), ``PRM`` (monthly
        forecast) or ``MODEL`` (solar-cycle model).
    cycle : SolarCycleModel
    """

    jd0: float
    f107_sfu: np.ndarray
    f107_81_sfu: np.ndarray
    ap: np.ndarray
    source: np.ndarray
    cycle: SolarCycleModel
    path: Path | None = None

    @property
    def n_days(self) -> int:
        return len(self.f107_sfu)

    def day_index(self, jd) -> np.ndarray:
        return np.floor(np.asarray(jd, dtype=np.float64) - self.jd0).astype(np.int64)


def _jd_to_year(jd):
    return 2000.0 + (np.asarray(jd, dtype=np.float64) - 2451544.5) / _DAYS_PER_YEAR


def _centred_mean(x: np.ndarray, width: int = 81) -> np.ndarray:
    """Centred running mean; at the ends, the mean of the days available."""
    half = width // 2
    c = np.concatenate([[0.0], np.cumsum(x)])
    i = np.arange(len(x))
    lo = np.maximum(i - half, 0)
    hi = np.minimum(i + half + 1, len(x))
    return (c[hi] - c[lo]) / (hi - lo)


@lru_cache(maxsize=4)
def _read_sw_file(path_str: str):
    path = Path(path_str)
    dates, f107, ap, kind = [], [], [], []
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        try:
            i_date = header.index("DATE")
            i_f = header.index("F10.7_OBS")
            i_ap = header.index("AP_AVG")
            i_t = header.index("F10.7_DATA_TYPE")
        except ValueError as exc:
            raise ParseError(f"not a CelesTrak SW-All CSV: missing column ({exc})", path, 1) from None
        for lineno, row in enumerate(reader, start=2):
            if not row:
                continue
            try:
                d = np.datetime64(row[i_date], "D")
                fv = float(row[i_f]) if row[i_f].strip() else np.nan
                av = float(row[i_ap]) if row[i_ap].strip() else np.nan
            except (ValueError, IndexError):
                raise ParseError("bad DATE, F10.7_OBS or AP_AVG value", path, lineno) from None
            dates.append(d)
            f107.append(fv)
            ap.append(av)
            kind.append(row[i_t].strip())
    return np.array(dates), np.array(f107), np.array(ap), np.array(kind)


def _fit_cycle(years: np.ndarray, f: np.ndarray, ap_mean: float) -> SolarCycleModel:
    """Least-squares fit of mean + amplitude cos(2 pi (y - t_max)/P) over a grid of periods."""
    best = None
    for period in np.arange(9.0, 13.0001, 0.01):
        w = 2 * np.pi / period
        A = np.column_stack([np.ones_like(years), np.cos(w * years), np.sin(w * years)])
        coef, *_ = np.linalg.lstsq(A, f, rcond=None)
        res = float(np.sum((A @ coef - f) ** 2))
        if best is None or res < best[0]:
            best = (res, period, coef)
    _, period, (c0, c1, c2) = best
    amp = float(np.hypot(c1, c2))
    phase = float(np.arctan2(c2, c1))  # c1 cos + c2 sin = amp cos(w y - phase)
    t_max = phase / (2 * np.pi / period)
    # choose the maximum nearest 2024 for readability
    t_max += period * np.round((2024.0 - t_max) / period)
    return SolarCycleModel(float(c0), amp, float(period), float(t_max), float(ap_mean))


@lru_cache(maxsize=4)
def _space_weather_cached(path_str: str) -> SpaceWeather:
    dates, f107, ap, kind = _read_sw_file(path_str)
    daily = np.isin(kind, ["OBS", "INT", "PRD"]) & np.isfinite(f107)
    monthly = (kind == "PRM") & np.isfinite(f107)
    obs = np.isin(kind, ["OBS", "INT"]) & np.isfinite(f107)
    ap_mean = float(np.nanmean(ap[obs]))
    # monthly means of observed F10.7 for the cycle fit
    months = dates[obs].astype("datetime64[M]")
    um, inv = np.unique(months, return_inverse=True)
    fm = np.bincount(inv, weights=f107[obs]) / np.bincount(inv)
    ym = _jd_to_year((um.astype("datetime64[D]").astype(np.int64) + 14.5) + _JD_UNIX)
    cycle = _fit_cycle(ym, fm, ap_mean)

    d_first = dates[daily][0]
    d_last_daily = dates[daily][-1]
    d_end = dates[monthly][-1] if monthly.any() else d_last_daily
    n = int((d_end - d_first).astype(np.int64)) + 1
    days = d_first + np.arange(n)
    jd_days = days.astype(np.int64).astype(np.float64) + _JD_UNIX
    f = np.full(n, np.nan)
    a = np.full(n, np.nan)
    src = np.full(n, "PRM", dtype=object)
    idx = (dates[daily] - d_first).astype(np.int64)
    f[idx] = f107[daily]
    a[idx] = ap[daily]
    src[idx] = np.where(kind[daily] == "PRD", "PRD", "OBS")
    # gaps in the daily part (should be none): linear interpolation
    filled = np.isfinite(f)
    if monthly.any():
        # monthly forecast: value at mid-month, linear in between, after the last daily row
        jd_m = dates[monthly].astype(np.int64) + _JD_UNIX + 14.5
        fill = ~filled
        f[fill] = np.interp(jd_days[fill], np.concatenate([jd_days[filled][-1:], jd_m]),
                            np.concatenate([f[filled][-1:], f107[monthly]]))
    f = np.interp(jd_days, jd_days[np.isfinite(f)], f[np.isfinite(f)])
    a = np.where(np.isfinite(a), a, ap_mean)
    f81 = _centred_mean(f)
    return SpaceWeather(float(jd_days[0]), f, f81, a, src.astype(str), cycle, Path(path_str))


def space_weather(path: str | Path | None = None) -> SpaceWeather:
    """Read a CelesTrak SW-All CSV (default: the bundled ``SW-All-2026-04.csv``).

    Returns
    -------
    SpaceWeather
        Daily F10.7 (observed, sfu), its 81-day centred mean and Ap from the file's first daily
        row to its last monthly forecast row, plus the fitted :class:`SolarCycleModel`.

    Raises
    ------
    ParseError
        If the file lacks the SW-All columns or holds an unreadable value (file and line named).
    """
    p = Path(path) if path is not None else data.data_path(data.SPACE_WEATHER_CSV)
    return _space_weather_cached(str(p.resolve()))


def solar_cycle_model(path: str | Path | None = None) -> SolarCycleModel:
    """The solar-cycle model fitted to the observed F10.7 of ``path`` (default: bundled file)."""
    return space_weather(path).cycle


def daily_indices(jd_start: float, n_days: int, sw: SpaceWeather | None = None,
                  warn: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """F10.7 (previous day), 81-day mean F10.7 and Ap for ``n_days`` days from ``jd_start``.

    Days outside the file come from the solar-cycle model (F81 = F, Ap = its climatological mean);
    a :class:`SpaceWeatherFallbackWarning` says which span, when ``warn``.

    Returns
    -------
    jd_days, f107_prev_sfu, f107_81_sfu, ap : ndarray
    """
    sw = sw or space_weather()
    jd0 = np.floor(jd_start - 0.5) + 0.5
    jd_days = jd0 + np.arange(n_days, dtype=np.float64)
    k = np.round(jd_days - sw.jd0).astype(np.int64)
    inside = (k >= 1) & (k < sw.n_days)
    kk = np.clip(k, 1, sw.n_days - 1)
    model_f = sw.cycle.f107(_jd_to_year(jd_days))
    f_prev = np.where(inside, sw.f107_sfu[kk - 1], model_f)
    f81 = np.where(inside, sw.f107_81_sfu[kk], model_f)
    ap = np.where(inside, sw.ap[kk], sw.cycle.ap)
    # blend the model into the end of the monthly forecast over one year, so there is no jump
    after = k >= sw.n_days
    if after.any():
        blend = np.clip((k - sw.n_days) / 365.0, 0.0, 1.0)
        f_end = sw.f107_sfu[-1]
        f_prev = np.where(after, (1 - blend) * f_end + blend * model_f, f_prev)
        f81 = np.where(after, (1 - blend) * sw.f107_81_sfu[-1] + blend * model_f, f81)
    if warn and not inside.all():
        before = k < 1
        parts = []
        if before.any():
            parts.append(f"{int(before.sum())} day(s) before the space-weather file starts "
                         f"({_iso_day(sw.jd0)})")
        if after.any():
            parts.append(f"{int(after.sum())} day(s) after its forecast ends "
                         f"({_iso_day(sw.jd0 + sw.n_days - 1)})")
        warnings.warn("solar activity for " + " and ".join(parts) + " comes from the solar-cycle "
                      f"model ({sw.cycle.mean_sfu:.0f} +/- {sw.cycle.amplitude_sfu:.0f} sfu, "
                      f"{sw.cycle.period_years:.2f} y cycle, Ap {sw.cycle.ap:.1f})",
                      SpaceWeatherFallbackWarning, stacklevel=3)
    return jd_days, f_prev, f81, ap


def _iso_day(jd: float) -> str:
    return str(np.datetime64("1970-01-01") + np.timedelta64(int(np.floor(jd - _JD_UNIX + 1e-9)), "D"))


# ---------------------------------------------------------------------------------------------
# temperature and density
# ---------------------------------------------------------------------------------------------
def exospheric_temperature_k(f107_prev_sfu, f107_81_sfu, ap=None):
    """Global night-time minimum exospheric temperature T_c (J71) plus geomagnetic heating (J70).

    Parameters
    ----------
    f107_prev_sfu, f107_81_sfu : array_like
        F10.7 of the previous day and its 81-day centred mean (solar flux units).
    ap : array_like, optional
        Daily planetary Ap. None: no geomagnetic term.

    Returns
    -------
    (T_c, dT_geomagnetic) : tuple of ndarray, K
    """
    f = np.asarray(f107_prev_sfu, dtype=np.float64)
    fb = np.asarray(f107_81_sfu, dtype=np.float64)
    tc = 379.0 + 3.24 * fb + 1.3 * (f - fb)  # Jacchia 1971, eq. (14)-(15)
    if ap is None:
        dt = np.zeros_like(tc)
    else:
        a = np.asarray(ap, dtype=np.float64)
        dt = a + _J70_AP_K * (1.0 - np.exp(-0.08 * a))  # Jacchia 1970, geomagnetic term (Ap form)
    return tc, dt


def _geopotential_xi_km(z_km):
    return (z_km - _Z120_KM) * (_R0_KM + _Z120_KM) / (_R0_KM + z_km)


def density_profile_kg_m3(altitude_km, t_inf_k) -> np.ndarray:
    """Total mass density (kg/m^3) in diffusive equilibrium for exospheric temperature ``t_inf_k``.

    Broadcasts ``altitude_km`` against ``t_inf_k``. See the module docstring for the model
    (USSA76 boundary at 120 km, Bates temperature profile, Walker's analytic integration).
    """
    z = np.asarray(altitude_km, dtype=np.float64)
    tinf = np.asarray(t_inf_k, dtype=np.float64)
    z, tinf = np.broadcast_arrays(z, tinf)
    zc = np.maximum(z, _Z120_KM)
    lam = _LAMBDA_PER_KM * 1e-3  # 1/m
    g120 = _G0 * (_R0_KM / (_R0_KM + _Z120_KM)) ** 2

    def temp(xi_km):
        return tinf - (tinf - _T120_K) * np.exp(-_LAMBDA_PER_KM * xi_km)

    def integral(xi_km):  # int_0^xi dxi / T  (xi in m), analytic for the Bates profile
        return (lam * xi_km * 1e3 + np.log(temp(xi_km))) / (lam * tinf)

    xi = _geopotential_xi_km(zc)
    t = temp(xi)
    i_z = integral(xi)
    rho = np.zeros_like(t)
    for _name, m_amu, alpha, n_b, z_b in _SPECIES:
        xi_b = _geopotential_xi_km(np.full_like(t, z_b))
        t_b = temp(xi_b)
        m = m_amu * _AMU_KG
        # (H, bounded at 500 km, is continued below its boundary in diffusive equilibrium too)
        n = n_b * (t_b / t) ** (1.0 + alpha) * np.exp(-(m * g120 / _K_BOLTZMANN) * (i_z - integral(xi_b)))
        rho = rho + n * m
    low = z < _Z120_KM
    if np.any(low):
        rho_low = np.exp(np.interp(z, _LOW_ALT_KM, np.log(_LOW_RHO)))
        rho = np.where(low, rho_low * rho / _LOW_RHO[-1], rho)  # continuous at 120 km
    return rho


@lru_cache(maxsize=1)
def _j71_global_ratios(n_lat: int = 24, n_lt: int = 24):
    """Area-weighted samples of T_l / T_c over latitude and local time (J71, equinox)."""
    phi = (np.arange(n_lat) + 0.5) / n_lat * np.pi - np.pi / 2
    h = (np.arange(n_lt) + 0.5) / n_lt * 2 * np.pi - np.pi
    phi, h = np.meshgrid(phi, h, indexing="ij")
    dec = 0.0
    theta = 0.5 * np.abs(phi + dec)
    eta = 0.5 * np.abs(phi - dec)
    tau = h + _J71_BETA + _J71_P * np.sin(h + _J71_GAMMA)
    tau = (tau + np.pi) % (2 * np.pi) - np.pi
    sm = np.sin(theta) ** _J71_M
    cm = np.cos(eta) ** _J71_M
    ratio = (1 + _J71_R * sm) * (1 + _J71_R * (cm - sm) / (1 + _J71_R * sm) * np.abs(np.cos(tau / 2)) ** _J71_N)
    w = np.cos(phi)
    return ratio.ravel(), (w / w.sum()).ravel()


def global_mean_density_kg_m3(altitude_km, t_c_k, dt_geomagnetic_k=0.0) -> np.ndarray:
    """Globally averaged density: mean over latitude and local time of the J71 diurnal variation.

    ``rho(h) = sum_k w_k rho_profile(h, r_k T_c + dT)``, the average taken in density.
    """
    ratios, w = _j71_global_ratios()
    h = np.asarray(altitude_km, dtype=np.float64)
    tc = np.asarray(t_c_k, dtype=np.float64)
    out = 0.0
    for r, wk in zip(ratios, w):
        out = out + wk * density_profile_kg_m3(h, r * tc + dt_geomagnetic_k)
    return out


@lru_cache(maxsize=1)
def _mean_density_grid(alt_key: tuple):
    """log global-mean density on a (T_c, dT) x altitude grid, for fast daily tables."""
    alt = np.array(alt_key)
    tc_grid = np.arange(450.0, 1500.1, 15.0)
    dt_grid = np.array([0.0, 10.0, 20.0, 35.0, 55.0, 80.0, 110.0, 150.0, 200.0, 270.0, 360.0, 480.0, 650.0])
    # fine single-temperature table, then average over the J71 samples by interpolation in T
    t_fine = np.arange(300.0, 3000.1, 5.0)
    log_fine = np.log(density_profile_kg_m3(alt[None, :], t_fine[:, None]))  # (nT, nalt)
    ratios, w = _j71_global_ratios()
    # compress the sample ratios to a weighted histogram (40 bins) for speed
    edges = np.linspace(ratios.min(), ratios.max() + 1e-9, 41)
    b = np.digitize(ratios, edges) - 1
    wr = np.bincount(b, weights=w, minlength=40)
    rr = np.bincount(b, weights=w * ratios, minlength=40)
    keep = wr > 0
    rbin, wbin = rr[keep] / wr[keep], wr[keep]
    out = np.empty((len(tc_grid), len(dt_grid), len(alt)))
    for i, tc in enumerate(tc_grid):
        temps = (rbin[:, None] * tc + dt_grid[None, :])  # (nbin, ndt)
        x = (np.clip(temps, t_fine[0], t_fine[-1] - 1e-6) - t_fine[0]) / 5.0
        j = np.floor(x).astype(int)
        fr = (x - j)[..., None]
        lr = log_fine[j] * (1 - fr) + log_fine[j + 1] * fr  # (nbin, ndt, nalt)
        out[i] = np.log(np.einsum("b,bda->da", wbin, np.exp(lr)))
    return tc_grid, dt_grid, out


def _semiannual_scale(alt_km):
    """Factor on J71's semi-annual amplitude: NRLMSISE-00's annual cycle over J71's, by altitude.

    Regression slope of NRLMSISE-00's global-mean log-density cycle (F10.7 150 sfu, Ap 10) on the
    J71 term, from ``tools/make_msis_reference.py`` (:data:`_SEMIANNUAL_SCALE_KM`,
    :data:`_SEMIANNUAL_SCALE`); constant outside 300-900 km, 1 at and below 200 km.
    """
    return np.interp(np.asarray(alt_km, dtype=np.float64), _SEMIANNUAL_SCALE_KM, _SEMIANNUAL_SCALE)


def _j71_semiannual_log10(alt_km, jd):
    """Semi-annual density variation, log10 factor k(z) f(z) g(t).

    f(z), g(t): Jacchia 1971, eqs. 22-24, phase in tropical years from 1958 January 1; k(z):
    :func:`_semiannual_scale` (J71's amplitude is 10-35% larger than NRLMSISE-00's at 400-900 km).
    """
    z = np.asarray(alt_km, dtype=np.float64)
    fz = (5.876e-7 * z ** 2.331 + 0.06328) * np.exp(-0.002868 * z) * _semiannual_scale(z)
    phi = (np.asarray(jd, dtype=np.float64) - _J71_SEMIANNUAL_EPOCH_JD) / 365.2422
    tau = phi + 0.09544 * ((0.5 + 0.5 * np.sin(2 * np.pi * phi + 6.035)) ** 1.650 - 0.5)
    gt = 0.02835 + 0.3817 * (1 + 0.4671 * np.sin(2 * np.pi * tau + 4.137)) * np.sin(4 * np.pi * tau + 4.259)
    return np.multiply.outer(gt, fz) if np.ndim(gt) else gt * fz


def daily_density_kg_m3(altitude_km, jd_days, f107_prev_sfu, f107_81_sfu, ap, semiannual: bool = True):
    """Global-mean density (kg/m^3), shape (n_days, n_alt), from daily indices."""
    alt = np.asarray(altitude_km, dtype=np.float64)
    tc_grid, dt_grid, lg = _mean_density_grid(tuple(float(x) for x in alt))
    tc, dt = exospheric_temperature_k(f107_prev_sfu, f107_81_sfu, ap)
    xi = np.interp(tc, tc_grid, np.arange(len(tc_grid)))
    xj = np.interp(dt, dt_grid, np.arange(len(dt_grid)))
    i0 = np.minimum(np.floor(xi).astype(int), len(tc_grid) - 2)
    j0 = np.minimum(np.floor(xj).astype(int), len(dt_grid) - 2)
    fi = (xi - i0)[:, None]
    fj = (xj - j0)[:, None]
    lr = ((1 - fi) * (1 - fj) * lg[i0, j0] + fi * (1 - fj) * lg[i0 + 1, j0]
          + (1 - fi) * fj * lg[i0, j0 + 1] + fi * fj * lg[i0 + 1, j0 + 1])
    rho = np.exp(lr)
    if semiannual:
        rho = rho * 10.0 ** _j71_semiannual_log10(alt, np.asarray(jd_days) + 0.5)
    return rho


@dataclass
class DensityTable:
    """What the decay kernel reads: cumulative daily density on an altitude grid.

    Attributes
    ----------
    jd0 : float
        Julian date of the first day's 00:00 UTC; kernel time is days since ``jd0``.
    alt0_km, dalt_km : float
        Altitude grid ``alt0_km + j dalt_km``.
    cum_rho_day : ndarray, shape (n_days + 1, n_alt)
        ``sum_{d < k} rho_d(h_j) * 1 day``, kg/m^3 day.
    f107_sfu, ap : ndarray
        The daily indices used (F10.7 of the previous day, Ap).
    """

    jd0: float
    alt0_km: float
    dalt_km: float
    cum_rho_day: np.ndarray
    f107_sfu: np.ndarray
    ap: np.ndarray
    parameters: dict = field(default_factory=dict)

    @property
    def altitude_km(self) -> np.ndarray:
        return self.alt0_km + self.dalt_km * np.arange(self.cum_rho_day.shape[1])

    @property
    def n_days(self) -> int:
        return self.cum_rho_day.shape[0] - 1

    def mean_density_kg_m3(self, altitude_km, jd_from, jd_to) -> np.ndarray:
        """Time-averaged density between two dates at given altitudes (log-linear in altitude)."""
        t0 = np.clip(jd_from - self.jd0, 0, self.n_days)
        t1 = np.clip(jd_to - self.jd0, 0, self.n_days)
        c0 = self._cum(t0)
        c1 = self._cum(t1)
        avg = (c1 - c0) / max(t1 - t0, 1e-12)
        return np.exp(np.interp(altitude_km, self.altitude_km, np.log(avg)))

    def _cum(self, t):
        k = int(min(np.floor(t), self.n_days - 1))
        f = t - k
        return self.cum_rho_day[k] * (1 - f) + self.cum_rho_day[k + 1] * f


def density_table(jd_start: float, jd_end: float, *, f107_scale: float = 1.0, f107_sfu: float | None = None,
                  ap: float | None = None, alt_min_km: float = 100.0, alt_max_km: float = 2500.0,
                  dalt_km: float = 10.0, semiannual: bool = True, sw: SpaceWeather | None = None,
                  warn: bool = True) -> DensityTable:
    """Build the kernel's density table from ``jd_start`` to ``jd_end``.

    Parameters
    ----------
    jd_start, jd_end : float
        Julian dates (UTC) the table must cover.
    f107_scale : float
        Multiply every F10.7 (daily and 81-day) by this factor (a what-if knob).
    f107_sfu, ap : float, optional
        Constant solar activity instead of the data (both F10.7 and F81 = ``f107_sfu``).
    alt_min_km, alt_max_km, dalt_km : float
        Altitude grid. Above ``alt_max_km`` the kernel extrapolates the last log-density slope.
    semiannual : bool
        Apply the J71 semi-annual variation.
    """
    if not (np.isfinite(jd_start) and np.isfinite(jd_end)) or jd_end <= jd_start:
        raise InputError(f"density table: need jd_end > jd_start (got {jd_start}, {jd_end})")
    n_days = int(np.ceil(jd_end - (np.floor(jd_start - 0.5) + 0.5))) + 2
    n_alt = int(np.floor((alt_max_km - alt_min_km) / dalt_km + 0.5)) + 1
    if n_days * n_alt * 8 > _TABLE_BUDGET_BYTES:
        raise ResourceError(f"density table: {n_days} days x {n_alt} altitudes needs "
                            f"{n_days * n_alt * 8 / 2**30:.1f} GiB (budget {_TABLE_BUDGET_BYTES / 2**30:.1f} GiB); "
                            "shorten the span from the earliest epoch to the horizon")
    if f107_sfu is not None:
        jd0 = np.floor(jd_start - 0.5) + 0.5
        jd_days = jd0 + np.arange(n_days, dtype=np.float64)
        f = np.full(n_days, float(f107_sfu))
        f81 = f.copy()
        a = np.full(n_days, float(ap if ap is not None else 12.0))
    else:
        jd_days, f, f81, a = daily_indices(jd_start, n_days, sw=sw, warn=warn)
        if ap is not None:
            a = np.full(n_days, float(ap))
    f = f * f107_scale
    f81 = f81 * f107_scale
    alt = np.arange(alt_min_km, alt_max_km + 0.5 * dalt_km, dalt_km)
    rho = daily_density_kg_m3(alt, jd_days, f, f81, a, semiannual=semiannual)
    cum = np.zeros((n_days + 1, len(alt)))
    np.cumsum(rho, axis=0, out=cum[1:])
    return DensityTable(float(jd_days[0]), float(alt[0]), float(dalt_km), cum, f, a,
                        {"f107_scale": f107_scale, "f107_sfu": f107_sfu, "ap": ap, "semiannual": semiannual})


# ---------------------------------------------------------------------------------------------
# JB2008 cross-check
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=2)
def _load_jb2008_cached(path_str: str):
    rows = []
    alts = None
    with open(path_str, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if line.startswith("#") or not line.strip():
                continue
            parts = line.strip().split(",")
            if alts is None:
                alts = np.array([float(p[1:]) for p in parts[2:]])
                continue
            try:
                rows.append([float(p) for p in parts])
            except ValueError:
                raise ParseError("bad number in JB2008 grid", path_str, lineno) from None
    arr = np.array(rows)
    return arr[:, 0].astype(int), arr[:, 1].astype(int), alts, arr[:, 2:]


def load_jb2008(path: str | Path | None = None):
    """Read the JB2008 monthly grid: ``(year, month, altitude_km, density_kg_m3[n_month, n_alt])``."""
    p = Path(path) if path is not None else data.data_path(data.JB2008_CSV)
    return _load_jb2008_cached(str(p.resolve()))


def jb2008_ratio(first: str = "2020-03", last: str = "2026-03", sw: SpaceWeather | None = None):
    """Ratio of this model's monthly mean density to the JB2008 grid, by altitude.

    Months from ``first`` to ``last`` (the observed space-weather span by default).

    Returns
    -------
    altitude_km, median_ratio, ratio : ndarray
        Grid altitudes, median over months of (ours / JB2008), and the full (n_month, n_alt) ratios.
    """
    year, month, alt, rho_jb = load_jb2008()
    ym = np.array([np.datetime64(f"{y:04d}-{m:02d}", "M") for y, m in zip(year, month)])
    sel = (ym >= np.datetime64(first, "M")) & (ym <= np.datetime64(last, "M"))
    ym, rho_jb = ym[sel], rho_jb[sel]
    d0 = ym[0].astype("datetime64[D]")
    d1 = (ym[-1] + 1).astype("datetime64[D]")
    jd0 = float(d0.astype(np.int64)) + _JD_UNIX
    n = int((d1 - d0).astype(np.int64))
    jd_days, f, f81, a = daily_indices(jd0, n, sw=sw, warn=False)
    rho = daily_density_kg_m3(alt, jd_days, f, f81, a)
    day_month = (d0 + np.arange(n)).astype("datetime64[M]")
    ours = np.array([rho[day_month == m].mean(axis=0) for m in ym])
    ratio = ours / rho_jb
    return alt, np.median(ratio, axis=0), ratio
