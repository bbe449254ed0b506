"""The whole pipeline through the CLI contract, small settings (fragments >= 30 cm, short windows)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from orbitsim import pipeline, scenario
from orbitsim.cli import main as cli_main
from orbitsim.report import read_csv

SMALL = """
name = "small-test"
epoch = "2026-07-10T00:00:00Z"
hypothetical = true
[target]
mass_kg = 1500.0
owner = "CIS"
[target.orbit]
altitude_km = 480.0
inclination_deg = 82.6
[interceptor]
mass_kg = 40.0
closing_speed_km_s = 7.0
[simulation]
min_size_m = 0.3
seeds = [1, 2]
screening_days = 0.05
horizon_years = 100.0
[taxonomy]
tester = "CIS"
"""

CONTRACT_COLUMNS = ["altitude_km", "n_ge_10cm", "n_ge_1cm", "on_orbit_1y", "on_orbit_5y", "on_orbit_25y",
                    "on_orbit_100y", "fragment_years", "max_apogee_km", "reversibility"]


@pytest.fixture(scope="module", autouse=True)
def light_risk_sampling():
    """Fewer orbit samples in the cell-method risk: these tests check files, columns and physics
    trends, not the risk's sampling noise (that is tests/test_consequences.py's job)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "RISK_SAMPLING", {"cell_km": 20.0, "samples_per_orbit": 32,
                                               "target_samples_per_orbit": 16})
        yield


@pytest.fixture(scope="module")
def small_toml(tmp_path_factory):
    p = tmp_path_factory.mktemp("scen") / "small.toml"
    p.write_text(SMALL)
    return p


