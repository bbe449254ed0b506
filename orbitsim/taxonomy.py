"""The threat-taxonomy record of a test (model notes section 6), sourced and robust.

A destructive test is described along the taxonomy's axes: intention and behaviour (the scenario's
metadata), and the adverse impacts, split so that each says what it measures:

- **material, persistence**: how long the debris stays up, i.e. whether the harm to the orbital
  environment reverses by atmospheric decay. The class comes from the bulk of the cloud -- the
  fraction of fragments >= 10 cm still on orbit at two stated horizons -- not from its last few
  fragments (a 99%-gone time with 170 fragments is the second-longest lifetime);
- **material, damage while up**: expected collisions with active payloads over the risk horizon.
  This part is irreversible whatever the cloud's lifetime: a satellite lost in year two stays lost;
- **non-material**: the warning and avoidance-manoeuvre burden the debris puts on other operators,
  by owner, where the model has it; perception and escalation are named as not assessed;
- **omission**: the conjunction warnings the tester would have to pass to other states, at stated
  collision-probability thresholds, per recipient state, with the "today's fleet" caveat when the
  screening used today's catalog for a past event.

Thresholds and their sources
----------------------------
:data:`PERSISTENCE_THRESHOLDS` lists them. The horizons are policy numbers, not physics: 5 years
is the US Federal Communications Commission's post-mission disposal rule for LEO (FCC 22-74,
Second Report and Order "Space Innovation; Mitigation of Orbital Debris in the New Space Age",
adopted 29 September 2022); 25 years is the Inter-Agency Space Debris Coordination Committee's
post-mission lifetime guideline (IADC-02-01, Space Debris Mitigation Guidelines, Rev. 3, 2021,
section 5.3.2; also ISO 24113:2019). The fraction (90% gone) is orbitsim's choice of a robust
statistic of the bulk of the cloud; 99% is reported beside it as the tail.

Never a class from NaN: when the run's horizon is shorter than a threshold that would decide the
class, the class is ``persistence_not_determined`` and the record says why.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

#: Fraction of the fragments >= 10 cm that must have re-entered for "gone" (bulk of the cloud).
GONE_BULK_FRACTION = 0.90

#: Persistence classes in order, with the horizon (years) by which the bulk must be gone, and the source.
PERSISTENCE_THRESHOLDS = (
    {"class": "short-lived", "within_years": 5.0, "fraction_gone": GONE_BULK_FRACTION,
     "source": "FCC 22-74 (2022): 5-year post-mission disposal rule for LEO satellites"},
    {"class": "long-lived", "within_years": 25.0, "fraction_gone": GONE_BULK_FRACTION,
     "source": "IADC-02-01 Rev. 3 (2021) section 5.3.2, ISO 24113:2019: 25-year post-mission "
               "lifetime guideline"},
)

#: Class when the bulk is still up at the last threshold.
PERSISTENT = "persistent"
NOT_DETERMINED = "persistence_not_determined"

#: Collision-probability thresholds of the omission side: (Pc, column of summary.csv, source).
WARNING_THRESHOLDS = (
    (1e-4, "warnings_pc_ge_1e-4_to_other_states_week1",
     "NASA CARA red threshold for manoeuvre planning (NASA Spacecraft Conjunction Assessment and "
     "Collision Avoidance Best Practices Handbook, 2020)"),
    (1e-5, "warnings_pc_ge_1e-5_to_other_states_week1",
     "ten times stricter, shown for sensitivity (orbitsim's choice)"),
)

NOT_ASSESSED = ("perception (how states and publics read the test)",
                "escalation (how the test changes other states' behaviour)")


def _num(x):
    """A finite float, or None (strict JSON: never NaN or Infinity)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _fraction(metrics: Mapping, label: str, suffix: str = "") -> float | None:
    """Fraction of the >= 10 cm fragments still up at a checkpoint (``fraction_on_orbit_<T>`` when
    the summary has it, else ``on_orbit_<T>`` / ``n_ge_10cm``)."""
    f = _num(metrics.get(f"fraction_on_orbit_{label}{suffix}"))
    if f is not None:
        return f
    n = _num(metrics.get(f"on_orbit_{label}{suffix}"))
    n0 = _num(metrics.get("n_ge_10cm"))
    if n is None or n0 is None:
        return None
    return n / n0 if n0 > 0 else 0.0


