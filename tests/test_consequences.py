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


def test_integrate_rates_against_closed_forms():
    t = np.array([0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 15.0, 20.0, 25.0])
    # exponential decay (two independent series) is integrated exactly, at and between nodes
    tau = 3.0
    rr = np.exp(-t / tau)[:, None] * np.array([1.0, 2.0])
    for upto in (1.0, 10.0, 25.0, 7.5):
        exact = tau * (1 - np.exp(-upto / tau)) * np.array([1.0, 2.0])
        assert np.allclose(cq.integrate_rates(t, rr, upto), exact, rtol=1e-12)
    # a constant rate: rate x time; a linear rate falling to 0: the trapezoid is used on that step
    assert cq.integrate_rates(t, np.full(t.size, 2.0), 10.0) == pytest.approx(20.0, rel=1e-12)
    lin = np.where(t == 0.0, 1.0, 0.0)  # 1 -> 0 over the first half year: a triangle
    assert cq.integrate_rates(t, lin, 25.0) == pytest.approx(0.25, rel=1e-12)
    assert cq.integrate_rates(t, lin, 0.25) == pytest.approx(0.25 - 0.0625, rel=1e-12)
    # a linear, positive rate: the logarithmic mean lies below the arithmetic one, within h^2/12 r''-like
    r = 3.0 - 0.1 * t
    got, exact = cq.integrate_rates(t, r, 25.0), 3.0 * 25 - 0.05 * 25**2
    assert exact * 0.97 < got <= exact
    assert np.isnan(cq.integrate_rates(t[:4], lin[:4], 10.0))  # no extrapolation beyond the nodes
    assert list(cq.risk_epochs_years(12.0)) == [0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0]
    assert cq.risk_epochs_years(0.5).size == 0


def _shell_cloud(n, r0_km, h_km, rng):
    """Circular orbits, radius uniform in [r0 - h/2, r0 + h/2], orbit normals isotropic."""
    a = rng.uniform(r0_km - h_km / 2, r0_km + h_km / 2, n)
    inc = np.degrees(np.arccos(rng.uniform(-1.0, 1.0, n)))
    return a, inc


