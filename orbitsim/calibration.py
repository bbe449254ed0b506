"""Event calibration of the breakup against the catalogued record of the four real ASAT tests.

ESA's MASTER reproduces each historical fragmentation by scaling the breakup model's fragment count
(and, where the data allow, its velocity and area-to-mass laws) until the modelled population
matches the catalogued one (Flegel et al. 2011, "MASTER-2009 final report", ESA contract
21705/08/D/HK, sec. on event calibration). orbitsim does the same for the four destructive ASAT
tests, on the breakup side only:

- ``count_scale``: factor on the SBM count law N(>=Lc), log-linear in the target's altitude,
  ``ln k = a + b (h - 500 km) / 100 km``: the catalogued count of a long-lived cloud grows for years
  as ever smaller fragments are tracked (Fengyun-1C: 2,377 catalogued by 2008-04, 3,037 by
  2010-09, 3,534 in all), while a low cloud re-enters before much of it is catalogued; a factor k
  on N(>=10 cm) is the count above an effective catalogue threshold of 10 cm k^(-1/1.71); the
  law is extrapolated at most :data:`EXTRAPOLATION_KM` beyond the altitudes of the tests it was
  fitted on and held at its end values beyond;
- ``dv_scale``: factor on every SBM ejection speed;
- ``momentum_coupling`` (eta): fraction of the interceptor's momentum the catalogued fragments
  share (0: the SBM's target velocity, 1: full momentum conservation about the centre of mass).

The record (:func:`record`): every DEBRIS object of the embedded CelesTrak SATCAT
(data/satcat/celestrak-satcat-2025-03.csv) whose international designator has the parent's launch
(1999-025 Fengyun-1C, 2006-057 USA-193, 2019-006 Microsat-R, 1982-092 Cosmos 1408) and no decay
before the event, with its decay date. Published figures at other dates are in
:data:`PUBLISHED_FRACTIONS` with their sources.

Fit (:func:`fit`, run by ``python -m orbitsim.calibration``, result in
``orbitsim/presets/calibration.json``): for each test and each (eta, dv_scale) of a grid the
preset is broken up (nominal inputs, :data:`FIT_SEEDS`) and decayed (no screening); the loss is
the sum of squared log ratios of modelled to recorded fraction still on orbit at the published
dates (model: of its fragments >= 10 cm on orbit at one month; floor: half an object of the
catalogued count); grid points with fewer than :data:`MIN_SAMPLE` fragments left at a month are
not admitted. A family fitted on a set of tests takes the (eta, dv_scale) of least summed loss and
fits a, b to the log ratios of catalogued debris still up one month after the event to the
modelled fragments >= 10 cm on orbit then (one test: its own ratio), each test's ratio realised
with the mass budget (the scaled law is run; the budget trims the largest fragments). Two variants
are fitted (:data:`VARIANTS`): the count law alone on the SBM about the target's velocity, and the
count law with (eta, dv_scale) from the grid; the one whose leave-one-out predictions meet more
targets is kept. Leave-one-out: the family of three
predicts the fourth (docs/four-tests.md). The decay physics of the long-term model enters every
fraction: a change to the atmosphere or the propagator calls for a refit.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import InputError

__all__ = ["EVENTS", "PUBLISHED_FRACTIONS", "record", "load", "options_for", "fit", "CALIBRATION_FILE"]

#: Parent international designator (launch part) of each test's debris in the SATCAT.
EVENTS = {"fengyun-1c": "1999-025", "usa-193": "2006-057", "microsat-r": "2019-006",
          "cosmos-1408": "1982-092"}

#: Published fractions still on orbit: (label, years after the event, fraction, out of, source).
#: A fraction of 0 means "none left" (compared with a floor of half an object).
PUBLISHED_FRACTIONS = {
    "fengyun-1c": [
        ("2010-09", 3.7, 0.97, 3037, "model notes section 5: 3,037 catalogued by 2010-09, 97% still on orbit"),
        ("2025-03", 18.1, None, 3534, "embedded CelesTrak SATCAT 2025-03: debris not decayed"),
        ("2026", 19.3, 2351 / 3532, 3532, "CelesTrak SATCAT 2026 tally: 2,351 of 3,532 still on orbit"),
    ],
    "usa-193": [
        ("~2009-08", 1.5, 0.0, 174, "model notes section 5: all gone within ~18 months"),
    ],
    "microsat-r": [
        ("2019-07-15", 0.30, 49 / 101, 101, "published tally 2019-07-15: 49 of 101 catalogued pieces on orbit"),
        ("~2021-12", 2.75, 0.0, 129, "none left after ~33 months (embedded SATCAT decay dates)"),
    ],
    "cosmos-1408": [
        ("2025-02", 3.25, 10 / 1807, 1807, "CelesTrak debris group 2025-02: 10 of 1,807 with element sets"),
    ],
}

#: Seeds of the fit's breakup draws, and the grid of (eta, dv_scale).
FIT_SEEDS = (1, 2)
GRID_COUPLING = (0.0, 0.1, 0.25, 0.5, 1.0)
GRID_DV_SCALE = (0.5, 0.71, 1.0, 1.41, 2.0, 2.83)
#: Fewest fragments (mean over seeds) on orbit at a month for a grid point to enter a fit.
MIN_SAMPLE = 30
#: How far beyond the fitted tests' altitudes the count law is extrapolated (then held), km.
#: Leave-one-out exercises it: Fengyun-1C (852 km) is predicted from tests at 247-475 km.
EXTRAPOLATION_KM = 400.0
#: Reference altitude of the count-scale law, km.
ALTITUDE_REF_KM = 500.0
#: "About a month" after the event, years.
ONE_MONTH_YEARS = 1.0 / 12.0
#: Horizon of the fit's decay runs, years (covers every published date).
FIT_HORIZON_YEARS = 20.0

CALIBRATION_FILE = Path(__file__).resolve().parent / "presets" / "calibration.json"


@dataclass(frozen=True)
class Record:
    """One test's catalogued debris: count and lifetimes (years; inf if up at the snapshot)."""

    name: str
    n_catalogued: int
    lifetimes_years: np.ndarray
    snapshot_years: float

    def on_orbit(self, years: float) -> float:
        """Catalogued debris still up ``years`` after the event (NaN beyond the snapshot)."""
        if years > self.snapshot_years + 1e-9:
            return float("nan")
        return float(np.count_nonzero(self.lifetimes_years > years))

    def fraction(self, years: float) -> float:
        return self.on_orbit(years) / self.n_catalogued if self.n_catalogued else float("nan")


