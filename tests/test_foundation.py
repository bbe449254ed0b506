"""The foundation: data location, time conversions, atomic outputs, the CLI frame, packaging."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sgp4.api import jday

from orbitsim import __version__, data, timeutil
from orbitsim.errors import InputError, OutputExistsError
from orbitsim.io import RUN_MARKER, atomic_dir, atomic_write, write_csv

ROOT = Path(__file__).resolve().parents[1]


def test_embedded_data_files_exist_and_are_attributed():
    for rel in (data.ACTIVE_OMM, data.ASAT_PRE_EVENT_TLE, data.SATCAT_CSV, data.UCS_CSV,
                data.SPACE_WEATHER_CSV, data.JB2008_CSV):
        assert data.data_path(rel).stat().st_size > 0
    assert len(data.debris_files()) == 4
    readme = (data.data_root() / "README.md").read_text()
    for name in ("CelesTrak", "Union of Concerned Scientists", "ARCLab"):
        assert name in readme


def test_sha256_matches_hashlib(tmp_path):
    import hashlib

    p = tmp_path / "x.bin"
    p.write_bytes(b"orbitsim" * 1000)
    assert data.sha256(p) == hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.parametrize("text", ["2021-11-15T02:47:00", "2007-01-11T22:26:00.5Z", "2019-03-27 05:40:00",
                                  "2000-02-29T23:59:59.999999"])
def test_iso_to_jd_matches_sgp4_jday(text):
    t = timeutil.parse_iso(text)
    jd, fr = timeutil.datetime64_to_jd(t)
    s = str(t)
    y, mo, d = int(s[0:4]), int(s[5:7]), int(s[8:10])
    h, mi, sec = int(s[11:13]), int(s[14:16]), float(s[17:])
    ref_jd, ref_fr = jday(y, mo, d, h, mi, sec)
    assert (jd + fr) == pytest.approx(ref_jd + ref_fr, abs=1e-9)
    assert timeutil.jd_to_datetime64(jd, fr) == t


def test_iso_round_trip_and_grid():
    t0 = timeutil.parse_iso("2026-07-10T00:00:00")
    jd, fr = timeutil.time_grid(t0, 3600.0, 60.0)
    assert len(jd) == 61
    back = timeutil.jd_to_datetime64(jd, fr)
    assert np.all(np.diff(back).astype(np.int64) == 60_000_000)
    assert timeutil.iso(back[-1]) == "2026-07-10T01:00:00.000000Z"


@pytest.mark.parametrize("bad", ["yesterday", "2021-13-01", "", "2021-11-15T25:00"])
def test_parse_iso_rejects_with_field_name(bad):
    with pytest.raises(InputError, match="--start"):
        timeutil.parse_iso(bad, field="--start")


def test_time_grid_rejects_nonpositive_step():
    with pytest.raises(InputError, match="step"):
        timeutil.time_grid(np.datetime64("2026-01-01"), 10.0, 0.0)


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("precious\n")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as fh:
            fh.write("half")
            raise RuntimeError("interrupted")
    assert target.read_text() == "precious\n"
    assert list(tmp_path.iterdir()) == [target]  # no temporary left behind
    with pytest.raises(OutputExistsError):
        with atomic_write(target, force=False):
            pass


def test_atomic_dir_refuses_then_replaces(tmp_path):
    out = tmp_path / "run"
    with atomic_dir(out) as d:
        (d / "a.txt").write_text("1")
    with pytest.raises(OutputExistsError):
        with atomic_dir(out):
            pass
    with pytest.raises(ValueError):
        with atomic_dir(out, force=True) as d:
            (d / "b.txt").write_text("2")
            raise ValueError("boom")
    assert sorted(p.name for p in out.iterdir()) == [RUN_MARKER, "a.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["run"]
    with atomic_dir(out, force=True) as d:
        (d / "b.txt").write_text("2")
    assert sorted(p.name for p in out.iterdir()) == [RUN_MARKER, "b.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # no .run.old-PID left behind


def test_write_csv_full_precision_and_provenance(tmp_path):
    x = np.array([0.1 + 0.2, 1e-300, np.nan, 6378.135])
    p = write_csv(tmp_path / "t.csv", {"norad_id": np.arange(4, dtype=np.int64), "x_km": x},
                  provenance={"seed": 1})
    lines = p.read_text().splitlines()
    assert lines[0] == "norad_id,x_km"
    assert float(lines[1].split(",")[1]) == 0.1 + 0.2
    assert float(lines[2].split(",")[1]) == 1e-300
    assert lines[3] == "2,"
    assert (tmp_path / "t.csv.provenance.json").exists()


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "orbitsim", *args], capture_output=True, text=True,
                          timeout=300)


def test_cli_version_help_and_usage_errors():
    r = _cli("--version")
    assert r.returncode == 0 and __version__ in r.stdout
    r = _cli("--help")
    assert r.returncode == 0 and "Exit codes" in r.stdout
    r = _cli("no-such-command")
    assert r.returncode == 2 and "Traceback" not in r.stderr and "error" in r.stderr


def test_wheel_ships_the_data(tmp_path):
    """An installed wheel (not the checkout) finds the embedded data without the network."""
    wheel_dir, target = tmp_path / "wheel", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheel_dir), str(ROOT)], check=True, timeout=300)
    wheel = next(wheel_dir.glob("orbitsim-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    str(wheel)], check=True, timeout=300)
    code = "import orbitsim.data as d; print(d.data_root()); print(len(d.default_catalog_files()))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                       env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert r.returncode == 0, r.stderr
    root, n = r.stdout.split()
    assert Path(root) == target / "orbitsim" / "_data"
    assert int(n) == 5
