"""The altitude ceiling: below what intercept altitude does a test's debris clear itself, and how fast?

One parent (a preset or scenario) is moved to circular orbits at a list of intercept altitudes
(default 250-1,000 km in 50 km steps) and the event is dated at the next solar minimum and the
next solar maximum of the solar-cycle model fitted to the bundled space-weather data
(:func:`orbitsim.atmosphere.solar_cycle_model`; the decay uses the observed/forecast daily indices
where the file has them and the cycle model beyond). For each altitude, phase and Monte Carlo
member (breakup seed) the NASA Standard Breakup Model draws every fragment >= 1 cm; the long-term
propagator (:func:`orbitsim.evolution.decay`) gives each decayed fragment's lifetime:

- all fragments >= 10 cm (up to :data:`MAX_10CM` of them, a random subset beyond), and
- a random subset of :data:`SUBSAMPLE_1_10CM` fragments of 1-10 cm, weighted by the number it
  stands for (the SBM draws fragments independently, so the subset's lifetimes are an unbiased
  sample of the 1-10 cm population; the weighted quantiles of the >= 1 cm population follow).

Each cell gives the years until 50, 90 and 99% of the fragments >= 10 cm and >= 1 cm have
re-entered (median and 5-95% band over members; empty when not reached within the horizon) and
the fraction of fragments >= 10 cm whose apogee is above the ISS's. :func:`ceilings` turns the
table into the highest swept altitude meeting each criterion -- 99% gone within 5 years (the US
FCC's post-mission disposal rule of 2022, FCC 22-74) and within 25 years (IADC-02-01 Rev. 3
guideline) -- per size and solar phase, with a band.

Not in this command (:data:`NOT_MODELLED`): conjunctions and collision risk (run ``orbitsim
sweep`` at the altitudes of interest: the cell-method risk against ~16,000 active payloads costs
about half a minute per member, which the ceiling's ~100-1,000 cells cannot afford on a laptop).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Sequence

import numpy as np

from .errors import InputError
from .scenario import Scenario
from .timeutil import jd_to_datetime64

#: Default intercept altitudes, km.
DEFAULT_ALTITUDES_KM = tuple(float(a) for a in range(250, 1001, 50))

#: Solar phases an event is dated at.
PHASES = ("min", "max")

#: Fragments of 1-10 cm decayed per member (random subset; weights restore the population).
SUBSAMPLE_1_10CM = 300

#: Fragments >= 10 cm decayed per member at most (random subset beyond, weighted).
MAX_10CM = 1500

#: Fractions gone reported, and the criteria of the ceiling: (fraction gone, within years, source).
GONE_FRACTIONS = (0.50, 0.90, 0.99)
CRITERIA = ((0.99, 5.0, "FCC 22-74 (2022): 5-year post-mission disposal rule for LEO"),
            (0.99, 25.0, "IADC-02-01 Rev. 3 (2021) section 5.3.2: 25-year post-mission lifetime guideline"))
SIZES = ((">=10cm", "ge_10cm", 0.10), (">=1cm", "ge_1cm", 0.01))

#: ISS apogee used when the catalog has no ISS (km; ZARYA 25544 element sets of 2026 are 415-425 km).
ISS_APOGEE_KM_FALLBACK = 425.0
ISS_NORAD = 25544

NOT_MODELLED = [
    "conjunctions and collision risk with active payloads (not computed by ceiling; run 'orbitsim sweep' "
    "at the altitudes of interest for conjunctions_week1, expected_collisions_25y and the risk ratios)",
    "collisions among fragments and with other debris (no cascade)",
    "fragments below 1 cm",
    "avoidance manoeuvres",
    "other intercept geometries than the scenario's (closing speed and masses are kept at every altitude)",
    "solar activity beyond the bundled forecast follows the fitted cycle model, not a forecast",
]

STREAM_SUBSAMPLE = 0xCE11


def solar_phase_epochs(after: np.datetime64) -> dict[str, np.datetime64]:
    """Dates of the first solar minimum and maximum of the fitted cycle model after ``after`` (UTC).

    The model is ``F10.7 = mean + amplitude cos(2 pi (year - t_max) / period)``
    (:class:`orbitsim.atmosphere.SolarCycleModel`): maxima at ``t_max + k period``, minima half a
    period later.
    """
    from .atmosphere import solar_cycle_model

    m = solar_cycle_model()
    t0 = 1970.0 + float((np.datetime64(after, "s") - np.datetime64("1970-01-01T00:00:00", "s"))
                        / np.timedelta64(1, "s")) / (365.25 * 86400.0)
    out = {}
    for name, offset in (("max", 0.0), ("min", 0.5)):
        k = math.ceil((t0 - m.t_max_year) / m.period_years - offset)
        year = m.t_max_year + (k + offset) * m.period_years
        jd = 2440587.5 + (year - 1970.0) * 365.25
        out[name] = np.datetime64(jd_to_datetime64(math.floor(jd - 0.5) + 0.5, 0.0), "D").astype("datetime64[us]")
    return out


def weighted_time_to_gone(lifetime_years, weights, fraction: float) -> float:
    """Years until ``fraction`` of a weighted population has re-entered (``inf``: not within the data).

    The smallest lifetime ``t`` with ``sum(w[life <= t]) >= fraction * sum(w)``.
    """
    t = np.asarray(lifetime_years, dtype=float)
    w = np.asarray(weights, dtype=float)
    if t.size == 0 or w.sum() <= 0:
        return 0.0
    order = np.argsort(t, kind="stable")
    cum = np.cumsum(w[order])
    k = int(np.searchsorted(cum, fraction * cum[-1] * (1 - 1e-12), side="left"))
    return float(t[order][min(k, t.size - 1)])


def _apogee_km(r_km, v_km_s) -> np.ndarray:
    mu = 398600.8
    r = np.linalg.norm(r_km, axis=1)
    v2 = np.einsum("ij,ij->i", v_km_s, v_km_s)
    a = 1.0 / (2.0 / r - v2 / mu)
    h = np.linalg.norm(np.cross(r_km, v_km_s), axis=1)
    e = np.sqrt(np.maximum(0.0, 1.0 - h * h / (mu * a)))
    return a * (1.0 + e) - 6378.135


def iss_apogee_km(catalog_path: str | None = None) -> float:
    """Apogee altitude of the ISS in the catalog screened against (km), else the fallback."""
    from .pipeline import load_catalog

    cat = load_catalog(catalog_path)
    m = np.asarray(cat.norad_id) == ISS_NORAD
    return float(np.asarray(cat.apogee_km)[m][0]) if m.any() else ISS_APOGEE_KM_FALLBACK


def run_cell(args) -> dict:
    """One altitude, phase and member: lifetimes of the fragments -> persistence metrics.

    ``args = (scenario_at_altitude, phase, seed, horizon_years, iss_apogee_km, n_subsample)``.
    """
    from .evolution import decay
    from .pipeline import breakup_cloud
    from .timeutil import datetime64_to_jd

    s, phase, seed, horizon, iss_apo, n_sub = args
    cloud = breakup_cloud(s, int(seed))
    lc = np.asarray(cloud.lc_m, dtype=float)
    rng = np.random.default_rng([int(seed), STREAM_SUBSAMPLE, int(round(s.altitude_km)), PHASES.index(phase)])
    big = np.flatnonzero(lc >= 0.10)
    small = np.flatnonzero((lc >= 0.01) & (lc < 0.10))
    pick_big = np.sort(rng.choice(big, MAX_10CM, replace=False)) if big.size > MAX_10CM else big
    pick_small = np.sort(rng.choice(small, n_sub, replace=False)) if small.size > n_sub else small
    w_big = big.size / max(pick_big.size, 1)
    w_small = small.size / max(pick_small.size, 1)
    idx = np.concatenate([pick_big, pick_small])
    is_big = np.concatenate([np.ones(pick_big.size, bool), np.zeros(pick_small.size, bool)])
    order = np.argsort(idx, kind="stable")
    idx, is_big = idx[order], is_big[order]
    out = {"n_ge_10cm": float(big.size), "n_ge_1cm": float(big.size + small.size)}
    if idx.size == 0:
        for _, key, _ in SIZES:
            for f in GONE_FRACTIONS:
                out[f"years_to_{int(round(100 * f))}pct_gone_{key}"] = 0.0
        out["fraction_above_iss_apogee"] = 0.0
        return out
    sub = cloud[idx]
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dres = decay(sub, start=s.epoch, years=horizon, output_years=[0.0])
    out["notes"] = sorted({f"{w.category.__name__}: {str(w.message).split(' day(s)')[-1].strip()}"
                           if "day(s)" in str(w.message) else f"{w.category.__name__}: {w.message}"
                           for w in caught})
    ejd, efr = datetime64_to_jd(s.epoch)
    life = (np.asarray(dres.decay_jd, dtype=float) - (float(ejd) + float(efr))) / 365.25
    life[~np.isfinite(life)] = np.inf
    life = np.maximum(life, 0.0)
    w = np.where(is_big, w_big, w_small)
    for label, key, _ in SIZES:
        m = is_big if key == "ge_10cm" else np.ones(idx.size, bool)
        for f in GONE_FRACTIONS:
            out[f"years_to_{int(round(100 * f))}pct_gone_{key}"] = weighted_time_to_gone(life[m], w[m], f)
    apo = _apogee_km(np.asarray(sub.r_km)[is_big], np.asarray(sub.v_km_s)[is_big])
    out["fraction_above_iss_apogee"] = float(np.mean(apo > iss_apo)) if apo.size else 0.0
    return out


def _band(values) -> tuple[float, float, float]:
    """Median, 5th and 95th percentile as member values (no interpolation across ``inf``)."""
    x = np.sort(np.asarray(values, dtype=float))
    pick = lambda q: float(x[min(x.size - 1, max(0, int(math.ceil(q * x.size)) - 1))])  # noqa: E731
    med = float(np.median(x)) if np.isfinite(x).all() else pick(0.5)
    return med, pick(0.05), pick(0.95)


def run_ceiling(scenario: Scenario, altitudes_km: Sequence[float] = DEFAULT_ALTITUDES_KM,
                phases: Sequence[str] = PHASES, members: int = 4, *, horizon_years: float = 100.0,
                workers: int | None = None, catalog_path: str | None = None,
                subsample: int = SUBSAMPLE_1_10CM, progress_bar: bool | None = None, executor=None) -> dict:
    """The ceiling table: one row per altitude and solar phase (columns of ``ceiling.csv``).

    Parameters
    ----------
    scenario : Scenario
        The parent (target, interceptor); moved to each altitude (circular, inclination kept).
    altitudes_km : sequence of float
        Intercept altitudes, km.
    phases : sequence of {"min", "max"}
        Solar phases of the event date (:func:`solar_phase_epochs` after the catalog's epoch).
    members : int
        Monte Carlo members (breakup seeds 1..members) per cell.
    horizon_years : float
        Decay horizon, years (persistence beyond it is not determined: empty cells).
    workers, executor :
        Where the cells' members run (:func:`orbitsim.ensemble.run_members`; the table does not
        depend on it).
    """
    from .ensemble import run_members
    from .pipeline import active_payloads, catalog_reference_epoch, load_catalog

    alts = [float(a) for a in altitudes_km]
    if not alts:
        raise InputError("altitudes: expected at least one altitude in km")
    if len(set(alts)) != len(alts):
        raise InputError("altitudes: each altitude once, please")
    for a in alts:
        if not 150.0 <= a <= 3000.0:
            raise InputError(f"altitudes: {a:g} km; expected 150 to 3,000 km")
    for p in phases:
        if p not in PHASES:
            raise InputError(f"phases: {p!r}; expected min and/or max")
    if members < 1:
        raise InputError(f"members: {members}; expected a positive integer")
    epochs = solar_phase_epochs(catalog_reference_epoch(active_payloads(load_catalog(catalog_path))))
    iss = iss_apogee_km(catalog_path)
    cells = []
    args = []
    phases = [p for p in PHASES if p in set(phases)]
    for a in sorted(alts):
        for p in phases:
            s = replace(scenario.at_altitude(a), epoch=epochs[p], min_size_m=0.01)
            cells.append((a, p))
            args += [(s, p, seed, float(horizon_years), iss, int(subsample)) for seed in range(1, members + 1)]
    res = run_members(run_cell, args, workers=workers, desc="ceiling", progress_bar=progress_bar, executor=executor)
    table: dict[str, list] = {"altitude_km": [], "solar_phase": [], "event_epoch_utc": []}
    keys = [k for k in res[0] if k != "notes"]
    notes = sorted({n for r in res for n in r.get("notes", [])})
    for j, (a, p) in enumerate(cells):
        rows = res[j * members:(j + 1) * members]
        table["altitude_km"].append(a)
        table["solar_phase"].append(p)
        table["event_epoch_utc"].append(str(epochs[p])[:10])
        for k in keys:
            med, lo, hi = _band([r[k] for r in rows])
            for suf, v in (("", med), ("_p05", lo), ("_p95", hi)):
                table.setdefault(k + suf, []).append(v if math.isfinite(v) else float("nan"))
    table["members"] = [members] * len(cells)
    table["horizon_years"] = [float(horizon_years)] * len(cells)
    out = {k: np.asarray(v, dtype=object if k in ("solar_phase", "event_epoch_utc") else float)
           for k, v in table.items()}
    return CeilingTable(out, notes=notes, epochs={p: str(epochs[p]) for p in phases}, iss_apogee_km=iss)


class CeilingTable(dict):
    """The columns of ``ceiling.csv`` (a dict) with the run's ``notes``, solar-phase ``epochs`` and
    the ISS apogee used."""

    def __init__(self, columns, *, notes=(), epochs=None, iss_apogee_km=float("nan")):
        super().__init__(columns)
        self.notes = list(notes)
        self.epochs = dict(epochs or {})
        self.iss_apogee_km = float(iss_apogee_km)


def ceilings(table) -> dict:
    """``ceiling.json``: the highest swept altitude meeting each criterion, per size and solar phase.

    An altitude meets "99% gone within Y years" when ``years_to_99pct_gone_<size>`` is at most Y
    (empty = not gone within the horizon = not met). The ceiling is the highest altitude such that
    it and every lower swept altitude meet it (a noisy cell above a failing one does not count);
    ``_p05`` uses the members' 95th-percentile persistence (the low, cautious end), ``_p95`` the
    5th. ``null`` where no swept altitude meets the criterion.
    """
    alt = np.asarray(table["altitude_km"], dtype=float)
    phase = np.asarray(table["solar_phase"], dtype=object).astype(str)
    out = []

    def highest(a, years, limit):
        o = np.argsort(a)
        best = None
        for i in o:
            if np.isfinite(years[i]) and years[i] <= limit:
                best = float(a[i])
            else:
                break
        return best

    for frac, within, source in CRITERIA:
        for size, key, _ in SIZES:
            for p in [x for x in PHASES if x in set(phase)]:
                m = phase == p
                col = f"years_to_{int(round(100 * frac))}pct_gone_{key}"
                y = {suf: np.asarray(table[col + suf], dtype=float)[m] for suf in ("", "_p05", "_p95")}
                out.append({"fraction_gone": frac, "within_years": within, "size": size, "solar_phase": p,
                            "ceiling_altitude_km": highest(alt[m], y[""], within),
                            "ceiling_altitude_km_p05": highest(alt[m], y["_p95"], within),
                            "ceiling_altitude_km_p95": highest(alt[m], y["_p05"], within),
                            "source": source})
    return {"criteria": out, "not_modelled": list(NOT_MODELLED),
            "swept_altitudes_km": sorted(set(alt.tolist())),
            "method": ("highest swept altitude at which, and at every lower swept altitude, the criterion is met; "
                       "_p05/_p95 from the members' 95th/5th-percentile persistence")}


def provenance_record(scenario: Scenario, table: "CeilingTable", members: int, command: str = "orbitsim ceiling",
                      catalog_path: str | None = None) -> dict:
    """Provenance of a ceiling run (deterministic: no timings, no local paths)."""
    from .pipeline import catalog_files
    from .provenance import provenance

    inputs = list(catalog_files(catalog_path))
    if scenario.path:
        inputs.append(scenario.path)
    params = {"scenario": scenario.to_dict(), "solar_phase_epochs_utc": table.epochs,
              "iss_apogee_km": table.iss_apogee_km, "members": members,
              "subsample_1_10cm_per_member": SUBSAMPLE_1_10CM, "max_10cm_per_member": MAX_10CM,
              "criteria": [{"fraction_gone": f, "within_years": y, "source": s} for f, y, s in CRITERIA],
              "band": "median and 5th-95th percentile over breakup seeds (member values, no interpolation)",
              "not_modelled": list(NOT_MODELLED), "notes": table.notes}
    return provenance(inputs=inputs, seed=list(range(1, members + 1)), parameters=params, hypothetical=True,
                      command=command)


def write_ceiling(table: "CeilingTable", record: dict, out_dir, prov: dict, *, force: bool = False):
    """Write ``ceiling.csv``, ``ceiling.json``, ``ceiling.png``, ``provenance.json`` and ``report.html``."""
    from pathlib import Path

    from .io import atomic_dir, write_csv, write_json
    from .report import plots
    from .report.html import write_ceiling_report

    import matplotlib

    matplotlib.use("Agg", force=False)
    with atomic_dir(out_dir, force=force) as tmp:
        write_csv(tmp / "ceiling.csv", dict(table), prov)
        write_json(tmp / "ceiling.json", record)
        write_json(tmp / "provenance.json", prov)
        plots.save(plots.persistence_vs_altitude(table), tmp / "ceiling.png")
        write_ceiling_report(table, record, prov, tmp / "report.html", figure=tmp / "ceiling.png")
    return Path(out_dir)
