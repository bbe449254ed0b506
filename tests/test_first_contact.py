"""A new user's first hour: installed from a wheel, their own files, nothing lost, honest numbers.

Reference values come from outside the code under test: closed-form integrals, the SBM power law
written out here, the umask rule of POSIX ``open``/``mkdir``, Python's own ``json`` parser in strict
mode, the SATCAT file read with ``csv``.
"""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from orbitsim import catalog, consequences as cq, data, owners, scenario
from orbitsim.cli import main as cli_main
from orbitsim.errors import InputError, OutputExistsError
from orbitsim.io import RUN_MARKER, atomic_dir, atomic_write, check_output_dir, check_output_file, write_csv, write_json

ROOT = Path(__file__).resolve().parent.parent

SMALL = """
name = "tiny"
epoch = 2040-06-01T00:00:00Z
[target]
mass_kg = 300.0
owner = "US"
[target.orbit]
altitude_km = 600.0
inclination_deg = 51.6
[interceptor]
mass_kg = 5.0
closing_speed_km_s = 8.0
[simulation]
min_size_m = 0.2
seeds = [1]
screening_days = 0.02
horizon_years = 2.0
"""


def _strict_json(text: str):
    def bad(name):
        raise ValueError(f"non-standard JSON constant {name}")
    return json.loads(text, parse_constant=bad)


@pytest.fixture()
def small_toml(tmp_path):
    p = tmp_path / "tiny.toml"
    p.write_text(SMALL)
    return p


# -- runtime dependencies ----------------------------------------------------------------------

