"""Cube-method collision rates: a uniform gas with an analytic rate, orbit sampling, attribution."""

from __future__ import annotations

import math

import numpy as np
import pytest

from orbitsim import risk
from orbitsim.errors import InputError

MU = 398600.8


def _uniform_box(rng, n_a, n_b, k, box_km, w_km_s, u_km_s):
    """A: n_a objects at velocity (w, 0, 0); B: n_b objects at speed u, isotropic directions; every
    object smeared over k uniform samples of weight 1/k in the box [0, box)^3."""
    pa = rng.uniform(0, box_km, (n_a * k, 3))
    pb = rng.uniform(0, box_km, (n_b * k, 3))
    va = np.tile([w_km_s, 0.0, 0.0], (n_a * k, 1))
    d = rng.normal(size=(n_b * k, 3))
    vb = u_km_s * d / np.linalg.norm(d, axis=1, keepdims=True)
    return pa, va, pb, vb


@pytest.mark.parametrize("cell_km", [10.0, 20.0, 25.0, 50.0])
def test_uniform_gas_rate_is_analytic_for_every_cell_size(cell_km):
    """Kinetic theory: rate = N_a N_b sigma <|v_a - v_b|> / V, and for a fixed v_a of speed w
    and isotropic v_b of speed u <= w, <|v_a - v_b|> = w + u^2 / (3 w)."""
    rng = np.random.default_rng(int(cell_km))
    n_a, n_b, k, box = 300, 150, 40, 200.0
    w, u = 10.0, 7.0
    pa, va, pb, vb = _uniform_box(rng, n_a, n_b, k, box, w, u)
    ra, rb = 0.05, 1.5  # m
    rates = risk.flux_collision_rate(pa, va, np.full(len(pa), 1 / k), np.full(len(pa), ra),
                                     np.full(len(pa), 1.0), np.ones(len(pa), bool),
                                     pb, vb, np.full(len(pb), 1 / k), np.full(len(pb), rb),
                                     np.full(len(pb), 500.0), cell_km=cell_km)
    sigma_km2 = math.pi * ((ra + rb) / 1000) ** 2
    ref = n_a * n_b * sigma_km2 * (w + u * u / (3 * w)) / box ** 3 * risk.SECONDS_PER_YEAR
    total = rates[:, :2].sum()
    assert np.allclose(rates[:, :2].sum(axis=1), rates[:, 2:].sum(axis=1))
    # sampling noise: ~1/sqrt(number of same-cell pairs); 6 % is > 4 sigma for these sizes
    assert abs(total / ref - 1) < 0.06


def test_catastrophic_split_follows_emr():
    rng = np.random.default_rng(1)
    pa, va, pb, vb = _uniform_box(rng, 100, 50, 20, 100.0, 10.0, 0.0)
    vb[:] = 0.0  # |v_rel| = 10 km/s exactly
    n_a = len(pa)
    heavy = np.where(np.arange(n_a) % 2 == 0, 10.0, 1e-4)  # EMR 5000 J/g vs 0.05 J/g on 100 kg
    rates = risk.flux_collision_rate(pa, va, np.full(n_a, 1 / 20), np.full(n_a, 0.05), heavy,
                                     np.zeros(n_a, bool), pb, vb, np.full(len(pb), 1 / 20),
                                     np.full(len(pb), 1.0), np.full(len(pb), 100.0), cell_km=20.0)
    rates_heavy = risk.flux_collision_rate(pa[::2], va[::2], np.full(len(pa[::2]), 1 / 20), np.full(len(pa[::2]), 0.05),
                                           heavy[::2], np.zeros(len(pa[::2]), bool), pb, vb,
                                           np.full(len(pb), 1 / 20), np.full(len(pb), 1.0),
                                           np.full(len(pb), 100.0), cell_km=20.0)
    assert rates[:, 0].sum() == pytest.approx(rates_heavy.sum(axis=0)[:2].sum(), rel=1e-12)
    assert rates[:, 2].sum() == pytest.approx(rates[:, :2].sum(), rel=1e-12)  # all untracked
    assert rates[:, 3].sum() == 0


