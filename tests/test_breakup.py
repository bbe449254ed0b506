"""The breakup API and CLI: published counts, mass budget, states, reproducibility, bad input.

References from outside the code: the Iridium 33 + Cosmos 2251 worked check of the NASA SBM
(N >= 10 cm = 1,208, >= 5 cm = 3,954, >= 1 cm = 61,997 for M = 1,456 kg, docs/model-notes.md
section 1), the power laws of Johnson et al. (2001) evaluated here by hand, two-body orbit relations
for the drop rules, brute-force Monte Carlo for expected masses, and sgp4's own propagator for a
catalogued parent's state.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from orbitsim import breakup
from orbitsim.breakup import FragmentCloud, Parent
from orbitsim.cli import main
from orbitsim.core._jit import get_threads, set_threads
from orbitsim.errors import InputError, ResourceError

MU = 398600.8  # WGS72, km^3/s^2
RE = 6378.135  # WGS72, km


def lc_from_mass(m):
    # Johnson et al. 2001 sphere of density 92.937 Lc^-0.74 kg/m^3
    return (6 * m / (92.937 * math.pi)) ** (1 / 2.26)


# ------------------------------------------------------------------------------- counts
def test_published_iridium_cosmos_counts_and_emr():
    # 556 kg + 900 kg at 11.7 km/s: catastrophic, M = 1456 kg
    for lc, published in ((0.1, 1208), (0.05, 3954), (0.01, 61997)):
        assert int(breakup.collision_count(lc, 556.0, 900.0, 11.7)) == published  # truncated
    emr = breakup.energy_to_mass_ratio_j_per_g(900.0, 556.0, 11.7)
    assert emr == pytest.approx(0.5 * 556 * 11700.0 ** 2 / 900e3)
    assert breakup.explosion_count(0.1, 2.0) == pytest.approx(12 * 0.1 ** -1.6)


def test_catastrophic_switch_at_40_j_per_g():
    # EMR = 0.5 m_p v^2 / M_t: with m_p = 10 kg, M_t = 1000 kg the threshold is v = sqrt(8) km/s
    v_thr = math.sqrt(40.0 * 1000e3 / (0.5 * 10.0)) / 1e3
    below = breakup.collision(Parent(1000.0), Parent(10.0), v_thr * 0.999, min_size=0.05, seed=1)
    above = breakup.collision(Parent(1000.0), Parent(10.0), v_thr * 1.001, min_size=0.05, seed=1)
    assert not below.catastrophic and above.catastrophic
    assert below.emr_j_per_g < 40.0 <= above.emr_j_per_g
    # non-catastrophic reference mass m_p v^2 (v in km/s, Krisko 2011), catastrophic M_t + m_p
    assert below.parameters["reference_mass_kg"] == pytest.approx(10.0 * (v_thr * 0.999) ** 2)
    assert above.parameters["reference_mass_kg"] == pytest.approx(1010.0)
    # roles follow mass, not the argument order
    swapped = breakup.collision(Parent(10.0), Parent(1000.0), v_thr * 1.001, min_size=0.05, seed=1)
    assert swapped.catastrophic and swapped.emr_j_per_g == pytest.approx(above.emr_j_per_g)


def test_sampled_counts_agree_with_power_law_within_poisson_error():
    lmax = lc_from_mass(900.0)
    coef = 0.1 * 1456.0 ** 0.75
    lam10 = coef * (0.1 ** -1.71 - lmax ** -1.71)  # 1,208 less the few above the parent size
    assert lam10 == pytest.approx(1208.846 - coef * lmax ** -1.71, abs=0.01)
    counts = np.array([breakup.collision(Parent(900.0), Parent(556.0), 11.7, min_size=0.1, seed=s,
                                         mass_budget="none").summary()["n_ge_10cm"]
                       for s in range(300)])
    assert abs(counts.mean() - lam10) < 4 * math.sqrt(lam10 / counts.size)
    # Poisson dispersion: (k-1) s^2 / mean ~ chi2(k-1)
    from scipy import stats
    d = (counts.size - 1) * counts.var(ddof=1) / counts.mean()
    assert stats.chi2.sf(d, counts.size - 1) > 1e-3 and stats.chi2.cdf(d, counts.size - 1) > 1e-3

    lam1 = coef * (0.01 ** -1.71 - lmax ** -1.71)
    c1 = np.array([len(breakup.collision(Parent(900.0), Parent(556.0), 11.7, min_size=0.01,
                                         seed=1000 + s, mass_budget="none")) for s in range(20)])
    assert abs(c1.mean() - lam1) < 4 * math.sqrt(lam1 / c1.size)


def test_explosion_counts():
    lmax = lc_from_mass(1400.0)
    lam = 6 * 2.5 * (0.01 ** -1.6 - lmax ** -1.6)
    n = np.array([len(breakup.explosion(Parent(1400.0, object_type="rocket_body"), scaling=2.5,
                                        min_size=0.01, seed=s, mass_budget="none"))
                  for s in range(20)])
    assert abs(n.mean() - lam) < 4 * math.sqrt(lam / n.size)


# ------------------------------------------------------------------------------- mass budget
CASES = {
    "catastrophic": lambda ms, s: breakup.collision(Parent(900.0), Parent(556.0), 11.7,
                                                    min_size=ms, seed=s),
    "asat": lambda ms, s: breakup.collision(Parent(880.0), Parent(20.0), 9.36, min_size=ms, seed=s),
    "non_catastrophic": lambda ms, s: breakup.collision(Parent(1000.0), Parent(2.0), 3.0,
                                                        min_size=ms, seed=s),
    "explosion": lambda ms, s: breakup.explosion(Parent(1400.0, object_type="rocket_body"),
                                                 min_size=ms, seed=s),
    "small_parent": lambda ms, s: breakup.explosion(Parent(5.0), scaling=3.0, min_size=ms, seed=s),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("min_size", [0.001, 0.01, 0.1])
def test_mass_budget_krisko2011(case, min_size):
    for seed in range(1 if min_size < 0.01 else 3):
        c = CASES[case](min_size, seed)
        parents_mass = sum(p["mass_kg"] for p in c.parents)
        frag = c.mass_kg[~c.is_remnant].sum()
        below = c.parameters["mass_below_min_size_kg"]
        unassigned = c.parameters["unassigned_mass_kg"]
        assert np.all(c.mass_kg > 0) and np.all(np.isfinite(c.area_to_mass_m2_per_kg))
        # never more than the parents had; every kilogram accounted for
        assert c.mass_kg.sum() + below <= parents_mass * (1 + 1e-12)
        assert c.mass_kg.sum() + below + unassigned == pytest.approx(parents_mass, rel=1e-9)
        assert unassigned >= 0.0
        if case == "non_catastrophic":
            assert not c.catastrophic
            budget = 2.0 * 3.0 ** 2  # m_p v^2
            assert frag + below <= budget * (1 + 1e-12)
            assert c.is_remnant.sum() == 1
            rem = np.flatnonzero(c.is_remnant)[0]
            assert c.parent[rem] == 0 and np.all(c.dv_m_per_s[rem] == 0.0)
            assert c.lc_m[rem] == pytest.approx(lc_from_mass(1000.0))
        else:
            assert c.catastrophic
            lmax = max(p["lc_m"] for p in c.parents)
            split = min(1.0, lmax)
            assert np.all(c.lc_m[~c.is_remnant] <= split)
            assert np.all(c.lc_m[c.is_remnant] >= split * (1 - 1e-12))
            assert np.all(c.lc_m[c.is_remnant] <= lmax * (1 + 1e-12))


def test_mass_budget_none_is_the_plain_model():
    c = breakup.collision(Parent(900.0), Parent(556.0), 11.7, min_size=0.01, seed=5,
                          mass_budget="none")
    assert not c.is_remnant.any() and c.lc_m.max() > 1.0  # sizes up to the parent's
    assert c.parameters["mass_budget_kg"] is None


def test_expected_mass_below_min_size_matches_brute_force():
    # the mass the budget reserves for unsampled fragments (1 mm .. 1 cm) against sampled clouds
    ref = breakup.explosion(Parent(1000.0), min_size=0.01, seed=0).parameters["mass_below_min_size_kg"]
    masses = []
    for s in range(8):
        c = breakup.explosion(Parent(1000.0), min_size=0.001, seed=s, mass_budget="none")
        masses.append(c.mass_kg[c.lc_m < 0.01].sum())
    # per-cloud scatter is about 0.6 %: 1.5 % on the mean of 8 is > 5 sigma, yet far tighter than
    # any error in the law (dropping the log-normal variance term alone is a 20 % error)
    assert np.mean(masses) == pytest.approx(ref, rel=0.015)


# ------------------------------------------------------------------------------- states
def _circular(alt_km, inc_deg=51.6):
    r = RE + alt_km
    v = math.sqrt(MU / r)
    i = math.radians(inc_deg)
    return np.array([r, 0.0, 0.0]), np.array([0.0, v * math.cos(i), v * math.sin(i)])


def test_states_and_drop_rules_match_two_body_brute_force():
    r1, v1 = _circular(450.0)
    r2, v2 = r1.copy(), np.array([3.0, 0.5, 0.5])  # a suborbital interceptor, climbing
    kw = dict(min_size=0.005, seed=77, mass_budget="none", reentry_altitude_km=120.0)
    full = breakup.collision(Parent(1200.0), Parent(25.0), v2 - v1, **kw)  # no states: no drops
    cloud = breakup.collision(Parent(1200.0, r_km=r1, v_km_s=v1),
                              Parent(25.0, r_km=r2, v_km_s=v2), v2 - v1, **kw)
    assert np.all(np.isnan(full.r_km)) and np.all(np.isnan(full.v_km_s))
    assert full.n_hyperbolic == 0 and full.n_reentered == 0
    # brute force: parent state + dv, vis-viva energy, perigee from a and e
    pr = np.stack([r1, r2])[full.parent]
    pv = np.stack([v1, v2])[full.parent] + full.dv_m_per_s / 1e3
    rn = np.linalg.norm(pr, axis=1)
    energy = 0.5 * np.einsum("ij,ij->i", pv, pv) - MU / rn
    hyper = energy >= 0
    a = -MU / (2 * energy)
    h = np.linalg.norm(np.cross(pr, pv), axis=1)
    e = np.sqrt(np.clip(1 - h ** 2 / (MU * a), 0, None))
    low = ~hyper & (a * (1 - e) - RE < 120.0)
    assert cloud.n_hyperbolic == hyper.sum() and cloud.n_reentered == low.sum()
    keep = ~hyper & ~low
    assert len(cloud) == keep.sum() and 0 < keep.sum() < len(full)
    np.testing.assert_array_equal(cloud.lc_m, full.lc_m[keep])
    np.testing.assert_array_equal(cloud.dv_m_per_s, full.dv_m_per_s[keep])
    np.testing.assert_array_equal(cloud.r_km, pr[keep])
    np.testing.assert_allclose(cloud.v_km_s, pv[keep], rtol=0, atol=1e-12)
    # the interceptor's fragments mostly fall, the target's mostly stay
    assert (cloud.parent == 1).mean() < (full.parent == 1).mean()


def test_projectile_without_state_shares_target_state():
    r1, v1 = _circular(800.0)
    c = breakup.collision(Parent(900.0, r_km=r1, v_km_s=v1), Parent(20.0), 9.4, min_size=0.05,
                          seed=3, epoch="2021-11-15T02:47:00Z")
    assert np.all(c.r_km == r1)
    np.testing.assert_allclose(c.v_km_s, v1 + c.dv_m_per_s / 1e3, atol=1e-12)
    assert str(c.epoch) == "2021-11-15T02:47:00.000000"


def test_parent_from_catalogued_elements_uses_sgp4_state():
    from sgp4.api import Satrec
    l1 = "1 13552U 82092A   21317.92599714  .00002092  00000-0  71807-4 0  9997"
    l2 = "2 13552  82.5637 124.8027 0018519 111.6524 248.6690 15.29385168142636"
    sat = Satrec.twoline2rv(l1, l2)
    err, r, v = sat.sgp4(sat.jdsatepoch, sat.jdsatepochF + 0.01)
    assert err == 0
    target = Parent(2000.0, r_km=r, v_km_s=v, name="COSMOS 1408", owner="CIS", norad_id=13552)
    c = breakup.collision(target, Parent(20.0), 7.0, min_size=0.1, seed=2,
                          epoch=(sat.jdsatepoch, sat.jdsatepochF + 0.01))
    assert c.parents[0]["norad_id"] == 13552 and c.parents[0]["owner"] == "CIS"
    alt = np.linalg.norm(c.r_km, axis=1) - RE
    assert np.all((alt > 400) & (alt < 550))
    assert c.n_reentered + c.n_hyperbolic + len(c) >= c.parameters["n_sampled"]


# ------------------------------------------------------------------------------- reproducibility
def _fields(c):
    return [c.lc_m, c.area_to_mass_m2_per_kg, c.area_m2, c.mass_kg, c.dv_m_per_s, c.parent,
            c.r_km, c.v_km_s, c.is_remnant]


def _same(a, b):
    return all(np.array_equal(x, y, equal_nan=x.dtype.kind == "f") and x.dtype == y.dtype
               for x, y in zip(_fields(a), _fields(b)))


def test_same_seed_bit_identical_serial_parallel_any_threads():
    r1, v1 = _circular(700.0)
    target = Parent(1400.0, object_type="rocket_body", r_km=r1, v_km_s=v1)
    kw = dict(scaling=1.0, min_size=0.001, seed=2024)  # ~380k fragments, 6 random blocks
    before = get_threads()
    try:
        set_threads(1)
        one = breakup.explosion(target, **kw)
        set_threads(2)
        two = breakup.explosion(target, **kw)
        serial = breakup.explosion(target, parallel=False, **kw)
    finally:
        set_threads(before)
    assert one.parameters["n_sampled"] > 3 * 65536
    assert _same(one, two) and _same(one, serial)
    assert one.n_reentered == two.n_reentered == serial.n_reentered
    other = breakup.explosion(target, **{**kw, "seed": 2025})
    assert not np.array_equal(other.lc_m[:1000], one.lc_m[:1000])


def test_seed_none_is_recorded_and_reproduces():
    c = breakup.collision(Parent(900.0), Parent(20.0), 9.4, min_size=0.1)
    again = breakup.collision(Parent(900.0), Parent(20.0), 9.4, min_size=0.1, seed=c.seed)
    assert _same(c, again)


# ------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("call, match", [
    (lambda: breakup.collision(Parent(900.0), Parent(20.0), 0.0), "positive"),
    (lambda: breakup.collision(Parent(900.0), Parent(20.0), -3.0), "positive"),
    (lambda: breakup.collision(Parent(900.0), Parent(20.0), float("nan")), "positive"),
    (lambda: breakup.collision(Parent(900.0), Parent(20.0), 9400.0), "m/s"),
    (lambda: breakup.collision(Parent(900.0), Parent(20.0), [0.0, 0.0, 0.0]), "positive"),
    (lambda: breakup.collision(Parent(900.0), Parent(20.0), 9.4, min_size=4.0), "parent size"),
    (lambda: breakup.collision(Parent(900.0), Parent(20.0), 9.4, min_size=0.0), "min_size"),
    (lambda: breakup.collision(Parent(900.0), Parent(20.0), 9.4, mass_budget="x"), "mass_budget"),
    (lambda: breakup.collision(Parent(900.0), Parent(20.0), 9.4, bridge="x"), "bridge"),
    (lambda: breakup.collision(Parent(900.0), Parent(20.0), 9.4, epoch="yesterday"), "epoch"),
    (lambda: breakup.explosion(Parent(900.0), scaling=0.0), "scaling"),
    (lambda: breakup.explosion(Parent(900.0), seed=-3), "seed"),
    (lambda: breakup.explosion(Parent(900.0), seed="abc"), "seed"),
    (lambda: breakup.explosion(Parent(900.0), reentry_altitude_km=float("nan")), "reentry"),
    (lambda: Parent(0.0), "mass_kg"),
    (lambda: Parent(-5.0), "mass_kg"),
    (lambda: Parent(float("nan")), "mass_kg"),
    (lambda: Parent(100.0, object_type="asteroid"), "object_type"),
    (lambda: Parent(100.0, r_km=[7000.0, 0, 0]), "both"),
    (lambda: Parent(100.0, r_km=[7.0e6, 0, 0], v_km_s=[0, 7.5, 0]), "km"),
    (lambda: Parent(100.0, r_km=[7000.0, 0, 0], v_km_s=[0, 7500.0, 0]), "km/s"),
    (lambda: Parent(100.0, r_km=[7000.0, np.nan, 0], v_km_s=[0, 7.5, 0]), "finite"),
])
def test_bad_input_raises_input_error(call, match):
    with pytest.raises(InputError, match=match):
        call()


def test_over_budget_fails_before_sampling():
    with pytest.raises(ResourceError, match="budget"):
        breakup.collision(Parent(900.0), Parent(556.0), 11.7, min_size=1e-5)  # ~6e9 fragments
    with pytest.raises(ResourceError, match="budget"):
        breakup.collision(Parent(900.0), Parent(556.0), 11.7, min_size=0.01, max_fragments=10_000)


# ------------------------------------------------------------------------------- the cloud
def test_cloud_selection_summary_and_files(tmp_path):
    c = breakup.collision(Parent(900.0, name="COSMOS 2251"), Parent(556.0, name="IRIDIUM 33"), 11.7,
                          min_size=0.05, seed=9)
    big = c[c.lc_m >= 0.1]
    assert isinstance(big, FragmentCloud) and len(big) == big.len() == np.count_nonzero(c.lc_m >= 0.1)
    s = c.summary()
    assert s["n_fragments"] == len(c) and s["n_ge_10cm"] == len(big)
    assert s["n_ge_1cm"] is None and s["n_ge_1mm"] is None  # below the sampled minimum size
    assert s["total_mass_kg"] == pytest.approx(c.mass_kg.sum())
    json.dumps(s)

    path = c.to_csv(tmp_path / "c.csv")
    import csv
    with open(path) as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(c)
    for col in ("lc_m", "area_to_mass_m2_per_kg", "area_m2", "mass_kg", "dv_m_per_s", "parent"):
        assert col in rows[0]
    assert float(rows[3]["lc_m"]) == c.lc_m[3]  # full precision
    assert float(rows[3]["dv_m_per_s"]) == pytest.approx(np.linalg.norm(c.dv_m_per_s[3]), rel=1e-15)
    prov = json.loads((tmp_path / "c.csv.provenance.json").read_text())
    assert prov["seed"] == 9 and prov["parameters"]["parents"][1]["name"] == "IRIDIUM 33"

    back = FragmentCloud.from_npz(c.to_npz(tmp_path / "c.npz"))
    assert _same(back, c) and back.seed == 9 and back.catastrophic and back.event == "collision"


# ------------------------------------------------------------------------------- CLI
def _cli(capsys, *argv):
    code = main(["breakup", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_summary_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out, _ = _cli(capsys, "--target-mass", "900", "--projectile-mass", "556", "--speed", "11.7",
                        "--seed", "4", "--json")
    assert code == 0 and list(tmp_path.iterdir()) == []
    s = json.loads(out)
    for key in ("n_fragments", "n_ge_10cm", "n_ge_1cm", "total_mass_kg", "catastrophic", "emr_j_per_g"):
        assert key in s
    assert s["catastrophic"] is True and abs(s["n_ge_10cm"] - 1208) < 5 * math.sqrt(1208)
    assert s["emr_j_per_g"] == pytest.approx(0.5 * 556 * 11700.0 ** 2 / 900e3)
    code, out, _ = _cli(capsys, "--target-mass", "900", "--projectile-mass", "556", "--speed", "11.7")
    assert code == 0 and "fragments" in out and list(tmp_path.iterdir()) == []


def test_cli_writes_csv_and_npz(tmp_path, capsys):
    out = tmp_path / "f.csv"
    code, stdout, _ = _cli(capsys, "--target-mass", "880", "--projectile-mass", "20", "--speed", "9.36",
                           "--target-type", "spacecraft", "--min-size", "0.1", "--seed", "1",
                           "--out", str(out), "--json")
    assert code == 0
    n = json.loads(stdout)["n_fragments"]
    lines = out.read_text().splitlines()
    assert len(lines) == n + 1 and lines[0].startswith("lc_m,area_to_mass_m2_per_kg,area_m2,mass_kg")
    assert (tmp_path / "f.csv.provenance.json").exists()
    code, _, err = _cli(capsys, "--target-mass", "880", "--projectile-mass", "20", "--speed", "9.36",
                        "--out", str(out))
    assert code == 3 and "exists" in err
    npz = tmp_path / "f.npz"
    code, _, _ = _cli(capsys, "--explosion", "--mass", "1400", "--target-type", "rocket_body",
                      "--scaling", "0.5", "--min-size", "0.05", "--seed", "2", "--out", str(npz))
    c = FragmentCloud.from_npz(npz)
    assert code == 0 and c.event == "explosion" and c.parameters["scaling"] == 0.5
    assert c.parents[0]["object_type"] == "rocket_body"


@pytest.mark.parametrize("argv, code", [
    (["--target-mass", "0", "--projectile-mass", "20", "--speed", "9"], 1),
    (["--target-mass", "900", "--projectile-mass", "20", "--speed", "0"], 1),
    (["--target-mass", "900", "--projectile-mass", "nan", "--speed", "9"], 1),
    (["--target-mass", "900", "--projectile-mass", "20", "--speed", "9", "--min-size", "10"], 1),
    (["--target-mass", "900", "--projectile-mass", "20", "--speed", "9", "--min-size", "1e-6"], 4),
    (["--target-mass", "900", "--speed", "9"], 2),  # bad command lines: 2
    (["--explosion", "--mass", "100", "--speed", "9"], 2),
    (["--target-mass", "900", "--projectile-mass", "20", "--speed", "9", "--out", "x.txt"], 2),
])
def test_cli_bad_input_one_line_errors(argv, code, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    got, out, err = _cli(capsys, *argv)
    assert got == code and err.startswith("orbitsim: error:") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------- properties
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(m1=st.floats(0.05, 5000.0), m2=st.floats(0.001, 5000.0), speed=st.floats(0.05, 16.0),
       min_size=st.floats(0.02, 0.5), seed=st.integers(0, 2**32),
       otype=st.sampled_from(["spacecraft", "rocket_body"]))
def test_any_collision_respects_the_budget(m1, m2, speed, min_size, seed, otype):
    t, p = Parent(m1, object_type=otype), Parent(m2)
    if min_size >= max(t.lc_m, p.lc_m):
        with pytest.raises(InputError):
            breakup.collision(t, p, speed, min_size=min_size, seed=seed)
        return
    c = breakup.collision(t, p, speed, min_size=min_size, seed=seed)
    below = c.parameters["mass_below_min_size_kg"]
    assert np.all(c.mass_kg > 0) and np.all(np.isfinite(c.area_to_mass_m2_per_kg))
    assert np.all(c.lc_m >= min_size * (1 - 1e-12))
    assert c.mass_kg.sum() + below <= (m1 + m2) * (1 + 1e-9)
    assert c.mass_kg.sum() + below + c.parameters["unassigned_mass_kg"] == pytest.approx(m1 + m2, rel=1e-9)
    assert set(np.unique(c.parent)) <= {0, 1}
    assert c.catastrophic == (0.5 * min(m1, m2) * (speed * 1e3) ** 2 / (max(m1, m2) * 1e3) >= 40.0)
