"""report.html, the glossary and the headline numbers, on one small real run.

The browser checks use headless Chromium (Debian package ``chromium``; ``make test`` installs it
when missing and running as root): the page must render to a screenshot that is not blank and
log no console error, and a page with a script error must be caught by the same check.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from orbitsim import columns, pipeline
from orbitsim.cli import main as cli_main
from orbitsim.report import read_csv

TINY = """
name = "tiny-test"
epoch = "2026-07-10T00:00:00Z"
hypothetical = true
[target]
mass_kg = 800.0
owner = "CIS"
[target.orbit]
altitude_km = 850.0
inclination_deg = 82.6
[interceptor]
mass_kg = 30.0
closing_speed_km_s = 7.0
[simulation]
min_size_m = 0.4
seeds = [1, 2]
screening_days = 0.02
horizon_years = 30.0
[taxonomy]
tester = "CIS"
"""

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """A real run directory (small: fragments >= 40 cm, a half-hour screening, light risk sampling)."""
    p = tmp_path_factory.mktemp("scen") / "tiny.toml"
    p.write_text(TINY)
    out = tmp_path_factory.mktemp("runs") / "tiny"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "RISK_SAMPLING", {"cell_km": 20.0, "samples_per_orbit": 32,
                                               "target_samples_per_orbit": 16})
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            assert cli_main(["simulate", str(p), "--out", str(out), "--workers", "1", "--json"]) == 0
    (out.parent / "headline.json").write_text(buf.getvalue())
    return out


def test_simulate_json_is_strict_and_matches_the_summary(run_dir):
    text = (run_dir.parent / "headline.json").read_text()

    def no_constants(name):
        raise AssertionError(f"not strict JSON: {name}")

    rec = json.loads(text, parse_constant=no_constants)
    s = read_csv(run_dir / "summary.csv")
    (sc,) = rec["scenarios"]
    assert sc["scenario"] == "tiny-test" and sc["hypothetical"] is True
    for key in ("n_ge_10cm", "on_orbit_1y", "on_orbit_5y", "on_orbit_25y", "expected_collisions_25y"):
        assert sc["numbers"][key]["median"] == pytest.approx(float(s[key][0]), rel=1e-12)
        p05 = float(s[key + "_p05"][0])  # empty (NaN) below the members a percentile needs: JSON null
        assert (sc["numbers"][key]["p05"] is None if math.isnan(p05)
                else sc["numbers"][key]["p05"] == pytest.approx(p05, rel=1e-12))
        assert sc["numbers"][key]["definition"] == columns.describe(key)
    tax = json.loads((run_dir / "taxonomy.json").read_text())["tiny-test"]
    assert sc["persistence_class"] == tax["persistence"]["class"]


def test_compare_two_runs(run_dir, tmp_path, capsys):
    other = tmp_path / "other"
    shutil.copytree(run_dir, other)
    assert cli_main(["compare", str(run_dir), str(other), "--out", str(tmp_path / "c.md")]) == 0
    out = capsys.readouterr().out
    s = read_csv(run_dir / "summary.csv")
    n = f"{int(s['n_ge_10cm'][0]):,}"
    row = [ln for ln in out.splitlines() if ln.startswith("| Trackable fragments")][0]
    assert row.count(n) == 2 and row.rstrip().endswith("| 1 |")  # same run twice: ratio 1
    assert (tmp_path / "c.md").read_text() in out
    assert cli_main(["compare", str(run_dir), str(other), "--out", str(tmp_path / "c.md")]) == 3
    assert cli_main(["compare", str(run_dir), str(other), "--out", str(tmp_path / "c.json")]) == 0
    rec = json.loads((tmp_path / "c.json").read_text())
    assert [r["run"] for r in rec["runs"]] == ["tiny", "other"]
    assert cli_main(["compare", str(run_dir), str(tmp_path)]) == 1
    assert "not a run directory" in capsys.readouterr().err


def test_report_command_regenerates_report_html(run_dir, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(run_dir, run)
    before = (run / "report.html").read_bytes()
    (run / "report.html").unlink()
    assert cli_main(["report", str(run)]) == 0
    assert (run / "report.html").read_bytes() == before  # same data, same bytes
    assert (run / "report" / "report.html").read_bytes() == before
    assert cli_main(["report", str(run), "--force", "--pdf"]) == 0
    assert (run / "report.pdf").read_bytes()[:5] == b"%PDF-"


def test_glossary_covers_every_summary_and_exposure_column(run_dir):
    for table, fname in (("summary", "summary.csv"), ("exposure_by_owner", "exposure_by_owner.csv"),
                         ("conjunctions", "conjunctions.csv"), ("density_by_shell", "density_by_shell.csv")):
        with open(run_dir / fname) as fh:
            names = fh.readline().strip().split(",")
        missing = [n for n in names if n != "scenario" and columns.lookup(n, table) is None]
        assert not missing, f"{fname}: columns without a glossary entry: {missing}"


def test_glossary_file_is_generated_from_the_schema():
    text = (ROOT / "docs" / "columns.md").read_text()
    assert text == columns.glossary_markdown(), "regenerate: python -m orbitsim.columns > docs/columns.md"
    for c in columns.COLUMNS["summary"].values():
        assert f"| `{c.name}` |" in text


def test_ecsv_carries_units_and_descriptions(run_dir):
    from astropy.table import Table

    t = Table.read(run_dir / "summary.ecsv", format="ascii.ecsv")
    assert str(t["altitude_km"].unit) == "km"
    assert t["n_ge_10cm"].description == columns.describe("n_ge_10cm")
    assert "5th percentile" in t["n_ge_10cm_p05"].description
    e = Table.read(run_dir / "exposure_by_owner.ecsv", format="ascii.ecsv")
    assert e["expected_collisions_25y"].description == columns.describe("expected_collisions_25y",
                                                                        "exposure_by_owner")


def test_readable_tables(run_dir):
    md = (run_dir / "summary.md").read_text()
    heads = [ln for ln in md.splitlines() if ln.startswith("## ")]
    assert heads[:3] == ["## Inputs", "## Assumptions", "## Results"]
    assert not re.search(r"\d\.\d+e[+-]0\d", md.split("## Provenance")[0])  # no 7.989e+04 style
    s = read_csv(run_dir / "summary.csv")
    n = s["n_ge_10cm"][0]
    assert f"{int(n):,}" in md
    ex = (run_dir / "exposure_by_owner.md").read_text()
    rows = [ln for ln in ex.split("## Provenance")[0].splitlines() if ln.startswith("| ") and "---" not in ln]
    e = read_csv(run_dir / "exposure_by_owner.csv")
    assert len(set(e["owner"])) == len(e["owner"])  # CSV: one row per owner
    assert len(rows) == 1 + min(15, len(e["owner"])) + (len(e["owner"]) > 15)
    if len(e["owner"]) > 15:
        assert "all others" in rows[-1]


def test_report_html_self_contained(run_dir):
    text = (run_dir / "report.html").read_text()
    assert text.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text)
    assert "<script" not in text and "url(" not in text and "@import" not in text
    assert text.count("data:image/png;base64,") >= 3
    i = {k: text.index(k) for k in ("Headline numbers", "The taxonomy in words", "Exposure by owner",
                                    "Figures", "Caveats", "Provenance")}
    assert list(i.values()) == sorted(i.values())
    for label in ("Trackable fragments", "Still on orbit after 1 year", "Still on orbit after 5 years",
                  "Still on orbit after 25 years", "ISS", "Persistence class", "Most exposed owners"):
        assert label in text, label
    tax = json.loads((run_dir / "taxonomy.json").read_text())["tiny-test"]
    import html

    assert tax["persistence"]["class"] in text and html.escape(tax["persistence"]["reason"]) in text


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.fail("headless Chromium is needed for the report checks: apt-get install chromium "
                    "(make test installs it when run as root)")
    return exe


def _browse(page: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
           f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0", *args,
           page.resolve().as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def _console_errors(stderr: str) -> list[str]:
    """Console messages Chromium logged (the report has no script: any message is an error, e.g. a
    failed resource load or a script error)."""
    return [ln for ln in stderr.splitlines() if ":CONSOLE" in ln or "Uncaught" in ln]


def test_report_renders_in_chromium(run_dir, tmp_path):
    import matplotlib.image as mpimg

    shot = tmp_path / "report.png"
    r = _browse(run_dir / "report.html", tmp_path, "--window-size=1200,1600", f"--screenshot={shot}")
    assert shot.is_file(), r.stderr[-2000:]
    img = mpimg.imread(shot)[..., :3]
    ink = np.mean(np.any(img < 0.85, axis=-1))  # share of pixels that are not (near) white
    assert 0.02 < ink < 0.9, ink
    assert img.std() > 0.05
    dom = _browse(run_dir / "report.html", tmp_path, "--dump-dom")
    assert "Headline numbers" in dom.stdout and "Trackable fragments" in dom.stdout
    assert not _console_errors(dom.stderr), _console_errors(dom.stderr)
    pdf = tmp_path / "report.pdf"
    _browse(run_dir / "report.html", tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_console_error_check_catches_a_broken_page(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><body><p>x</p><script>undefinedFunction();</script></body></html>")
    r = _browse(bad, tmp_path, "--dump-dom")
    assert _console_errors(r.stderr), r.stderr[-2000:]
