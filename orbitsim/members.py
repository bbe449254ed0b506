"""Monte Carlo members: what each member of an ensemble draws, and the persistence statistics.

A member is one breakup seed *and* one draw of the scenario's uncertain inputs (the
``[uncertainty]`` table of a scenario: target mass, interceptor mass, closing speed, impact
direction, drag coefficient Cd and an atmospheric density scale), each uniform in its stated
``[low, high]`` range, and, in ``calibrated`` mode, one draw of the event-calibration family
(:mod:`orbitsim.calibration`). The draws use their own random stream mixed with the member's seed
(:data:`UNCERTAINTY_STREAM`), so the same seed gives the same member whatever the executor.

Drag: the long-term model's drag acceleration is ``rho Cd A / m`` (King-Hele 1987, "Satellite
orbits in an atmosphere"), so a density scale ``s`` and a drag coefficient ``Cd`` act only through
their product: the member runs the decay with ``cd = Cd s``.

Screening cost: screening a member against the catalog for a week costs ~30 s, against the ~1 s
of its breakup and decay (``timings.json``), so only the first ``screened_members`` (a scenario
setting, default :data:`SCREENED_MEMBERS`) are screened and get the collision risk; every member
gets the persistence metrics.
A 5-95% band is printed only over at least :data:`MIN_MEMBERS_FOR_BAND` members (the 5th
percentile of fewer members is an interpolation between the two smallest draws).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import consequences as cq

__all__ = ["MemberInputs", "nominal_inputs", "sample_inputs", "persistence_metrics",
           "SCREENED_MEMBERS", "MIN_MEMBERS_FOR_BAND", "UNCERTAINTY_STREAM", "CD_NOMINAL"]

#: Random-stream label mixed with a member's seed for its input draws.
UNCERTAINTY_STREAM = 0x0C17
#: Default members (the first ones, by index) that are screened and get the collision risk
#: (scenario ``[simulation] screened_members``).
from .scenario import DEFAULT_SCREENED_MEMBERS as SCREENED_MEMBERS  # noqa: E402
#: Members a 5-95% percentile band needs: the 5th percentile is then at least one member in.
MIN_MEMBERS_FOR_BAND = 20
#: Nominal drag coefficient (the long-term model's default, orbitsim.evolution.CD_DEFAULT).
CD_NOMINAL = 2.2
#: Fractions gone for the persistence times (years until that fraction has re-entered).
GONE_FRACTIONS = {"50pct": 0.50, "90pct": 0.90, "99pct": 0.99}


@dataclass(frozen=True)
class MemberInputs:
    """One member's inputs: masses [kg], relative velocity [km/s, target RIC], drag, breakup options."""

    target_mass_kg: float
    interceptor_mass_kg: float
    relative_velocity_ric_km_s: tuple
    cd: float
    density_scale: float
    mode: str
    momentum: object = None  # orbitsim.breakup.MomentumOptions or None (plain SBM)

    @property
    def closing_speed_km_s(self) -> float:
        return float(np.linalg.norm(self.relative_velocity_ric_km_s))

    @property
    def drag_cd(self) -> float:
        """Cd times the density scale: what the decay uses (module docstring)."""
        return float(self.cd * self.density_scale)

    def metrics(self) -> dict:
        """The member's draws as summary metrics (``input_*`` columns)."""
        out = {"input_target_mass_kg": float(self.target_mass_kg),
               "input_interceptor_mass_kg": float(self.interceptor_mass_kg),
               "input_closing_speed_km_s": self.closing_speed_km_s,
               "input_cd": float(self.cd), "input_density_scale": float(self.density_scale)}
        if self.momentum is not None:
            out["input_count_scale"] = float(self.momentum.count_scale)
            out["input_dv_scale"] = float(self.momentum.dv_scale)
            out["input_momentum_coupling"] = float(self.momentum.momentum_coupling)
        return out


def _momentum_for(scenario, mode: str, rng):
    from . import calibration
    from .breakup import MomentumOptions

    if mode == "sbm":
        return None
    if mode == "sbm-momentum":
        fb = scenario.breakup.forward_bias
        return MomentumOptions(centre_of_mass=True, forward_bias=0.0 if math.isnan(fb) else float(fb))
    return calibration.options_for(scenario, rng)


def nominal_inputs(scenario) -> MemberInputs:
    """The scenario's own values (no draw); the calibrated mode at its family's central values."""
    icp = scenario.interceptor
    return MemberInputs(target_mass_kg=scenario.target.mass_kg, interceptor_mass_kg=icp.mass_kg,
                        relative_velocity_ric_km_s=tuple(icp.relative_velocity_ric()), cd=CD_NOMINAL,
                        density_scale=1.0, mode=scenario.breakup.mode,
                        momentum=_momentum_for(scenario, scenario.breakup.mode, None))


