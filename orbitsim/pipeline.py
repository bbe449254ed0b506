"""The whole job for one scenario: breakup -> element sets -> decay -> screening -> collision risk
-> consequences.

:func:`run_member` runs one breakup seed end to end and returns plain data (metrics, curves,
tables); :func:`run_scenario` runs every seed of a scenario (in parallel processes, see
:mod:`orbitsim.ensemble`) and summarizes them as median and 5-95% band; :func:`run_sweep` runs the
same target at a list of altitudes. :func:`write_run` writes a run directory (tables, plots,
provenance) atomically.

Stages come from the other modules through the contracts in ``docs/interfaces.md``:
``orbitsim.catalog.load_default``, ``orbitsim.breakup.collision``,
``orbitsim.propagation.fragments_to_catalog``, ``orbitsim.screening.screen`` and
``orbitsim.evolution.decay``, ``orbitsim.risk.expected_collisions_per_year``. Each stage is timed;
timings are printed and written to ``timings.json`` (kept out of ``provenance.json`` so that same
inputs give the same bytes).

Collision risk
--------------
Expected collisions with the active payloads over 1, 10 and 25 years come from the cell method of
:mod:`orbitsim.risk` applied to the fragments' decayed mean elements that the long-term
propagator stores at ``consequences.RISK_EPOCHS_YEARS`` (0, 0.5, 1, 2, 3, 5, ... 25 y), integrated
in time with exponential interpolation (:func:`orbitsim.consequences.integrate_rates`), split catastrophic
(>= 40 J/g) vs non-catastrophic. Only simulated fragments (>= the run's minimum size) contribute.

Screening epoch
---------------
The embedded catalog holds today's active payloads (element sets of 2026-07). A historical test
(2007, 2008, 2019, 2021) cannot be screened against satellites whose element sets are years away
from the event: SGP4 element sets are good for days. When the event and the catalog are more than
``SCREEN_MAX_GAP_DAYS`` apart, the fragments' element sets are re-dated to the catalog's reference
epoch for screening, i.e. conjunctions are those "the same cloud would meet in today's catalog".
The long-term evolution always starts at the event epoch with the solar activity of its own dates.
Provenance records ``screening_epoch_utc`` and whether it was shifted.
"""

from __future__ import annotations

import json
import math
import sys
import time
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from . import consequences as cq
from .ensemble import run_members, summarize, summarize_arrays
from .errors import InputError
from .scenario import Scenario
from .timeutil import datetime64_to_jd, iso, jd_to_datetime64

#: Largest gap (days) between event and catalog epoch for screening at the event epoch itself.
SCREEN_MAX_GAP_DAYS = 30.0

#: First NORAD id given to simulated fragments (above every catalogued object; ids are int64).
FRAGMENT_FIRST_ID = 900_000

#: Stream labels mixed with a member's breakup seed for its other random draws (independent of the
#: breakup's own stream, reproducible).
SIZE_LAW_STREAM = 0x5153
RISK_STREAM = 0x7215

#: Sampling of the cell-method risk (orbitsim.risk.expected_collisions_per_year): cube edge (km)
#: and samples per fragment / per payload orbit. Liou (2006) uses 10-50 km cubes. 128 samples per
#: payload (risk's default is 512): the ~16,000 active payloads dominate the cost (cost ~ payload
#: samples); on a Cosmos 1408 cloud the all-payload rate moved by ~1% between 512 and 128 samples
#: per payload (0.238 vs 0.241 /y, one seed), well inside the seed-to-seed band, at 1/4 the time.
RISK_SAMPLING = {"cell_km": 20.0, "samples_per_orbit": 128, "target_samples_per_orbit": 128}

#: Time grid of the "fragments on orbit over time" curve, years.
def time_grid_years(horizon_years: float) -> np.ndarray:
    """Twice a month over the first year, then 200 steps to the horizon."""
    first = np.arange(0.0, min(1.0, horizon_years), 1.0 / 24.0)
    rest = np.linspace(min(1.0, horizon_years), horizon_years, 200)
    return np.unique(np.concatenate([first, rest]))


SUMMARY_FIRST = ["scenario", "hypothetical", "altitude_km", "perigee_km", "apogee_km", "inclination_deg",
                 "target_mass_kg", "interceptor_mass_kg", "closing_speed_km_s", "n_seeds", "min_size_m"]


# -- stage adapters (contracts of docs/interfaces.md) -------------------------------------------------

@lru_cache(maxsize=4)
def _catalog(key: str = "default"):
    from . import catalog as catmod

    return catmod.load_default() if key == "default" else catmod.load(key)


def load_catalog(path: str | None = None):
    """The catalog screened against (embedded default unless ``path``), cached per process."""
    return _catalog("default" if path is None else str(path))


def catalog_files(path: str | None = None) -> list[Path]:
    from .data import default_catalog_files

    return default_catalog_files() if path is None else [Path(path)]


def active_payloads(cat, targets: str | None = None):
    """The exposed assets of a catalog: :meth:`orbitsim.catalog.Catalog.exposed_assets` (active
    payloads by default; all payloads when the catalog has no activity information)."""
    return cat.exposed_assets(targets)[0]


#: Seed stream and sampling of the background rates: many background objects, so few samples each
#: for the whole fleet (its total is an average over ~16,000 targets); the crewed stations, one
#: target each, get dense sampling (sampling scatter ~10% between seeds at these settings).
BACKGROUND_STREAM = 0xB6C4
BACKGROUND_SAMPLING = {"cell_km": 20.0, "samples_per_orbit": 32, "target_samples_per_orbit": 128}
BACKGROUND_STATION_SAMPLING = {"cell_km": 20.0, "samples_per_orbit": 512, "target_samples_per_orbit": 8192}


