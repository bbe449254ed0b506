"""Kinetic-kill breakup: momentum, geometry, directional ejection, member draws, persistence.

Reference values: the centre-of-mass velocity (M_t v_t + m_p v_p) / (M_t + m_p) computed here;
the forward-hemisphere fraction (1 + b) / 2 of the biased direction (derived in
orbitsim.core.sbm.redirect_dv's docstring: u + b a has a positive a-component iff cos > -b,
and cos is uniform on [-1, 1] for isotropic u); brute-force order statistics for the persistence
times; an independent reading of the SATCAT CSV for the record.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from orbitsim import breakup, members, scenario
from orbitsim.errors import InputError, ParseError

# a target in a high circular orbit: nothing re-enters, so fragment sets are comparable row by row
R0 = np.array([20000.0, 0.0, 0.0])
V0 = np.array([0.0, math.sqrt(398600.8 / 20000.0), 0.0])


def _pair(rel):
    t = breakup.Parent(mass_kg=1000.0, r_km=R0, v_km_s=V0)
    p = breakup.Parent(mass_kg=50.0)
    return t, p, np.asarray(rel, dtype=float)


def test_centre_of_mass_velocity_is_conserved():
    """With the ejection switched (almost) off, every fragment moves with the centre of mass."""
    rel = np.array([0.5, -3.0, 0.2])
    t, p, rel = _pair(rel)
    opt = breakup.MomentumOptions(centre_of_mass=True, dv_scale=1e-9)
    c = breakup.collision(t, p, rel, seed=3, min_size=0.1, momentum=opt, epoch="2026-01-01T00:00:00")
    v_cm = (1000.0 * V0 + 50.0 * (V0 + rel)) / 1050.0
    assert len(c) > 100
    assert np.max(np.abs(c.v_km_s - v_cm)) < 1e-8  # km/s: dv scaled by 1e-9 leaves < 1e-5 m/s
    assert c.parameters["centre_of_mass_shift_m_per_s"] == pytest.approx(
        np.linalg.norm(50.0 * rel / 1050.0) * 1e3, rel=1e-12)


def test_momentum_coupling_scales_the_shift():
    t, p, rel = _pair([0.0, -6.0, 0.0])
    opt = breakup.MomentumOptions(centre_of_mass=True, momentum_coupling=0.25, dv_scale=1e-9)
    c = breakup.collision(t, p, rel, seed=3, min_size=0.1, momentum=opt, epoch="2026-01-01T00:00:00")
    expected = V0 + 0.25 * (50.0 * rel / 1050.0)
    assert np.max(np.abs(c.v_km_s - expected)) < 1e-8


def test_forward_bias_fraction_and_speeds():
    t, p, rel = _pair([1.0, 0.0, 0.0])
    axis = rel / np.linalg.norm(rel)
    # ejection speeds scaled down so that no fragment escapes or re-enters either way
    base = breakup.collision(t, p, rel, seed=11, min_size=0.02, epoch="2026-01-01T00:00:00",
                             momentum=breakup.MomentumOptions(dv_scale=0.01))
    b = 0.4
    biased = breakup.collision(t, p, rel, seed=11, min_size=0.02, epoch="2026-01-01T00:00:00",
                               momentum=breakup.MomentumOptions(forward_bias=b, dv_scale=0.01))
    assert len(base) == len(biased) > 1000
    # speeds unchanged, only directions
    assert np.allclose(np.linalg.norm(base.dv_m_per_s, axis=1), np.linalg.norm(biased.dv_m_per_s, axis=1),
                       rtol=1e-12, atol=1e-12)
    moving = np.linalg.norm(biased.dv_m_per_s, axis=1) > 0
    fwd = float(np.mean(biased.dv_m_per_s[moving] @ axis > 0))
    n = int(moving.sum())
    expected = (1 + b) / 2
    assert abs(fwd - expected) < 5 * math.sqrt(expected * (1 - expected) / n)
    iso = float(np.mean(base.dv_m_per_s[moving] @ axis > 0))
    assert abs(iso - 0.5) < 5 * math.sqrt(0.25 / n)


def test_dv_and_count_scale():
    t, p, rel = _pair([0.0, -5.0, 0.0])
    base = breakup.collision(t, p, rel, seed=5, min_size=0.05, epoch="2026-01-01T00:00:00",
                             momentum=breakup.MomentumOptions(dv_scale=0.01))
    fast = breakup.collision(t, p, rel, seed=5, min_size=0.05, epoch="2026-01-01T00:00:00",
                             momentum=breakup.MomentumOptions(dv_scale=0.02))
    assert np.allclose(np.linalg.norm(fast.dv_m_per_s, axis=1), 2 * np.linalg.norm(base.dv_m_per_s, axis=1))
    base = breakup.collision(t, p, rel, seed=5, min_size=0.1, epoch="2026-01-01T00:00:00")
    more = breakup.collision(t, p, rel, seed=5, min_size=0.1, epoch="2026-01-01T00:00:00",
                             momentum=breakup.MomentumOptions(count_scale=3.0))
    assert more.parameters["expected_n_sampled"] == pytest.approx(3 * base.parameters["expected_n_sampled"])
    mean = more.parameters["expected_n_sampled"]
    assert abs(more.parameters["n_sampled"] - mean) < 5 * math.sqrt(mean)


def test_count_scale_applies_to_the_catalogued_sizes_only():
    # The calibration is fitted to catalogued (>= 10 cm) debris: below 10 cm the cloud follows the
    # SBM law as published, so a 2 cm run has the 10 cm run's large fragments plus the SBM's small
    # ones: as many as the plain SBM gives (another seed; Poisson scatter), where scaling the whole
    # law would give 4 times as many.
    t, p, rel = _pair([0.0, -5.0, 0.0])
    opt = breakup.MomentumOptions(count_scale=4.0)
    big = breakup.collision(t, p, rel, seed=9, min_size=0.1, epoch="2026-01-01T00:00:00", momentum=opt)
    both = breakup.collision(t, p, rel, seed=9, min_size=0.02, epoch="2026-01-01T00:00:00", momentum=opt)
    assert np.count_nonzero(both.lc_m >= 0.1) == np.count_nonzero(big.lc_m >= 0.1)
    plain = breakup.collision(t, p, rel, seed=10, min_size=0.02, epoch="2026-01-01T00:00:00")
    want = np.count_nonzero(plain.lc_m < 0.1)
    got = np.count_nonzero(both.lc_m < 0.1)
    assert abs(got - want) < 5 * math.sqrt(2 * want)
    assert both.parameters["min_size_m"] == 0.02 and both.parameters["count_scale_min_lc_m"] == 0.1


def test_momentum_options_need_states_and_valid_ranges():
    with pytest.raises(InputError):
        breakup.MomentumOptions(forward_bias=1.5)
    with pytest.raises(InputError):
        breakup.MomentumOptions(momentum_coupling=-0.1)
    with pytest.raises(InputError):
        breakup.collision(breakup.Parent(mass_kg=1000.0), breakup.Parent(mass_kg=50.0), 7.0,
                          momentum=breakup.MomentumOptions(centre_of_mass=True))


def test_ric_frame_and_geometries():
    r = np.array([7000.0, 100.0, -50.0])
    v = np.array([0.1, 7.5, 0.3])
    R = scenario.ric_to_teme(r, v, [1, 0, 0])
    I = scenario.ric_to_teme(r, v, [0, 1, 0])
    C = scenario.ric_to_teme(r, v, [0, 0, 1])
    M = np.array([R, I, C])
    assert np.allclose(M @ M.T, np.eye(3), atol=1e-12)
    assert np.allclose(R, r / np.linalg.norm(r))
    assert I @ v > 0.99 * np.linalg.norm(v)  # in-track along the motion (near-circular)
    for g, d in scenario.GEOMETRY_DIRECTIONS_RIC.items():
        assert np.linalg.norm(d) == pytest.approx(1.0)
    da = scenario.GEOMETRY_DIRECTIONS_RIC["direct-ascent"]
    assert da[0] > 0 and da[1] < 0  # from below, against the motion


TOML = """
name = "t"
epoch = "2026-07-10T00:00:00Z"
[target]
mass_kg = 1500.0
owner = "CIS"
[target.orbit]
altitude_km = 480.0
inclination_deg = 82.6
[interceptor]
mass_kg = 40.0
{icp}
{extra}
"""


def test_scenario_relative_velocity_and_errors():
    s = scenario.loads(TOML.format(icp="relative_velocity_km_s = [3.0, -4.0, 0.0]", extra=""))
    assert s.interceptor.closing_speed_km_s == pytest.approx(5.0)
    assert np.allclose(s.interceptor.relative_velocity_ric(), [3.0, -4.0, 0.0])
    with pytest.raises(ParseError, match="closing_speed_km_s"):
        scenario.loads(TOML.format(icp="relative_velocity_km_s = [3.0, -4.0, 0.0]\nclosing_speed_km_s = 7.0",
                                   extra=""))
    with pytest.raises(ParseError, match="geometry"):
        scenario.loads(TOML.format(icp="closing_speed_km_s = 7.0\ngeometry = \"sideways\"", extra=""))
    with pytest.raises(ParseError, match="breakup.mode"):
        scenario.loads(TOML.format(icp="closing_speed_km_s = 7.0", extra="[breakup]\nmode = \"magic\""))
    with pytest.raises(ParseError, match="uncertainty.cd"):
        scenario.loads(TOML.format(icp="closing_speed_km_s = 7.0", extra="[uncertainty]\ncd = [2.6, 2.0]"))
    s = scenario.loads(TOML.format(icp="closing_speed_km_s = 7.0\ngeometry = \"head-on\"",
                                   extra="[breakup]\nmode = \"sbm\""))
    assert s.breakup.mode == "sbm"
    assert np.allclose(s.interceptor.relative_velocity_ric(), [0.0, -7.0, 0.0])


def test_member_draws_within_ranges_and_reproducible():
    s = scenario.loads(TOML.format(
        icp="closing_speed_km_s = 7.0",
        extra="[breakup]\nmode = \"sbm-momentum\"\n[uncertainty]\ntarget_mass_kg = [1000.0, 2000.0]\n"
              "closing_speed_km_s = [6.0, 8.0]\ndirection_cone_deg = 15.0\ncd = [2.0, 2.6]\n"
              "density_scale = [0.8, 1.2]"))
    nominal = s.interceptor.relative_velocity_ric() / 7.0
    draws = [members.sample_inputs(s, seed) for seed in range(1, 201)]
    assert draws[0] == members.sample_inputs(s, 1)
    m = np.array([d.target_mass_kg for d in draws])
    assert m.min() >= 1000 and m.max() <= 2000 and m.std() > 200
    assert all(d.interceptor_mass_kg == 40.0 for d in draws)
    sp = np.array([d.closing_speed_km_s for d in draws])
    assert sp.min() >= 6.0 - 1e-12 and sp.max() <= 8.0 + 1e-12
    ang = np.degrees([math.acos(min(1.0, np.dot(np.asarray(d.relative_velocity_ric_km_s) / d.closing_speed_km_s,
                                                nominal))) for d in draws])
    assert ang.max() <= 15.0 + 1e-9 and ang.max() > 10.0
    assert all(d.drag_cd == pytest.approx(d.cd * d.density_scale) for d in draws)
    assert all(d.momentum.centre_of_mass for d in draws)


def test_persistence_metrics_brute_force():
    rng = np.random.default_rng(4)
    life = rng.exponential(3.0, 997)
    life[:20] = np.inf  # still up at the horizon (2% of the >= 10 cm ones)
    lc = np.full(life.size, 0.2)
    lc[-100:] = 0.05  # below 10 cm: not counted
    out = members.persistence_metrics(lc, life, horizon_years=50.0)
    big = np.sort(np.where(np.isinf(life), np.inf, life)[lc >= 0.1])
    n = big.size
    for key, f in (("50pct", 0.5), ("90pct", 0.9)):
        k = next(i for i in range(1, n + 1) if i >= f * n)  # smallest k with k >= f n
        assert out[f"years_to_{key}_gone"] == big[k - 1]
    assert math.isnan(out["years_to_99pct_gone"])  # 20 of 897 never decay: 99% not gone in the horizon
    assert out["fraction_on_orbit_1y"] == pytest.approx(np.mean(big > 1.0))
    assert math.isnan(out["fraction_on_orbit_100y"])
    assert members.reversibility_class(float("nan"), 10.0) == "not determined within the 10-year horizon"
    assert members.reversibility_class(float("nan"), 50.0) == "irreversible"  # > 50 y > 25 y
    assert members.reversibility_class(0.5, 50.0) == "reversible"
    assert members.reversibility_class(30.0, 50.0) == "irreversible"


def test_record_from_satcat_independent_reading():
    from orbitsim import calibration
    from orbitsim.data import SATCAT_CSV, data_path

    lines = data_path(SATCAT_CSV).read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    i_id, i_type, i_decay = head.index("object_id"), head.index("object_type"), head.index("decay_date")
    n_deb, n_up_2020 = 0, 0
    for ln in lines[1:]:
        f = ln.split(",")
        if len(f) != len(head) or not f[i_id].startswith("2019-006") or f[i_type] != "DEBRIS":
            continue
        n_deb += 1
        n_up_2020 += (f[i_decay] == "" or f[i_decay] > "2020-03-27")
    rec = calibration.record("microsat-r")
    assert rec.n_catalogued == n_deb > 100
    assert rec.on_orbit(366.0 / 365.25) == n_up_2020


def test_record_overlay_on_the_on_orbit_plot(tmp_path):
    """A real test's run: the on-orbit figure carries the catalogued survivors (counts, fractions)."""
    import matplotlib

    matplotlib.use("Agg")
    from orbitsim import calibration
    from orbitsim.report import _record_overlay, plots

    summary = {"scenario": np.array(["usa-193"], dtype=object), "hypothetical": np.array(["False"], dtype=object)}
    t, counts, n = _record_overlay(summary, ["usa-193"])
    rec = calibration.record("usa-193")
    assert n == rec.n_catalogued
    assert counts[0] == n and counts[-1] == 0  # all gone by the SATCAT snapshot
    assert np.all(np.diff(counts) <= 0)
    assert _record_overlay({**summary, "hypothetical": np.array(["True"], dtype=object)}, ["usa-193"]) is None
    yrs = np.linspace(0, 5, 50)
    ax = plots.on_orbit_with_record(yrs, 1000 * np.exp(-yrs * 5), None, None, 1000.0, t, counts, n)
    axes = ax.figure.axes
    assert len(axes) == 2
    labels = [ln.get_label() for a in axes for ln in a.get_lines()]
    assert labels.count("catalogued debris (SATCAT decay dates)") == 2
    frac_line = [ln for ln in axes[1].get_lines() if ln.get_label().startswith("catalogued")][0]
    assert np.nanmax(frac_line.get_ydata()) == pytest.approx(1.0)
    plots.save(ax, tmp_path / "x.png")