def test_orbit_samples_obey_kepler():
    rng = np.random.default_rng(2)
    a = np.array([7000.0, 7500.0, 26600.0])
    e = np.array([0.0, 0.05, 0.7])
    i = np.array([98.0, 45.0, 63.4])
    r, v, owner = risk.sample_orbits(a, e, i, 4000, rng)
    rr = np.linalg.norm(r, axis=1)
    vv = np.linalg.norm(v, axis=1)
    aa = a[owner]
    assert np.allclose(vv ** 2, MU * (2 / rr - 1 / aa), rtol=1e-9)  # vis-viva
    h = np.linalg.norm(np.cross(r, v), axis=1)
    assert np.allclose(h, np.sqrt(MU * aa * (1 - e[owner] ** 2)), rtol=1e-9)
    inc = np.degrees(np.arccos(np.cross(r, v)[:, 2] / h))
    assert np.allclose(inc, i[owner], atol=1e-6)
    for k in range(3):
        m = owner == k
        # time average of r over a Kepler orbit: a (1 + e^2 / 2)
        assert rr[m].mean() == pytest.approx(a[k] * (1 + e[k] ** 2 / 2), rel=2e-3)


class _Targets:
    def __init__(self, n, owner, active, a_km, inc):
        self.norad_id = np.arange(1, n + 1)
        self.owner = np.array(owner, object)
        self.is_active = np.array(active, bool)
        self.semi_major_axis_km = np.array(a_km, float)
        self.eccentricity = np.full(n, 0.001)
        self.inclination_deg = np.array(inc, float)
        self.size_m = np.full(n, 3.0)
        self.mass_kg = np.full(n, 800.0)


def test_expected_collisions_by_owner_and_size_class():
    rng = np.random.default_rng(4)
    n = 2000
    fa = 6378.135 + rng.uniform(820, 880, n)
    fe = rng.uniform(0, 0.01, n)
    fi = rng.normal(98.8, 0.3, n)
    size = np.where(np.arange(n) % 4 == 0, 0.2, 0.03)
    size[:50] = 0.005  # below 1 cm: not lethal, left out
    mass = np.where(size > 0.1, 0.5, 0.002)
    tg = _Targets(4, ["PRC", "US", "US", "CIS"], [True, True, False, True],
                  [6378.135 + 850, 6378.135 + 850, 6378.135 + 860, 6378.135 + 550], [98.7, 53.0, 86.4, 53.0])
    res = risk.expected_collisions_per_year(fa, fe, fi, size, mass, tg, cell_km=20.0, seed=1, target_samples_per_orbit=1024)
    assert res.parameters["n_fragments_lethal"] == n - 50
    assert np.allclose(res.expected_per_year, res.catastrophic_per_year + res.non_catastrophic_per_year)
    assert np.allclose(res.expected_per_year, res.lethal_non_trackable_per_year + res.trackable_per_year)
    assert res.expected_per_year[3] == 0.0  # 550 km: never meets an 820-880 km cloud
    assert np.all(res.expected_per_year[:3] > 0)
    by = res.by_owner(tester="PRC")
    assert by["US"]["expected"] == pytest.approx(res.expected_per_year[1:3].sum())
    assert by["US"]["active_expected"] == pytest.approx(res.expected_per_year[1])
    assert by["<tester's own>"]["expected"] + by["<others>"]["expected"] == pytest.approx(res.expected_per_year.sum())
    assert np.all((res.probability >= 0) & (res.probability < 1))
    # same seed, same numbers
    res2 = risk.expected_collisions_per_year(fa, fe, fi, size, mass, tg, cell_km=20.0, seed=1, target_samples_per_orbit=1024)
    assert np.array_equal(res.expected_per_year, res2.expected_per_year)


def test_bad_flux_inputs():
    tg = _Targets(1, ["US"], [True], [7000.0], [50.0])
    with pytest.raises(InputError):
        risk.expected_collisions_per_year([7000.0, 7100.0], [0.0], [50.0, 50.0], [0.1, 0.1], [1, 1], tg)
    with pytest.raises(InputError):
        risk.expected_collisions_per_year([np.nan], [0.0], [50.0], [0.1], [1], tg)
    with pytest.raises(InputError):
        risk.flux_collision_rate(np.zeros((1, 3)), np.zeros((1, 3)), [1], [1], [1], [True],
                                 np.zeros((1, 3)), np.zeros((1, 3)), [1], [1], [1], cell_km=0)