@lru_cache(maxsize=4)
def background_rates(catalog_path: str | None, targets: str | None) -> np.ndarray:
    """Collision rate per year of each exposed asset with the catalogued background (cached per process).

    The background is the embedded SATCAT's objects in orbit without the exposed assets
    (:func:`orbitsim.background.load`), static over the horizon; the same fixed seed every time.
    """
    from . import background as bg

    active = active_payloads(load_catalog(catalog_path), targets)
    pop = bg.load(exclude_ids=np.asarray(active.norad_id))
    rng = np.random.default_rng(BACKGROUND_STREAM)
    out = np.asarray(bg.collision_rates_per_year(pop, active, rng=rng, **BACKGROUND_SAMPLING).expected_per_year,
                     dtype=float).copy()
    ids = np.asarray(active.norad_id, dtype=np.int64)
    stations = np.flatnonzero(np.isin(ids, list(cq.CREWED_STATIONS)))
    if len(stations):
        r = bg.collision_rates_per_year(pop, active[stations], rng=rng, **BACKGROUND_STATION_SAMPLING)
        out[stations] = np.asarray(r.expected_per_year, dtype=float)
    out.setflags(write=False)
    return out


def catalog_reference_epoch(cat) -> np.datetime64:
    """Median element-set epoch of a catalog (UTC)."""
    jd = np.asarray(cat.epoch_jd, dtype=float) + np.asarray(cat.epoch_fr, dtype=float)
    med = float(np.median(jd))
    whole = math.floor(med - 0.5) + 0.5
    return jd_to_datetime64(whole, med - whole)


def breakup_cloud(scenario: Scenario, seed: int, inputs: "members.MemberInputs | None" = None):
    """Fragment cloud of the scenario's intercept with one seed (``orbitsim.breakup.collision``).

    ``inputs`` (one Monte Carlo member's draw, :func:`orbitsim.members.sample_inputs`) sets the
    masses, closing velocity and the breakup mode's options; default: the scenario's nominal values.
    Mode ``sbm`` is the SBM as published (every fragment from the target's velocity, the closing
    speed only in the catastrophic test); ``sbm-momentum`` and ``calibrated`` give the
    interceptor a state (target velocity + the geometry's relative velocity, TEME) and pass
    :class:`orbitsim.breakup.MomentumOptions`.
    """
    from . import breakup
    from . import members as mem

    if inputs is None:
        inputs = mem.nominal_inputs(scenario)
    r, v = scenario.target.orbit.state_at(scenario.epoch)
    t = scenario.target
    size = None if not math.isfinite(t.size_m) else t.size_m
    target = breakup.Parent(mass_kg=inputs.target_mass_kg, lc_m=size, object_type=t.object_type, r_km=r,
                            v_km_s=v, name=t.name, owner=t.owner)
    projectile = breakup.Parent(mass_kg=inputs.interceptor_mass_kg, object_type="PAYLOAD",
                                name="interceptor", owner=scenario.taxonomy.tester)
    jd, fr = datetime64_to_jd(scenario.epoch)
    if inputs.momentum is None:
        return _call_collision(breakup.collision, target, projectile, inputs.closing_speed_km_s,
                               scenario.min_size_m, seed, float(jd), float(fr))
    from .scenario import ric_to_teme

    rel_teme = ric_to_teme(r, v, inputs.relative_velocity_ric_km_s)
    return breakup.collision(target, projectile, rel_teme, min_size=scenario.min_size_m, seed=seed,
                             epoch=jd_to_datetime64(float(jd), float(fr)), momentum=inputs.momentum)


def _call_collision(collision, target, projectile, speed_km_s, min_size_m, seed, jd, fr):
    import inspect

    params = inspect.signature(collision).parameters
    kw = {"min_size": min_size_m, "seed": seed}
    if "min_size" not in params and "min_size_m" in params:
        kw = {"min_size_m": min_size_m, "seed": seed}
    for name in ("epoch_jd", "jd"):
        if name in params:
            kw[name] = jd
    for name in ("epoch_fr", "fr"):
        if name in params:
            kw[name] = fr
    if "epoch" in params:
        kw["epoch"] = jd_to_datetime64(jd, fr)
    cloud = collision(target, projectile, speed_km_s, **kw)
    return cloud


def _redate(cat, new_epoch: np.datetime64):
    """A copy of ``cat`` whose element-set epochs all read ``new_epoch`` (same mean elements)."""
    jd, fr = datetime64_to_jd(new_epoch)
    n = len(cat)
    from . import catalog as catmod

    fields = {}
    for name in ("norad_id", "name", "intl_designator", "mean_motion_rev_per_day", "eccentricity",
                 "inclination_deg", "raan_deg", "arg_perigee_deg", "mean_anomaly_deg",
                 "bstar_per_earth_radii", "mean_motion_dot", "mean_motion_ddot", "object_type", "owner",
                 "is_active", "mass_kg", "mass_estimated", "size_m", "size_estimated",
                 "area_to_mass_m2_per_kg", "element_format"):
        if hasattr(cat, name):
            fields[name] = getattr(cat, name)
    fields["epoch_jd"] = np.full(n, float(jd))
    fields["epoch_fr"] = np.full(n, float(fr))
    try:
        return catmod.Catalog.from_arrays(**fields)
    except TypeError:
        fields.pop("element_format", None)
        return catmod.Catalog.from_arrays(**fields)