def test_calibrated_options_real_vs_hypothetical():
    """A real test uses its own event calibration; a hypothetical one the family with its spread."""
    from orbitsim import calibration

    cal = calibration.load()
    real = scenario.load_preset("cosmos-1408")
    opt = calibration.options_for(real, np.random.default_rng(1))
    assert opt.count_scale == pytest.approx(cal["events"]["cosmos-1408"]["count_scale"])
    hyp = real.at_altitude(600.0)
    fam = cal["family"]
    centre = calibration.count_scale_at(fam, 600.0)
    assert calibration.options_for(hyp, None).count_scale == pytest.approx(centre)
    ks = np.array([calibration.options_for(hyp, np.random.default_rng(s)).count_scale for s in range(400)])
    sd = float(np.std(np.log(ks / centre)))
    assert sd == pytest.approx(fam["log_count_scale_residual_sd"], rel=0.15)
    # the count law is held beyond the extrapolation limit
    top = fam["altitude_range_km"][1]
    assert calibration.count_scale_at(fam, top + 500.0) == pytest.approx(calibration.count_scale_at(fam, top))


def test_band_blanked_below_twenty_members_and_labelled():
    from orbitsim import pipeline
    from orbitsim.pipeline import MemberResult

    s = scenario.loads(TOML.format(icp="closing_speed_km_s = 7.0",
                                   extra="[uncertainty]\ncd = [2.0, 2.6]"))
    metrics = [{"n_ge_10cm": float(i), "expected_collisions_1y": float("nan") if i >= 2 else 1.0}
               for i in range(25)]
    summ = {}
    for k in metrics[0]:
        summ[k], summ[k + "_p05"], summ[k + "_p95"] = 0.0, 0.0, 0.0
    pipeline._band_or_nan(summ, metrics)
    assert summ["n_ge_10cm_p05"] == 0.0  # 25 members: kept
    assert math.isnan(summ["expected_collisions_1y_p05"])  # 2 finite members: no band
    mrs = [MemberResult(seed=i, metrics={"screened": i < 2}, curve=np.zeros(1), density={}, exposure={},
                        conjunctions={}, gabbard={}) for i in range(25)]
    cols = pipeline._mode_and_band_columns(s, mrs)
    assert cols["n_members"] == 25 and cols["n_members_screened"] == 2
    assert cols["band_covers"].startswith("5-95% over 25 members sampling breakup seed, Cd")
    assert cols["band_covers_risk"].startswith("no 5-95% band: 2 member(s)")