@pytest.fixture(scope="module")
def sweep_dir(small_toml, tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "sweep"
    rc = cli_main(["sweep", "--target", str(small_toml), "--altitudes", "300", "1100", "--out", str(out),
                   "--horizon-years", "100", "--workers", "1"])
    assert rc == 0
    return out


def test_sweep_contract_files_and_columns(sweep_dir):
    for name in ("summary.csv", "summary.ecsv", "summary.md", "summary.tex", "conjunctions.csv",
                 "exposure_by_owner.csv", "provenance.json", "gabbard.png", "on_orbit_over_time.png",
                 "density_by_altitude.png", "leo_vs_high_leo.png"):
        assert (sweep_dir / name).is_file(), name
    with open(sweep_dir / "summary.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2
    for col in CONTRACT_COLUMNS:
        assert col in rows[0], col
        if col not in ("reversibility", "n_ge_1cm", "altitude_km"):
            assert col + "_p05" in rows[0] and col + "_p95" in rows[0], col
    assert [float(r["altitude_km"]) for r in rows] == [300.0, 1100.0]
    # not simulated at a 30 cm cut: counted by the SBM size law (Poisson draw), above the simulated
    for r in rows:
        assert float(r["n_ge_1mm"]) > float(r["n_ge_1cm"]) > 10 * float(r["n_ge_10cm"])
    prov = json.loads((sweep_dir / "provenance.json").read_text())
    assert "size law" in prov["parameters"]["size_counts_note"]
    assert "Liou" in prov["parameters"]["collision_model"]["method"]
    assert prov["hypothetical_scenario"] is True and prov["seed"] == [1, 2]
    assert any(i["file"] == "small.toml" for i in prov["inputs"])
    assert all(len(i["sha256"]) == 64 for i in prov["inputs"])


def test_leo_vs_high_leo_matches_odpo_guidance(sweep_dir):
    """NASA ODPO (model notes 3): below 600 km a few years; above 1,000 km a century or more."""
    s = read_csv(sweep_dir / "summary.csv")
    low, high = 0, 1
    assert s["on_orbit_25y"][low] == 0 and s["reversibility"][low] in ("reversible", "long-lived")
    assert s["on_orbit_25y"][high] > 0.5 * s["n_ge_10cm"][high]
    assert s["reversibility"][high] == "irreversible"
    assert s["fragment_years"][high] > 20 * s["fragment_years"][low]
    for r in range(2):  # 2 members: too few for a 5-95% band, and the table says so
        assert np.isnan(s["n_ge_10cm_p05"][r]) and np.isnan(s["n_ge_10cm_p95"][r])
        assert s["band_covers"][r].startswith("no 5-95% band: 2 member(s)")
        assert s["breakup_mode"][r] == "calibrated"


def test_collision_risk_follows_decay_and_split(sweep_dir):
    """At 300 km the debris is mostly gone within months: most of the risk accrues in the first
    year (a few fragments thrown onto eccentric orbits last one to a few years: at most a quarter
    more after year one); at 1,100 km it stays: the 25-year risk grows well past the 1-year one.
    Split columns add up."""
    s = read_csv(sweep_dir / "summary.csv")
    low, high = 0, 1
    assert s["expected_collisions_1y"][low] <= s["expected_collisions_25y"][low]
    assert s["expected_collisions_25y"][low] < 1.25 * s["expected_collisions_1y"][low]
    assert s["expected_collisions_25y"][high] > 10 * s["expected_collisions_1y"][high] > 0
    e = read_csv(sweep_dir / "exposure_by_owner.csv")
    for y in (1, 10, 25):
        tot = np.asarray(e[f"expected_collisions_{y}y"], float)
        split = (np.asarray(e[f"expected_collisions_{y}y_catastrophic"], float)
                 + np.asarray(e[f"expected_collisions_{y}y_noncatastrophic"], float))
        assert np.allclose(tot, split, rtol=1e-9, atol=0)  # 2 seeds: the median is the mean (linear)
    for col in ("owner", "is_tester", "expected_collisions_1y", "expected_collisions_10y",
                "expected_collisions_25y"):
        assert col in e


def test_simulate_same_bytes_force_and_no_partial_output(small_toml, tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    assert cli_main(["simulate", str(small_toml), "--out", str(a), "--workers", "1"]) == 0
    assert cli_main(["simulate", str(small_toml), "--out", str(b), "--workers", "1"]) == 0
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    for name in files:
        if name != "timings.json":  # wall-clock timings are the one non-deterministic file
            assert (a / name).read_bytes() == (b / name).read_bytes(), name
    before = (a / "summary.csv").read_bytes()
    assert cli_main(["simulate", str(small_toml), "--out", str(a), "--seeds", "1", "--workers", "1"]) == 3
    assert "--force" in capsys.readouterr().err
    assert (a / "summary.csv").read_bytes() == before
    assert cli_main(["simulate", str(small_toml), "--out", str(a), "--seeds", "1", "--workers", "1",
                     "--force"]) == 0
    assert read_csv(a / "summary.csv")["n_seeds"][0] == 1
    # bad input: one line, exit 1, nothing written
    bad = tmp_path / "bad.toml"
    bad.write_text(SMALL.replace("mass_kg = 1500.0", "mass_kg = -1.0"))
    assert cli_main(["simulate", str(bad), "--out", str(tmp_path / "c")]) == 1
    err = capsys.readouterr().err
    assert "target.mass_kg" in err and "Traceback" not in err
    assert not (tmp_path / "c").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_interrupted_write_leaves_nothing(small_toml, tmp_path, monkeypatch):
    s = scenario.load(small_toml).with_settings(seeds=[1])
    res = pipeline.run_scenarios([s], workers=1)

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr("orbitsim.report.render", boom)
    with pytest.raises(KeyboardInterrupt):
        pipeline.write_run(res, tmp_path / "run")
    assert list(tmp_path.iterdir()) == []


def test_usa193_debris_gone_as_published():
    """Model notes 5: USA-193's ~175 catalogued fragments were all gone within ~18 months."""
    s = scenario.load_preset("usa-193").with_settings(seeds=[1], min_size_m=0.3, horizon_years=5.0,
                                                      screening_days=0.05)
    r = pipeline.run_scenario(s, workers=1).row
    assert r["on_orbit_5y"] == 0
    assert r["on_orbit_1y"] <= 0.05 * r["n_ge_10cm"]
    assert r["reversibility"] == "reversible"


def test_list_presets(capsys):
    assert cli_main(["simulate", "--list"]) == 0
    out = capsys.readouterr().out
    for name in scenario.PRESETS:
        assert name in out