def persistence_class(fraction_at: Mapping[float, float | None], horizon_years: float | None) -> tuple[str, str]:
    """Class and reason from the fractions still up at the threshold horizons.

    Parameters
    ----------
    fraction_at : mapping years -> fraction or None
        Fraction of the fragments >= 10 cm still on orbit at each threshold's horizon (None:
        beyond the run's horizon, not determined).
    horizon_years : float or None
        The run's evolution horizon, years.
    """
    limit = 1.0 - GONE_BULK_FRACTION
    before = ""  # what the earlier, stricter thresholds found
    for th in PERSISTENCE_THRESHOLDS:
        y = th["within_years"]
        f = fraction_at.get(y)
        if f is None:
            h = f"{horizon_years:g}-year" if horizon_years is not None else "run's"
            return NOT_DETERMINED, (before + f"the {h} horizon is shorter than {y:g} years and the bulk of the "
                                    "cloud was not gone within it: not determined")
        if f <= limit + 1e-12:
            what = "are gone" if before else "of the fragments >= 10 cm are gone"
            return th["class"], (before + f"{_pct(1 - f)} {what} within {y:g} years "
                                 f"(threshold: {100 * GONE_BULK_FRACTION:.0f}% gone; {th['source']})")
        before += f"only {_pct(1 - f)} {'are gone' if before else 'of the fragments >= 10 cm are gone'} within {y:g} years; "
    last = PERSISTENCE_THRESHOLDS[-1]
    f = fraction_at.get(last["within_years"])
    return PERSISTENT, (f"{_pct(f)} of the fragments >= 10 cm are still on orbit after "
                        f"{last['within_years']:g} years (more than {100 * (1 - GONE_BULK_FRACTION):.0f}%; "
                        f"{last['source']})")


def _pct(f: float) -> str:
    """A fraction as a percentage that never rounds to 0% or 100% unless it is."""
    p = 100.0 * f
    if 0 < p < 1 or 99 < p < 100:
        return f"{p:.1f}%"
    return f"{p:.0f}%"


def _by_owner_at(conjunctions: Mapping | None, tester: str, n_members: int, pc_min: float | None) -> dict:
    """Mean number per member of close approaches with each other state's payloads (Pc >= pc_min)."""
    if not conjunctions or "satellite_owner" not in conjunctions or n_members < 1:
        return {}
    own = np.asarray(conjunctions["satellite_owner"], dtype=object).astype(str)
    m = own != str(tester)
    if pc_min is not None:
        pc = np.asarray(conjunctions.get("pc", np.full(len(own), np.nan)), dtype=float)
        m &= np.nan_to_num(pc, nan=-1.0) >= pc_min
    names, counts = np.unique(own[m], return_counts=True)
    pairs = sorted(zip(names.tolist(), counts.tolist()), key=lambda p: (-p[1], p[0]))
    return {n: c / n_members for n, c in pairs}