#: The SATCAT snapshot's date (data/README.md).
SATCAT_SNAPSHOT = np.datetime64("2025-03-01")


@lru_cache(maxsize=8)
def record(name: str) -> Record:
    """The catalogued debris of test ``name`` from the embedded SATCAT (see the module docstring)."""
    from .data import SATCAT_CSV, data_path
    from .scenario import load_preset

    if name not in EVENTS:
        raise InputError(f"{name!r} is not one of the four real tests ({', '.join(EVENTS)})")
    epoch = np.datetime64(load_preset(name).epoch, "D")
    prefix = EVENTS[name] + ""
    life = []
    with open(data_path(SATCAT_CSV), newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["object_type"] != "DEBRIS" or not row["object_id"].startswith(prefix):
                continue
            d = row["decay_date"].strip()
            if d:
                dd = np.datetime64(d, "D")
                if dd < epoch:
                    continue  # debris of an earlier event of the same parent
                life.append(float((dd - epoch) / np.timedelta64(1, "D")) / 365.25)
            else:
                life.append(math.inf)
    snap = float((SATCAT_SNAPSHOT - epoch) / np.timedelta64(1, "D")) / 365.25
    return Record(name=name, n_catalogued=len(life), lifetimes_years=np.array(life), snapshot_years=snap)


def published_points(name: str) -> list[tuple[str, float, float, int, str]]:
    """Published (label, years, fraction, of, source) of a test; the SATCAT row filled in."""
    rec = record(name)
    out = []
    for label, years, frac, of, src in PUBLISHED_FRACTIONS[name]:
        if frac is None:
            frac = rec.fraction(years)
        out.append((label, years, float(frac), int(of), src))
    return out


# -- model side ---------------------------------------------------------------------------------

def model_lifetimes(scenario, momentum, seed: int, years: float = FIT_HORIZON_YEARS) -> np.ndarray:
    """Lifetimes (years; inf if up) of the fragments >= 10 cm of one breakup of ``scenario``."""
    from . import members as mem
    from .evolution import decay
    from .pipeline import breakup_cloud

    icp = scenario.interceptor
    inputs = mem.MemberInputs(target_mass_kg=scenario.target.mass_kg, interceptor_mass_kg=icp.mass_kg,
                              relative_velocity_ric_km_s=tuple(icp.relative_velocity_ric()),
                              cd=mem.CD_NOMINAL, density_scale=1.0, mode="calibrated", momentum=momentum)
    cloud = breakup_cloud(scenario, seed, inputs)
    big = np.asarray(cloud.lc_m) >= 0.1
    cloud = cloud[big]
    if len(cloud) == 0:
        return np.zeros(0)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = decay(cloud, start=(float(cloud.epoch_jd), float(cloud.epoch_fr)), years=years)
    ep = float(cloud.epoch_jd) + float(cloud.epoch_fr)
    djd = np.asarray(res.decay_jd, dtype=float)
    life = (djd - ep) / 365.25
    life[~np.isfinite(djd)] = np.inf
    return np.maximum(life, 0.0)


def _stats(lives: list[np.ndarray], points) -> dict:
    """Mean over seeds: fragments >= 10 cm, on orbit at a month, fractions at the published dates.

    Fractions are of the fragments on orbit at one month: the record's denominators are catalogued
    pieces, and a fragment is catalogued only after days to weeks of tracking (the two low tests
    lost a large part of their clouds before that).
    """
    n = float(np.mean([len(x) for x in lives]))
    n1 = float(np.mean([np.count_nonzero(x > ONE_MONTH_YEARS) for x in lives]))
    fr = [float(np.mean([np.count_nonzero(x > t) / max(np.count_nonzero(x > ONE_MONTH_YEARS), 1)
                         for x in lives])) for _, t, *_ in points]
    return {"n_ge_10cm": n, "n_1mo": n1, "fractions": fr}


def _log_err(model_frac: float, rec_frac: float, of: int) -> float:
    floor = 0.5 / max(of, 1)
    return math.log(max(model_frac, floor) / max(rec_frac, floor))


def _loss(stats: dict, points) -> float:
    return float(sum(_log_err(m, p[2], p[3]) ** 2 for m, p in zip(stats["fractions"], points)))


def grid_runs(names=tuple(EVENTS), seeds=FIT_SEEDS, progress=None) -> dict:
    """Model statistics of each test at each (eta, dv_scale) of the grid."""
    from .breakup import MomentumOptions
    from .scenario import load_preset

    out = {}
    for name in names:
        sc = load_preset(name)
        pts = published_points(name)
        for eta in GRID_COUPLING:
            for dvs in GRID_DV_SCALE:
                opt = MomentumOptions(centre_of_mass=True, momentum_coupling=eta, dv_scale=dvs)
                lives = [model_lifetimes(sc, opt, s) for s in seeds]
                out[(name, eta, dvs)] = _stats(lives, pts)
                if progress:
                    progress(name, eta, dvs, out[(name, eta, dvs)])
    return out


def _altitude_km(name: str) -> float:
    from .scenario import load_preset

    return float(load_preset(name).altitude_km)


def count_scale_at(family: dict, altitude_km: float) -> float:
    """The family's count scale at a target altitude: ``exp(a + b (h - 500 km) / 100 km)``."""
    a, b = family["log_count_scale_at_500km"], family["log_count_scale_per_100km"]
    lo, hi = family.get("altitude_range_km", (-math.inf, math.inf))
    h = min(max(float(altitude_km), lo), hi)  # no extrapolation beyond the fitted tests' altitudes
    return float(math.exp(a + b * (h - ALTITUDE_REF_KM) / 100.0))


#: The two candidate calibrations: the count law alone (SBM ejection about the target's velocity),
#: and the count law with (eta, dv_scale) fitted on the grid. The fit keeps the one whose
#: leave-one-out predictions meet more targets (then: smaller summed squared log errors).
VARIANTS = {"count-only": ((0.0,), (1.0,)), "count+dv+momentum": (GRID_COUPLING, GRID_DV_SCALE)}


_REALISED: dict = {}


def _realised(name: str, eta: float, dvs: float, k: float) -> dict:
    """Model statistics with the count scale ``k`` applied (the mass budget then trims the largest
    fragments, so the realised count is below k times the unscaled one); cached."""
    from .breakup import MomentumOptions
    from .scenario import load_preset

    key = (name, float(eta), float(dvs), round(float(k), 9))
    if key not in _REALISED:
        opt = MomentumOptions(centre_of_mass=True, momentum_coupling=eta, dv_scale=dvs, count_scale=k)
        sc = load_preset(name)
        _REALISED[key] = _stats([model_lifetimes(sc, opt, seed) for seed in FIT_SEEDS], published_points(name))
    return _REALISED[key]


def event_count_scale(runs: dict, name: str, eta: float, dvs: float, iterations: int = 3) -> float:
    """Count scale that makes the realised fragments >= 10 cm on orbit at a month equal the
    catalogued debris still up then (fixed-point iteration from the unscaled ratio)."""
    target = record(name).on_orbit(ONE_MONTH_YEARS)
    k = target / max(runs[(name, eta, dvs)]["n_1mo"], 0.5)
    for _ in range(iterations):
        k *= target / max(_realised(name, eta, dvs, k)["n_1mo"], 0.5)
    return float(k)


def _family(runs: dict, names, variant: str = "count+dv+momentum") -> dict:
    best = None
    etas, dvss = VARIANTS[variant]
    for eta in etas:
        for dvs in dvss:
            if any(runs[(n, eta, dvs)]["n_1mo"] < MIN_SAMPLE for n in names):
                continue  # too few fragments left at a month for a fraction to mean anything
            loss = sum(_loss(runs[(n, eta, dvs)], published_points(n)) for n in names)
            if best is None or loss < best[0]:
                best = (loss, eta, dvs)
    _, eta, dvs = best
    x = np.array([(_altitude_km(n) - ALTITUDE_REF_KM) / 100.0 for n in names])
    if variant == "count-only":  # realised scales (budget included)
        y = np.array([math.log(event_count_scale(runs, n, eta, dvs)) for n in names])
    else:  # the grid variant: scales from the unscaled runs (linear in k, budget ignored)
        y = np.array([math.log(record(n).on_orbit(ONE_MONTH_YEARS) / max(runs[(n, eta, dvs)]["n_1mo"], 0.5))
                      for n in names])
    if len(names) >= 2:
        b, a = np.polyfit(x, y, 1)
        resid = y - (a + b * x)
        sd = float(np.sqrt(np.sum(resid ** 2) / (len(names) - 2))) if len(names) > 2 else 0.0
    else:  # one test: its own ratio, whatever the altitude
        a, b, sd = float(y[0]), 0.0, 0.0
    return {"momentum_coupling": eta, "dv_scale": dvs,
            "log_count_scale_at_500km": float(a), "log_count_scale_per_100km": float(b),
            "log_count_scale_residual_sd": sd, "loss": float(best[0]), "fitted_on": list(names),
            "variant": variant,
            "altitude_range_km": [float(min(_altitude_km(n) for n in names)) - EXTRAPOLATION_KM,
                                  float(max(_altitude_km(n) for n in names)) + EXTRAPOLATION_KM]}


def _predict(runs: dict, name: str, fam: dict) -> dict:
    st = runs[(name, fam["momentum_coupling"], fam["dv_scale"])]
    rec = record(name)
    pts = published_points(name)
    k = count_scale_at(fam, _altitude_km(name))
    n1 = st["n_1mo"] * k
    n10 = st["n_ge_10cm"] * k
    if fam.get("variant") == "count-only":  # run the model with the predicted scale
        st_k = _realised(name, fam["momentum_coupling"], fam["dv_scale"], k)
        n1, n10 = st_k["n_1mo"], st_k["n_ge_10cm"]
        st = {**st, "fractions": st_k["fractions"]}
    rec1 = rec.on_orbit(ONE_MONTH_YEARS)
    dates = []
    for (label, years, frac, of, src), mf in zip(pts, st["fractions"]):
        err = _log_err(mf, frac, of)
        dates.append({"label": label, "years": years, "published_fraction": frac, "of": of,
                      "model_fraction": mf, "ratio": math.exp(err), "within_factor_2": abs(err) <= math.log(2) + 1e-12,
                      "source": src})
    return {"n_1mo_model": n1, "n_1mo_unscaled": st["n_1mo"], "count_scale": k, "n_1mo_record": rec1, "n_1mo_ratio": n1 / rec1,
            "n_ge_10cm_model": n10, "n_catalogued": rec.n_catalogued,
            "n_catalogued_ratio": n10 / rec.n_catalogued,
            "count_within_1.5": 1 / 1.5 <= n1 / rec1 <= 1.5, "dates": dates}


def _loo(runs: dict, names, variant: str) -> dict:
    out = {}
    for n in names:
        fam = _family(runs, [m for m in names if m != n], variant)
        out[n] = {"family": fam, "prediction": _predict(runs, n, fam)}
    return out


def _loo_score(loo: dict) -> tuple[int, float]:
    """(targets met, summed squared log error) of a leave-one-out; more met, then less error."""
    met, err = 0, 0.0
    for d in loo.values():
        pr = d["prediction"]
        met += bool(pr["count_within_1.5"]) + sum(bool(x["within_factor_2"]) for x in pr["dates"])
        err += math.log(pr["n_1mo_ratio"]) ** 2 + sum(math.log(x["ratio"]) ** 2 for x in pr["dates"])
    return met, err


def fit(runs: dict | None = None) -> dict:
    """Per-test fits, the family of all four, and the leave-one-out predictions (JSON-ready).

    Both :data:`VARIANTS` are fitted and validated leave-one-out; the one that meets more of the
    targets (count at a month within 1.5x, every published fraction within 2x) is kept.
    """
    names = tuple(EVENTS)
    if runs is None:
        runs = grid_runs(names)
    loos = {v: _loo(runs, names, v) for v in VARIANTS}
    scores = {v: _loo_score(loos[v]) for v in VARIANTS}
    chosen = max(VARIANTS, key=lambda v: (scores[v][0], -scores[v][1]))
    events = {}
    for n in names:
        fam = _family(runs, [n], chosen)
        fam["count_scale"] = count_scale_at(fam, _altitude_km(n))
        fam["prediction_in_sample"] = _predict(runs, n, fam)
        events[n] = fam
    unit = {"log_count_scale_at_500km": 0.0, "log_count_scale_per_100km": 0.0}
    sbm = {n: _predict(runs, n, {"momentum_coupling": 0.0, "dv_scale": 1.0, **unit}) for n in names}
    full = {n: _predict(runs, n, {"momentum_coupling": 1.0, "dv_scale": 1.0, **unit}) for n in names}
    return {"method": __doc__.split("\n\n")[2].strip() if __doc__ else "",
            "record": "embedded CelesTrak SATCAT 2025-03 (data/satcat/celestrak-satcat-2025-03.csv)",
            "grid": {"momentum_coupling": list(GRID_COUPLING), "dv_scale": list(GRID_DV_SCALE)},
            "seeds": list(FIT_SEEDS), "one_month_years": ONE_MONTH_YEARS,
            "variant": chosen,
            "variant_scores": {v: {"targets_met": scores[v][0], "sum_sq_log_error": scores[v][1],
                                   "of": sum(1 + len(published_points(n)) for n in names)} for v in VARIANTS},
            "events": events, "family": _family(runs, names, chosen), "leave_one_out": loos[chosen],
            "leave_one_out_other_variants": {v: loos[v] for v in VARIANTS if v != chosen},
            "uncalibrated": {"sbm_target_velocity": sbm, "full_momentum": full},
            "grid_runs": [{"test": n, "momentum_coupling": e, "dv_scale": d, **st}
                          for (n, e, d), st in sorted(runs.items())]}


def runs_from_fit(fitted: dict) -> dict:
    """The grid statistics stored with a fit (to refit without re-running the model)."""
    return {(r["test"], r["momentum_coupling"], r["dv_scale"]):
            {k: r[k] for k in ("n_ge_10cm", "n_1mo", "fractions")} for r in fitted["grid_runs"]}


@lru_cache(maxsize=1)
def load() -> dict:
    """The fitted calibration (``orbitsim/presets/calibration.json``)."""
    try:
        return json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{CALIBRATION_FILE}: calibration missing; run 'python -m orbitsim.calibration'") from None


def options_for(scenario, rng=None):
    """:class:`orbitsim.breakup.MomentumOptions` of the calibrated mode for ``scenario``.

    A real test modelled as it happened uses its own event calibration; any other scenario one of
    the four event calibrations drawn at random per member (the fitted family with its spread), or
    with ``rng`` None the family fitted on all four.
    """
    from .breakup import MomentumOptions

    cal = load()
    if not scenario.hypothetical and scenario.name in cal["events"]:
        p = cal["events"][scenario.name]
        count = float(p["count_scale"])
    else:
        p = cal["family"]
        count = count_scale_at(p, scenario.altitude_km)
        if rng is not None:  # the family's spread: the residual scatter of the count law
            count *= math.exp(float(p["log_count_scale_residual_sd"]) * float(rng.standard_normal()))
    return MomentumOptions(centre_of_mass=True, momentum_coupling=float(p["momentum_coupling"]),
                           dv_scale=float(p["dv_scale"]), count_scale=count)


def main() -> None:  # pragma: no cover - the fit's command line (writes CALIBRATION_FILE)
    import sys

    def show(name, eta, dvs, st):
        print(f"{name} eta={eta} dv={dvs} n={st['n_ge_10cm']:.0f} n1mo={st['n_1mo']:.0f} "
              f"fr={[round(f, 4) for f in st['fractions']]}", file=sys.stderr, flush=True)

    if "--refit" in sys.argv:  # from the grid statistics already stored
        result = fit(runs_from_fit(json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))))
    else:
        result = fit(grid_runs(progress=show))
    CALIBRATION_FILE.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {CALIBRATION_FILE}")


if __name__ == "__main__":  # pragma: no cover
    main()
