"""Fragments as SGP4 element sets: epoch states reproduced, B* from A/M, export that ``sgp4``
and the catalog loader read back and propagate as we do."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
from sgp4 import omm as sgp4_omm
from sgp4.api import WGS72, Satrec

from orbitsim import catalog as _catalog
from orbitsim import propagation
from orbitsim.core.elements import classical_from_equinoctial, equinoctial_from_state

MU = 398600.8  # WGS72 [km^3/s^2]
RE = 6378.135
EPOCH_JD, EPOCH_FR = 2454111.5, 0.9347222222222222  # 2007-01-11 22:26 UTC (Fengyun-1C test)


def _kepler_state(a_km, e, i, raan, argp, m):
    """TEME state of Keplerian elements (two-body, our own textbook formulas for the test)."""
    E = m
    for _ in range(50):
        E = E - (E - e * math.sin(E) - m) / (1 - e * math.cos(E))
    nu = 2 * math.atan2(math.sqrt(1 + e) * math.sin(E / 2), math.sqrt(1 - e) * math.cos(E / 2))
    p = a_km * (1 - e * e)
    r_pf = np.array([p * math.cos(nu), p * math.sin(nu), 0.0]) / (1 + e * math.cos(nu))
    v_pf = math.sqrt(MU / p) * np.array([-math.sin(nu), e + math.cos(nu), 0.0])
    cO, sO, ci, si, cw, sw = (math.cos(raan), math.sin(raan), math.cos(i), math.sin(i),
                              math.cos(argp), math.sin(argp))
    R = np.array([[cO * cw - sO * sw * ci, -cO * sw - sO * cw * ci, sO * si],
                  [sO * cw + cO * sw * ci, -sO * sw + cO * cw * ci, -cO * si],
                  [sw * si, cw * si, ci]])
    return R @ r_pf, R @ v_pf


def _fengyun_like_cloud(n, seed):
    """A 10 cm-class cloud at the Fengyun-1C intercept: 863 km circular, 98.7 deg; ejection speeds
    log-normal (median 150 m/s, up to ~1 km/s), isotropic; A/M log-normal around 0.1 m^2/kg."""
    rng = np.random.default_rng(seed)
    r0, v0 = _kepler_state(RE + 863.0, 0.0005, math.radians(98.7), 1.3, 0.4, 2.0)
    dv = np.exp(rng.normal(math.log(0.15), 0.6, n))
    d = rng.normal(size=(n, 3))
    d /= np.linalg.norm(d, axis=1)[:, None]
    v = v0 + dv[:, None] * d
    r = np.tile(r0, (n, 1))
    # keep bound orbits with perigee above 100 km, as the breakup stage does
    rn = np.linalg.norm(r, axis=1)
    energy = 0.5 * (v * v).sum(1) - MU / rn
    a = -MU / (2 * energy)
    h = np.linalg.norm(np.cross(r, v), axis=1)
    e = np.sqrt(np.maximum(0.0, 1 + 2 * energy * h * h / MU ** 2))
    keep = (energy < 0) & (a * (1 - e) > RE + 100.0)
    am = np.exp(rng.normal(math.log(0.1), 0.5, n))
    return r[keep], v[keep], am[keep]


def test_bstar_units():
    # B* = Cd (A/M) rho0 / 2 with rho0 = 0.15696615 kg/m^2/ER (Hoots & Roehrich 1980, CelesTrak)
    assert propagation.bstar_from_area_to_mass(0.01) == pytest.approx(2.2 * 0.01 * 0.15696615 / 2, rel=1e-12)
    assert propagation.bstar_from_area_to_mass(0.01) == pytest.approx(1.7266e-3, rel=1e-4)
    np.testing.assert_allclose(propagation.bstar_from_area_to_mass([0.0, 1.0], cd=2.0), [0.0, 0.15696615])


@pytest.mark.parametrize("el", [
    (7000.0, 0.001, 0.9, 0.3, 1.0, 2.0), (26600.0, 0.74, 1.1, 4.0, 4.7, 0.2),
    (42164.0, 0.0002, 0.0003, 1.0, 2.0, 3.0), (7200.0, 0.05, 2.6, 5.0, 0.1, 6.0),
])
def test_equinoctial_round_trip(el):
    a, e, i, raan, argp, m = el
    r, v = _kepler_state(a, e, i, raan, argp, m)
    n, h, k, p, q, lam = equinoctial_from_state(*r, *v)
    assert n == pytest.approx(60.0 * math.sqrt(MU / a ** 3), rel=1e-11)
    e2, i2, raan2, argp2, m2 = classical_from_equinoctial(h, k, p, q, lam)
    assert e2 == pytest.approx(e, abs=1e-11) and i2 == pytest.approx(i, abs=1e-11)
    # node, perigee and anomaly are individually ill-defined for near-circular, near-equatorial
    # orbits; their sums are what matters
    assert math.remainder(raan2 + argp2 + m2 - (raan + argp + m), 2 * math.pi) == pytest.approx(0.0, abs=1e-9)
    if e > 1e-3 and i > 1e-2:
        assert math.remainder(raan2 - raan, 2 * math.pi) == pytest.approx(0.0, abs=1e-9)
        assert math.remainder(m2 - m, 2 * math.pi) == pytest.approx(0.0, abs=1e-8)


def test_fengyun_like_cloud_epoch_states_reproduced():
    r, v, am = _fengyun_like_cloud(6000, seed=7)
    assert len(r) > 5000
    fe = propagation.fragment_elements(r, v, am, EPOCH_JD, EPOCH_FR)
    err_m = fe.pos_err_km * 1000.0
    q = np.nanquantile(err_m, [0.5, 0.99, 0.999, 1.0])
    print(f"\nepoch position error [m]: median {q[0]:.2e}, 99% {q[1]:.2e}, 99.9% {q[2]:.2e}, "
          f"max {q[3]:.2e}; iterations {np.bincount(fe.n_iter)}")
    worst = np.argsort(-np.nan_to_num(err_m, nan=np.inf))[:3]
    print("worst cases: err_m", err_m[worst], "e", fe.eccentricity[worst], "n rev/day",
          fe.mean_motion_rev_per_day[worst])
    assert np.mean(err_m < 10.0) >= 0.999
    assert fe.ok.mean() >= 0.999
    # independent check: the C++ sgp4 initialised from our elements gives the target state
    for j in range(0, len(r), 500):
        s = Satrec()
        s.sgp4init(WGS72, "i", 1, (EPOCH_JD - 2433281.5) + EPOCH_FR, fe.bstar_per_earth_radii[j], 0.0, 0.0,
                   fe.eccentricity[j], math.radians(fe.arg_perigee_deg[j]), math.radians(fe.inclination_deg[j]),
                   math.radians(fe.mean_anomaly_deg[j]), fe.mean_motion_rev_per_day[j] / (1440.0 / (2 * math.pi)),
                   math.radians(fe.raan_deg[j]))
        s.jdsatepoch, s.jdsatepochF = EPOCH_JD, EPOCH_FR
        e, rr, vv = s.sgp4(EPOCH_JD, EPOCH_FR)
        assert e == 0
        assert np.linalg.norm(np.array(rr) - r[j]) < 0.01
        assert np.linalg.norm(np.array(vv) - v[j]) < 1e-5


def test_unrepresentable_states_fail_cleanly():
    r = np.array([[7000.0, 0, 0], [7000.0, 0, 0], [np.nan, 0, 0], [7000.0, 0, 0]])
    v = np.array([[0, 7.5, 0.1], [0, 12.0, 0], [0, 7.5, 0], [0, 0.5, 0]])  # ok, hyperbolic, NaN, sub-orbital
    fe = propagation.fragment_elements(r, v, [0.1] * 4, EPOCH_JD, EPOCH_FR)
    assert list(fe.ok) == [True, False, False, False]
    assert np.isnan(fe.eccentricity[1:3]).all()


def _cloud_object(r, v, am):
    n = len(r)
    return SimpleNamespace(r_km=r, v_km_s=v, area_to_mass_m2_per_kg=am, mass_kg=0.05 / am,
                           lc_m=np.full(n, 0.1), epoch_jd=EPOCH_JD, epoch_fr=EPOCH_FR,
                           parent=np.zeros(n, np.int64),
                           parents=[{"name": "FENGYUN 1C", "owner": "PRC", "norad_id": 25730}])


def test_fragments_to_catalog_export_read_back_by_sgp4(tmp_path):
    from orbitsim.formats.omm import write_omm_csv, write_omm_json
    from orbitsim.formats.tle import write_tle

    r, v, am = _fengyun_like_cloud(300, seed=11)
    cat = propagation.fragments_to_catalog(_cloud_object(r, v, am), first_id=270000)
    assert len(cat) == len(r)
    assert (cat.norad_id == 270000 + np.arange(len(r))).all() and cat.norad_id.dtype == np.int64
    assert (cat.object_type == "DEBRIS").all() and (cat.owner == "PRC").all()
    np.testing.assert_allclose(cat.area_to_mass_m2_per_kg, am)
    np.testing.assert_allclose(cat.size_m, 0.1)
    # our propagation of the catalog reproduces the fragment states at epoch
    e0, r0, _ = propagation.sgp4(cat, np.array([EPOCH_JD]), np.array([EPOCH_FR]))
    assert (e0 == 0).all() and np.linalg.norm(r0[:, 0] - r, axis=1).max() < 0.01

    jd = np.full(9, EPOCH_JD)
    fr = EPOCH_FR + np.linspace(0, 1, 9)
    e, rr, vv = propagation.sgp4(cat, jd, fr)
    assert (e[:, 0] == 0).all() and (e == 0).mean() > 0.9  # a few low-perigee fragments decay

    # OMM CSV / JSON: full precision, so sgp4's own OMM reader agrees with us closely
    for path, writer in ((tmp_path / "f.csv", write_omm_csv), (tmp_path / "f.json", write_omm_json)):
        writer(path, cat)
        if path.suffix == ".csv":
            with open(path) as fh:
                fields = list(sgp4_omm.parse_csv(fh))
        else:
            import json

            fields = json.loads(path.read_text())
        sats = []
        for f in fields:
            s = Satrec()
            sgp4_omm.initialize(s, f)
            sats.append(s)
        e2 = np.array([s.sgp4_array(jd, fr)[0] for s in sats])
        r2 = np.array([s.sgp4_array(jd, fr)[1] for s in sats])
        np.testing.assert_array_equal(e2, e)
        ok = e == 0
        np.testing.assert_allclose(r2[ok], rr[ok], rtol=0, atol=1e-3, err_msg=path.name)
        back = _catalog.load(path)
        assert len(back) == len(cat) and (back.norad_id == cat.norad_id).all()
        eb, rb, _ = propagation.sgp4(back, jd, fr)
        np.testing.assert_array_equal(eb, e)
        np.testing.assert_allclose(rb[ok], rr[ok], rtol=0, atol=1e-3, err_msg=path.name)

    # TLE: valid checksums, read by sgp4's twoline2rv; agreement limited by TLE's printed digits
    tle = tmp_path / "f.tle"
    write_tle(tle, cat, names=True)
    lines = tle.read_text().splitlines()
    assert len(lines) == 3 * len(cat)
    for k in range(len(cat)):
        l1, l2 = lines[3 * k + 1], lines[3 * k + 2]
        for line in (l1, l2):
            digits = sum(int(c) for c in line[:68] if c.isdigit()) + line[:68].count("-")
            assert digits % 10 == int(line[68])
        s = Satrec.twoline2rv(l1, l2, WGS72)
        e3, r3, _ = s.sgp4_array(jd, fr)
        both = (e3 == 0) & (e[k] == 0)
        assert both.sum() >= min(3, (e[k] == 0).sum())
        # 100 m: 4-decimal angles, 8-decimal epoch; below a 150 km perigee (re-entry within hours)
        # drag amplifies the printed-digit rounding, 300 m then
        tol = 0.1 if cat.perigee_km[k] > 150.0 else 0.3
        assert np.abs(r3[both] - rr[k][both]).max() < tol
    back = _catalog.load(tle)
    eb, rb, _ = propagation.sgp4(back, jd, fr)
    both = (eb == 0) & (e == 0)
    tol = np.where(cat.perigee_km > 150.0, 0.1, 0.3)[:, None, None]  # as above
    assert both[:, 0].all() and np.all((np.abs(rb - rr) < tol)[both])


def test_real_breakup_cloud_converts():
    from orbitsim.breakup import Parent, collision

    r0, v0 = _kepler_state(RE + 863.0, 0.001, math.radians(98.7), 1.3, 0.4, 2.0)
    target = Parent(mass_kg=880.0, r_km=r0, v_km_s=v0, name="FENGYUN 1C", owner="PRC")
    kv = Parent(mass_kg=20.0)
    cloud = collision(target, kv, 9.36, min_size=0.1, seed=2007, epoch=(EPOCH_JD, EPOCH_FR))
    assert len(cloud) > 100
    cat = propagation.fragments_to_catalog(cloud, first_id=300000)
    assert len(cat) >= 0.999 * len(cloud)
    e, r, _ = propagation.sgp4(cat, np.array([EPOCH_JD]), np.array([EPOCH_FR]))
    keep = np.isin(np.arange(len(cloud)) + 300000, cat.norad_id)
    assert np.linalg.norm(r[:, 0] - np.asarray(cloud.r_km)[keep], axis=1).max() < 0.01


def test_fragments_to_catalog_needs_epoch_and_states():
    from orbitsim.errors import InputError

    r, v, am = _fengyun_like_cloud(20, seed=3)
    cloud = _cloud_object(r, v, am)
    cloud.epoch_jd = float("nan")
    with pytest.raises(InputError, match="epoch"):
        propagation.fragments_to_catalog(cloud)
    cloud = _cloud_object(np.full_like(r, np.nan), v, am)
    with pytest.raises(InputError, match="states"):
        propagation.fragments_to_catalog(cloud)


def test_exported_omm_carries_physical_area_to_mass_beside_sgp4_effective_bstar(tmp_path):
    from orbitsim import catalog as _catalog
    from orbitsim.formats.omm import USER_AREA_TO_MASS, write_omm_csv, write_omm_json

    r, v, am = _fengyun_like_cloud(40, seed=5)
    cat = propagation.fragments_to_catalog(_cloud_object(r, v, am), first_id=270000)
    textbook = propagation.bstar_from_area_to_mass(cat.area_to_mass_m2_per_kg)
    assert np.all(cat.bstar_per_earth_radii != textbook)  # SGP4-effective, not Cd (A/M) rho0 / 2
    for path, write in ((tmp_path / "f.csv", write_omm_csv), (tmp_path / "f.json", write_omm_json)):
        write(path, cat)
        assert USER_AREA_TO_MASS in path.read_text()
        _catalog.clear_cache()
        back = _catalog.load(path)
        np.testing.assert_array_equal(back.area_to_mass_m2_per_kg, cat.area_to_mass_m2_per_kg)
        np.testing.assert_array_equal(back.bstar_per_earth_radii, cat.bstar_per_earth_radii)
    # a blank value reads as unknown, a bad one is reported with its line
    lines = (tmp_path / "f.csv").read_text().splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ","
    lines[2] = lines[2].rsplit(",", 1)[0] + ",abc"
    (tmp_path / "g.csv").write_text("\n".join(lines) + "\n")
    _catalog.clear_cache()
    g = _catalog.load(tmp_path / "g.csv")
    assert len(g) == len(cat) - 1 and np.isnan(g.area_to_mass_m2_per_kg[0])
    assert g.rejected[0].line == 3 and USER_AREA_TO_MASS in g.rejected[0].reason