def _within_cone(direction, half_angle_deg: float, rng) -> np.ndarray:
    """A direction uniform on the spherical cap of ``half_angle_deg`` about ``direction``."""
    d = np.asarray(direction, dtype=float)
    d = d / np.linalg.norm(d)
    cos_max = math.cos(math.radians(half_angle_deg))
    cos_t = 1.0 - rng.random() * (1.0 - cos_max)
    sin_t = math.sqrt(max(0.0, 1.0 - cos_t * cos_t))
    phi = 2.0 * math.pi * rng.random()
    helper = np.array([1.0, 0.0, 0.0]) if abs(d[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    e1 = np.cross(d, helper)
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(d, e1)
    return cos_t * d + sin_t * (math.cos(phi) * e1 + math.sin(phi) * e2)


def sample_inputs(scenario, seed: int) -> MemberInputs:
    """Draw one member's inputs from the scenario's ``[uncertainty]`` ranges (uniform).

    Inputs without a range keep their nominal value. The draws come from
    ``numpy.random.default_rng([seed, UNCERTAINTY_STREAM])``, in a fixed order.
    """
    unc = dict(scenario.uncertainty)
    if not unc and scenario.breakup.mode != "calibrated":
        return nominal_inputs(scenario)
    rng = np.random.default_rng([int(seed), UNCERTAINTY_STREAM])

    def draw(key, nominal):
        u = rng.random()  # always drawn: the stream's order does not depend on which ranges exist
        if key not in unc:
            return float(nominal)
        lo, hi = unc[key]
        return float(lo + u * (hi - lo))

    icp = scenario.interceptor
    m_t = draw("target_mass_kg", scenario.target.mass_kg)
    m_p = draw("interceptor_mass_kg", icp.mass_kg)
    rel0 = icp.relative_velocity_ric()
    speed = draw("closing_speed_km_s", float(np.linalg.norm(rel0)))
    cone = draw("direction_cone_deg", 0.0)
    direction = _within_cone(rel0, cone, rng) if cone > 0.0 else rel0 / np.linalg.norm(rel0)
    if "direction_cone_deg" not in unc:
        rng.random(), rng.random()  # keep the stream aligned
    cd = draw("cd", CD_NOMINAL)
    dens = draw("density_scale", 1.0)
    momentum = _momentum_for(scenario, scenario.breakup.mode, rng)
    return MemberInputs(target_mass_kg=m_t, interceptor_mass_kg=m_p,
                        relative_velocity_ric_km_s=tuple(float(x) for x in speed * direction),
                        cd=cd, density_scale=dens, mode=scenario.breakup.mode, momentum=momentum)


def _time_to_gone(life_years: np.ndarray, fraction: float, horizon_years: float) -> float:
    """Years until ``fraction`` of the fragments are gone; NaN if not within the horizon."""
    t = np.sort(cq.clean_lifetimes(life_years))
    if t.size == 0:
        return 0.0
    k = max(int(math.ceil(fraction * t.size - 1e-9)), 1)
    v = float(t[k - 1])
    return v if math.isfinite(v) and v <= horizon_years + 1e-9 else float("nan")


def persistence_metrics(lc_m, lifetime_years, horizon_years: float) -> dict:
    """Persistence of the fragments >= 10 cm: times to 50/90/99% gone, fractions on orbit.

    ``years_to_{50,90,99}pct_gone`` (NaN: not gone within the horizon), ``fraction_on_orbit_<T>``
    for every checkpoint of :data:`orbitsim.consequences.CHECKPOINTS_YEARS` (NaN beyond the
    horizon; of the fragments >= 10 cm on orbit after the event). See :func:`high_apogee_count`
    for the tail the 90% time is robust to.
    """
    lc = np.asarray(lc_m, dtype=float)
    life = cq.clean_lifetimes(lifetime_years)
    big = lc >= cq.SIZE_10CM_M
    lb = life[big]
    out = {f"years_to_{k}_gone": _time_to_gone(lb, f, horizon_years) for k, f in GONE_FRACTIONS.items()}
    n = max(int(big.sum()), 0)
    for label, years in cq.CHECKPOINTS_YEARS.items():
        if years > horizon_years + 1e-9 or n == 0:
            out[f"fraction_on_orbit_{label}"] = float("nan")
        else:
            out[f"fraction_on_orbit_{label}"] = float(np.count_nonzero(lb > years)) / n
    return out


def reversibility_class(t90_years: float, horizon_years: float) -> str:
    """Reversibility from the time until 90% of the trackable debris is gone (robust to the tail).

    Thresholds as :func:`orbitsim.consequences.reversibility` (<= 1 y reversible, <= 25 y
    long-lived, beyond irreversible). NaN (not 90% gone within the horizon) is never read as a
    number: it only says the time exceeds the horizon, so it is "irreversible" when the horizon
    is at least the long-lived threshold (the class is then fixed by that bound) and "not
    determined within the N-year horizon" otherwise.
    """
    if not isinstance(t90_years, (int, float)) or not math.isfinite(t90_years):
        if horizon_years >= cq.LONG_LIVED_YEARS:
            return "irreversible"
        return f"not determined within the {horizon_years:g}-year horizon"
    return cq.reversibility(float(t90_years))


#: Upper edge of LEO, km: the IADC LEO protected region (IADC-02-01 rev. 3, sec. 3.3.2).
LEO_TOP_KM = 2000.0


def high_apogee_count(lc_m, apogee_km) -> dict:
    """``n_apogee_above_2000km``: fragments >= 10 cm whose post-event apogee leaves LEO.

    Their lifetimes are the least reliable numbers of the long-term model (no luni-solar
    perturbations or radiation pressure, which govern such orbits); the time to 90% gone and the
    reversibility class do not depend on them while they are fewer than 10% of the cloud.
    """
    lc = np.asarray(lc_m, dtype=float)
    apo = np.asarray(apogee_km, dtype=float)
    return {"n_apogee_above_2000km": float(np.count_nonzero((lc >= cq.SIZE_10CM_M) & (apo > LEO_TOP_KM)))}