def test_core_imports_no_scipy_and_pc_runs_without_it():
    for f in (ROOT / "orbitsim").rglob("*.py"):
        text = f.read_text()
        assert "import scipy" not in text and "from scipy" not in text, f
    code = textwrap.dedent("""
        import sys
        sys.modules["scipy"] = None  # any import of scipy fails
        from orbitsim import risk
        R1 = [378.39559, 4305.721887, 5752.767554]; V1 = [2.360800244, 5.580331936, -4.322349039]
        R2 = [374.5180598, 4307.560983, 5751.130418]; V2 = [-5.388125081, -3.946827739, 3.322820358]
        C1 = [[44.5757544811362, 81.6751751052616, -67.8687662707124],
              [81.6751751052616, 158.453402956163, -128.616921644857],
              [-67.8687662707124, -128.616921644858, 105.490542562701]]
        C2 = [[2.31067077720423, 1.69905293875632, -1.4170164577661],
              [1.69905293875632, 1.24957388457206, -1.04174164279599],
              [-1.4170164577661, -1.04174164279599, 0.869260558223714]]
        print(repr(risk.pc_foster(R1, V1, C1, R2, V2, C2, 0.020)))
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert abs(float(r.stdout) / 2.706023476569787e-05 - 1) < 1e-6  # NASA CARA Omitron case 1


def test_adaptive_quadrature_and_golden_search_against_closed_forms():
    from orbitsim.pc import adaptive_quad, golden_max

    # int_{-3}^{3} exp(-x^2) dx = sqrt(pi) erf(3); a step at 0.3 handled by a break point
    val = adaptive_quad(lambda x: np.exp(-x * x), -3.0, 3.0, epsrel=1e-13)
    assert abs(val - math.sqrt(math.pi) * math.erf(3.0)) < 1e-13
    step = adaptive_quad(lambda x: np.where(x < 0.3, 1.0, 2.0), 0.0, 1.0, points=[0.3])
    assert abs(step - (0.3 + 1.4)) < 1e-13
    # max of x exp(-x) at x = 1, value 1/e
    x, fx = golden_max(lambda x: x * math.exp(-x), 0.0, 5.0)
    assert abs(x - 1.0) < 1e-6 and abs(fx - 1 / math.e) < 1e-12


# -- --force, markers, leftovers, umask ---------------------------------------------------------

def test_force_never_replaces_a_folder_orbitsim_did_not_write(tmp_path, small_toml, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes\n")
    for argv in (["simulate", str(small_toml), "--out", str(mine), "--force"],
                 ["sweep", "--target", str(small_toml), "--altitudes", "500", "--out", str(mine), "--force"]):
        assert cli_main(argv) == 3
        err = capsys.readouterr().err
        assert "not written by orbitsim" in err and str(mine) in err
    assert (mine / "notes.txt").read_text() == "my notes\n"
    with pytest.raises(OutputExistsError, match="not written by orbitsim"):
        with atomic_dir(mine, force=True):
            pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "tiny.toml"]
    # a file where a run folder should go: refused, and left alone
    f = tmp_path / "afile"
    f.write_text("x")
    with pytest.raises(OutputExistsError, match="not a folder"):
        check_output_dir(f, force=True)
    assert f.read_text() == "x"


def test_force_replaces_orbitsims_own_folder_without_leftovers(tmp_path):
    out = tmp_path / "run"
    with atomic_dir(out) as d:
        (d / "a.csv").write_text("1\n")
    assert (out / RUN_MARKER).is_file()
    with atomic_dir(out, force=True) as d:
        (d / "b.csv").write_text("2\n")
    assert sorted(p.name for p in out.iterdir()) == [RUN_MARKER, "b.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # no hidden .run.old-PID
    # a report folder orbitsim wrote inside it is orbitsim's too; a user's notes file is not
    with atomic_dir(out / "report") as d:
        (d / "summary.md").write_text("# t\n")
    assert check_output_dir(out, force=True) == out
    (out / "report" / "notes.txt").write_text("mine\n")
    with pytest.raises(OutputExistsError, match=r"files orbitsim did not write \(report/notes.txt\)"):
        check_output_dir(out, force=True)
    (out / "report" / "notes.txt").unlink()
    (out / "notes.txt").write_text("mine\n")
    with pytest.raises(OutputExistsError, match=r"did not write \(notes.txt\)"):
        with atomic_dir(out, force=True):
            pass
    assert (out / "notes.txt").read_text() == "mine\n"


def test_report_out_force_refuses_the_users_folder(tmp_path, capsys):
    from test_report import _fake_run  # a run directory built by hand (tests/test_report.py)

    run = _fake_run(tmp_path / "run")
    paper = tmp_path / "paper" / "tables"
    paper.mkdir(parents=True)
    for name in ("my-table.tex", "intro.md"):
        (paper / name).write_text("mine\n")
    assert cli_main(["report", str(run), "--out", str(paper), "--force"]) == 3
    assert "not written by orbitsim" in capsys.readouterr().err
    assert sorted(p.name for p in paper.iterdir()) == ["intro.md", "my-table.tex"]
    assert cli_main(["report", str(run), "--out", str(tmp_path / "rep")]) == 0
    assert cli_main(["report", str(run), "--out", str(tmp_path / "rep"), "--force"]) == 0  # ours: replaced
    assert not [p for p in (tmp_path).iterdir() if p.name.startswith(".")]


def test_force_on_files_only_replaces_orbitsims_files(tmp_path):
    user = tmp_path / "conj.csv"
    user.write_text("my,own\n1,2\n")
    with pytest.raises(OutputExistsError, match="pass --force"):
        check_output_file(user)
    with pytest.raises(OutputExistsError, match="not written by orbitsim"):
        check_output_file(user, force=True)
    from orbitsim.provenance import provenance

    ours = write_csv(tmp_path / "ours.csv", {"x": np.arange(2)}, provenance(command="test"))
    assert check_output_file(ours, force=True) == ours
    js = write_json(tmp_path / "ours.json", provenance(command="test"))
    assert check_output_file(js, force=True) == js
    with pytest.raises(OutputExistsError, match="is a folder"):
        check_output_file(tmp_path, force=True)


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002])
def test_outputs_follow_the_umask(tmp_path, mask):
    old = os.umask(mask)
    try:
        with atomic_write(tmp_path / "f.csv") as fh:
            fh.write("x\n")
        with atomic_dir(tmp_path / "run") as d:
            write_csv(d / "t.csv", {"x": np.arange(2)}, {"seed": 1})
    finally:
        os.umask(old)
    # POSIX: open(..., 0o666) and mkdir(..., 0o777) give mode & ~umask
    assert (tmp_path / "f.csv").stat().st_mode & 0o777 == 0o666 & ~mask
    assert (tmp_path / "run").stat().st_mode & 0o777 == 0o777 & ~mask
    assert (tmp_path / "run" / "t.csv").stat().st_mode & 0o777 == 0o666 & ~mask
    assert (tmp_path / "run" / "t.csv.provenance.json").stat().st_mode & 0o777 == 0o666 & ~mask


# -- strict JSON, the horizon ---------------------------------------------------------------------

def test_json_files_are_strict(tmp_path):
    p = write_json(tmp_path / "t.json", {"a": float("nan"), "b": [np.inf, -np.inf, 1.5], "c": np.float64(2.0),
                                         "d": np.array([np.nan, 3.0]), "e": np.bool_(True), 7: "int key"})
    doc = _strict_json(p.read_text())
    assert doc == {"a": None, "b": [None, None, 1.5], "c": 2.0, "d": [None, 3.0], "e": True, "7": "int key"}


def test_beyond_the_horizon_is_unknown_not_a_class():
    # 99% gone time not reached: lifetimes beyond the horizon are unknown (inf)
    assert cq.reversibility(math.inf, 1.5) is None
    assert cq.reversibility(float("nan"), 10.0) is None
    assert cq.reversibility_text(None, 1.5) == "not determined within the 1.5-year horizon"
    assert cq.reversibility(math.inf, 25.0) == "irreversible"  # still up after 25 years: a fact
    assert cq.reversibility(0.8, 1.5) == "reversible" and cq.reversibility(3.0, 5.0) == "long-lived"
    m = cq.lifetime_metrics(np.full(200, 0.2), np.full(200, np.inf), 1.5)
    assert m["reversibility"] is None and math.isinf(m["years_to_99pct_gone"])
    tax = cq.taxonomy(m, "b", "test", "US", horizon_years=1.5)
    assert tax["reversibility"] is None
    assert tax["reversibility_note"] == "not determined within the 1.5-year horizon"


def test_tester_risk_beyond_the_horizon_is_blank_not_zero():
    owner = np.array(["PRC", "US", "US"], dtype=object)
    nan = np.full(3, np.nan)
    out = cq.tester_split(owner, {1: np.array([0.1, 0.2, 0.3]), 10: nan, 25: nan}, "CIS")
    assert out["expected_collisions_1y_tester"] == 0.0  # no CIS payloads: truly 0 within the horizon
    assert out["expected_collisions_1y_others"] == pytest.approx(0.6)
    for y in (10, 25):
        for part in ("", "_tester", "_others"):
            assert math.isnan(out[f"expected_collisions_{y}y{part}"])


# -- any catalog: exposed assets ----------------------------------------------------------------

def _catalog_without_activity(tmp_path):
    """Pre-event element sets copied to a file whose name says nothing about activity."""
    p = tmp_path / "spacetrack.tle"
    p.write_bytes(data.data_path(data.ASAT_PRE_EVENT_TLE).read_bytes())
    return p


def test_exposed_assets_without_activity_are_the_payloads(tmp_path):
    cat = catalog.load(_catalog_without_activity(tmp_path))
    assert not cat.has_activity
    sub, note = cat.exposed_assets()
    types = list(cat.object_type)
    assert len(sub) == types.count("PAYLOAD") > 0 and note and "--targets" in note and "\n" not in note
    assert len(cat.exposed_assets("all")[0]) == len(cat)
    with pytest.raises(InputError, match="no activity information"):
        cat.exposed_assets("active")
    default = catalog.load_default()
    sub, note = default.exposed_assets()
    assert note is None and len(sub) == int((default.is_active & (default.object_type == "PAYLOAD")).sum())
    assert len(default.exposed_assets("payloads")[0]) == int((default.object_type == "PAYLOAD").sum())


def test_bad_catalog_file_gets_the_catalog_info_error(tmp_path, small_toml, capsys):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\x00\x01\x02\xff\xfe binary")
    assert cli_main(["catalog", "info", str(bad)]) == 1
    info_err = capsys.readouterr().err
    for argv in (["simulate", str(small_toml), "--out", str(tmp_path / "o"), "--catalog", str(bad)],
                 ["sweep", "--target", str(small_toml), "--altitudes", "500", "--out", str(tmp_path / "o"),
                  "--catalog", str(bad)],
                 ["screen", str(bad), "--out", str(tmp_path / "c.csv")],
                 ["decay", str(bad), "--years", "1", "--out", str(tmp_path / "d.csv")]):
        assert cli_main(argv) == 1, argv
        err = capsys.readouterr().err
        assert "no usable element sets" in err and "bad.bin" in err and "internal error" not in err
        assert err.splitlines()[-1] == info_err.splitlines()[-1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.bin", "tiny.toml"]


def test_targets_is_a_choice_on_simulate_sweep_and_screen(capsys):
    for argv in (["simulate", "cosmos-1408", "--out", "x", "--targets", "friends"],
                 ["sweep", "--target", "cosmos-1408", "--altitudes", "500", "--out", "x", "--targets", "x"],
                 ["screen", "f.tle", "--out", "x.csv", "--targets", "some"]):
        with pytest.raises(SystemExit) as e:
            cli_main(argv)
        assert e.value.code == 2
        assert "active" in capsys.readouterr().err


# -- owners ---------------------------------------------------------------------------------------

def _with(text, old, new):
    assert old in text
    return text.replace(old, new)


def test_owner_codes_are_checked_with_a_suggestion(tmp_path):
    p = tmp_path / "s.toml"
    p.write_text(_with(SMALL, 'owner = "US"', 'owner = "USA"'))
    with pytest.raises(InputError) as e:
        scenario.load(p)
    msg = str(e.value)
    assert "target.owner" in msg and "'USA'" in msg and "did you mean US" in msg and "s.toml" in msg
    p.write_text(SMALL + '[taxonomy]\ntester = "Russia"\n')
    with pytest.raises(InputError, match=r"taxonomy.tester.*did you mean CIS"):
        scenario.load(p)
    p.write_text(_with(SMALL, 'owner = "US"\n', ""))
    with pytest.raises(InputError, match="taxonomy.tester: missing"):
        scenario.load(p)
    p.write_text(_with(SMALL, 'owner = "US"\n', "") + '[taxonomy]\ntester = "PRC"\n')
    assert scenario.load(p).taxonomy.tester == "PRC"


def test_owner_table_matches_the_satcat_and_the_docs():
    with open(data.data_path(data.SATCAT_CSV), newline="") as fh:
        rows = list(csv.DictReader(fh))
    codes = {r["owner"] for r in rows if r["owner"]}
    n_us = sum(1 for r in rows if r["owner"] == "US" and r["object_type"] == "PAYLOAD")
    table = {r["code"]: r for r in owners.owner_table()}
    assert set(table) == codes and all(r["name"] for r in table.values())
    assert table["US"]["payloads"] == n_us and table["US"]["name"] == "United States"
    doc = (ROOT / "docs" / "owner-codes.md").read_text()
    for code, r in table.items():
        assert f"| {code} | {r['name']} | {r['payloads']:,} | {r['payloads_on_orbit']:,} |" in doc, code


def test_catalog_owners_command(capsys):
    assert cli_main(["catalog", "owners"]) == 0
    out = capsys.readouterr().out
    assert any(line.split()[:1] == ["PRC"] and "People's Republic of China" in line for line in out.splitlines())
    assert cli_main(["catalog", "owners", "--json"]) == 0
    rows = _strict_json(capsys.readouterr().out)
    assert {"code": "IND", "name": "India"}.items() <= next(r for r in rows if r["code"] == "IND").items()


# -- small input gaps -------------------------------------------------------------------------------

def test_scenario_input_gaps(tmp_path):
    p = tmp_path / "s.toml"
    p.write_text(SMALL)  # native TOML date-time
    assert str(scenario.load(p).epoch) == "2040-06-01T00:00:00.000000"
    p.write_text(_with(SMALL, "epoch = 2040-06-01T00:00:00Z", "epoch = 2040-06-01T02:00:00+02:00"))
    assert str(scenario.load(p).epoch) == "2040-06-01T00:00:00.000000"
    p.write_text(_with(SMALL, "epoch = 2040-06-01T00:00:00Z", "epoch = 2040-06-01"))  # a TOML date
    assert str(scenario.load(p).epoch) == "2040-06-01T00:00:00.000000"
    p.write_text(_with(SMALL, "epoch = 2040-06-01T00:00:00Z", 'epoch = "1950-01-01"'))
    with pytest.raises(InputError, match=r"epoch: 1950-01-01.*1998-07-01.*space weather"):
        scenario.load(p)
    p.write_text(_with(SMALL, "closing_speed_km_s = 8.0", "closing_speed_km_s = 10000.0"))
    with pytest.raises(InputError, match=r"s\.toml.*interceptor\.closing_speed_km_s: 10000 km/s"):
        scenario.load(p)
    p.write_text(_with(SMALL, "altitude_km = 600.0", "altitude_km = 75000.0"))
    with pytest.raises(InputError, match=r"s\.toml.*target\.orbit: apogee 75000.0 km; expected at most 40,000"):
        scenario.load(p)
    with pytest.raises(InputError, match="is a folder; expected a scenario TOML file"):
        scenario.load(tmp_path)


@pytest.mark.parametrize("argv", [
    ["simulate", "cosmos-1408"],                                   # no --out
    ["simulate", "cosmos-1408", "--out", "o", "--seeds", "0"],
    ["simulate", "cosmos-1408", "--out", "o", "--min-size", "0"],
    ["simulate", "cosmos-1408", "--out", "o", "--workers", "0"],
    ["simulate", "cosmos-1408", "--out", "o", "--horizon-years", "-1"],
    ["sweep", "--target", "cosmos-1408", "--altitudes", "400", "400", "--out", "o"],
    ["sweep", "--target", "cosmos-1408", "--altitudes", "75000", "--out", "o"],
    ["sweep", "--target", "cosmos-1408", "--altitudes", "400"],   # no --out
    ["simulate"],                                                  # nothing to simulate
])
def test_bad_command_lines_exit_2(argv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    try:
        code = cli_main(argv)
    except SystemExit as e:
        code = e.code
    assert code == 2
    err = capsys.readouterr().err
    assert "error" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


# -- budgets ---------------------------------------------------------------------------------------

def test_estimate_follows_the_sbm_power_law():
    from orbitsim import budget

    s = scenario.load_preset("cosmos-1408")
    # NASA SBM catastrophic collision: N(>= Lc) = 0.1 M^0.75 Lc^-1.71, M = both masses (kg)
    m = s.target.mass_kg + s.interceptor.mass_kg
    for lc in (0.1, 0.01, 0.001):
        ref = 0.1 * m ** 0.75 * lc ** -1.71
        assert budget.fragments_expected(s.with_settings(min_size_m=lc)) == pytest.approx(ref, rel=1e-12)
    small = budget.estimate([s.with_settings(seeds=range(1, 3))], workers=2)
    # observed: one Cosmos 1408 member at 1 mm (4.1 million fragments) passed 5.25 GiB within 90 s
    one = budget.estimate([s.with_settings(seeds=[1], min_size_m=0.001)], workers=1)
    assert one.peak_gib >= 5.25 and one.minutes > 1.5
    all_screened = budget.estimate([s.with_settings(seeds=range(1, 101), screened_members=100)], workers=2)
    assert all_screened.minutes == pytest.approx(50 * small.minutes)
    # members past screened_members cost the breakup and decay only
    two_screened = budget.estimate([s.with_settings(seeds=range(1, 101), screened_members=2)], workers=2)
    assert small.minutes < two_screened.minutes < all_screened.minutes / 10


def test_over_budget_stops_before_work_with_exit_4(tmp_path, capsys):
    out = tmp_path / "run"
    assert cli_main(["simulate", "cosmos-1408", "--min-size", "0.001", "--out", str(out)]) == 4
    err = capsys.readouterr().err
    assert "--budget-gib" in err and "GiB" in err and "estimate" in err
    assert cli_main(["simulate", "cosmos-1408", "--seeds", "100000", "--out", str(out)]) == 4
    assert "--budget-minutes" in capsys.readouterr().err
    assert not out.exists()


def test_warnings_reach_the_terminal(capsys):
    from orbitsim.cli.simulate_cmd import print_warnings

    class R:
        notes = ["SpaceWeatherFallbackWarning: 1.0 of 2 years on the fitted solar-cycle model"]
    print_warnings([R(), R()])
    err = capsys.readouterr().err
    assert err.count("orbitsim: warning: SpaceWeatherFallbackWarning") == 1


# -- the installed wheel in a new environment ------------------------------------------------------

@pytest.mark.slow
def test_wheel_in_a_new_environment_runs_simulate_screen_decay(tmp_path):
    """Build the wheel, install it with its declared dependencies only (no test extras, so no
    scipy) into a new virtual environment, and run the README's commands from there."""
    wheel_dir, venv = tmp_path / "wheel", tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheel_dir), str(ROOT)], check=True, timeout=600)
    wheel = next(wheel_dir.glob("orbitsim-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    py = venv / "bin" / "python"
    r = subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True,
                       timeout=1800)
    assert r.returncode == 0, r.stderr[-3000:]
    r = subprocess.run([str(py), "-c", "import importlib.util as u; print(u.find_spec('scipy') is None)"],
                       capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "True"  # the runtime needs no scipy
    exe = venv / "bin" / "orbitsim"
    work = tmp_path / "work"
    work.mkdir()
    (work / "tiny.toml").write_text(SMALL)
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "MPLBACKEND": "Agg",
           "NUMBA_CACHE_DIR": str(tmp_path / "numba-cache")}

    def run(*args):
        return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=work, env=env, timeout=1800)

    r = run("simulate", "tiny.toml", "--workers", "1", "--out", "runs/tiny")
    assert r.returncode == 0, r.stderr[-3000:]
    assert "still up after 2 y" in r.stdout and "orbitsim: estimate:" in r.stderr
    assert "orbitsim: warning:" in r.stderr  # 2040-2042: beyond the forecast, fitted solar cycle
    run_dir = work / "runs" / "tiny"
    for name in ("taxonomy.json", "provenance.json", "timings.json"):
        _strict_json((run_dir / name).read_text())
    tle = data.data_path(data.ASAT_PRE_EVENT_TLE).name
    src = venv / "lib"
    tle_path = next(src.rglob(f"_data/tle/{tle}"))
    r = run("screen", str(tle_path), "--start", "2021-11-14T00:00:00", "--days", "0.02", "--out", "conj.csv")
    assert r.returncode == 0, r.stderr[-3000:]
    assert (work / "conj.csv").read_text().startswith("primary_id,")
    r = run("decay", str(tle_path), "--years", "1", "--out", "decay.csv")
    assert r.returncode == 0, r.stderr[-3000:]
    assert (work / "decay.csv").read_text().startswith("norad_id,decay_date_utc")


