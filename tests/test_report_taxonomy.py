"""The taxonomy record on hand-built metrics: classes at the stated horizons, never from NaN."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from orbitsim import taxonomy as tx


def _metrics(n0, at5, at25, **extra):
    m = {"n_ge_10cm": n0, "on_orbit_5y": at5, "on_orbit_25y": at25,
         "on_orbit_5y_p05": at5, "on_orbit_5y_p95": at5, "on_orbit_25y_p05": at25, "on_orbit_25y_p95": at25}
    m.update(extra)
    return m


@pytest.mark.parametrize("at5, at25, horizon, cls", [
    (10.0, 0.0, 100.0, "short-lived"),        # exactly 90% gone within 5 years
    (11.0, 0.0, 100.0, "long-lived"),         # 89% gone at 5 y, all by 25 y
    (50.0, 10.0, 100.0, "long-lived"),
    (90.0, 11.0, 100.0, "persistent"),        # 11% still up after 25 years
    (50.0, math.nan, 10.0, tx.NOT_DETERMINED),  # horizon too short to decide
    (5.0, math.nan, 10.0, "short-lived"),     # decided at 5 y, before the horizon ends
])
def test_persistence_classes(at5, at25, horizon, cls):
    t = tx.taxonomy(_metrics(100.0, at5, at25), "b", "test", "X", horizon_years=horizon)
    assert t["persistence"]["class"] == cls
    assert t["material"]["persistence_class"] == cls
    if cls == tx.NOT_DETERMINED:
        assert t["persistence"]["reversible_by_decay"] is None and "10-year horizon" in t["persistence"]["reason"]
    json.dumps(t, allow_nan=False)  # strict JSON whatever the input


def test_a_long_tail_does_not_set_the_class():
    """99% gone only after a century (two stragglers of 170), but 95% gone within 5 years."""
    t = tx.taxonomy(_metrics(170.0, 8.0, 2.0, years_to_99pct_gone=120.0), "b", "test", "X", horizon_years=150.0)
    assert t["persistence"]["class"] == "short-lived"
    assert t["persistence"]["years_to_99pct_gone"] == 120.0
    assert t["reversibility"] == "irreversible"  # the earlier 99%-based field, kept as it was


def test_thresholds_carry_sources_and_fraction_columns_win():
    t = tx.taxonomy(_metrics(100.0, 50.0, 50.0, fraction_on_orbit_5y=0.05, fraction_on_orbit_25y=0.0),
                    "b", "test", "X", horizon_years=100.0)
    assert t["persistence"]["class"] == "short-lived"  # fraction_on_orbit_<T> used when present
    srcs = [th["source"] for th in t["persistence"]["thresholds"]]
    assert "FCC" in srcs[0] and "IADC" in srcs[1]


def test_damage_while_up_is_irreversible_and_omission_per_state():
    conj = {"satellite_owner": np.array(["US", "US", "PRC", "X", "US"], dtype=object),
            "pc": np.array([2e-4, 5e-6, 3e-5, 1e-3, np.nan]), "seed": np.array([1, 2, 1, 1, 2])}
    m = _metrics(100.0, 1.0, 0.0, expected_collisions_25y=0.3, expected_collisions_25y_others=0.25,
                 warnings_to_other_states_week1=2.0)
    m["warnings_pc_ge_1e-4_to_other_states_week1"] = 0.5
    t = tx.taxonomy(m, "b", "test", "X", horizon_years=100.0, conjunctions=conj, n_members=2, todays_fleet=True)
    d = t["material"]["damage_while_up"]
    assert d["reversible"] is False and d["expected_collisions"] == 0.3 and d["borne_by_others"] == 0.25
    th = {x["pc_at_least"]: x for x in t["omission"]["thresholds"]}
    assert th[1e-4]["warnings_week1"] == 0.5 and th[1e-4]["per_recipient_state_week1"] == {"US": 0.5}
    assert th[1e-5]["per_recipient_state_week1"] == {"PRC": 0.5, "US": 0.5}  # tester X excluded
    assert th[1e-5]["warnings_week1"] == 1.0  # no summary column: mean per member from the conjunctions
    assert t["omission"]["per_recipient_state_any_pc_week1"] == {"US": 1.5, "PRC": 0.5}
    assert "today's fleet" in t["omission"]["caveat"]
    assert t["non_material"]["not_assessed"] and "not modelled" in t["non_material"]["manoeuvre_burden"]
    words = " ".join(tx.in_words(t))
    assert "irreversible" in words and "Not assessed" in words and "today's fleet" in words
