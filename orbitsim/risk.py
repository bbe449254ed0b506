"""Collision risk: the probability of one encounter, and expected collisions per year from flux.

Short term (days): :func:`pc_foster` is the Foster 2-D probability of one encounter (NASA CARA
convention, see :mod:`orbitsim.pc`); :func:`pc_max` the maximum over covariance scale that
SOCRATES reports. Element sets (TLE/OMM) carry no covariance, so :func:`default_covariance_km2`
supplies a stated one.

Long term (years): :func:`flux_collision_rate` is the cell ("cube") method of Liou (2006),
"Collision activities in the future orbital debris environment", Adv. Space Res. 38(9):
``P = 1 - exp(-sum s_i s_j v_rel sigma dV dt)`` per cell, ``sigma = pi (r_i + r_j)^2``, here fed
with time-averaged densities obtained by sampling each orbit uniformly in mean anomaly (and, over
years, in RAAN and argument of perigee, which precess); :func:`expected_collisions_per_year` is what
the scenario pipeline calls each simulated year.

Stated assumptions
------------------
* Default covariance of an element-set object: radial / in-track / cross-track 1-sigma of
  0.1 / 0.3 / 0.1 km (``DEFAULT_SIGMA_RIC_KM``), the shape SOCRATES (CelesTrak) assumes for its
  maximum probability; both objects get it and the combined covariance is their sum.
* Hard-body radius: half the sum of the two characteristic lengths (``size_m`` is a hard-body
  diameter); an unknown size is taken as ``DEFAULT_SIZE_M`` (1 m).
* Catastrophic collision: energy-to-mass ratio ``0.5 m_small v^2 / M_large >= 40 J/g`` (NASA
  standard breakup model, Johnson et al. 2001); below that the collision damages (non-catastrophic).
  Fragments of 1 cm and above are lethal; those under 10 cm are not tracked ("lethal
  non-trackable").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from . import pc as _pc
from .errors import InputError

#: SOCRATES' assumed position-uncertainty shape, radial / in-track / cross-track 1-sigma, km
#: (CelesTrak SOCRATES documentation: "100 m / 300 m / 100 m" for the maximum probability).
DEFAULT_SIGMA_RIC_KM = (0.1, 0.3, 0.1)
#: Size used when an object's characteristic length is unknown, m (stated assumption).
DEFAULT_SIZE_M = 1.0
#: Catastrophic threshold of the energy-to-mass ratio, J/g (Johnson et al. 2001, NASA SBM).
CATASTROPHIC_EMR_J_PER_G = 40.0
#: Lethal size limit and tracking limit, m (model-notes section 6; the 10 cm SSN tracking limit).
LETHAL_SIZE_M = 0.01
TRACKABLE_SIZE_M = 0.10


def _vec3(name, value):
    a = np.asarray(value, dtype=float)
    if a.shape != (3,):
        raise InputError(f"{name}: expected 3 components, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise InputError(f"{name}: contains NaN or infinite values")
    return a


def _cov3(name, value):
    a = np.asarray(value, dtype=float)
    if a.shape != (3, 3):
        raise InputError(f"{name}: expected a 3x3 covariance in km^2, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise InputError(f"{name}: contains NaN or infinite values")
    if np.max(np.abs(a - a.T)) > 1e-6 * max(np.max(np.abs(a)), 1e-30):
        raise InputError(f"{name}: not symmetric")
    if np.min(np.linalg.eigvalsh(0.5 * (a + a.T))) < -1e-9 * max(np.max(np.abs(a)), 1e-30):
        raise InputError(f"{name}: not positive semi-definite")
    return 0.5 * (a + a.T)


def _encounter(r1_km, v1_km_s, cov1_km2, r2_km, v2_km_s, cov2_km2, hbr_km):
    r1, v1, r2, v2 = (_vec3(n, x) for n, x in (("r1_km", r1_km), ("v1_km_s", v1_km_s),
                                                 ("r2_km", r2_km), ("v2_km_s", v2_km_s)))
    c = _cov3("cov1_km2", cov1_km2) + _cov3("cov2_km2", cov2_km2)
    hbr = float(hbr_km)
    if not np.isfinite(hbr) or hbr < 0:
        raise InputError(f"hbr_km: {hbr_km!r}; expected a finite radius >= 0 km")
    if np.linalg.norm(v1 - v2) == 0:
        raise InputError("v1_km_s and v2_km_s are equal: no encounter plane (relative speed 0)")
    x, z, miss = _pc.encounter_frame(r1, v1, r2, v2)
    cxx, cxz, czz = _pc.project_covariance(c, x, z)
    s1, s2, m1, m2 = _pc.principal(cxx, cxz, czz, miss)
    return float(s1), float(s2), float(m1), float(m2), hbr


def pc_foster(r1_km, v1_km_s, cov1_km2, r2_km, v2_km_s, cov2_km2, hbr_km) -> float:
    """Foster 2-D collision probability of one encounter (exact hard-body circle integral).

    Parameters
    ----------
    r1_km, v1_km_s, r2_km, v2_km_s : array-like (3,)
        Positions (km) and velocities (km/s) of the two objects at the time of closest approach,
        same inertial frame.
    cov1_km2, cov2_km2 : array-like (3, 3)
        Position covariances (km^2) in that frame; they are summed.
    hbr_km : float
        Combined hard-body radius, km.

    Returns
    -------
    float
        Probability in [0, 1]. The combined covariance is projected on the plane normal to the
        relative velocity and the full 3-D miss distance is placed on its x axis (NASA CARA
        ``Pc2D_Foster`` convention). Degenerate ("very thin") covariances use the 1-D erf form.

    Raises
    ------
    InputError
        Wrong shapes, NaN values, a non-symmetric or indefinite covariance, negative HBR, or zero
        relative velocity.
    """
    s1, s2, m1, m2, hbr = _encounter(r1_km, v1_km_s, cov1_km2, r2_km, v2_km_s, cov2_km2, hbr_km)
    if hbr == 0.0:
        return 0.0
    if s1 == 0.0:
        return 1.0 if math.hypot(m1, m2) < hbr else 0.0
    return _pc.pc_circle(s1, s2, m1, m2, hbr)


def pc_max(r1_km, v1_km_s, cov1_km2, r2_km, v2_km_s, cov2_km2, hbr_km) -> tuple[float, float]:
    """Maximum Foster probability over a scaled combined covariance ``k^2 C`` (Alfano 2005).

    The covariance gives only the shape; this is the "maximum probability" SOCRATES reports.

    Returns
    -------
    (float, float)
        The maximum probability and the scale ``k`` (of standard deviations) where it occurs.
    """
    s1, s2, m1, m2, hbr = _encounter(r1_km, v1_km_s, cov1_km2, r2_km, v2_km_s, cov2_km2, hbr_km)
    if hbr == 0.0 or s1 == 0.0:
        return (1.0 if math.hypot(m1, m2) < hbr else 0.0), 0.0
    return _pc.pc_max_one(s1, s2, m1, m2, hbr)


def ric_basis(r_km, v_km_s):
    """Unit radial, in-track, cross-track vectors (rows of the last two axes) of state(s)."""
    r = np.asarray(r_km, float)
    v = np.asarray(v_km_s, float)
    u_r = r / np.linalg.norm(r, axis=-1, keepdims=True)
    h = np.cross(r, v)
    u_c = h / np.linalg.norm(h, axis=-1, keepdims=True)
    u_i = np.cross(u_c, u_r)
    return np.stack([u_r, u_i, u_c], axis=-2)


def default_covariance_km2(r_km, v_km_s, sigma_ric_km=DEFAULT_SIGMA_RIC_KM):
    """The stated default position covariance of an element-set object, in the inertial frame.

    ``C = B^T diag(sigma^2) B`` with ``B`` the radial/in-track/cross-track basis of the state.
    Batched over leading axes of ``r_km``/``v_km_s``; returns ``(..., 3, 3)`` km^2.
    """
    b = ric_basis(r_km, v_km_s)
    s2 = np.asarray(sigma_ric_km, float) ** 2
    return np.einsum("...ki,k,...kj->...ij", b, s2, b)


def hard_body_radius_km(size1_m, size2_m, default_size_m=DEFAULT_SIZE_M):
    """Combined hard-body radius, km: half the sum of the characteristic lengths (diameters).

    Unknown (NaN) sizes count as ``default_size_m``.
    """
    a = np.where(np.isfinite(size1_m), size1_m, default_size_m)
    b = np.where(np.isfinite(size2_m), size2_m, default_size_m)
    return 0.5 * (np.asarray(a, float) + np.asarray(b, float)) / 1000.0


def pc_encounters(r1_km, v1_km_s, r2_km, v2_km_s, hbr_km, sigma_ric_km=DEFAULT_SIGMA_RIC_KM,
                  with_max=True):
    """Foster Pc (and max Pc) of many encounters under the default covariance of both objects.

    Returns ``(pc, pc_max)`` arrays; ``pc_max`` is NaN when ``with_max`` is false.
    """
    r1 = np.asarray(r1_km, float)
    n = r1.shape[0]
    if n == 0:
        return np.zeros(0), np.zeros(0)
    cov = default_covariance_km2(r1_km, v1_km_s, sigma_ric_km) + default_covariance_km2(
        r2_km, v2_km_s, sigma_ric_km)
    x, z, miss = _pc.encounter_frame(r1_km, v1_km_s, r2_km, v2_km_s)
    cxx, cxz, czz = _pc.project_covariance(cov, x, z)
    s1, s2, m1, m2 = _pc.principal(cxx, cxz, czz, miss)
    pc = _pc.pc_batch(s1, s2, m1, m2, hbr_km)
    pcm = _pc.pc_max_batch(s1, s2, m1, m2, hbr_km)[0] if with_max else np.full(n, np.nan)
    return pc, np.maximum(pcm, pc) if with_max else pcm


# ------------------------------------------------------------------------------------------------
# long term: the cell ("cube") method
# ------------------------------------------------------------------------------------------------

SECONDS_PER_YEAR = 365.25 * 86400.0


def _cell_keys(pos_km, cell_km, offset_km):
    ijk = np.floor((np.asarray(pos_km, float) + offset_km) / cell_km).astype(np.int64)
    ijk = np.clip(ijk, 0, (1 << 20) - 1)
    return (ijk[:, 0] << 40) | (ijk[:, 1] << 20) | ijk[:, 2]


def flux_collision_rate(pos_a_km, vel_a_km_s, weight_a, radius_a_m, mass_a_kg, tracked_a,
                        pos_b_km, vel_b_km_s, weight_b, radius_b_m, mass_b_kg, *,
                        cell_km: float = 20.0, offset_km=(0.0, 0.0, 0.0)):
    """Collision rates between population A and each sample of population B, by the cube method.

    ``rate = sum over cubes and same-cube sample pairs of w_a w_b |v_a - v_b| pi (r_a + r_b)^2 / U``
    (Liou 2006), ``U = cell_km^3``. Each object is given as samples (positions, velocities) whose
    weights are the fractions of time they stand for (summing to 1 per object for a time average,
    or to 1 per object present in a snapshot).

    Parameters
    ----------
    pos_a_km, vel_a_km_s : (n_a, 3)
        Samples of population A (e.g. fragments), km and km/s.
    weight_a, radius_a_m, mass_a_kg : (n_a,)
        Time fraction, hard-body radius (m), mass (kg) of the object each sample belongs to.
    tracked_a : (n_a,) bool
        Whether that object is above the tracking limit (splits the rate into tracked/untracked).
    pos_b_km, vel_b_km_s, weight_b, radius_b_m, mass_b_kg : as for A
        Samples of population B (e.g. the catalog's payloads).
    cell_km : float
        Cube edge, km (Liou: 10-50 km).
    offset_km : 3 floats
        Shift of the cube lattice (to test sensitivity to where the cube walls fall).

    Returns
    -------
    (n_b, 4) float64
        Per B sample, collisions per year: catastrophic (EMR >= 40 J/g), non-catastrophic,
        from untracked A objects, from tracked A objects (columns 0+1 = 2+3 = total).
    """
    if not (np.isfinite(cell_km) and cell_km > 0):
        raise InputError(f"cell_km: {cell_km!r}; expected a positive cube edge in km")
    from .core import flux as _fx

    pa = np.asarray(pos_a_km, float).reshape(-1, 3)
    pb = np.asarray(pos_b_km, float).reshape(-1, 3)
    off = np.asarray(offset_km, float) + 1e5
    ka = _cell_keys(pa, cell_km, off)
    kb = _cell_keys(pb, cell_km, off)
    order = np.argsort(ka, kind="stable")
    ks = ka[order]
    lo = np.searchsorted(ks, kb, "left").astype(np.int64)
    hi = np.searchsorted(ks, kb, "right").astype(np.int64)
    out = np.zeros((len(pb), 4))
    if len(pa) and len(pb):
        _fx.cube_rates_many(lo, hi, order.astype(np.int64),
                            np.ascontiguousarray(vel_a_km_s, float).reshape(-1, 3),
                            np.ascontiguousarray(weight_a, float), np.ascontiguousarray(radius_a_m, float),
                            np.ascontiguousarray(mass_a_kg, float),
                            np.ascontiguousarray(tracked_a, np.int64),
                            np.ascontiguousarray(vel_b_km_s, float).reshape(-1, 3),
                            np.ascontiguousarray(weight_b, float), np.ascontiguousarray(radius_b_m, float),
                            np.ascontiguousarray(mass_b_kg, float), float(cell_km) ** 3,
                            CATASTROPHIC_EMR_J_PER_G, out)
    return out * SECONDS_PER_YEAR


def sample_orbits(a_km, e, i_deg, n_samples: int, rng: np.random.Generator, raan_deg=None,
                  argp_deg=None):
    """Sample each orbit uniformly in time (mean anomaly); random RAAN / argument of perigee
    where not given (over years both precess through all values).

    Returns ``(pos_km, vel_km_s, owner_index)`` with ``n_samples`` rows per object (object-major).
    """
    from .core import flux as _fx

    a = np.repeat(np.asarray(a_km, float), n_samples)
    ee = np.repeat(np.asarray(e, float), n_samples)
    ii = np.repeat(np.radians(np.asarray(i_deg, float)), n_samples)
    n = a.shape[0]
    raan = rng.uniform(0, 2 * np.pi, n) if raan_deg is None else np.repeat(np.radians(raan_deg), n_samples)
    argp = rng.uniform(0, 2 * np.pi, n) if argp_deg is None else np.repeat(np.radians(argp_deg), n_samples)
    # stratified mean anomalies: one per 1/n_samples of the period, jittered
    base = (np.arange(n_samples) + rng.uniform(0, 1, (len(a_km), n_samples))) / n_samples
    ma = 2 * np.pi * base.reshape(-1) if n else np.zeros(0)
    r = np.empty((n, 3))
    v = np.empty((n, 3))
    if n:
        _fx.sample_orbits_many(a, ee, ii, raan, argp, ma, r, v)
    return r, v, np.repeat(np.arange(len(np.atleast_1d(a_km))), n_samples)


@dataclass
class CollisionRisk:
    """Expected collisions per year between a fragment population and each target (struct of arrays).

    ``expected_per_year`` = ``catastrophic_per_year + non_catastrophic_per_year`` =
    ``lethal_non_trackable_per_year + trackable_per_year``; ``probability`` = ``1 - exp(-expected
    * years)`` for the ``years`` given.
    """

    norad_id: np.ndarray
    owner: np.ndarray
    is_active: np.ndarray
    expected_per_year: np.ndarray
    catastrophic_per_year: np.ndarray
    non_catastrophic_per_year: np.ndarray
    lethal_non_trackable_per_year: np.ndarray
    trackable_per_year: np.ndarray
    years: float = 1.0
    parameters: dict = field(default_factory=dict)

    def __len__(self):
        return len(self.norad_id)

    @property
    def probability(self):
        return 1.0 - np.exp(-self.expected_per_year * self.years)

    def by_owner(self, tester: str | None = None) -> dict:
        """Sums per owner: ``{owner: {expected, catastrophic, non_catastrophic,
        lethal_non_trackable, active_expected, n_targets}}``; with ``tester``, also the keys
        ``"<tester's own>"`` and ``"<others>"``."""
        own = np.asarray(self.owner).astype(str)
        groups = {str(o): own == o for o in np.unique(own)}
        if tester is not None:
            groups["<tester's own>"] = own == tester
            groups["<others>"] = own != tester
        out = {}
        for name, m in groups.items():
            out[name] = {
                "expected": float(self.expected_per_year[m].sum()),
                "catastrophic": float(self.catastrophic_per_year[m].sum()),
                "non_catastrophic": float(self.non_catastrophic_per_year[m].sum()),
                "lethal_non_trackable": float(self.lethal_non_trackable_per_year[m].sum()),
                "active_expected": float(self.expected_per_year[m & self.is_active].sum()),
                "n_targets": int(m.sum()),
            }
        return out


def expected_collisions_per_year(frag_a_km, frag_e, frag_i_deg, frag_size_m, frag_mass_kg, targets, *,
                                 frag_raan_deg=None, frag_argp_deg=None, cell_km: float = 20.0,
                                 samples_per_orbit: int = 128, target_samples_per_orbit: int = 512,
                                 rng: np.random.Generator | None = None,
                                 seed: int | None = None, years: float = 1.0) -> CollisionRisk:
    """Expected collisions per year of a fragment population with each target, by the cube method.

    What the scenario pipeline calls for each simulated year with that year's fragment elements.

    Parameters
    ----------
    frag_a_km, frag_e, frag_i_deg : (n,)
        Fragment mean semi-major axis (km), eccentricity, inclination (deg).
    frag_size_m, frag_mass_kg : (n,)
        Characteristic length (m; hard-body diameter) and mass (kg). Fragments under 1 cm are not
        lethal and are left out; 1-10 cm are "lethal non-trackable".
    targets : Catalog
        Objects at risk (e.g. ``catalog.active_payloads()`` or the whole catalog); uses
        ``norad_id``, ``owner``, ``is_active``, ``semi_major_axis_km``, ``eccentricity``,
        ``inclination_deg``, ``size_m`` (NaN -> ``DEFAULT_SIZE_M``) and ``mass_kg`` (NaN -> 1000 kg).
    frag_raan_deg, frag_argp_deg : (n,), optional
        Fixed orientation; default random (long-term averages: nodes and perigees precess).
    cell_km : float
        Cube edge, km.
    samples_per_orbit, target_samples_per_orbit : int
        Samples per fragment and per target orbit (the estimate's noise falls as 1/sqrt of the
        number of same-cube sample pairs; targets are few, so they get many).
    rng, seed :
        Random generator (or a seed for a new one) for the orbit sampling.
    years : float
        Horizon for :attr:`CollisionRisk.probability`.

    Raises
    ------
    InputError
        Mismatched lengths, NaN elements, non-positive cell or sample count.
    """
    fa = np.atleast_1d(np.asarray(frag_a_km, float))
    arrays = [np.atleast_1d(np.asarray(x, float)) for x in (frag_e, frag_i_deg, frag_size_m, frag_mass_kg)]
    if any(len(x) != len(fa) for x in arrays):
        raise InputError("expected_collisions_per_year: fragment arrays differ in length")
    fe, fi, fsize, fmass = arrays
    if not (np.all(np.isfinite(fa)) and np.all(np.isfinite(fe)) and np.all(np.isfinite(fi))):
        raise InputError("expected_collisions_per_year: fragment elements contain NaN")
    if int(samples_per_orbit) < 1 or int(target_samples_per_orbit) < 1:
        raise InputError("samples_per_orbit: expected a positive integer")
    if rng is None:
        rng = np.random.default_rng(seed)
    lethal = np.isfinite(fsize) & (fsize >= LETHAL_SIZE_M) & (fe < 1) & (fa > 0)
    k = int(samples_per_orbit)
    raan = None if frag_raan_deg is None else np.asarray(frag_raan_deg, float)[lethal]
    argp = None if frag_argp_deg is None else np.asarray(frag_argp_deg, float)[lethal]
    pa, va, ia = sample_orbits(fa[lethal], fe[lethal], fi[lethal], k, rng, raan, argp)
    size_l = fsize[lethal]
    mass_l = np.where(np.isfinite(fmass[lethal]), fmass[lethal], 0.0)

    n_t = len(targets.norad_id)
    t_a = np.asarray(targets.semi_major_axis_km, float)
    t_e = np.asarray(targets.eccentricity, float)
    t_i = np.asarray(targets.inclination_deg, float)
    t_ok = np.isfinite(t_a) & np.isfinite(t_e) & (t_e < 1) & (t_a > 0)
    t_size = np.asarray(targets.size_m, float)
    t_size = np.where(np.isfinite(t_size), t_size, DEFAULT_SIZE_M)
    t_mass = np.asarray(targets.mass_kg, float)
    t_mass = np.where(np.isfinite(t_mass), t_mass, 1000.0)
    idx_all = np.flatnonzero(t_ok)
    kt = int(target_samples_per_orbit)
    per = np.zeros((n_t, 4))
    batch = max(1, 2_000_000 // kt)  # targets per batch: bounds memory to ~2 M target samples
    for b0 in range(0, len(idx_all), batch):
        idx_t = idx_all[b0:b0 + batch]
        pb, vb, ib_local = sample_orbits(t_a[idx_t], t_e[idx_t], t_i[idx_t], kt, rng)
        ib = idx_t[ib_local]
        rates = flux_collision_rate(pa, va, np.full(len(pa), 1.0 / k), 0.5 * size_l[ia], mass_l[ia],
                                    size_l[ia] >= TRACKABLE_SIZE_M, pb, vb, np.full(len(pb), 1.0 / kt),
                                    0.5 * t_size[ib], t_mass[ib], cell_km=cell_km)
        for c in range(4):
            per[:, c] += np.bincount(ib, weights=rates[:, c], minlength=n_t)
    return CollisionRisk(
        norad_id=np.asarray(targets.norad_id, np.int64),
        owner=np.asarray(targets.owner, object),
        is_active=np.asarray(targets.is_active, bool),
        expected_per_year=per[:, 0] + per[:, 1],
        catastrophic_per_year=per[:, 0],
        non_catastrophic_per_year=per[:, 1],
        lethal_non_trackable_per_year=per[:, 2],
        trackable_per_year=per[:, 3],
        years=float(years),
        parameters={"cell_km": float(cell_km), "samples_per_orbit": k, "target_samples_per_orbit": kt, "n_fragments_lethal": int(lethal.sum()),
                    "n_targets": int(n_t), "catastrophic_emr_j_per_g": CATASTROPHIC_EMR_J_PER_G,
                    "default_target_mass_kg": 1000.0, "default_size_m": DEFAULT_SIZE_M},
    )