def test_pc_tails_keep_relative_accuracy():
    """Isotropic covariance, disc far from the mean: P = int_0^R r/s^2 exp(-(r^2 + d^2)/(2 s^2))
    I0(r d / s^2) dr (the Rice density, i.e. Marcum Q), integrated here by Simpson's rule with
    numpy's I0. A difference of two erf values near 1 would round these tails to 0."""
    from orbitsim import pc

    sigma, hbr = 0.1, 0.01
    r = np.linspace(0.0, hbr, 20001)
    for miss in (1.0, 2.0, 3.0):
        f = r / sigma ** 2 * np.exp(-(r * r + miss * miss) / (2 * sigma ** 2)) * np.i0(r * miss / sigma ** 2)
        h = r[1] - r[0]
        ref = h / 3 * (f[0] + f[-1] + 4 * f[1:-1:2].sum() + 2 * f[2:-1:2].sum())
        got = pc.pc_circle(sigma, sigma, miss, 0.0, hbr)
        assert ref > 0 and abs(got / ref - 1) < 1e-7, (miss, got, ref)
    # thin covariance, 1-D form: Phi(a) - Phi(b) with both far in the upper tail, against
    # Phi(-x) = erfc(x / sqrt 2) / 2 (math.erfc keeps the tail)
    ref = 0.5 * (math.erfc(39.5 / math.sqrt(2)) - math.erfc(40.5 / math.sqrt(2)))
    assert pc.pc_circle(1.0, 0.0, -40.0, 0.0, 0.5) == pytest.approx(ref, rel=1e-12)


