"""Foster 2-D collision probability: the NASA CARA Omitron case, analytic isotropic cases, limits."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from orbitsim import risk
from orbitsim.errors import InputError

# NASA CARA "Omitron" test case 1 (model notes section 4), km, km/s, km^2.
R1 = [378.39559, 4305.721887, 5752.767554]
V1 = [2.360800244, 5.580331936, -4.322349039]
C1 = [[44.5757544811362, 81.6751751052616, -67.8687662707124],
      [81.6751751052616, 158.453402956163, -128.616921644857],
      [-67.8687662707124, -128.616921644858, 105.490542562701]]
R2 = [374.5180598, 4307.560983, 5751.130418]
V2 = [-5.388125081, -3.946827739, 3.322820358]
C2 = [[2.31067077720423, 1.69905293875632, -1.4170164577661],
      [1.69905293875632, 1.24957388457206, -1.04174164279599],
      [-1.4170164577661, -1.04174164279599, 0.869260558223714]]
PC_OMITRON_1 = 2.706023476569787e-05


def test_omitron_case_1():
    pc = risk.pc_foster(R1, V1, C1, R2, V2, C2, 0.020)
    assert abs(pc / PC_OMITRON_1 - 1) < 1e-6


def test_symmetric_in_the_two_objects():
    a = risk.pc_foster(R1, V1, C1, R2, V2, C2, 0.020)
    b = risk.pc_foster(R2, V2, C2, R1, V1, C1, 0.020)
    assert abs(a / b - 1) < 1e-9


def _isotropic_case(miss_km, sigma_km, hbr_km):
    """Head-on-free geometry: miss along x, relative velocity along y, isotropic covariance."""
    r1 = np.array([7000.0, 0.0, 0.0])
    r2 = r1 + np.array([miss_km, 0.0, 0.0])
    v1 = np.array([0.0, 7.5, 0.0])
    v2 = np.array([0.0, -2.0, 3.0])
    # relative velocity (9.5, -3 components) is normal to the miss (x): TCA geometry
    cov = np.eye(3) * sigma_km ** 2 / 2  # each object half: combined sigma^2
    return r1, v1, cov, r2, v2, cov, hbr_km


@pytest.mark.parametrize("miss, sigma, hbr", [(0.0, 0.2, 0.02), (0.5, 0.3, 0.015), (1.2, 0.4, 0.1),
                                              (0.05, 0.01, 0.02), (3.0, 1.0, 2.5)])
def test_isotropic_matches_noncentral_chi2(miss, sigma, hbr):
    """Isotropic 2-D Gaussian over a disc: P = F_ncx2(R^2/s^2; 2, m^2/s^2) (Marcum Q)."""
    pc = risk.pc_foster(*_isotropic_case(miss, sigma, hbr))
    ref = stats.ncx2.cdf(hbr ** 2 / sigma ** 2, 2, miss ** 2 / sigma ** 2) if miss > 0 else \
        1 - math.exp(-hbr ** 2 / (2 * sigma ** 2))
    assert abs(pc - ref) <= 1e-9 + 1e-7 * ref


def test_thin_covariance_goes_to_zero_far_and_to_1d_form_near():
    r1, v1, _, r2, v2, _, _ = _isotropic_case(1.0, 1.0, 0.01)
    # covariance thin along z of the encounter plane (cross of x and the relative velocity)
    vrel = v1 - v2
    z = np.cross(r1 - r2, vrel)
    z /= np.linalg.norm(z)
    y = vrel / np.linalg.norm(vrel)
    x = np.cross(y, z)
    for thin in (1e-5, 1e-7, 1e-9, 0.0):
        cov = 0.5 * (0.3 ** 2 * np.outer(x, x) + thin ** 2 * np.outer(z, z) + 0.3 ** 2 * np.outer(y, y))
        pc = risk.pc_foster(r1, v1, cov, r2, v2, cov, 0.01)
        # 1-D reference: erf across the circle chord along x (all probability on the line z = 0)
        ref = stats.norm.cdf((0.01 - 1.0) / 0.3) - stats.norm.cdf((-0.01 - 1.0) / 0.3)
        assert abs(pc - ref) <= 2e-3 * ref
    # thin and far: x sigma small too -> essentially zero
    cov = 0.5 * (1e-4 ** 2 * np.outer(x, x) + 1e-8 * np.outer(z, z))
    assert risk.pc_foster(r1, v1, cov, r2, v2, cov, 0.01) < 1e-300


def test_large_hbr_goes_to_one():
    args = list(_isotropic_case(0.5, 0.1, 0.0))
    for hbr, floor in ((1.0, 0.999), (2.0, 1 - 1e-12), (50.0, 1 - 1e-15)):
        args[-1] = hbr
        assert risk.pc_foster(*args) >= floor


def test_pc_max_and_alfano_small_hbr_limit():
    pc = risk.pc_foster(R1, V1, C1, R2, V2, C2, 0.020)
    pmax, k = risk.pc_max(R1, V1, C1, R2, V2, C2, 0.020)
    assert pmax >= pc
    # small HBR: Pc(k) ~ HBR^2/(2 k^2 s1 s2) exp(-d^2/(2k^2)) -> max HBR^2/(e s1 s2 d^2) at k = d/sqrt(2)
    args = _isotropic_case(2.0, 0.3, 0.001)
    pmax, k = risk.pc_max(*args)
    d2 = (2.0 / 0.3) ** 2
    assert abs(pmax / (0.001 ** 2 / (math.e * 0.3 * 0.3 * d2)) - 1) < 1e-3
    assert abs(k - math.sqrt(d2 / 2)) < 1e-3 * k


def test_batch_equals_single_with_default_covariance():
    rng = np.random.default_rng(3)
    n = 12
    r1 = rng.normal(0, 1, (n, 3))
    r1 = 7000 * r1 / np.linalg.norm(r1, axis=1, keepdims=True)
    v1 = np.cross(r1, rng.normal(0, 1, (n, 3)))
    v1 = 7.5 * v1 / np.linalg.norm(v1, axis=1, keepdims=True)
    r2 = r1 + rng.normal(0, 0.5, (n, 3))
    v2 = v1 + rng.normal(0, 5, (n, 3))
    hbr = 10 ** rng.uniform(-5, -1, n)  # 1 cm to 100 m: closed-form and numeric max-Pc paths
    pc, pcm = risk.pc_encounters(r1, v1, r2, v2, hbr)
    for k in range(n):
        c1 = risk.default_covariance_km2(r1[k], v1[k])
        c2 = risk.default_covariance_km2(r2[k], v2[k])
        ref = risk.pc_foster(r1[k], v1[k], c1, r2[k], v2[k], c2, hbr[k])
        assert abs(pc[k] - ref) <= 1e-7 * max(ref, 1e-300) + 1e-300
        refm, _ = risk.pc_max(r1[k], v1[k], c1, r2[k], v2[k], c2, hbr[k])
        assert abs(pcm[k] - refm) <= 1e-4 * refm + 1e-300


def test_default_covariance_is_ric():
    r = np.array([7000.0, 0, 0])
    v = np.array([0, 7.5, 0])
    c = risk.default_covariance_km2(r, v)
    assert np.allclose(np.diag(c), [0.1 ** 2, 0.3 ** 2, 0.1 ** 2])


@pytest.mark.parametrize("bad", [
    dict(r1_km=[1, 2]), dict(v1_km_s=[np.nan, 0, 0]), dict(cov1_km2=[[1, 0], [0, 1]]),
    dict(cov2_km2=[[1, 2, 0], [0, 1, 0], [0, 0, 1]]), dict(cov2_km2=-np.eye(3)), dict(hbr_km=-1.0),
    dict(v2_km_s=V1),
])
def test_bad_inputs(bad):
    args = dict(r1_km=R1, v1_km_s=V1, cov1_km2=C1, r2_km=R2, v2_km_s=V2, cov2_km2=C2, hbr_km=0.02)
    args.update(bad)
    with pytest.raises(InputError):
        risk.pc_foster(**args)
