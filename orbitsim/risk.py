"""Collision risk: the probability of one encounter, and expected collisions per year from flux.

Short term (days): :func:`pc_foster` is the Foster 2-D probability of one encounter (NASA CARA
convention, see :mod:`orbitsim.core.pc`); :func:`pc_max` the maximum over covariance scale that
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

import numpy as np

from .core import pc as _pc
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