def taxonomy(metrics: Mapping, behaviour: str, stated_intention: str, tester: str, *,
             horizon_years: float | None = None, conjunctions: Mapping | None = None, n_members: int = 1,
             todays_fleet: bool = False, screening_days: float | None = None) -> dict:
    """The taxonomy record of one test (the content of ``taxonomy.json``, README "taxonomy.json").

    Parameters
    ----------
    metrics : mapping
        The scenario's summary row (medians and ``_p05``/``_p95`` bands).
    behaviour, stated_intention, tester : str
        The scenario's taxonomy metadata (tester: SATCAT owner code).
    horizon_years : float, optional
        The run's evolution horizon, years (thresholds beyond it are not determined).
    conjunctions : mapping of columns, optional
        ``conjunctions.csv`` of the scenario (all members), for warnings per recipient state.
    n_members : int
        Monte Carlo members in ``conjunctions`` (counts per state are means per member).
    todays_fleet : bool
        True when the event was screened against today's catalog (a past event re-dated).
    screening_days : float, optional
        Screening window, days.

    Returns
    -------
    dict
        Strict-JSON-ready (None where not determined); fields documented in the README.
    """
    fr = {th["within_years"]: _fraction(metrics, f"{th['within_years']:g}y") for th in PERSISTENCE_THRESHOLDS}
    cls, reason = persistence_class(fr, horizon_years)
    bands = {}
    for suf, name in (("_p05", "p05"), ("_p95", "p95")):
        frb = {th["within_years"]: _fraction(metrics, f"{th['within_years']:g}y", suf)
               for th in PERSISTENCE_THRESHOLDS}
        bands[name] = persistence_class(frb, horizon_years)[0]
    persistence = {
        "class": cls,
        "reason": reason,
        "class_p05": bands["p05"],
        "class_p95": bands["p95"],
        "statistic": (f"fraction of the fragments >= 10 cm still on orbit at each threshold's horizon "
                      f"(bulk: {100 * GONE_BULK_FRACTION:.0f}% gone)"),
        "fraction_on_orbit": {f"{y:g}y": _num(f) for y, f in fr.items()},
        "thresholds": [dict(th) for th in PERSISTENCE_THRESHOLDS],
        "years_to_90pct_gone": _num(metrics.get("years_to_90pct_gone")),
        "years_to_99pct_gone": _num(metrics.get("years_to_99pct_gone")),
        "tail_note": ("years_to_99pct_gone is set by the longest-lived 1% of the fragments; it is reported, "
                      "not used for the class"),
        "reversible_by_decay": None if cls == NOT_DETERMINED else cls != PERSISTENT,
        "horizon_years": _num(horizon_years),
    }
    y_risk = 25
    damage = {
        "expected_collisions": _num(metrics.get(f"expected_collisions_{y_risk}y")),
        "expected_collisions_p05": _num(metrics.get(f"expected_collisions_{y_risk}y_p05")),
        "expected_collisions_p95": _num(metrics.get(f"expected_collisions_{y_risk}y_p95")),
        "within_years": y_risk,
        "borne_by_others": _num(metrics.get(f"expected_collisions_{y_risk}y_others")),
        "borne_by_tester": _num(metrics.get(f"expected_collisions_{y_risk}y_tester")),
        "catastrophic": _num(metrics.get(f"expected_collisions_{y_risk}y_catastrophic")),
        "reversible": False,
        "note": ("expected collisions with today's active payloads while the debris is up; a satellite lost "
                 "is lost whatever the cloud's lifetime, so this part of the material impact is irreversible"),
    }
    manoeuvres = {k: _num(v) for k, v in metrics.items()
                  if k.startswith("manoeuvres_") and not k.endswith(("_p05", "_p95"))}
    non_material = {
        "warning_burden": {
            "conjunctions_week1": _num(metrics.get("conjunctions_week1")),
            "satellites_in_conjunction_week1": _num(metrics.get("satellites_in_conjunction_week1")),
            "close_approaches_by_owner_week1": _by_owner_at(conjunctions, "\0", n_members, None),
            "screening_days": _num(screening_days),
            "note": ("close approaches within the screening threshold, means per Monte Carlo member; each is "
                     "a conjunction an operator has to assess"),
        },
        "manoeuvre_burden": manoeuvres or "not modelled in this run (manoeuvre decisions need an avoidance "
                                          "model)",
        "not_assessed": list(NOT_ASSESSED),
    }
    omission = {
        "recipient": "other states' operators of active payloads (owner != tester)",
        "any_close_approach_week1": _num(metrics.get("warnings_to_other_states_week1")),
        "recipient_states": _num(metrics.get("other_state_operators_to_warn")),
        "thresholds": [],
    }
    for pc, col, src in WARNING_THRESHOLDS:
        per_state = _by_owner_at(conjunctions, tester, n_members, pc)
        n = _num(metrics.get(col))
        entry = {"pc_at_least": pc, "source": src, "warnings_week1": n,
                 "per_recipient_state_week1": per_state}
        if n is None and conjunctions is not None and "pc" in conjunctions:
            entry["warnings_week1"] = float(sum(per_state.values()))
            entry["statistic"] = "mean per Monte Carlo member (no summary column for this threshold)"
        omission["thresholds"].append(entry)
    omission["per_recipient_state_any_pc_week1"] = _by_owner_at(conjunctions, tester, n_members, None)
    if todays_fleet:
        omission["caveat"] = ("today's fleet: the event was screened against today's catalog (its fragments' "
                              "element sets re-dated), so these are the warnings the same cloud would cause "
                              "today, not those of the event's own time")
    legacy = metrics.get("reversibility") or _legacy_reversibility(metrics, horizon_years)
    out = {
        "tester": tester,
        "intention": stated_intention,
        "behaviour": behaviour,
        "persistence": persistence,
        "material": {"persistence_class": cls, "damage_while_up": damage},
        "non_material": non_material,
        "omission": omission,
        # earlier flat fields, kept for readers of older runs
        "impact": "material: debris that can destroy or degrade satellites and deny orbital resources",
        "reversibility": legacy,
        "years_to_99pct_gone": _num(metrics.get("years_to_99pct_gone")),
        "omission_warnings_needed_week1": _num(metrics.get("warnings_to_other_states_week1")),
        "omission_warnings_pc_ge_1e-4_week1": _num(metrics.get("warnings_pc_ge_1e-4_to_other_states_week1")),
        "risk_borne_by_others_25y": _num(metrics.get("expected_collisions_25y_others")),
        "risk_borne_by_tester_25y": _num(metrics.get("expected_collisions_25y_tester")),
    }
    if legacy is None:
        from .consequences import horizon_text

        out["reversibility_note"] = horizon_text(horizon_years if horizon_years is not None else math.inf)
    return out


