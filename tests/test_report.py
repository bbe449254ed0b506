"""Report tables and plots: formats readable by outside tools, provenance in each, same bytes twice."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from orbitsim import pipeline
from orbitsim.cli import main as cli_main
from orbitsim.io import write_csv, write_json
from orbitsim.report import read_csv, render, tables

PROV = {"orbitsim_version": "test", "inputs": [{"file": "cat.csv", "sha256": "ab" * 32}],
        "seed": [1, 2, 3], "hypothetical_scenario": True, "parameters": {"min_size_m": 0.1}}


def _table():
    return {"scenario": np.array(["a@300km", "a@900km"], dtype=object),
            "altitude_km": np.array([300.0, 900.0]),
            "n_ge_10cm": np.array([1200.0, 1350.0]), "n_ge_10cm_p05": np.array([1100.0, 1300.0]),
            "n_ge_10cm_p95": np.array([1300.0, 1400.0]),
            "reversibility": np.array(["reversible", "irreversible"], dtype=object)}


def test_csv_roundtrip_full_precision(tmp_path):
    t = _table()
    t["fragment_years"] = np.array([1 / 3, 2e-17])
    write_csv(tmp_path / "t.csv", t, PROV)
    back = read_csv(tmp_path / "t.csv")
    assert back["fragment_years"][0] == 1 / 3 and back["fragment_years"][1] == 2e-17
    assert list(back["scenario"]) == ["a@300km", "a@900km"]
    assert json.loads((tmp_path / "t.csv.provenance.json").read_text())["seed"] == [1, 2, 3]


def test_ecsv_read_by_astropy_with_provenance():
    from astropy.table import Table

    text = tables.to_ecsv(_table(), PROV)
    t = Table.read(text, format="ascii.ecsv")
    assert list(t["altitude_km"]) == [300.0, 900.0]
    assert t.meta["provenance"]["inputs"][0]["sha256"] == "ab" * 32
    assert t.meta["provenance"]["hypothetical_scenario"] is True


def test_markdown_band_cells_and_provenance():
    md = tables.to_markdown(_table(), PROV, title="T", transpose=False)
    lines = md.splitlines()
    assert lines[2].startswith("| scenario | altitude_km | n_ge_10cm | reversibility |")
    assert "| a@300km | 300 | 1,200 (1,100-1,300) | reversible |" in md
    assert "## Provenance" in md and "- hypothetical_scenario: true" in md
    assert "- inputs[0].file: cat.csv" in md


def test_latex_escapes_and_comments():
    tex = tables.to_latex(_table(), PROV, caption="50% of a_b")
    assert "altitude\\_km" in tex and "50\\% of a\\_b" in tex
    assert tex.splitlines()[0].startswith("% ")
    assert "\\begin{tabular}" in tex and tex.count("\\\\") == 3  # header + 2 rows
    n_cols = tex.split("\\begin{tabular}{")[1].split("}")[0]
    assert len(n_cols) == 4  # scenario, altitude, n (merged band), reversibility


def test_write_table_same_bytes(tmp_path):
    a = tables.write_table(tmp_path / "a" / "summary", _table(), PROV)
    b = tables.write_table(tmp_path / "b" / "summary", _table(), PROV)
    assert [p.name for p in a] == ["summary.csv", "summary.ecsv", "summary.md", "summary.tex"]
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes()


def test_human_numbers_and_bands():
    h = tables.human_number
    assert h(79890.3) == "79,890" and h(1348.0) == "1,348" and h(np.int64(1234567)) == "1,234,567"
    assert h(0.0001634) == "0.000163" and h(12.345) == "12.3" and h(0.5) == "0.5" and h(999.7) == "1,000"
    assert h(1.634e-5) == "1.63e-5" and h(0.0) == "0" and h(np.nan) == "" and h(True) == "yes"
    assert h(-2.5) == "-2.5"
    b = tables.human_band
    assert b(1348.0, 1336.0, 1405.0) == "1,348 (1,336-1,405)"
    assert b(0.0001634, 0.000128, 0.0001994) == "0.000163 (0.000128-0.000199)"
    assert b(5.0, 5.0, 5.0) == "5" and b(np.nan, 1.0, 2.0) == "" and b(1.0, -1.0, 2.0) == "1 (-1 to 2)"
    assert b("long-lived", "reversible", "persistent") == "long-lived (5%: reversible; 95%: persistent)"


def _exposure(n):
    owners = [f"O{i:02d}" for i in range(n)]
    risk = np.arange(n, dtype=float)[::-1] * 0.01 + 0.001  # O00 highest
    rng = np.random.default_rng(3)
    order = rng.permutation(n)  # input not sorted
    return {"owner": np.array(owners, dtype=object)[order], "is_tester": np.array([o == "O03" for o in owners])[order],
            "n_active_payloads": np.arange(1, n + 1)[order],
            "conjunctions_per_day_week1": np.ones(n)[order],
            "expected_collisions_25y": risk[order], "expected_collisions_25y_p05": 0.5 * risk[order],
            "expected_collisions_25y_p95": 2 * risk[order]}


def test_exposure_view_owners_as_rows_top15_and_others():
    e = _exposure(20)
    v = tables.exposure_view(e)
    assert list(v["owner"][:4]) == ["O00", "O01", "O02", "O03 (tester)"] and len(v["owner"]) == 16
    assert v["owner"][-1] == "all others (5 owners)"
    risk = np.arange(20, dtype=float)[::-1] * 0.01 + 0.001
    assert v["expected_collisions_25y"][-1] == pytest.approx(risk[15:].sum())
    assert np.isnan(v["expected_collisions_25y_p05"][-1])  # a sum of medians has no band
    assert v["n_active_payloads"][-1] == sum(range(16, 21))
    small = tables.exposure_view(_exposure(4))
    assert len(small["owner"]) == 4 and not any("all others" in o for o in small["owner"])
    md = tables.exposure_markdown(e, PROV)
    body = [ln for ln in md.split("## Provenance")[0].splitlines() if ln.startswith("| O") or ln.startswith("| all others")]
    assert len(body) == 16 and body[0].startswith("| O00 | 1 | 1 | 0.191 (0.0955-0.382) |")


def test_summary_sections_split():
    t = _table()
    parts = tables.summary_sections(t, {"parameters": {"scenarios": [
        {"name": "a@300km", "simulation": {"screening_days": 7.0, "horizon_years": 100.0}},
        {"name": "a@900km", "simulation": {"screening_days": 7.0, "horizon_years": 50.0}}]}})
    assert list(parts["inputs"]) == ["scenario", "altitude_km"]
    assert list(parts["assumptions"]["horizon_years"]) == [100.0, 50.0]
    assert "n_ge_10cm_p05" in parts["results"] and "reversibility" in parts["results"]
    md = tables.summary_markdown(t, PROV)
    assert md.index("## Inputs") < md.index("## Assumptions") < md.index("## Results") < md.index("## Provenance")


def test_gabbard_axes_follow_the_bulk():
    from orbitsim.report import plots

    rng = np.random.default_rng(1)
    per = rng.uniform(300, 480, 1000)
    apo = rng.uniform(480, 900, 1000)
    apo[:3] = [140_000.0, 60_000.0, 30_000.0]  # a few thrown far out
    T = 2 * np.pi * np.sqrt((6378.135 + 0.5 * (per + apo)) ** 3 / 398600.8) / 60
    xlim, ylim, beyond, top = plots.gabbard_limits(per, apo, T)
    assert ylim[1] < 1000 and top == 140_000.0
    assert beyond == np.count_nonzero((apo > ylim[1]) | (T > xlim[1])) and 3 <= beyond <= 12
    import matplotlib

    matplotlib.use("Agg")
    ax = plots.gabbard(per, apo, T)
    assert ax.get_ylim()[1] == pytest.approx(ylim[1])
    assert any(f"{beyond} fragments beyond" in t.get_text() for t in ax.texts)
    assert "(km)" in ax.get_ylabel() and "(min)" in ax.get_xlabel()
    ax.figure.clf()


def test_fmt_number():
    assert tables.fmt_number(3.0) == "3" and tables.fmt_number(np.nan) == ""
    assert tables.fmt_number(0.000123456) == "0.0001235" and tables.fmt_number(np.inf) == "inf"
    assert tables.fmt_number(np.int64(7)) == "7" and tables.fmt_number(True) == "true"


def test_plot_functions_take_an_axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from orbitsim.report import plots

    fig, axs = plt.subplots(2, 2)
    assert plots.gabbard([400, 300], [500, 900], [94, 99], ax=axs[0, 0]) is axs[0, 0]
    t = np.linspace(0, 10, 11)
    assert plots.on_orbit_over_time(t, 100 - t, 90 - t, 110 - t, ax=axs[0, 1]) is axs[0, 1]
    assert plots.density_by_altitude([200, 250], [250, 300], [1e-8, 2e-8], [1e-9, 0], ax=axs[1, 0]) is axs[1, 0]
    ax = plots.leo_vs_high_leo([300, 600], {"after 25 y": ([0, 10], [0, 8], [0, 12])}, ax=axs[1, 1])
    assert ax is axs[1, 1] and ax.get_xlabel().startswith("altitude")
    plt.close(fig)
    ax = plots.gabbard([400], [500], [94])  # ax=None makes a figure
    assert ax.figure is not None
    plt.close(ax.figure)


def _fake_run(path, n_scen=2):
    """A run directory with the data files pipeline.write_run writes, values made up by hand."""
    path.mkdir(parents=True)
    summary = _table()
    summary["perigee_km"] = np.array([300.0, 900.0])
    summary["apogee_km"] = np.array([300.0, 900.0])
    for k, v in (("on_orbit_1y", [10.0, 1300.0]), ("on_orbit_25y", [0.0, 1200.0]), ("on_orbit_100y", [0.0, 900.0])):
        summary[k] = np.array(v)
        summary[k + "_p05"] = np.array(v) * 0.9
        summary[k + "_p95"] = np.array(v) * 1.1
    write_csv(path / "summary.csv", summary, PROV)
    names = list(summary["scenario"])
    yrs = np.linspace(0, 100, 5)
    write_csv(path / "on_orbit_over_time.csv", {
        "scenario": np.repeat(np.array(names, dtype=object), 5), "years": np.tile(yrs, 2),
        "on_orbit_ge_10cm": np.r_[[1200, 0, 0, 0, 0], [1350, 1300, 1200, 1000, 900]].astype(float),
        "on_orbit_ge_10cm_p05": np.zeros(10), "on_orbit_ge_10cm_p95": np.full(10, 1400.0)}, PROV)
    edges = np.arange(200.0, 1100.0, 100.0)
    k = len(edges) - 1
    write_csv(path / "density_by_shell.csv", {
        "scenario": np.repeat(np.array(names, dtype=object), k), "shell_low_km": np.tile(edges[:-1], 2),
        "shell_high_km": np.tile(edges[1:], 2), "catalog_density_per_km3": np.full(2 * k, 1e-8),
        "added_density_0y_per_km3": np.linspace(1e-10, 1e-9, 2 * k),
        "added_density_1y_per_km3": np.linspace(1e-11, 1e-10, 2 * k)}, PROV)
    write_csv(path / "gabbard.csv", {
        "scenario": np.array([names[0]] * 3, dtype=object), "seed": np.ones(3, dtype=np.int64),
        "perigee_km": np.array([250.0, 280.0, 300.0]), "apogee_km": np.array([300.0, 400.0, 700.0]),
        "period_min": np.array([90.0, 91.5, 95.0]), "lc_m": np.array([0.1, 0.2, 0.3])}, PROV)
    write_csv(path / "exposure_by_owner.csv", {
        "scenario": np.array(names, dtype=object), "owner": np.array(["US", "PRC"], dtype=object),
        "is_tester": np.array([False, True]), "expected_collisions_25y": np.array([0.1, 0.01])}, PROV)
    write_json(path / "provenance.json", PROV)
    return path


def test_render_same_bytes_and_all_outputs(tmp_path):
    run = _fake_run(tmp_path / "run")
    a = render(run, tmp_path / "r1")
    b = render(run, tmp_path / "r2")
    names = sorted(p.name for p in a)
    for f in ("summary.csv", "summary.ecsv", "summary.md", "summary.tex", "exposure_by_owner.md",
              "gabbard.png", "on_orbit_over_time.png", "density_by_altitude.png", "leo_vs_high_leo.png"):
        assert f in names, f
    for pa, pb in zip(sorted(a), sorted(b)):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    assert (tmp_path / "r1" / "gabbard.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "report.html" in names


def test_report_html_says_not_determined_for_nan(tmp_path):
    run = _fake_run(tmp_path / "run")
    s = read_csv(run / "summary.csv")
    s["on_orbit_25y"] = np.array([np.nan, 1200.0])  # beyond a short horizon for the first scenario
    write_csv(run / "summary.csv", s, PROV)
    render(run, run)
    html = (run / "report.html").read_text()
    row = html[html.index("Still on orbit after 25 years"):]
    row = row[:row.index("</tr>")]
    assert "not determined" in row and "1,200" in row and "nan" not in row.lower()


def test_report_cli_force_and_errors(tmp_path, capsys):
    run = _fake_run(tmp_path / "run")
    assert cli_main(["report", str(run)]) == 0
    assert (run / "report" / "summary.md").is_file()
    before = (run / "report" / "summary.md").read_bytes()
    assert cli_main(["report", str(run)]) == 3  # exists, no --force
    err = capsys.readouterr().err
    assert "--force" in err and "Traceback" not in err
    assert cli_main(["report", str(run), "--force"]) == 0
    assert (run / "report" / "summary.md").read_bytes() == before
    assert not [p for p in run.iterdir() if p.name.startswith(".report")]  # no temp folder left
    assert cli_main(["report", str(tmp_path)]) == 1
    assert "not a run directory" in capsys.readouterr().err


def test_summary_table_columns_union():
    class R:  # minimal stand-ins for ScenarioResult rows
        def __init__(self, row):
            self.row = row

    t = pipeline.summary_table([R({"scenario": "a", "x_km": 1.0}), R({"scenario": "b", "y": 2.0})])
    assert list(t) == ["scenario", "x_km", "y"]
    assert np.isnan(t["y"][0]) and t["x_km"][0] == 1.0 and np.isnan(t["x_km"][1])