def test_uniform_density_shell_matches_kinetic_gas_over_time():
    """Cell-method rates on a decaying cloud, integrated over time, vs the analytic kinetic gas.

    Fragments fill a spherical shell with uniform number density at the target's radius
    ``n = N / (4 pi r0^2 H)`` and isotropic velocity directions; a circular target of the same speed
    ``v`` meets them at the mean relative speed ``E|2 v sin(phi/2)| = 4 v / pi`` (phi uniform), so
    the rate is ``n (4 v / pi) pi (r_f + r_t)^2`` (Kessler 1981, particle in a box). Half the
    fragments are gone at 1 y and three quarters at 2 y: the count ``N exp(-t ln 2)``, whose
    integral is ``N (1 - 2^-t) / ln 2``.
    A collision is catastrophic when ``v_rel >= v_c`` (EMR >= 40 J/g): a fraction
    ``sqrt(1 - (v_c / 2v)^2)`` of the rate.
    """
    rng = np.random.default_rng(11)
    n, r0, h = 20000, RE + 700.0, 600.0
    a, inc = _shell_cloud(n, r0, h, rng)
    t = np.array([0.0, 1.0, 2.0])
    el = np.full((n, 3, 3), np.nan)
    el[:, 0] = np.column_stack([a, np.zeros(n), inc])
    el[: n // 2, 1] = el[: n // 2, 0]  # half the cloud still up at 1 y, a quarter at 2 y
    el[: n // 4, 2] = el[: n // 4, 0]
    size_f, size_t, m_t = 0.2, 2.0, 1000.0
    v = math.sqrt(398600.4418 / r0)  # km/s
    v_c = 1.2 * v  # catastrophic above this relative speed: fragment mass from EMR = 40 J/g
    m_f = 2 * 40.0 * (m_t * 1000.0) / (v_c * 1000.0) ** 2
    from types import SimpleNamespace
    target = SimpleNamespace(norad_id=np.array([1]), owner=np.array(["US"], dtype=object),
                             is_active=np.array([True]), semi_major_axis_km=np.array([r0]),
                             eccentricity=np.array([0.0]), inclination_deg=np.array([53.0]),
                             size_m=np.array([size_t]), mass_kg=np.array([m_t]))
    rates = cq.collision_rates_at_epochs(el, np.full(n, size_f), np.full(n, m_f), target, seed=5,
                                         cell_km=50.0, samples_per_orbit=64, target_samples_per_orbit=40000)
    assert list(rates["n_fragments"]) == [n, n // 2, n // 4]
    total, parts = cq.expected_by_horizon(t, rates, horizon_years=2.0, risk_years=(1, 2))
    dens = n / (4 * np.pi * r0**2 * h)
    rate0 = dens * (4 * v / np.pi) * np.pi * (0.5e-3 * (size_f + size_t)) ** 2 * 365.25 * 86400
    assert total[1][0] == pytest.approx(rate0 * 0.5 / math.log(2), rel=0.08)
    assert total[2][0] == pytest.approx(rate0 * 0.75 / math.log(2), rel=0.08)
    frac_cat = parts["catastrophic"][2][0] / total[2][0]
    assert frac_cat == pytest.approx(math.sqrt(1 - (v_c / (2 * v)) ** 2), abs=0.04)
    # beyond the evolved horizon: NaN, not zero
    total3, _ = cq.expected_by_horizon(t, rates, horizon_years=2.0, risk_years=(1, 25))
    assert np.isnan(total3[25][0])


def test_size_law_counts_follow_the_sbm_law():
    """Below the run's cut the counts are the NASA SBM law N(>=L) = 0.1 M^0.75 L^-1.71."""
    M, k, b = 2000.0, 0.1 * 2000.0**0.75, 1.71
    law = lambda x: k * x**-b  # noqa: E731
    rng = np.random.default_rng(2)
    lc = 0.1 * (1 - rng.random(int(law(0.1)))) ** (-1 / b)  # a draw of the fragments >= 10 cm
    exp = cq.size_law_counts(lc, 0.1, k, b, np.inf)
    assert exp["n_ge_10cm"] == lc.size
    assert exp["n_ge_1cm"] == pytest.approx(lc.size + law(0.01) - law(0.1), rel=1e-12)
    assert exp["n_ge_1mm"] == pytest.approx(lc.size + law(0.001) - law(0.1), rel=1e-12)
    assert exp["size_law_thresholds"] == ["n_ge_1cm", "n_ge_1mm"]
    draws = np.array([[d["n_ge_1cm"], d["n_ge_1mm"]] for d in
                      (cq.size_law_counts(lc, 0.1, k, b, np.inf, rng=np.random.default_rng(s)) for s in range(400))])
    assert np.all(draws[:, 1] >= draws[:, 0])  # nested: more fragments above 1 mm than above 1 cm
    mean_1cm = lc.size + law(0.01) - law(0.1)
    sd = math.sqrt(law(0.01) - law(0.1))  # Poisson
    assert abs(draws[:, 0].mean() - mean_1cm) < 4 * sd / math.sqrt(400)
    assert draws[:, 0].std() == pytest.approx(sd, rel=0.15)
    full = cq.size_law_counts(lc, 0.001, k, b, np.inf)  # nothing below the cut: plain counts
    assert full["n_ge_1cm"] == lc.size and full["size_law_thresholds"] == []


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
    parts = {"catastrophic": {y: 0.25 * e for y, e in exp.items()},
             "noncatastrophic": {y: 0.75 * e for y, e in exp.items()}}
    by2 = cq.exposure_by_owner(owner, exp, tester="CIS", parts=parts)
    assert by2["expected_collisions_25y_catastrophic"] == [1.5, 1.0, 0.125]
    assert by2["expected_collisions_1y_noncatastrophic"] == pytest.approx([0.45, 0.3, 0.0])
    split2 = cq.tester_split(owner, exp, "CIS", parts=parts)
    assert split2["expected_collisions_25y_catastrophic"] == pytest.approx(0.25 * 10.5)
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