def _legacy_reversibility(metrics: Mapping, horizon_years: float | None):
    """The earlier class from the 99%-gone time (:func:`orbitsim.consequences.reversibility`);
    ``None`` when the horizon is too short to tell."""
    from .consequences import reversibility

    t99 = metrics.get("years_to_99pct_gone")
    return reversibility(float("inf") if t99 is None else t99,
                         math.inf if horizon_years is None else float(horizon_years))


def in_words(record: Mapping) -> list[str]:
    """The taxonomy record as a few plain sentences (for report.html)."""
    p = record.get("persistence") or {}
    d = (record.get("material") or {}).get("damage_while_up") or {}
    o = record.get("omission") or {}
    nm = record.get("non_material") or {}
    out = [f"Behaviour: {record.get('behaviour', '')}; stated intention: {record.get('intention', '')}; "
           f"testing state: {record.get('tester', '') or 'not given'}."]
    if p:
        band = ""
        if p.get("class_p05") and (p.get("class_p05") != p.get("class") or p.get("class_p95") != p.get("class")):
            band = f" (across the members' 5-95% range: {p.get('class_p05')} to {p.get('class_p95')})"
        out.append(f"Persistence of the debris: {p.get('class')}{band}, because {p.get('reason')}.")
    if d:
        e = d.get("expected_collisions")
        out.append("Damage while the debris is up (irreversible): "
                   + (f"{_short(e)} expected collisions with active payloads within {d.get('within_years')} years"
                      f" ({_short(d.get('borne_by_others'))} borne by other owners)." if e is not None
                      else "not determined within the run's horizon."))
    if o:
        parts = [f"{_short(t.get('warnings_week1'))} at Pc >= {t.get('pc_at_least'):g}"
                 for t in o.get("thresholds", []) if t.get("warnings_week1") is not None]
        out.append(f"Omission: the tester would owe other states {_short(o.get('any_close_approach_week1'))} "
                   f"close-approach warnings in the first week" + (f" ({'; '.join(parts)})" if parts else "")
                   + f", to {_short(o.get('recipient_states'))} recipient owners.")
        if o.get("caveat"):
            out.append("Caveat: " + o["caveat"] + ".")
    if nm:
        out.append("Not assessed: " + "; ".join(nm.get("not_assessed", [])) + ".")
    return out


def _short(x) -> str:
    from .report.tables import human_number

    return "not determined" if x is None else human_number(float(x))