def test_screen_targets_restricts_the_secondaries(tmp_path, capsys):
    src = data.data_path(data.ASAT_PRE_EVENT_TLE)
    out_all, out_act = tmp_path / "all.csv", tmp_path / "act.csv"
    args = [str(src), "--start", "2021-11-14T00:00:00", "--days", "0.1", "--threshold-km", "200"]
    assert cli_main(["screen", *args, "--out", str(out_all)]) == 0
    assert cli_main(["screen", *args, "--out", str(out_act), "--targets", "active"]) == 0
    capsys.readouterr()
    with open(out_all) as fh:
        rows_all = list(csv.DictReader(fh))
    with open(out_act) as fh:
        rows_act = list(csv.DictReader(fh))
    assert rows_act and all(r["secondary_active"] == "true" for r in rows_act)
    assert any(r["secondary_active"] == "false" for r in rows_all)  # debris groups are in the default
    key = lambda r: (r["primary_id"], r["secondary_id"], r["tca_utc"])  # noqa: E731
    assert {key(r) for r in rows_act} == {key(r) for r in rows_all if r["secondary_active"] == "true"}
    prov = _strict_json((tmp_path / "act.csv.provenance.json").read_text())
    assert len(prov["inputs"]) == 6  # the primaries and the five embedded catalog files


@pytest.mark.parametrize("argv, name", [
    (["breakup", "--target-mass", "900", "--projectile-mass", "20", "--speed", "9.4", "--min-size", "0.3"],
     "cloud.npz"),
    (["breakup", "--target-mass", "900", "--projectile-mass", "20", "--speed", "9.4", "--min-size", "0.3"],
     "cloud.csv"),
    (["catalog", "select", str(data.data_path(data.ASAT_PRE_EVENT_TLE))], "sel.tle"),
    (["catalog", "select", str(data.data_path(data.ASAT_PRE_EVENT_TLE))], "sel.json"),
])
def test_file_outputs_force_replaces_only_orbitsims(argv, name, tmp_path, capsys):
    out = tmp_path / name
    assert cli_main([*argv, "--out", str(out)]) == 0
    assert cli_main([*argv, "--out", str(out)]) == 3          # exists
    assert cli_main([*argv, "--out", str(out), "--force"]) == 0  # ours: replaced
    user = tmp_path / ("user-" + name)
    user.write_bytes(b"the user's own file\n")
    assert cli_main([*argv, "--out", str(user), "--force"]) == 3
    assert "not written by orbitsim" in capsys.readouterr().err
    assert user.read_bytes() == b"the user's own file\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
