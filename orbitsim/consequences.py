"""What a destructive test does to everyone else: the numbers a policy writer cites.

Every function here takes plain numpy arrays (one row per fragment or per satellite) and returns
plain dicts/arrays, so it can be checked on small inputs built by hand. The pipeline
(:mod:`orbitsim.pipeline`) feeds it the fragment cloud, the fragments' lifetimes from the long-term
evolution, the screening's conjunctions and the catalog's active payloads.

Metrics
-------
- counts of fragments >= 10 cm (trackable), >= 1 cm (lethal, not trackable), >= 1 mm;
- fragments >= 10 cm still on orbit at 1 month, 1, 5, 10, 25, 50, 100 years; fragment-years;
  maximum apogee; altitude span;
- conjunctions per day with active payloads in the screening window (first week), by owner;
- expected collisions with active payloads over 1, 10 and 25 years (cell method, below), by
  owner and for the tester's own satellites vs others', split catastrophic / non-catastrophic;
- crewed-station exposure (ISS 25544, Tiangong 48274) when they are in the catalog;
- spatial density added per altitude shell relative to the existing catalog;
- the threat-taxonomy classification of model notes section 6.

Statistical collision model
---------------------------
One model: the cell ("cube") method of :func:`orbitsim.risk.expected_collisions_per_year` (Liou
2006; sampled orbit positions, real relative velocities, catastrophic >= 40 J/g vs damaging,
1-10 cm lethal non-trackable vs >= 10 cm). :func:`collision_rates_at_epochs` evaluates it on the
cloud's *decayed* mean elements at a few epochs (:data:`RISK_EPOCHS_YEARS`) from the long-term
propagator, so the orbits' shrinkage and the fragments' re-entry move the risk as they do;
:func:`integrate_rates` turns the rates into expected numbers over 1, 10 and 25 years
(exponential interpolation between those epochs; the argument for that quadrature is at
:data:`RISK_EPOCHS_YEARS`). Fragments below the run's minimum size are not propagated and do not
contribute.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np

#: Size thresholds, m: trackable, lethal-not-trackable, smallest SBM size (model notes section 1).
SIZE_10CM_M = 0.10
SIZE_1CM_M = 0.01
SIZE_1MM_M = 0.001

#: On-orbit checkpoints: column suffix -> years (1 month = 1/12 year).
CHECKPOINTS_YEARS = {"1mo": 1.0 / 12.0, "1y": 1.0, "5y": 5.0, "10y": 10.0, "25y": 25.0,
                     "50y": 50.0, "100y": 100.0}

#: Risk horizons, years (issue 7).
RISK_YEARS = (1, 10, 25)

#: Reversibility thresholds (issue 7, model notes section 6): time by which 99% of the >= 10 cm
#: fragments are gone. <= 1 y reversible, <= 25 y long-lived, beyond: irreversible.
GONE_FRACTION = 0.99
REVERSIBLE_YEARS = 1.0
LONG_LIVED_YEARS = 25.0

#: Crewed stations: NORAD ids (ISS ZARYA 25544, Tiangong / CSS TIANHE 48274; CelesTrak SATCAT).
CREWED_STATIONS = {25544: "ISS", 48274: "Tiangong"}

#: Epochs (years after the event) at which the collision rate is evaluated on the decayed cloud.
#: Quadrature (:func:`integrate_rates`): between two nodes the rate is interpolated exponentially
#: (linearly where either end is 0), i.e. each step contributes ``h (r1 - r0) / ln(r1 / r0)``. A
#: cloud's collision rate falls roughly exponentially while its fragments re-enter (the drag
#: lifetime spectrum of an SBM cloud), and fastest early: the lowest, most eccentric fragments go
#: within months, the rest ever more slowly. So the rule is exact for an exponential decay, and
#: the nodes are dense early (0, 0.5, 1, 2, 3 y) and 5 years apart beyond 5 y; each 1/10/25-year
#: horizon is a node (no extrapolation). Checked on a Cosmos 1408 cloud (one seed) against 33
#: nodes (quarter-yearly to 2 y, then yearly): these 10 nodes give the 10- and 25-year totals ~2%
#: high; the plain trapezoid through the same nodes without 3 y was 13% high (a convex rate).
#: Cost: one cell-method evaluation per node while fragments are up.
RISK_EPOCHS_YEARS = (0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 15.0, 20.0, 25.0)

#: Columns of the split of expected collisions (risk.CollisionRisk fields).
RISK_PARTS = ("catastrophic", "noncatastrophic")

EARTH_RADIUS_KM = 6378.135  # WGS72 (docs/interfaces.md)
SECONDS_PER_YEAR = 365.25 * 86400.0


# -- counts and lifetimes ----------------------------------------------------------------------

def size_counts(lc_m) -> dict:
    """Counts of fragments with characteristic length >= 10 cm, >= 1 cm and >= 1 mm."""
    lc = np.asarray(lc_m, dtype=float)
    return {"n_ge_10cm": int(np.count_nonzero(lc >= SIZE_10CM_M)),
            "n_ge_1cm": int(np.count_nonzero(lc >= SIZE_1CM_M)),
            "n_ge_1mm": int(np.count_nonzero(lc >= SIZE_1MM_M))}


def size_law_counts(lc_m, min_size_m: float, coefficient: float, exponent: float, lc_max_m: float,
                    rng: np.random.Generator | None = None) -> dict:
    """Counts >= 10 cm, 1 cm, 1 mm where sizes below the run's ``min_size_m`` come from the size law.

    Fragments at or above ``min_size_m`` are counted as simulated. Below it the breakup stage
    draws nothing (those fragments are not propagated); the count between a threshold ``L`` and
    ``min_size_m`` is the SBM power law ``N(>= L) = k (L^-b - Lc_max^-b)`` (NASA standard breakup
    model, Johnson et al. 2001; ``k``, ``b``, ``Lc_max`` as the breakup stage used them), either its
    expectation (``rng`` None) or a Poisson draw with that mean (the number of fragments an SBM
    event yields is Poisson in the model's sampling; draw with the member's seed).

    Returns
    -------
    dict
        ``n_ge_10cm``, ``n_ge_1cm``, ``n_ge_1mm`` (float) and ``n_by_size_law`` flags per threshold
        under the key ``size_law_thresholds`` (list of labels counted by the law).
    """
    lc = np.asarray(lc_m, dtype=float)
    law = lambda x: coefficient * max(0.0, x ** -exponent - lc_max_m ** -exponent)  # noqa: E731
    out, by_law = {}, []
    prev_t, prev_n = None, 0.0
    for key, t in (("n_ge_10cm", SIZE_10CM_M), ("n_ge_1cm", SIZE_1CM_M), ("n_ge_1mm", SIZE_1MM_M)):
        if t >= min_size_m * (1.0 - 1e-9):
            out[key] = float(np.count_nonzero(lc >= t))
            continue
        if prev_t is None:  # first threshold below the cut: the simulated ones plus the law's
            prev_t, prev_n = min_size_m, float(np.count_nonzero(lc >= min_size_m * (1.0 - 1e-9)))
        mean = max(0.0, law(t) - law(prev_t))  # nested increments keep the counts ordered
        prev_n += float(rng.poisson(mean)) if rng is not None else mean
        prev_t = t
        out[key] = prev_n
        by_law.append(key)
    out["size_law_thresholds"] = by_law
    return out


def clean_lifetimes(lifetime_years) -> np.ndarray:
    """Lifetimes in years with NaN (still up at the horizon) turned into ``inf``; negatives -> 0."""
    t = np.asarray(lifetime_years, dtype=float).copy()
    t[np.isnan(t)] = np.inf
    return np.maximum(t, 0.0)


def on_orbit_counts(lifetime_years, horizon_years: float, checkpoints=CHECKPOINTS_YEARS) -> dict:
    """Number of fragments still on orbit at each checkpoint (NaN beyond the horizon).

    A fragment with lifetime ``L`` is on orbit at ``t`` when ``L > t``.
    """
    t = clean_lifetimes(lifetime_years)
    out = {}
    for label, years in checkpoints.items():
        out[f"on_orbit_{label}"] = (float(np.count_nonzero(t > years)) if years <= horizon_years + 1e-9
                                    else float("nan"))
    return out


def on_orbit_curve(lifetime_years, times_years) -> np.ndarray:
    """Fragments on orbit at each of ``times_years`` (for the 'fragments over time' plot)."""
    t = np.sort(clean_lifetimes(lifetime_years))
    times = np.asarray(times_years, dtype=float)
    return (t.size - np.searchsorted(t, times, side="right")).astype(float)


def fragment_years(lifetime_years, horizon_years: float) -> float:
    """Sum over fragments of the years spent on orbit within the horizon (fragment-years)."""
    t = clean_lifetimes(lifetime_years)
    return float(np.minimum(t, horizon_years).sum())


def time_to_gone(lifetime_years, fraction: float = GONE_FRACTION) -> float:
    """Years until ``fraction`` of the fragments have re-entered (``inf`` if not within the data).

    With ``n`` fragments, the ``ceil(fraction * n)``-th shortest lifetime; 0 for no fragments.
    """
    t = np.sort(clean_lifetimes(lifetime_years))
    if t.size == 0:
        return 0.0
    k = int(math.ceil(fraction * t.size - 1e-9))
    return float(t[max(k, 1) - 1])


def reversibility(t_gone_years: float, horizon_years: float = math.inf) -> str | None:
    """Classify a material impact by how long 99% of the trackable debris stays up.

    ``reversible`` (<= 1 year), ``long-lived`` (<= 25 years) or ``irreversible`` (beyond). A time
    that is not finite means "not gone within the horizon" (lifetimes beyond it are unknown): that
    is ``irreversible`` only when the horizon reaches 25 years; with a shorter horizon the class is
    not determined and the result is ``None`` (see :func:`reversibility_text`).
    """
    t = float(t_gone_years) if t_gone_years is not None else math.nan
    if not math.isfinite(t):
        return "irreversible" if horizon_years >= LONG_LIVED_YEARS - 1e-9 else None
    if t <= REVERSIBLE_YEARS:
        return "reversible"
    if t <= LONG_LIVED_YEARS:
        return "long-lived"
    return "irreversible"


def horizon_text(horizon_years: float) -> str:
    """``"not determined within the N-year horizon"``: how text output shows a value beyond it."""
    return f"not determined within the {horizon_years:g}-year horizon"


def reversibility_text(value, horizon_years: float) -> str:
    """The reversibility class as text: the class, or :func:`horizon_text` when not determined."""
    if isinstance(value, str) and value:
        return value
    return horizon_text(horizon_years)


def lifetime_metrics(lc_m, lifetime_years, horizon_years: float) -> dict:
    """Counts, on-orbit checkpoints, fragment-years and reversibility, for fragments >= 10 cm.

    Parameters
    ----------
    lc_m : array (n,)
        Characteristic lengths of the fragments on orbit after the event, m.
    lifetime_years : array (n,)
        Years from the event to re-entry; NaN or inf when still up at the horizon.
    horizon_years : float
        Length of the evolution, years.
    """
    lc = np.asarray(lc_m, dtype=float)
    life = clean_lifetimes(lifetime_years)
    big = lc >= SIZE_10CM_M
    out = size_counts(lc)
    out.update(on_orbit_counts(life[big], horizon_years))
    out["fragment_years"] = fragment_years(life[big], horizon_years)
    out["fragment_years_ge_1cm"] = fragment_years(life[lc >= SIZE_1CM_M], horizon_years)
    t99 = time_to_gone(life[big])
    out["years_to_99pct_gone"] = t99
    out["reversibility"] = reversibility(t99, horizon_years)
    return out


def orbit_metrics(perigee_km, apogee_km) -> dict:
    """Maximum and 99th-percentile apogee, minimum perigee and altitude span of the orbits, km."""
    per = np.asarray(perigee_km, dtype=float)
    apo = np.asarray(apogee_km, dtype=float)
    ok = np.isfinite(per) & np.isfinite(apo)
    if not ok.any():
        return {"max_apogee_km": float("nan"), "apogee_p99_km": float("nan"), "min_perigee_km": float("nan"),
                "altitude_span_km": float("nan")}
    hi, lo = float(apo[ok].max()), float(per[ok].min())
    return {"max_apogee_km": hi, "apogee_p99_km": float(np.percentile(apo[ok], 99.0)),
            "min_perigee_km": lo, "altitude_span_km": hi - lo}


# -- time in altitude shells -------------------------------------------------------------------

def shell_edges_km(low_km: float = 200.0, high_km: float = 2000.0, width_km: float = 25.0) -> np.ndarray:
    """Edges of spherical altitude shells, km."""
    n = int(round((high_km - low_km) / width_km))
    return low_km + width_km * np.arange(n + 1, dtype=float)


def time_fraction_below(perigee_km, apogee_km, altitude_km) -> np.ndarray:
    """Fraction of an orbit's period spent below ``altitude_km`` (Keplerian ellipse).

    With ``r = a (1 - e cos E)`` and mean anomaly ``M = E - e sin E``, the time below radius ``R``
    is ``M(E_R) / pi`` with ``cos E_R = (1 - R / a) / e``. Circular orbits are a step.
    Shapes broadcast: ``(n, 1)`` orbits against ``(m,)`` altitudes give ``(n, m)``.
    """
    rp = np.asarray(perigee_km, dtype=float) + EARTH_RADIUS_KM
    ra = np.asarray(apogee_km, dtype=float) + EARTH_RADIUS_KM
    R = np.asarray(altitude_km, dtype=float) + EARTH_RADIUS_KM
    a = 0.5 * (rp + ra)
    e = (ra - rp) / (ra + rp)
    with np.errstate(divide="ignore", invalid="ignore"):
        cosE = np.clip((1.0 - R / a) / e, -1.0, 1.0)
        E = np.arccos(cosE)
        frac = (E - e * np.sin(E)) / np.pi
    circular = e < 1e-9
    step = (R >= a).astype(float)
    frac = np.where(circular, step, frac)
    frac = np.where(R <= rp, 0.0, np.where(R >= ra, 1.0, frac))
    return frac


def shell_fractions(perigee_km, apogee_km, edges_km) -> np.ndarray:
    """Fraction of time each orbit spends in each shell, shape ``(n, len(edges) - 1)``."""
    per = np.asarray(perigee_km, dtype=float)[:, None]
    apo = np.asarray(apogee_km, dtype=float)[:, None]
    cdf = time_fraction_below(per, apo, np.asarray(edges_km, dtype=float)[None, :])
    return np.diff(cdf, axis=1)


def shell_volumes_km3(edges_km) -> np.ndarray:
    """Volumes of the spherical shells between consecutive altitude edges, km^3."""
    r = np.asarray(edges_km, dtype=float) + EARTH_RADIUS_KM
    return 4.0 / 3.0 * np.pi * np.diff(r**3)


def spatial_density(perigee_km, apogee_km, edges_km, weights=None) -> np.ndarray:
    """Time-averaged number of objects per km^3 in each shell (weights: per-object factors)."""
    f = shell_fractions(perigee_km, apogee_km, edges_km)
    w = np.ones(f.shape[0]) if weights is None else np.asarray(weights, dtype=float)
    return (w[:, None] * f).sum(axis=0) / shell_volumes_km3(edges_km)


def density_table(frag_perigee_km, frag_apogee_km, frag_lifetime_years, cat_perigee_km, cat_apogee_km,
                  edges_km=None, at_years: Sequence[float] = (0.0, 1.0)) -> dict:
    """Spatial density added per shell by the fragments vs the existing catalog.

    Returns columns ``shell_low_km``, ``shell_high_km``, ``catalog_density_per_km3``, and for each
    time ``t`` in ``at_years`` ``added_density_<t>y_per_km3`` (fragments still up at ``t``, at their
    initial orbits) and ``added_over_catalog_<t>y`` (ratio).
    """
    edges = shell_edges_km() if edges_km is None else np.asarray(edges_km, dtype=float)
    cat = spatial_density(cat_perigee_km, cat_apogee_km, edges)
    life = clean_lifetimes(frag_lifetime_years)
    out = {"shell_low_km": edges[:-1], "shell_high_km": edges[1:], "catalog_density_per_km3": cat}
    for t in at_years:
        alive = (life > t).astype(float)
        add = spatial_density(frag_perigee_km, frag_apogee_km, edges, weights=alive)
        label = f"{t:g}y"
        out[f"added_density_{label}_per_km3"] = add
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"added_over_catalog_{label}"] = np.where(cat > 0, add / np.where(cat > 0, cat, 1.0), np.nan)
    return out


# -- collision risk to active payloads -----------------------------------------------------------

def risk_epochs_years(horizon_years: float, risk_years=RISK_YEARS, epochs=RISK_EPOCHS_YEARS) -> np.ndarray:
    """Evaluation epochs needed for the risk horizons covered by ``horizon_years`` (years)."""
    cover = [y for y in risk_years if y <= horizon_years + 1e-9]
    if not cover:
        return np.zeros(0)
    last = max(cover)
    return np.array(sorted({float(t) for t in epochs if t <= last + 1e-9} | {float(y) for y in cover}))


def integrate_rates(times_years, rates_per_year, upto_years: float):
    """Integral over ``[0, upto_years]`` of a rate known at nodes (exponential interpolation).

    Between nodes ``t0 < t1`` with rates ``r0, r1 > 0`` the rate is taken as ``r0 (r1/r0)^((t -
    t0)/h)``, whose integral is ``h (r1 - r0) / ln(r1 / r0)`` (exact for an exponential decay; the
    logarithmic mean is never above the trapezoid's arithmetic mean); where either is 0 the rate is
    linear (trapezoid).

    Parameters
    ----------
    times_years : array (n_t,)
        Increasing nodes, years; the first must be 0.
    rates_per_year : array (n_t, ...)
        Rate at each node (events per year); trailing axes are independent series.
    upto_years : float
        Upper limit, years; must lie within the nodes (no extrapolation), else the result is NaN.

    Returns
    -------
    numpy.ndarray (...)
        Expected number of events over ``[0, upto_years]``.
    """
    t = np.asarray(times_years, dtype=float)
    r = np.asarray(rates_per_year, dtype=float)
    if t.size == 0 or t[0] != 0.0 or upto_years > t[-1] + 1e-9 or upto_years < 0:
        return np.full(r.shape[1:], np.nan)
    k = int(np.searchsorted(t, upto_years + 1e-12, side="right"))  # nodes t[:k] <= upto
    total = np.zeros(r.shape[1:])
    for j in range(k - 1):
        total = total + _step_integral(t[j + 1] - t[j], r[j], r[j + 1], 1.0)
    if k < t.size and t[k - 1] < upto_years - 1e-12:  # part of the next step, on its interpolant
        h = t[k] - t[k - 1]
        total = total + _step_integral(h, r[k - 1], r[k], (upto_years - t[k - 1]) / h)
    return total


def _step_integral(h, r0, r1, w):
    """Integral over the first fraction ``w`` of a step of length ``h`` of the interpolated rate:
    ``r0 q^(s/h)`` with ``q = r1/r0`` where both are positive, else linear."""
    r0 = np.asarray(r0, dtype=float)
    r1 = np.asarray(r1, dtype=float)
    pos = (r0 > 0) & (r1 > 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lq = np.log(np.where(pos, r1, 1.0) / np.where(pos, r0, 1.0))
        small = np.abs(lq) < 1e-9
        expo = np.where(small, h * r0 * w, h * r0 * np.expm1(w * lq) / np.where(small, 1.0, lq))
    lin = h * (w * r0 + 0.5 * w * w * (r1 - r0))
    return np.where(pos, expo, lin)


def collision_rates_at_epochs(elements, size_m, mass_kg, targets, *, seed: int = 0, **risk_kw) -> dict:
    """Collision rates of a decaying cloud with each target at each stored epoch (cell method).

    Parameters
    ----------
    elements : array (n_frag, n_t, >= 3)
        Mean elements of each fragment at each epoch (``a`` km, ``e``, ``i`` deg first), NaN once
        re-entered -- ``orbitsim.evolution.DecayResult.elements``.
    size_m, mass_kg : array (n_frag,)
        Characteristic length (m) and mass (kg) of each fragment.
    targets : Catalog
        Objects at risk (active payloads), as :func:`orbitsim.risk.expected_collisions_per_year`.
    seed : int
        Seed of the orbit sampling (one generator for all epochs: same inputs, same numbers).
    **risk_kw
        Passed to :func:`orbitsim.risk.expected_collisions_per_year` (``cell_km``, samples).

    Returns
    -------
    dict of arrays (n_t, n_targets), collisions per year: ``catastrophic``, ``noncatastrophic``,
    ``lethal_non_trackable``; and ``n_fragments`` (n_t,) on orbit at each epoch.
    """
    from .risk import expected_collisions_per_year

    el = np.asarray(elements, dtype=float)
    size = np.asarray(size_m, dtype=float)
    mass = np.asarray(mass_kg, dtype=float)
    n_t = el.shape[1]
    n_sat = len(targets.norad_id)
    out = {k: np.zeros((n_t, n_sat)) for k in (*RISK_PARTS, "lethal_non_trackable")}
    out["n_fragments"] = np.zeros(n_t)
    rng = np.random.default_rng(seed)
    t_a = np.asarray(targets.semi_major_axis_km, dtype=float)
    t_e = np.asarray(targets.eccentricity, dtype=float)
    t_rp, t_ra = t_a * (1.0 - t_e), t_a * (1.0 + t_e)
    # Two samples share a cube only if their radii differ by less than its diagonal: targets whose
    # radial range misses the cloud's (widened by that much) have rate 0 and are not sampled.
    margin_km = math.sqrt(3.0) * float(risk_kw.get("cell_km", 20.0))
    for k in range(n_t):
        a, e, inc = el[:, k, 0], el[:, k, 1], el[:, k, 2]
        up = np.isfinite(a) & np.isfinite(e) & np.isfinite(inc) & (a > 0) & (e < 1)
        out["n_fragments"][k] = float(up.sum())
        if not up.any() or n_sat == 0:
            continue
        lo = float(np.min(a[up] * (1.0 - e[up]))) - margin_km
        hi = float(np.max(a[up] * (1.0 + e[up]))) + margin_km
        near = ~((t_rp > hi) | (t_ra < lo))  # NaN elements stay in (risk skips them)
        if not near.any():
            continue
        sub = targets if near.all() else targets[near]
        res = expected_collisions_per_year(a[up], e[up], inc[up], size[up], mass[up], sub, rng=rng, **risk_kw)
        out["catastrophic"][k, near] = res.catastrophic_per_year
        out["noncatastrophic"][k, near] = res.non_catastrophic_per_year
        out["lethal_non_trackable"][k, near] = res.lethal_non_trackable_per_year
    return out


def expected_by_horizon(times_years, rates: Mapping[str, np.ndarray], horizon_years: float,
                        risk_years=RISK_YEARS) -> tuple[dict, dict]:
    """Expected collisions per target over each risk horizon, total and split.

    Returns ``(total, parts)``: ``total[y]`` is an array (n_targets,) and ``parts[name][y]`` the
    same for each of :data:`RISK_PARTS`; horizons beyond ``horizon_years`` are NaN (the cloud is
    not evolved that far).
    """
    n_sat = np.asarray(rates[RISK_PARTS[0]]).shape[1]
    parts = {name: {} for name in RISK_PARTS}
    for y in risk_years:
        for name in RISK_PARTS:
            parts[name][y] = (integrate_rates(times_years, rates[name], float(y))
                              if y <= horizon_years + 1e-9 else np.full(n_sat, np.nan))
    total = {y: sum(parts[name][y] for name in RISK_PARTS) for y in risk_years}
    return total, parts


def exposure_by_owner(owner, expected_by_years: Mapping[int, np.ndarray], tester: str,
                      conj_secondary_owner=None, screening_days: float = 7.0,
                      parts: Mapping[str, Mapping[int, np.ndarray]] | None = None,
                      size_estimated=None, mass_estimated=None) -> dict:
    """Group per-satellite expected collisions (and conjunctions) by owner code.

    Parameters
    ----------
    owner : array (n_sat,) of str
        SATCAT owner code of each active payload.
    expected_by_years : mapping years -> array (n_sat,)
        Expected collisions of each satellite over each horizon (:func:`expected_by_horizon`).
    tester : str
        Owner code of the testing state.
    conj_secondary_owner : array of str, optional
        Owner of the active payload in each conjunction of the screening window.
    parts : mapping name -> (mapping years -> array (n_sat,)), optional
        A split of the expected collisions (e.g. catastrophic / noncatastrophic); adds the columns
        ``expected_collisions_<y>y_<name>``.
    size_estimated, mass_estimated : bool array (n_sat,), optional
        Whether each payload's size / mass is modelled rather than sourced
        (:mod:`orbitsim.physical`); adds ``n_active_payloads_size_estimated`` /
        ``n_active_payloads_mass_estimated``, so a reader sees how much of an owner's risk rests on
        modelled sizes.

    Returns
    -------
    dict of columns, one row per owner (sorted by the longest-horizon risk, then name):
    ``owner``, ``is_tester``, ``n_active_payloads``, ``conjunctions_per_day_week1``,
    ``expected_collisions_<y>y`` per horizon (and ``expected_collisions_<y>y_<part>``).
    """
    owner = np.asarray(owner, dtype=object).astype(str)
    owners = np.unique(owner)
    parts = parts or {}
    conj_owner = (np.asarray(conj_secondary_owner, dtype=object).astype(str)
                  if conj_secondary_owner is not None else np.array([], dtype=str))
    rows = []
    for o in owners:
        m = owner == o
        row = {"owner": o, "is_tester": bool(o == tester), "n_active_payloads": int(m.sum())}
        for name, flags in (("size", size_estimated), ("mass", mass_estimated)):
            if flags is not None:
                row[f"n_active_payloads_{name}_estimated"] = int(np.count_nonzero(np.asarray(flags, bool)[m]))
        row["conjunctions_per_day_week1"] = float(np.count_nonzero(conj_owner == o)) / screening_days
        for y, e in expected_by_years.items():
            row[f"expected_collisions_{y}y"] = float(np.asarray(e)[m].sum())
            for name, by_y in parts.items():
                row[f"expected_collisions_{y}y_{name}"] = float(np.asarray(by_y[y])[m].sum())
        rows.append(row)
    last = f"expected_collisions_{max(expected_by_years)}y" if expected_by_years else None
    rows.sort(key=lambda r: (-(r[last] if last else 0.0), r["owner"]))
    cols = {k: [r[k] for r in rows] for k in (rows[0] if rows else
            {"owner": 0, "is_tester": 0, "n_active_payloads": 0, "conjunctions_per_day_week1": 0})}
    return cols


def tester_split(owner, expected_by_years: Mapping[int, np.ndarray], tester: str,
                 parts: Mapping[str, Mapping[int, np.ndarray]] | None = None) -> dict:
    """Expected collisions with the tester's own active payloads vs everyone else's.

    With ``parts`` (name -> years -> array), also the totals ``expected_collisions_<y>y_<name>``.
    """
    owner = np.asarray(owner, dtype=object).astype(str)
    own = owner == tester
    out = {}
    for y, e in expected_by_years.items():
        e = np.asarray(e, dtype=float)
        if e.size and np.isnan(e).all():  # beyond the horizon: unknown for everyone, never 0
            for suffix in ("", "_tester", "_others"):
                out[f"expected_collisions_{y}y{suffix}"] = float("nan")
        else:
            out[f"expected_collisions_{y}y"] = float(e.sum())
            out[f"expected_collisions_{y}y_tester"] = float(e[own].sum())
            out[f"expected_collisions_{y}y_others"] = float(e[~own].sum())
        for name, by_y in (parts or {}).items():
            out[f"expected_collisions_{y}y_{name}"] = float(np.asarray(by_y[y], dtype=float).sum())
    return out


# -- conjunctions (first week) ---------------------------------------------------------------------

#: Collision probability above which an operator is warned / plans a manoeuvre (NASA CARA's
#: red threshold, 1e-4; NASA Conjunction Assessment Risk Analysis best-practices handbook, 2020).
WARNING_PC = 1e-4


def conjunction_metrics(secondary_id, secondary_owner, secondary_is_active, miss_km, tester: str,
                        screening_days: float, catalog_ids=(), pc=None) -> dict:
    """Conjunction counts in the screening window, the omission side, crewed-station exposure.

    Parameters
    ----------
    secondary_id, secondary_owner, secondary_is_active, miss_km : arrays (n_conj,)
        One row per fragment-satellite conjunction found by the screening.
    tester : str
        Owner code of the testing state.
    screening_days : float
        Length of the screening window, days.
    catalog_ids : array of int
        NORAD ids present in the catalog screened against (to tell "station not in the catalog"
        from "no conjunction").
    pc : array (n_conj,), optional
        Collision probability of each conjunction; conjunctions with ``pc >= WARNING_PC`` with
        other states' payloads are counted as the warnings an operator would act on.
    """
    sid = np.asarray(secondary_id, dtype=np.int64)
    own = np.asarray(secondary_owner, dtype=object).astype(str)
    act = np.asarray(secondary_is_active, dtype=bool)
    miss = np.asarray(miss_km, dtype=float)
    others = act & (own != tester)
    out = {
        "conjunctions_week1": float(np.count_nonzero(act)),
        "conjunctions_per_day_week1": float(np.count_nonzero(act)) / screening_days,
        "satellites_in_conjunction_week1": float(np.unique(sid[act]).size),
        # Omission side (model notes section 6): warnings the tester would have to pass to other
        # states' operators -- one per conjunction with another state's active payload.
        "warnings_to_other_states_week1": float(np.count_nonzero(others)),
        "other_state_operators_to_warn": float(np.unique(own[others]).size),
    }
    if pc is not None:
        p = np.asarray(pc, dtype=float)
        out["warnings_pc_ge_1e-4_to_other_states_week1"] = float(np.count_nonzero(others & (p >= WARNING_PC)))
    ids = set(int(i) for i in np.asarray(catalog_ids).ravel())
    for norad, label in CREWED_STATIONS.items():
        key = label.lower()
        m = sid == norad
        if norad in ids:
            out[f"{key}_conjunctions_week1"] = float(np.count_nonzero(m))
            out[f"{key}_min_miss_km"] = float(miss[m].min()) if m.any() else float("nan")
        else:
            out[f"{key}_conjunctions_week1"] = float("nan")
            out[f"{key}_min_miss_km"] = float("nan")
    return out


def crewed_station_risk(sat_ids, expected_by_years: Mapping[int, np.ndarray]) -> dict:
    """Expected collisions for the crewed stations present among the satellites (NaN if absent)."""
    ids = np.asarray(sat_ids, dtype=np.int64)
    out = {}
    for norad, label in CREWED_STATIONS.items():
        m = ids == norad
        for y, e in expected_by_years.items():
            out[f"{label.lower()}_expected_collisions_{y}y"] = (float(np.asarray(e)[m].sum()) if m.any()
                                                                 else float("nan"))
    return out


#: Windows of the risk ratios [days]: 10 days (NASA's figure for Microsat-R), 1 year, 10 years.
RISK_RATIO_WINDOWS = {"10d": 10.0, "1y": 365.25, "10y": 3652.5}


def risk_ratios(sat_ids, background_per_year, rates: Mapping[str, np.ndarray], expected_by_years: Mapping[int, np.ndarray]) -> dict:
    """``(background + test) / background`` for each crewed station and for all exposed assets.

    Parameters
    ----------
    sat_ids : array (n_sat,)
        NORAD ids of the exposed assets.
    background_per_year : array (n_sat,)
        Each asset's collision rate with the catalogued background [1/yr] (:mod:`orbitsim.background`).
    rates : mapping
        The test's rates at the risk epochs (:func:`collision_rates_at_epochs`); the first epoch's
        rate, just after the event, gives the 10-day window.
    expected_by_years : mapping years -> array (n_sat,)
        The test's expected collisions over 1 and 10 years (:func:`expected_by_horizon`).

    Returns
    -------
    dict
        ``<station>_risk_ratio_{10d,1y,10y}``, ``active_risk_ratio_{10d,1y,10y}`` (sums over all
        assets) and ``<station>_background_collisions_per_year`` /
        ``active_background_collisions_per_year``; NaN where the station is absent or a window is
        beyond the horizon.
    """
    from .background import risk_ratio

    ids = np.asarray(sat_ids, dtype=np.int64)
    bg = np.asarray(background_per_year, dtype=float)
    rate0 = sum(np.asarray(rates[p], dtype=float)[0] for p in RISK_PARTS) if len(ids) else np.zeros(0)
    added = {"10d": rate0 * RISK_RATIO_WINDOWS["10d"] / 365.25,
             "1y": np.asarray(expected_by_years.get(1, np.full(len(ids), np.nan)), dtype=float),
             "10y": np.asarray(expected_by_years.get(10, np.full(len(ids), np.nan)), dtype=float)}
    groups = {label.lower(): ids == norad for norad, label in CREWED_STATIONS.items()}
    groups["active"] = np.ones(len(ids), dtype=bool)
    out = {}
    for name, m in groups.items():
        b = float(bg[m].sum()) if m.any() else float("nan")
        out[f"{name}_background_collisions_per_year"] = b
        for w, days in RISK_RATIO_WINDOWS.items():
            out[f"{name}_risk_ratio_{w}"] = (float(risk_ratio(b, float(added[w][m].sum()), days))
                                             if m.any() else float("nan"))
    return out


# -- threat taxonomy ---------------------------------------------------------------------------------

def taxonomy(metrics: Mapping, behaviour: str, stated_intention: str, tester: str, **context) -> dict:
    """The threat-taxonomy record of a test (model notes section 6); see :mod:`orbitsim.taxonomy`.

    Persistence from the fraction of fragments >= 10 cm still up at the FCC (5 y) and IADC (25 y)
    horizons, damage while up (irreversible), non-material burden and the omission side;
    ``context``: ``horizon_years``, ``conjunctions``, ``n_members``, ``todays_fleet``,
    ``screening_days`` (:func:`orbitsim.taxonomy.taxonomy`).
    """
    from .taxonomy import taxonomy as _taxonomy

    return _taxonomy(metrics, behaviour, stated_intention, tester, **context)