def _flag_of(cat, field: str, norad_id) -> np.ndarray:
    """``cat.<field>`` (a bool column) of each listed object; True where the id is not in ``cat``."""
    ids = np.asarray(cat.norad_id, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    q = np.asarray(norad_id, dtype=np.int64)
    pos = np.minimum(np.searchsorted(ids[order], q), max(len(ids) - 1, 0))
    found = (len(ids) > 0) & (ids[order][pos] == q) if len(ids) else np.zeros(len(q), bool)
    vals = np.asarray(getattr(cat, field), bool)[order][pos] if len(ids) else np.ones(len(q), bool)
    return np.where(found, vals, True)


def _conj_field(conj, *names, default=None):
    if conj is None:
        return default
    for n in names:
        if hasattr(conj, n):
            return np.asarray(getattr(conj, n))
    return default


# -- one member ----------------------------------------------------------------------------------------

@dataclass
class MemberResult:
    """Everything one seed produces (plain arrays and numbers; picklable)."""

    seed: int
    metrics: dict
    curve: np.ndarray                 # fragments >= 10 cm on orbit at time_grid_years
    density: dict                     # density_table columns
    exposure: dict                    # per owner columns
    conjunctions: dict                # columns for conjunctions.csv
    gabbard: dict                     # perigee_km, apogee_km, period_min, lc_m
    timings_s: dict = field(default_factory=dict)


def run_member(args) -> MemberResult:
    """Run one member of a scenario end to end.

    ``args = (scenario, seed, catalog_path_or_None[, index])``: the member draws its uncertain
    inputs with its seed (:func:`orbitsim.members.sample_inputs`); members with ``index`` below
    the scenario's ``screened_members`` are screened and get the collision risk, the others
    only the breakup, decay and persistence (their conjunction and risk metrics are NaN).
    """
    from . import members as mem

    scenario, seed, catalog_path = args[:3]
    index = int(args[3]) if len(args) > 3 else 0
    screened = index < scenario.screened_members
    inputs = mem.sample_inputs(scenario, seed)
    timings = {}
    t0 = time.perf_counter()
    cat = load_catalog(catalog_path)
    active = active_payloads(cat, scenario.targets)
    timings["catalog_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    cloud = breakup_cloud(scenario, seed, inputs)
    timings["breakup_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    from .propagation import fragments_to_catalog

    frags = fragments_to_catalog(cloud, first_id=FRAGMENT_FIRST_ID)
    timings["element_sets_s"] = time.perf_counter() - t0
    lc = np.asarray(frags.size_m, dtype=float)  # = Lc of each fragment kept (docs/interfaces.md)
    frag_ids = np.asarray(frags.norad_id, dtype=np.int64)
    per = np.asarray(frags.perigee_km, dtype=float)
    apo = np.asarray(frags.apogee_km, dtype=float)

    # long-term evolution
    t0 = time.perf_counter()
    from .evolution import decay

    from .evolution import DEFAULT_OUTPUT_YEARS

    risk_t = cq.risk_epochs_years(scenario.horizon_years)
    out_years = sorted(set(DEFAULT_OUTPUT_YEARS) | set(risk_t.tolist()))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dres = decay(frags, start=scenario.epoch, years=scenario.horizon_years, output_years=out_years,
                     cd=inputs.drag_cd)
    notes = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    ejd, efr = datetime64_to_jd(scenario.epoch)
    djd = np.asarray(dres.decay_jd, dtype=float)
    life = (djd - (float(ejd) + float(efr))) / 365.25
    life[np.isnan(djd)] = np.inf
    dec_ids = np.asarray(getattr(dres, "norad_id", frag_ids), dtype=np.int64)
    # decayed mean elements at the risk epochs, rows in fragment order
    oy = np.asarray(dres.output_years, dtype=float)
    cols = [int(np.argmin(np.abs(oy - t))) for t in risk_t]
    risk_el = np.asarray(dres.elements, dtype=float)[:, cols, :] if len(cols) else np.zeros((len(frag_ids), 0, 6))
    if not np.array_equal(dec_ids, frag_ids):
        order = {int(k): i for i, k in enumerate(dec_ids)}
        life = np.array([life[order[int(k)]] if int(k) in order else np.inf for k in frag_ids])
        rows = [order.get(int(k), -1) for k in frag_ids]
        risk_el = np.where(np.array(rows)[:, None, None] >= 0, risk_el[np.maximum(rows, 0)], np.nan)
    timings["decay_s"] = time.perf_counter() - t0

    # screening in the first days
    t0 = time.perf_counter()
    from .screening import screen

    ref = catalog_reference_epoch(active)
    gap_days = abs((scenario.epoch - ref) / np.timedelta64(1, "D"))
    shifted = gap_days > SCREEN_MAX_GAP_DAYS
    screen_epoch = ref if shifted else scenario.epoch
    # Every simulated fragment is screened; one that re-enters within the window is screened up to
    # its last valid SGP4 state (screening treats a failed propagation as the end of that object).
    up = np.ones(len(frags), dtype=bool)
    to_screen = frags
    to_screen = _redate(to_screen, screen_epoch) if shifted else to_screen
    if len(to_screen) and screened:
        conj = screen(to_screen, active, start=screen_epoch, days=scenario.screening_days,
                      threshold_km=scenario.screening_threshold_km, progress=False)
    else:
        conj = None
    timings["screening_s"] = time.perf_counter() - t0

    # consequences
    t0 = time.perf_counter()
    tester = scenario.taxonomy.tester
    m = {}
    m.update(cq.lifetime_metrics(lc, life, scenario.horizon_years))
    m.update(mem.persistence_metrics(lc, life, scenario.horizon_years))
    m.update(inputs.metrics())
    m.update(cq.orbit_metrics(per, apo))
    m.update(mem.high_apogee_count(lc, apo))
    # Sizes below the run's minimum are not drawn nor propagated: their counts come from the SBM
    # size law of this breakup (a Poisson draw with the member's seed), not from the simulation.
    cpar = getattr(cloud, "parameters", {}) or {}
    law = ("count_coefficient", "count_exponent", "lc_max_m")
    if all(cpar.get(k) is not None for k in law):
        counts = cq.size_law_counts(lc, scenario.min_size_m, float(cpar["count_coefficient"]),
                                    float(cpar["count_exponent"]), float(cpar["lc_max_m"]),
                                    rng=np.random.default_rng([int(seed), SIZE_LAW_STREAM]))
        # n_ge_10cm stays the simulated count, like the on-orbit counts it is compared with
        m.update({k: counts[k] for k in ("n_ge_1cm", "n_ge_1mm")})
    else:  # no size law reported: counts below the simulated size are unknown, not zero
        for key, threshold_m in (("n_ge_1cm", cq.SIZE_1CM_M), ("n_ge_1mm", cq.SIZE_1MM_M)):
            if scenario.min_size_m > threshold_m * (1 + 1e-9):
                m[key] = float("nan")
    summ = cloud.summary() if hasattr(cloud, "summary") else {}
    for key in ("expected_n_ge_10cm", "expected_n_ge_1cm", "expected_n_ge_1mm"):
        v = summ.get(key)
        m["sbm_" + key] = float(v) if v is not None else float("nan")
    m["n_fragments_simulated"] = float(len(lc))
    m["n_fragments_screened"] = float(up.sum())
    m["n_reentered_at_once"] = float(getattr(cloud, "n_reentered", 0) or 0)
    m["n_hyperbolic"] = float(getattr(cloud, "n_hyperbolic", 0) or 0)
    sec_id = _conj_field(conj, "secondary_id", default=np.zeros(0, np.int64))
    sec_owner = _conj_field(conj, "secondary_owner", "owner", default=None)
    if sec_owner is None:  # look the owners up in the catalog
        own_map = dict(zip(np.asarray(active.norad_id).tolist(), np.asarray(active.owner).tolist()))
        sec_owner = np.array([own_map.get(int(i), "") for i in sec_id], dtype=object)
    sec_owner = np.array([o if o else "UNKNOWN" for o in np.asarray(sec_owner, dtype=object)], dtype=object)
    # every secondary screened is an exposed asset (``active`` above), whatever its is_active flag
    sec_active = np.ones(len(sec_id), dtype=bool)
    miss = _conj_field(conj, "miss_km", default=np.zeros(len(sec_id)))
    before_exposure = set(m)
    m.update(cq.conjunction_metrics(sec_id, sec_owner, sec_active, miss, tester, scenario.screening_days,
                                    catalog_ids=np.asarray(active.norad_id),
                                    pc=_conj_field(conj, "pc", default=np.zeros(len(sec_id)))))
    act_owner = np.array([o if o else "UNKNOWN" for o in np.asarray(active.owner, dtype=object)], dtype=object)
    timings["consequences_s"] = time.perf_counter() - t0
    # Collision risk with the active payloads: cell-method rates on the decayed cloud at the risk
    # epochs, integrated over time (consequences.RISK_EPOCHS_YEARS); beyond the horizon NaN.
    t0 = time.perf_counter()
    frag_mass = np.asarray(getattr(frags, "mass_kg", np.full(len(lc), np.nan)), dtype=float)
    if not screened:  # persistence-only member: no cell-method risk (its metrics are NaN below)
        risk_el, lc_risk, frag_mass = risk_el[:0], lc[:0], frag_mass[:0]
    else:
        lc_risk = lc
    rates = cq.collision_rates_at_epochs(risk_el, lc_risk, frag_mass, active,
                                         seed=int(np.random.SeedSequence([int(seed), RISK_STREAM])
                                                  .generate_state(1)[0]), **RISK_SAMPLING)
    exp, parts = cq.expected_by_horizon(risk_t, rates, scenario.horizon_years)
    timings["collision_risk_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    m.update(cq.tester_split(act_owner, exp, tester, parts=parts))
    m.update(cq.crewed_station_risk(active.norad_id, exp))
    if screened:
        t1 = time.perf_counter()
        m.update(cq.risk_ratios(active.norad_id, background_rates(catalog_path, scenario.targets), rates, exp))
        timings["background_risk_s"] = time.perf_counter() - t1
    else:
        m.update(cq.risk_ratios(active.norad_id, np.zeros(len(active.norad_id)), rates, exp))
    exposure = cq.exposure_by_owner(act_owner, exp, tester, conj_secondary_owner=sec_owner[sec_active],
                                    screening_days=scenario.screening_days, parts=parts,
                                    size_estimated=active.size_estimated, mass_estimated=active.mass_estimated)
    if not screened:
        for k in set(m) - before_exposure:
            if isinstance(m[k], (int, float, np.integer, np.floating)) and not isinstance(m[k], bool):
                m[k] = float("nan")
        exposure = {}
    m["screened"] = bool(screened)
    density = cq.density_table(per, apo, life, cat.perigee_km, cat.apogee_km)
    curve = cq.on_orbit_curve(life[lc >= cq.SIZE_10CM_M], time_grid_years(scenario.horizon_years))
    tca_jd = _conj_field(conj, "tca_jd", default=np.zeros(len(sec_id)))
    tca_fr = _conj_field(conj, "tca_fr", default=np.zeros(len(sec_id)))
    conj_cols = {
        "seed": np.full(len(sec_id), seed, dtype=np.int64),
        "fragment_id": _conj_field(conj, "primary_id", default=np.zeros(len(sec_id), np.int64)),
        "satellite_id": sec_id,
        "satellite_owner": np.asarray(sec_owner, dtype=object),
        "tca_utc": np.asarray(iso(jd_to_datetime64(tca_jd, tca_fr)) if len(sec_id) else [], dtype=object),
        "miss_km": miss,
        "rel_speed_km_s": _conj_field(conj, "rel_speed_km_s", default=np.full(len(sec_id), np.nan)),
        "pc": _conj_field(conj, "pc", default=np.full(len(sec_id), np.nan)),
        "hbr_km": _conj_field(conj, "hbr_km", default=np.full(len(sec_id), np.nan)),
        "satellite_size_estimated": _flag_of(active, "size_estimated", sec_id),
    }
    mm = np.asarray(frags.mean_motion_rev_per_day, dtype=float)
    gab = {"perigee_km": per, "apogee_km": apo, "period_min": 1440.0 / mm, "lc_m": lc}
    m["screening_shifted_to_catalog_epoch"] = bool(shifted)
    m["screening_epoch_utc"] = str(iso(screen_epoch))
    m["notes"] = notes
    timings["consequences_s"] += time.perf_counter() - t0
    return MemberResult(seed=seed, metrics=m, curve=curve, density=density, exposure=exposure,
                        conjunctions=conj_cols, gabbard=gab, timings_s=timings)


# -- ensembles ----------------------------------------------------------------------------------------

@dataclass
class ScenarioResult:
    """A scenario's ensemble: summary row (median and band), curves, tables, member timings."""

    scenario: Scenario
    row: dict
    times_years: np.ndarray
    curve: tuple[np.ndarray, np.ndarray, np.ndarray]
    density: dict
    exposure: dict
    conjunctions: dict
    gabbard: dict
    taxonomy: dict
    timings_s: dict
    screening_epoch_utc: str = ""
    notes: list = field(default_factory=list)


def _scenario_row(s: Scenario) -> dict:
    o = s.target.orbit
    return {"scenario": s.name, "hypothetical": bool(s.hypothetical), "altitude_km": o.altitude_km,
            "perigee_km": o.perigee_km, "apogee_km": o.apogee_km, "inclination_deg": o.inclination_deg,
            "target_mass_kg": s.target.mass_kg, "interceptor_mass_kg": s.interceptor.mass_kg,
            "closing_speed_km_s": s.interceptor.closing_speed_km_s, "n_seeds": len(s.seeds),
            "min_size_m": s.min_size_m}


def _combine(scenario: Scenario, members: list[MemberResult]) -> ScenarioResult:
    metrics = [dict(mr.metrics) for mr in members]
    for d in metrics:
        d.pop("reversibility", None)
        d.pop("screening_shifted_to_catalog_epoch", None)
        d.pop("screening_epoch_utc", None)
        d.pop("notes", None)
        d.pop("screened", None)
    summ = summarize(metrics)
    _gone_times_with_nan_as_late(summ, metrics)
    _band_or_nan(summ, metrics)
    row = _scenario_row(scenario)
    row.update(summ)
    row.update(_mode_and_band_columns(scenario, members))
    from . import members as mem

    t90 = summ.get("years_to_90pct_gone", float("nan"))
    row["reversibility"] = mem.reversibility_class(t90, scenario.horizon_years)
    row["reversibility_p05"] = mem.reversibility_class(summ.get("years_to_90pct_gone_p05", float("nan")),
                                                       scenario.horizon_years)
    row["reversibility_p95"] = mem.reversibility_class(summ.get("years_to_90pct_gone_p95", float("nan")),
                                                       scenario.horizon_years)
    times = time_grid_years(scenario.horizon_years)
    curve = summarize_arrays([mr.curve for mr in members])
    if len(members) < _min_band_members():
        curve = (curve[0], np.full_like(curve[0], np.nan), np.full_like(curve[0], np.nan))
    # density: median over members of each added column
    d0 = members[0].density
    density = {k: d0[k] for k in ("shell_low_km", "shell_high_km", "catalog_density_per_km3")}
    for k in d0:
        if k.startswith("added_"):
            med, lo, hi = summarize_arrays([mr.density[k] for mr in members])
            if len(members) < _min_band_members():
                lo, hi = np.full_like(med, np.nan), np.full_like(med, np.nan)
            density[k] = med
            density[k + "_p05"] = lo
            density[k + "_p95"] = hi
    density["band_covers"] = np.array([row["band_covers"]] * len(density["shell_low_km"]), dtype=object)
    # exposure: align owners, median and band per column (screened members only)
    all_members = members
    members = [mr for mr in members if mr.exposure] or members[:1]
    owners = sorted(set().union(*[set(mr.exposure.get("owner", [])) for mr in members]))
    exposure = {"owner": np.array(owners, dtype=object)}
    first = members[0].exposure
    lookup = [dict(zip(mr.exposure.get("owner", []), range(len(mr.exposure.get("owner", [])))))
              for mr in members]
    exposure["is_tester"] = np.array([o == scenario.taxonomy.tester for o in owners])
    n_act = {o: first["n_active_payloads"][i] for i, o in enumerate(first.get("owner", []))}
    exposure["n_active_payloads"] = np.array([int(n_act.get(o, 0)) for o in owners], dtype=np.int64)
    for k in first:
        if k in ("owner", "is_tester", "n_active_payloads"):
            continue
        vals = [[float(mr.exposure[k][lk[o]]) if o in lk else 0.0 for o in owners]
                for mr, lk in zip(members, lookup)]
        med, lo, hi = summarize_arrays(vals) if owners else (np.zeros(0),) * 3
        if len(members) < _min_band_members():  # too few draws for a 5-95% percentile
            lo, hi = np.full_like(med, np.nan), np.full_like(med, np.nan)
        exposure[k], exposure[k + "_p05"], exposure[k + "_p95"] = med, lo, hi
    if owners:
        exposure["band_covers"] = np.array([row["band_covers_risk"]] * len(owners), dtype=object)
    key = f"expected_collisions_{max(cq.RISK_YEARS)}y"
    if owners and key in exposure:
        order = sorted(range(len(owners)), key=lambda i: (-exposure[key][i], owners[i]))
        exposure = {k: np.asarray(v)[order] for k, v in exposure.items()}
    members = all_members
    conj = {k: np.concatenate([np.asarray(mr.conjunctions[k]) for mr in members])
            for k in members[0].conjunctions}
    conj = {"scenario": np.array([scenario.name] * len(conj["seed"]), dtype=object), **conj}
    g = members[0].gabbard
    gab = {"scenario": np.array([scenario.name] * len(g["perigee_km"]), dtype=object),
           "seed": np.full(len(g["perigee_km"]), members[0].seed, dtype=np.int64), **g}
    tax = cq.taxonomy(row, scenario.taxonomy.behaviour, scenario.taxonomy.stated_intention,
                      scenario.taxonomy.tester, horizon_years=scenario.horizon_years, conjunctions=conj,
                      n_members=len(members), screening_days=scenario.screening_days,
                      todays_fleet=bool(members[0].metrics.get("screening_shifted_to_catalog_epoch")))
    timings: dict = {}
    for mr in members:
        for k, v in mr.timings_s.items():
            timings[k] = timings.get(k, 0.0) + v
    return ScenarioResult(scenario=scenario, row=row, times_years=times, curve=curve, density=density,
                          exposure=exposure, conjunctions=conj, gabbard=gab, taxonomy=tax,
                          timings_s=timings, screening_epoch_utc=members[0].metrics["screening_epoch_utc"],
                          notes=sorted({n for mr in members for n in mr.metrics.get("notes", [])}))


def _min_band_members() -> int:
    from .members import MIN_MEMBERS_FOR_BAND

    return MIN_MEMBERS_FOR_BAND


def _gone_times_with_nan_as_late(summ: dict, metrics: list) -> None:
    """Median and band of ``years_to_*_gone`` with NaN (not gone within the horizon) ordered last.

    A member whose cloud is not 90% gone within the horizon counts as later than every member
    whose cloud is; a statistic that lands on such a member is NaN ("not determined").
    """
    from .ensemble import band

    for key in [k for k in metrics[0] if k.startswith("years_to_") and k.endswith("_gone")]:
        vals = [m.get(key, float("nan")) for m in metrics]
        x = [math.inf if (isinstance(v, float) and math.isnan(v)) else float(v) for v in vals]
        med, lo, hi = band(x)
        for suffix, v in (("", med), ("_p05", lo), ("_p95", hi)):
            summ[key + suffix] = v if math.isfinite(v) else float("nan")


def _band_or_nan(summ: dict, metrics: list) -> None:
    """Blank the ``_p05``/``_p95`` of metrics with fewer finite member values than a band needs."""
    need = _min_band_members()
    for key in list(summ):
        if key.endswith("_p05") or key.endswith("_p95"):
            base = key[:-4]
            vals = [m.get(base) for m in metrics]
            n = sum(1 for v in vals if isinstance(v, (int, float)) and not isinstance(v, bool) and not math.isnan(v))
            if n < need:
                summ[key] = float("nan")


def _uncertain_inputs_text(scenario: Scenario) -> str:
    names = {"target_mass_kg": "target mass", "interceptor_mass_kg": "interceptor mass",
             "closing_speed_km_s": "closing speed", "direction_cone_deg": "impact direction",
             "cd": "Cd", "density_scale": "density scale"}
    parts = ["breakup seed"] + [names[k] for k in names if k in scenario.uncertainty]
    if scenario.breakup.mode == "calibrated" and (scenario.hypothetical
                                                  or scenario.name not in _calibrated_events()):
        parts.append("event-calibration family")
    return ", ".join(parts)


def _calibrated_events() -> set:
    from . import calibration

    try:
        return set(calibration.load()["events"])
    except InputError:
        return set()


def _mode_and_band_columns(scenario: Scenario, members: list) -> dict:
    """``breakup_mode``, ``n_members``, ``n_members_screened`` and what the band covers."""
    n = len(members)
    n_scr = sum(1 for mr in members if mr.metrics.get("screened", True))
    need = _min_band_members()
    what = _uncertain_inputs_text(scenario)

    def text(k):
        if k < need:
            return (f"no 5-95% band: {k} member(s) (a 5-95% band needs >= {need}); the value is the "
                    f"median over members sampling {what}")
        return f"5-95% over {k} members sampling {what}"

    return {"breakup_mode": scenario.breakup.mode, "n_members": n, "n_members_screened": n_scr,
            "band_covers": text(n),
            "band_covers_risk": (text(n_scr) + f" (conjunction and collision-risk columns: the first "
                                 f"{n_scr} members only)")}


def run_scenarios(scenarios: Sequence[Scenario], *, workers: int | None = None,
                  catalog_path: str | None = None, progress_bar: bool | None = None,
                  executor=None, scheduler: str | None = None) -> list[ScenarioResult]:
    """Run every seed of every scenario (one executor for all); results in input order.

    ``executor`` (``"local"`` default, ``"dask"`` or an executor object) and ``scheduler`` choose
    where the members run (:mod:`orbitsim.executors`); the results do not depend on it.
    """
    args = [(s, int(seed), catalog_path, i) for s in scenarios for i, seed in enumerate(s.seeds)]
    labels = [f"{s.name} seed {int(seed)}" for s in scenarios for seed in s.seeds]
    members = run_members(run_member, args, workers=workers, desc="simulate", progress_bar=progress_bar,
                          executor=executor, scheduler=scheduler, setup=(load_catalog, (catalog_path,)),
                          labels=labels)
    out, k = [], 0
    for s in scenarios:
        out.append(_combine(s, members[k:k + len(s.seeds)]))
        k += len(s.seeds)
    return out


def run_scenario(scenario: Scenario, *, seeds: int | Sequence[int] | None = None, min_size_m: float | None = None,
                 horizon_years: float | None = None, workers: int | None = None,
                 catalog_path: str | None = None, progress_bar: bool | None = None,
                 breakup_mode: str | None = None, executor=None, scheduler: str | None = None) -> ScenarioResult:
    """Run one scenario's Monte Carlo ensemble.

    Parameters
    ----------
    scenario : Scenario
    seeds : int or sequence of int, optional
        ``N`` means seeds ``1..N``; default: the scenario's.
    min_size_m, horizon_years : float, optional
        Override the scenario's minimum fragment size (m) and horizon (years).
    workers : int, optional
        Worker processes (default 2; 1 runs in this process).
    executor, scheduler : optional
        Where the members run (see :func:`run_scenarios`).
    """
    s = apply_overrides(scenario, seeds=seeds, min_size_m=min_size_m, horizon_years=horizon_years,
                        breakup_mode=breakup_mode)
    return run_scenarios([s], workers=workers, catalog_path=catalog_path, progress_bar=progress_bar,
                         executor=executor, scheduler=scheduler)[0]


def run_sweep(scenario: Scenario, altitudes_km: Sequence[float], **kw) -> list[ScenarioResult]:
    """The same target at each altitude (circular orbits, hypothetical), side by side."""
    if not len(altitudes_km):
        raise InputError("altitudes: expected at least one altitude in km")
    if len(set(float(a) for a in altitudes_km)) != len(altitudes_km):
        raise InputError("altitudes: each altitude once (a repeated one would only repeat its row)")
    over = {k: kw.pop(k) for k in ("seeds", "min_size_m", "horizon_years", "breakup_mode", "targets")
            if k in kw}
    base = apply_overrides(scenario, **over)
    return run_scenarios([base.at_altitude(a) for a in altitudes_km], **kw)


def apply_overrides(scenario: Scenario, *, seeds=None, min_size_m=None, horizon_years=None,
                    breakup_mode=None, targets=None) -> Scenario:
    """Scenario with the command line's ``--seeds``, ``--min-size``, ``--horizon-years``,
    ``--breakup-mode``, ``--targets`` applied."""
    changes = {}
    if targets is not None:
        changes["targets"] = targets
    if breakup_mode is not None:
        from .scenario import BREAKUP_MODES

        if breakup_mode not in BREAKUP_MODES:
            raise InputError(f"--breakup-mode: {breakup_mode!r}; expected one of {', '.join(BREAKUP_MODES)}")
        from dataclasses import replace as _replace

        changes["breakup"] = _replace(scenario.breakup, mode=breakup_mode)
    if seeds is not None:
        if isinstance(seeds, (int, np.integer)):
            if seeds < 1:
                raise InputError(f"--seeds: {seeds}; expected a positive number of seeds")
            seeds = range(1, int(seeds) + 1)
        changes["seeds"] = tuple(int(x) for x in seeds)
    if min_size_m is not None:
        changes["min_size_m"] = float(min_size_m)
    if horizon_years is not None:
        changes["horizon_years"] = float(horizon_years)
    return scenario.with_settings(**changes) if changes else scenario


# -- writing a run directory ---------------------------------------------------------------------------------

def summary_table(results: Sequence[ScenarioResult]) -> dict:
    """One row per scenario; columns of the first row's order (missing values NaN)."""
    keys: list[str] = []
    for r in results:
        for k in r.row:
            if k not in keys:
                keys.append(k)
    cols = {}
    for k in keys:
        vals = [r.row.get(k, float("nan")) for r in results]
        cols[k] = np.array(vals, dtype=object if any(isinstance(v, str) for v in vals) else None)
    return cols


def long_table(results: Sequence[ScenarioResult], attr: str) -> dict:
    """Concatenate a per-scenario table (``density``, ``exposure``, ...) with a scenario column."""
    parts = []
    for r in results:
        t = dict(getattr(r, attr))
        n = len(next(iter(t.values()))) if t else 0
        if "scenario" not in t:
            t = {"scenario": np.array([r.scenario.name] * n, dtype=object), **t}
        parts.append(t)
    keys = list(parts[0]) if parts else []
    return {k: np.concatenate([np.asarray(p[k]) for p in parts]) if parts else np.zeros(0) for k in keys}


def curve_table(results: Sequence[ScenarioResult]) -> dict:
    parts = {"scenario": [], "years": [], "on_orbit_ge_10cm": [], "on_orbit_ge_10cm_p05": [],
             "on_orbit_ge_10cm_p95": [], "band_covers": []}
    for r in results:
        n = len(r.times_years)
        parts["band_covers"].append(np.array([r.row.get("band_covers", "")] * n, dtype=object))
        parts["scenario"].append(np.array([r.scenario.name] * n, dtype=object))
        parts["years"].append(r.times_years)
        for k, v in zip(("on_orbit_ge_10cm", "on_orbit_ge_10cm_p05", "on_orbit_ge_10cm_p95"), r.curve):
            parts[k].append(v)
    return {k: np.concatenate(v) for k, v in parts.items()}


def run_provenance(results: Sequence[ScenarioResult], catalog_path: str | None = None,
                   command: str = "orbitsim.pipeline") -> dict:
    """The run's provenance (deterministic: no timings, no local paths)."""
    from .provenance import provenance

    inputs = list(catalog_files(catalog_path))
    for r in results:
        if r.scenario.path and Path(r.scenario.path) not in inputs:
            inputs.append(Path(r.scenario.path))
    cat = load_catalog(catalog_path)
    scen = [r.scenario for r in results]
    params = {
        "scenarios": [s.to_dict() for s in scen],
        "catalog_reference_epoch_utc": str(iso(catalog_reference_epoch(active_payloads(cat, scen[0].targets)))),
        "exposed_assets": {s.name: _exposed_record(cat, s.targets) for s in scen},
        "catalog_objects": int(len(cat)),
        "screening_epochs_utc": {r.scenario.name: r.screening_epoch_utc for r in results},
        "screening_note": ("event epochs more than %g days from the catalog's are screened with the "
                           "fragments' element sets re-dated to the catalog epoch; fragments that re-enter within the "
                           "screening window are screened up to their last valid SGP4 state" % SCREEN_MAX_GAP_DAYS),
        "collision_model": {
            "method": ("cell (cube) method, Liou 2006 (orbitsim.risk.expected_collisions_per_year) on the "
                       "fragments' decayed mean elements from the long-term propagator; rates integrated "
                       "over time with exponential interpolation between the epochs below (linear where a "
                       "rate is 0)"),
            "rate_epochs_years": list(cq.RISK_EPOCHS_YEARS), **RISK_SAMPLING,
            "split": "catastrophic (energy-to-mass >= 40 J/g) vs non-catastrophic",
            "fragments": "only fragments simulated (>= min_size_m) are propagated and contribute"},
        "size_counts_note": ("n_ge_1cm and n_ge_1mm below min_size_m are the simulated fragments >= "
                             "min_size_m plus a Poisson draw (member seed) from the NASA SBM size law of that "
                             "breakup: sizes below min_size_m are counted by the size law, not propagated, and "
                             "add nothing to on-orbit counts, density or collision risk; n_ge_10cm and the "
                             "on-orbit counts are of the simulated fragments"),
        "reversibility_thresholds_years": {"reversible": cq.REVERSIBLE_YEARS,
                                           "long_lived": cq.LONG_LIVED_YEARS,
                                           "fraction_gone": 0.90},
        "band": {r.scenario.name: {"all_columns": r.row.get("band_covers"),
                                   "conjunction_and_risk_columns": r.row.get("band_covers_risk")}
                 for r in results},
        "breakup_modes": {r.scenario.name: r.scenario.breakup.mode for r in results},
        "member_sampling": ("each member: its breakup seed and one uniform draw of every [uncertainty] range "
                            "(numpy default_rng([seed, %d])); Cd and the density scale act through their "
                            "product on the drag; members with index < %d are screened and get the collision "
                            "risk, all members the breakup, decay and persistence metrics")
                           % (_uncertainty_stream(), min(r.scenario.screened_members for r in results)),
        "screened_members": {r.scenario.name: r.scenario.screened_members for r in results},
        "reversibility_statistic": ("years_to_90pct_gone; NaN (not 90% gone within the horizon) gives irreversible "
                                    "when the horizon is at least 25 years, else not determined"),
        "calibration": _calibration_provenance(results),
        "notes": {r.scenario.name: r.notes for r in results if r.notes},
    }
    seeds = sorted(set(int(x) for s in scen for x in s.seeds))
    return provenance(inputs=inputs, epoch=scen[0].epoch_iso if len(scen) == 1 else None, seed=seeds,
                      parameters=params, hypothetical=any(s.hypothetical for s in scen), command=command)


def _uncertainty_stream() -> int:
    from .members import UNCERTAINTY_STREAM

    return UNCERTAINTY_STREAM


def _calibration_provenance(results) -> dict | None:
    if not any(r.scenario.breakup.mode == "calibrated" for r in results):
        return None
    from . import calibration

    cal = calibration.load()
    return {"file": "orbitsim/presets/calibration.json", "events": cal["events"], "family": cal["family"],
            "how": "docs/four-tests.md (fit and leave-one-out)"}


def _exposed_record(cat, targets) -> dict:
    sub, note = cat.exposed_assets(targets)
    chosen = targets or ("active" if cat.has_activity else "payloads")
    return {"targets": chosen, "objects": int(len(sub)), "note": note}


def write_run(results: Sequence[ScenarioResult], out_dir: str | Path, *, force: bool = False,
              catalog_path: str | None = None, command: str = "orbitsim.pipeline",
              executor: str = "local") -> Path:
    """Write the run directory atomically: data tables, then the report (tables and plots).

    ``executor`` (the name of what ran the members) is recorded in ``provenance.json`` only, after
    the report is rendered, so that every other file is the same whichever executor ran.
    """
    from .io import atomic_dir, write_csv, write_json
    from .report import render

    prov = run_provenance(results, catalog_path, command=command)
    with atomic_dir(out_dir, force=force) as tmp:
        write_csv(tmp / "summary.csv", summary_table(results), prov)
        write_csv(tmp / "conjunctions.csv", long_table(results, "conjunctions"), prov)
        write_csv(tmp / "exposure_by_owner.csv", long_table(results, "exposure"), prov)
        write_csv(tmp / "density_by_shell.csv", long_table(results, "density"), prov)
        write_csv(tmp / "on_orbit_over_time.csv", curve_table(results), prov)
        write_csv(tmp / "gabbard.csv", long_table(results, "gabbard"), prov)
        write_json(tmp / "taxonomy.json", {r.scenario.name: r.taxonomy for r in results})
        write_json(tmp / "provenance.json", prov)
        write_json(tmp / "timings.json", timings_record(results))
        render(tmp, tmp)
        write_json(tmp / "provenance.json", {**prov, "executor": str(executor)})
    return Path(out_dir)


def timings_record(results: Sequence[ScenarioResult]) -> dict:
    """Per-stage CPU-side seconds summed over members, per scenario (not deterministic)."""
    return {r.scenario.name: {k: round(v, 3) for k, v in r.timings_s.items()} for r in results}


def format_timings(results: Sequence[ScenarioResult], wall_s: float | None = None) -> str:
    """Where the time went, one line per stage (summed over seeds and scenarios)."""
    tot: dict = {}
    for r in results:
        for k, v in r.timings_s.items():
            tot[k] = tot.get(k, 0.0) + v
    parts = [f"{k.removesuffix('_s')} {v:.1f} s" for k, v in tot.items()]
    line = "stage time (summed over members): " + ", ".join(parts)
    if wall_s is not None:
        line += f"; wall {wall_s:.1f} s"
    return line
