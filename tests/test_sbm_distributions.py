"""Statistical checks of the breakup sampler against the NASA SBM's analytic distributions.

The reference CDFs below are written from the published laws (Johnson et al. 2001, NASA's new
breakup model of EVOLVE 4.0, Adv. Space Res. 28(9), 1377-1384, as summarized in
docs/model-notes.md section 1), independently of orbitsim's kernels. Each test draws a cloud with a
fixed seed and applies a Kolmogorov-Smirnov test; conditional laws (A/M given Lc, dv given A/M) are
tested through the probability integral transform u = F(x | condition), which must be uniform.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from orbitsim import breakup
from orbitsim.breakup import Parent

P_MIN = 1e-3  # reject at 0.1 %: fixed seeds make each test deterministic


# ---------------------------------------------------------------- reference laws (the paper's)
def ref_small(lc_log):
    mu = np.where(lc_log <= -1.75, -0.3,
                  np.where(lc_log < -1.25, -0.3 - 1.4 * (lc_log + 1.75), -1.0))
    sigma = np.where(lc_log <= -3.5, 0.2, 0.2 + 0.1333 * (lc_log + 3.5))
    return mu, sigma


def _lin(x, x0, x1, y0, y1):
    """Piecewise linear from (x0, y0) to (x1, y1), constant outside (the tables' clamping)."""
    t = np.clip((x - x0) / (x1 - x0), 0.0, 1.0)
    return y0 + t * (y1 - y0)


def ref_large(lc_log, rocket_body):
    """(alpha, mu1, sigma1, mu2, sigma2): end points of each piecewise-linear parameter."""
    x = lc_log
    if rocket_body:
        return (_lin(x, -1.4, 0.0, 1.0, 0.5), _lin(x, -0.5, 0.0, -0.45, -0.9),
                np.full_like(x, 0.55), np.full_like(x, -0.9), _lin(x, -1.0, 0.1, 0.28, 0.1))
    return (_lin(x, -1.95, 0.55, 0.0, 1.0), _lin(x, -1.1, 0.0, -0.6, -0.95),
            _lin(x, -1.3, -0.3, 0.1, 0.3), _lin(x, -0.7, -0.1, -1.2, -2.0),
            _lin(x, -0.5, -0.3, 0.5, 0.3))


def cdf_large(chi, lc_log, rocket_body, mode):
    a, m1, s1, m2, s2 = ref_large(lc_log, rocket_body)
    if mode == "blend":
        return stats.norm.cdf(chi, a * m1 + (1 - a) * m2, np.hypot(a * s1, (1 - a) * s2))
    return a * stats.norm.cdf(chi, m1, s1) + (1 - a) * stats.norm.cdf(chi, m2, s2)


def cdf_chi(chi, lc_m, rocket_body, bridge="sample_blend", mode="mixture"):
    """CDF of chi = log10(A/M) given Lc, for every regime and bridge reading."""
    lc_log = np.log10(lc_m)
    ms, ss = ref_small(lc_log)
    small = stats.norm.cdf(chi, ms, ss)
    large = cdf_large(chi, lc_log, rocket_body, mode)
    w = np.clip((lc_m - 0.08) / 0.03, 0.0, 1.0)
    if bridge == "switch":
        mid = np.where(lc_m < 0.095, small, large)
    elif bridge == "law_mixture":
        mid = (1 - w) * small + w * large
    else:  # (1 - w) X_small + w Y_large, Y a mixture of two normals (or one normal for "blend")
        a, m1, s1, m2, s2 = ref_large(lc_log, rocket_body)
        if mode == "blend":
            mid = stats.norm.cdf(chi, (1 - w) * ms + w * (a * m1 + (1 - a) * m2),
                                 np.sqrt(((1 - w) * ss) ** 2 + (w * a * s1) ** 2
                                         + (w * (1 - a) * s2) ** 2))
        else:
            mid = (a * stats.norm.cdf(chi, (1 - w) * ms + w * m1, np.hypot((1 - w) * ss, w * s1))
                   + (1 - a) * stats.norm.cdf(chi, (1 - w) * ms + w * m2,
                                              np.hypot((1 - w) * ss, w * s2)))
    return np.where(lc_m < 0.08, small, np.where(lc_m > 0.11, large, mid))


def cdf_lc(lc, lo, hi, exponent):
    """Power law with cumulative N(>=L) ~ L^-exponent, truncated to [lo, hi]."""
    return (lo ** -exponent - lc ** -exponent) / (lo ** -exponent - hi ** -exponent)


def chi_of(cloud):
    return np.log10(cloud.area_to_mass_m2_per_kg)


def uniform_ks(u):
    return stats.kstest(u, "uniform").pvalue


# ---------------------------------------------------------------- clouds (fixed seeds, no budget)
def explosion_cloud(otype, min_size, scaling, seed, **kw):
    return breakup.explosion(Parent(mass_kg=1000.0, object_type=otype), scaling=scaling,
                             min_size=min_size, seed=seed, mass_budget="none", **kw)


def test_lc_follows_truncated_power_law_collision_and_explosion():
    c = breakup.collision(Parent(900.0), Parent(556.0), 11.7, min_size=0.005, seed=11,
                          mass_budget="none")
    lmax = breakup.characteristic_length_m(900.0)
    assert c.lc_m.min() >= 0.005 and c.lc_m.max() <= lmax
    assert stats.kstest(c.lc_m, lambda x: cdf_lc(x, 0.005, lmax, 1.71)).pvalue > P_MIN
    # a wrong exponent must be rejected (the test has power)
    assert stats.kstest(c.lc_m, lambda x: cdf_lc(x, 0.005, lmax, 1.6)).pvalue < 1e-6

    e = explosion_cloud("spacecraft", 0.005, 1.0, 12)
    lmax = breakup.characteristic_length_m(1000.0)
    assert stats.kstest(e.lc_m, lambda x: cdf_lc(x, 0.005, lmax, 1.6)).pvalue > P_MIN


def test_area_and_mass_follow_the_area_law():
    c = explosion_cloud("spacecraft", 0.0005, 0.05, 3)
    lc = c.lc_m
    area = np.where(lc < 0.00167, 0.540424 * lc ** 2, 0.556945 * lc ** 2.0047077)
    np.testing.assert_allclose(c.area_m2, area, rtol=1e-13)
    np.testing.assert_allclose(c.mass_kg, c.area_m2 / c.area_to_mass_m2_per_kg, rtol=1e-13)
    assert (lc < 0.00167).any() and (lc >= 0.00167).any()


def test_small_fragment_area_to_mass():
    c = explosion_cloud("spacecraft", 0.001, 1.0, 21)
    m = c.lc_m < 0.08
    u = cdf_chi(chi_of(c)[m], c.lc_m[m], False)
    assert m.sum() > 100_000 and uniform_ks(u) > P_MIN
    # the law differs across -1.75 < lc < -1.25 (mu ramp): both sides are well populated
    assert np.count_nonzero(c.lc_m[m] > 10 ** -1.75) > 2_000
    # power check: a shifted mean is rejected
    assert uniform_ks(cdf_chi(chi_of(c)[m] + 0.02, c.lc_m[m], False)) < 1e-6


@pytest.mark.parametrize("otype", ["spacecraft", "rocket_body"])
@pytest.mark.parametrize("mode", ["mixture", "blend"])
def test_large_fragment_area_to_mass(otype, mode):
    c = explosion_cloud(otype, 0.11, 60.0, 31, am_large=mode)
    rb = otype == "rocket_body"
    m = c.lc_m > 0.11
    assert m.sum() > 10_000
    assert uniform_ks(cdf_chi(chi_of(c)[m], c.lc_m[m], rb, mode=mode)) > P_MIN
    # the other object type's law, or the other reading, is rejected
    assert uniform_ks(cdf_chi(chi_of(c)[m], c.lc_m[m], not rb, mode=mode)) < 1e-6
    other = "blend" if mode == "mixture" else "mixture"
    assert uniform_ks(cdf_chi(chi_of(c)[m], c.lc_m[m], rb, mode=other)) < 1e-6


@pytest.mark.parametrize("bridge", ["sample_blend", "law_mixture", "switch"])
@pytest.mark.parametrize("otype", ["spacecraft", "rocket_body"])
def test_bridge_area_to_mass(bridge, otype):
    # 8-11 cm only: Lc in [8 cm, 11 cm] comes from a parent whose size bounds the power law
    par = Parent(mass_kg=1.0, lc_m=0.11, object_type=otype)
    c = breakup.explosion(par, scaling=400.0, min_size=0.08, seed=41, mass_budget="none",
                          bridge=bridge)
    rb = otype == "rocket_body"
    assert len(c) > 10_000 and c.lc_m.max() <= 0.11
    assert uniform_ks(cdf_chi(chi_of(c), c.lc_m, rb, bridge=bridge)) > P_MIN
    wrong = "switch" if bridge == "sample_blend" else "sample_blend"
    assert uniform_ks(cdf_chi(chi_of(c), c.lc_m, rb, bridge=wrong)) < 1e-3


@pytest.mark.parametrize("event", ["collision", "explosion"])
def test_ejection_speed_lognormal_and_isotropic(event):
    if event == "collision":
        c = breakup.collision(Parent(900.0), Parent(556.0), 11.7, min_size=0.01, seed=51,
                              mass_budget="none")
        mu = 0.9 * chi_of(c) + 2.9
    else:
        c = explosion_cloud("rocket_body", 0.002, 1.0, 52)
        mu = 0.2 * chi_of(c) + 1.85
    speed = np.linalg.norm(c.dv_m_per_s, axis=1)
    u = stats.norm.cdf((np.log10(speed) - mu) / 0.4)
    assert uniform_ks(u) > P_MIN
    wrong = 0.2 * chi_of(c) + 1.85 if event == "collision" else 1.85 * chi_of(c) + 1.85
    assert uniform_ks(stats.norm.cdf((np.log10(speed) - wrong) / 0.4)) < 1e-6
    unit = c.dv_m_per_s / speed[:, None]
    # isotropic: each Cartesian component of a uniform direction is uniform on [-1, 1] and the
    # azimuth about any axis is uniform
    for k in range(3):
        assert stats.kstest(unit[:, k], "uniform", args=(-1.0, 2.0)).pvalue > P_MIN
    az = np.arctan2(unit[:, 1], unit[:, 0])
    assert stats.kstest(az, "uniform", args=(-np.pi, 2 * np.pi)).pvalue > P_MIN
    # the dv speed column the CLI writes is the same magnitude
    np.testing.assert_allclose(c.dv_speed_m_per_s, speed, rtol=1e-14)
