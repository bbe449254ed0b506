"""Consequence metrics on hand-built arrays, checked against brute force and closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest

from orbitsim import consequences as cq
from orbitsim import ensemble

RE = 6378.135


def _brute_fraction_below(per, apo, alt, n=200_001):
    """Time fraction below ``alt`` by sampling the mean anomaly uniformly and solving Kepler."""
    rp, ra = per + RE, apo + RE
    a, e = 0.5 * (rp + ra), (ra - rp) / (ra + rp)
    M = np.linspace(0, 2 * np.pi, n, endpoint=False)
    E = M.copy()
    for _ in range(30):
        E = E - (E - e * np.sin(E) - M) / (1 - e * np.cos(E))
    r = a * (1 - e * np.cos(E))
    return float(np.mean(r < alt + RE))


@pytest.mark.parametrize("per, apo, alt", [(400, 800, 600), (300, 2000, 350), (300, 2000, 1900),
                                           (500, 510, 505), (700, 700, 650)])
def test_time_fraction_matches_kepler_sampling(per, apo, alt):
    got = float(cq.time_fraction_below(per, apo, alt))
    assert got == pytest.approx(_brute_fraction_below(per, apo, alt), abs=1e-4)


def test_shell_fractions_sum_to_one_and_volumes():
    edges = cq.shell_edges_km(200, 2000, 25)
    f = cq.shell_fractions(np.array([300.0, 450.0, 1200.0]), np.array([1500.0, 450.0, 1210.0]), edges)
    assert np.allclose(f.sum(axis=1), 1.0)
    assert np.all(f >= -1e-15)
    vol = cq.shell_volumes_km3(np.array([500.0, 525.0]))
    assert vol[0] == pytest.approx(4 / 3 * np.pi * ((RE + 525) ** 3 - (RE + 500) ** 3))


def test_expected_collisions_closed_form_one_shell():
    """N fragments and one satellite on circular orbits in the same shell: E = n v sigma t."""
    edges = np.array([700.0, 725.0])
    n_frag, size_f, size_s, years, v = 1000, 0.1, 2.0, 3.0, 10.0
    e = cq.expected_collisions(np.full(n_frag, 710.0), np.full(n_frag, 710.0), np.full(n_frag, np.inf),
                               np.full(n_frag, size_f), [712.0], [712.0], [size_s], years,
                               edges_km=edges, v_rel_km_s=v)
    vol = 4 / 3 * np.pi * ((RE + 725) ** 3 - (RE + 700) ** 3)
    sigma = np.pi * (0.5e-3 * (size_f + size_s)) ** 2
    expected = n_frag / vol * v * sigma * years * 365.25 * 86400
    assert e[0] == pytest.approx(expected, rel=1e-12)
    # fragments that decay after 1 year count for 1 year only; a satellite elsewhere sees nothing
    e2 = cq.expected_collisions(np.full(n_frag, 710.0), np.full(n_frag, 710.0), np.full(n_frag, 1.0),
                                np.full(n_frag, size_f), [712.0, 712.0], [712.0, 712.0], [size_s, np.nan],
                                years, edges_km=np.array([600.0, 700.0, 725.0]), v_rel_km_s=v)
    vol2 = 4 / 3 * np.pi * ((RE + 725) ** 3 - (RE + 700) ** 3)
    assert e2[0] == pytest.approx(n_frag / vol2 * v * sigma * 365.25 * 86400, rel=1e-12)
    sigma_default = np.pi * (0.5e-3 * (size_f + cq.DEFAULT_PAYLOAD_SIZE_M)) ** 2
    assert e2[1] == pytest.approx(e2[0] * sigma_default / sigma, rel=1e-12)


def test_expected_collisions_brute_force_pairs():
    """The separable sum equals the explicit double loop over fragments, satellites and shells."""
    rng = np.random.default_rng(3)
    edges = cq.shell_edges_km(300, 1300, 50)
    fp = rng.uniform(320, 900, 40)
    fa = fp + rng.uniform(0, 300, 40)
    life = rng.choice([0.5, 3.0, np.inf], 40)
    fs = rng.uniform(0.01, 0.5, 40)
    sp = rng.uniform(350, 1000, 7)
    sa = sp + rng.uniform(0, 50, 7)
    ss = rng.uniform(0.5, 5, 7)
    got = cq.expected_collisions(fp, fa, life, fs, sp, sa, ss, 10.0, edges_km=edges)
    vol = cq.shell_volumes_km3(edges)
    Ff = cq.shell_fractions(fp, fa, edges)
    Fs = cq.shell_fractions(sp, sa, edges)
    want = np.zeros(7)
    for j in range(7):
        for i in range(40):
            w = min(life[i], 10.0) * 365.25 * 86400
            sig = np.pi * (0.5e-3 * (fs[i] + ss[j])) ** 2
            want[j] += cq.DEFAULT_V_REL_KM_S * sig * w * np.sum(Fs[j] * Ff[i] / vol)
    assert np.allclose(got, want, rtol=1e-12, atol=0)


def test_lifetime_metrics_brute_force():
    rng = np.random.default_rng(7)
    lc = 10 ** rng.uniform(-3, 0, 500)
    life = rng.exponential(20.0, 500)
    life[rng.random(500) < 0.1] = np.nan  # still up at the horizon
    m = cq.lifetime_metrics(lc, life, 100.0)
    big = lc >= 0.1
    L = np.where(np.isnan(life), np.inf, life)[big]
    assert m["n_ge_10cm"] == big.sum() and m["n_ge_1cm"] == (lc >= 0.01).sum() and m["n_ge_1mm"] == 500
    for label, t in cq.CHECKPOINTS_YEARS.items():
        assert m[f"on_orbit_{label}"] == sum(1 for x in L if x > t)
    assert m["fragment_years"] == pytest.approx(sum(min(x, 100.0) for x in L))
    assert m["reversibility"] == "irreversible"  # some fragments are still up at the horizon


def test_on_orbit_beyond_horizon_is_nan_and_curve():
    m = cq.on_orbit_counts([0.5, 3.0, np.inf], horizon_years=10.0)
    assert m["on_orbit_1y"] == 2 and m["on_orbit_5y"] == 1 and m["on_orbit_10y"] == 1
    assert math.isnan(m["on_orbit_25y"]) and math.isnan(m["on_orbit_100y"])
    curve = cq.on_orbit_curve([0.5, 3.0, np.inf], [0.0, 0.5, 1.0, 3.0, 50.0])
    assert list(curve) == [3, 2, 2, 1, 1]


@pytest.mark.parametrize("lifetimes, expected", [
    ([0.1] * 99 + [0.9], "reversible"),
    ([0.1] * 99 + [30.0], "reversible"),     # 99% gone within a year: the last 1% does not count
    ([0.1] * 98 + [30.0, 30.0], "irreversible"),
    ([0.5] * 50 + [20.0] * 50, "long-lived"),
    ([1.0] * 100, "reversible"),              # boundary: within 1 year
    ([25.0] * 100, "long-lived"),
    ([np.nan] * 100, "irreversible"),
    ([], "reversible"),
])
def test_reversibility_classes(lifetimes, expected):
    assert cq.reversibility(cq.time_to_gone(lifetimes)) == expected


def test_orbit_metrics():
    m = cq.orbit_metrics([400, 350, np.nan], [900, 500, 2000])
    assert m["max_apogee_km"] == 900.0 and m["min_perigee_km"] == 350.0 and m["altitude_span_km"] == 550.0
    assert m["apogee_p99_km"] == pytest.approx(500 + 0.99 * 400)  # linear between the two apogees


def test_conjunction_metrics_and_omission():
    sid = np.array([25544, 1, 2, 2, 3, 48274])
    own = np.array(["ISS", "CIS", "US", "US", "PRC", "PRC"], dtype=object)
    act = np.array([True, True, True, True, True, True])
    miss = np.array([2.0, 1.0, 3.0, 0.5, 4.0, 1.5])
    m = cq.conjunction_metrics(sid, own, act, miss, tester="CIS", screening_days=7.0,
                               catalog_ids=[25544, 1, 2, 3, 48274])
    assert m["conjunctions_week1"] == 6 and m["conjunctions_per_day_week1"] == pytest.approx(6 / 7)
    assert m["warnings_to_other_states_week1"] == 5  # all but the tester's own satellite
    assert m["other_state_operators_to_warn"] == 3   # ISS, US, PRC
    assert m["iss_conjunctions_week1"] == 1 and m["iss_min_miss_km"] == 2.0
    assert m["tiangong_min_miss_km"] == 1.5
    m3 = cq.conjunction_metrics(sid, own, act, miss, "CIS", 7.0, pc=[1e-3, 1e-3, 1e-5, 2e-4, 0.0, 1e-4])
    assert m3["warnings_pc_ge_1e-4_to_other_states_week1"] == 3  # ISS, US 2e-4, PRC 1e-4 (not CIS's own)
    m2 = cq.conjunction_metrics(sid[1:5], own[1:5], act[1:5], miss[1:5], "CIS", 7.0, catalog_ids=[1, 2, 3])
    assert math.isnan(m2["iss_conjunctions_week1"])  # not in the catalog: unknown, not zero


def test_owner_grouping_consistent_with_tester_split():
    owner = np.array(["US", "CIS", "US", "PRC", "CIS"], dtype=object)
    exp = {1: np.array([0.1, 0.2, 0.3, 0.0, 0.4]), 25: np.array([1.0, 2.0, 3.0, 0.5, 4.0])}
    by = cq.exposure_by_owner(owner, exp, tester="CIS", conj_secondary_owner=["US", "US", "CIS"],
                              screening_days=7.0)
    assert by["owner"] == ["CIS", "US", "PRC"]  # sorted by 25-year risk
    assert by["expected_collisions_25y"] == [6.0, 4.0, 0.5]
    assert by["n_active_payloads"] == [2, 2, 1]
    assert by["conjunctions_per_day_week1"] == [pytest.approx(1 / 7), pytest.approx(2 / 7), 0.0]
    split = cq.tester_split(owner, exp, "CIS")
    assert split["expected_collisions_25y_tester"] == pytest.approx(6.0)
    assert split["expected_collisions_25y_others"] == pytest.approx(4.5)
    assert split["expected_collisions_1y"] == pytest.approx(sum(by["expected_collisions_1y"]))


def test_density_table_single_object():
    edges = np.array([400.0, 450.0, 500.0, 550.0])
    d = cq.density_table([475.0], [475.0], [0.5], [475.0, 520.0], [475.0, 520.0], edges_km=edges)
    vol = cq.shell_volumes_km3(edges)
    assert np.allclose(d["added_density_0y_per_km3"], [0, 1 / vol[1], 0])
    assert np.allclose(d["added_density_1y_per_km3"], 0)  # decayed after half a year
    assert np.allclose(d["catalog_density_per_km3"], [0, 1 / vol[1], 1 / vol[2]])
    assert d["added_over_catalog_0y"][1] == pytest.approx(1.0)


def test_taxonomy_record():
    m = {"years_to_99pct_gone": 0.7, "warnings_to_other_states_week1": 12.0,
         "expected_collisions_25y_others": 1e-3, "expected_collisions_25y_tester": 1e-4}
    t = cq.taxonomy(m, "destructive direct-ascent ASAT test", "test", "IND")
    assert t["reversibility"] == "reversible" and t["omission_warnings_needed_week1"] == 12.0
    assert t["impact"].startswith("material")


def test_ensemble_band_and_order():
    members = [{"a": float(i), "name": "x"} for i in range(1, 21)]
    s = ensemble.summarize(members)
    assert s["a"] == pytest.approx(np.median(np.arange(1, 21)))
    assert s["a_p05"] == pytest.approx(np.percentile(np.arange(1, 21), 5))
    assert s["a_p95"] == pytest.approx(np.percentile(np.arange(1, 21), 95))
    assert s["name"] == "x"
    s2 = ensemble.summarize([{"t": 1.0}, {"t": np.inf}, {"t": np.inf}])
    assert s2["t"] == np.inf and s2["t_p05"] >= 1.0
    # parallel members come back in argument order
    assert ensemble.run_members(abs, [-3, 2, -1, 5], workers=2) == [3, 2, 1, 5]
