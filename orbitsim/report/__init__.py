"""Reports: turn a run directory's data tables into citable tables and figures.

A run directory (written by :func:`orbitsim.pipeline.write_run`) holds plain CSV data:
``summary.csv``, ``exposure_by_owner.csv``, ``conjunctions.csv``, ``density_by_shell.csv``,
``on_orbit_over_time.csv``, ``gabbard.csv``, ``taxonomy.json`` and ``provenance.json``.
:func:`render` reads them and writes the summary (inputs, assumptions, results) and exposure
(owners as rows) tables as CSV, ECSV, Markdown and LaTeX (each with the provenance block), the PNG
figures and ``report.html``, the one self-contained page to open (:mod:`orbitsim.report.html`).
Same inputs, same bytes.

:func:`compare_published` writes the documented comparison of the four real tests
(``docs/four-tests.md``) from runs of the four presets.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np

from . import plots
from .tables import write_table

__all__ = ["render", "read_csv", "read_run", "compare_published", "PUBLISHED"]

PLOT_FILES = ("gabbard.png", "on_orbit_over_time.png", "density_by_altitude.png", "leo_vs_high_leo.png")


def _parse_column(vals: list[str]) -> np.ndarray:
    try:
        return np.array([int(v) for v in vals], dtype=np.int64)
    except ValueError:
        pass
    try:
        return np.array([float(v) if v != "" else np.nan for v in vals], dtype=float)
    except ValueError:
        return np.array(vals, dtype=object)


def read_csv(path: str | Path) -> dict:
    """Read a CSV written by :func:`orbitsim.io.write_csv` back into typed columns."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        return {}
    names, body = rows[0], rows[1:]
    return {n: _parse_column([r[i] for r in body]) for i, n in enumerate(names)}


def _read_provenance(run_dir: Path) -> dict:
    p = run_dir / "provenance.json"
    return json.loads(p.read_text()) if p.exists() else {}


def read_run(run_dir: str | Path) -> dict:
    """The data of a run directory: ``summary``, ``exposure``, ``taxonomy``, ``provenance`` (None if absent).

    Raises
    ------
    orbitsim.errors.InputError
        If ``run_dir`` is not a run directory (no ``summary.csv``).
    """
    from ..errors import InputError

    run_dir = Path(run_dir)
    if not (run_dir / "summary.csv").is_file():
        raise InputError(f"{run_dir}: not a run directory (no summary.csv); make one with 'orbitsim simulate'")
    tax_path = run_dir / "taxonomy.json"
    try:
        tax = json.loads(tax_path.read_text()) if tax_path.is_file() else {}
    except ValueError as exc:
        raise InputError(f"{tax_path}: not valid JSON ({exc})") from None
    exp_path = run_dir / "exposure_by_owner.csv"
    return {"summary": read_csv(run_dir / "summary.csv"),
            "exposure": read_csv(exp_path) if exp_path.is_file() else None,
            "taxonomy": tax, "provenance": _read_provenance(run_dir)}


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", str(name)).strip("_")


def render(run_dir: str | Path, out_dir: str | Path) -> list[Path]:
    """Write the report of ``run_dir`` into ``out_dir`` (may be the same folder); return the paths.

    Raises
    ------
    orbitsim.errors.InputError
        If ``run_dir`` is not a run directory (no ``summary.csv``).
    """
    from ..errors import InputError

    run_dir, out_dir = Path(run_dir), Path(out_dir)
    if not (run_dir / "summary.csv").is_file():
        raise InputError(f"{run_dir}: not a run directory (no summary.csv); make one with 'orbitsim simulate'")
    prov = _read_provenance(run_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    from .tables import exposure_latex, exposure_markdown, summary_latex, summary_markdown

    summary = read_csv(run_dir / "summary.csv")
    written += write_table(out_dir / "summary", summary, prov, markdown=summary_markdown(summary, prov),
                           latex=summary_latex(summary, prov))
    exp = None
    if (run_dir / "exposure_by_owner.csv").is_file():
        exp = read_csv(run_dir / "exposure_by_owner.csv")
        written += write_table(out_dir / "exposure_by_owner", exp, prov, schema="exposure_by_owner",
                               markdown=exposure_markdown(exp, prov), latex=exposure_latex(exp, prov))
    for name in ("conjunctions.csv", "density_by_shell.csv", "on_orbit_over_time.csv", "gabbard.csv"):
        src = run_dir / name
        if src.is_file() and out_dir.resolve() != run_dir.resolve():
            from ..io import write_csv

            written.append(write_csv(out_dir / name, read_csv(src), prov))
    if out_dir.resolve() != run_dir.resolve():
        from ..io import write_json

        written.append(write_json(out_dir / "provenance.json", prov))
    written += _plots(run_dir, out_dir, summary)
    from .html import write_report

    written.append(write_report(run_dir, out_dir / "report.html", figures_dir=out_dir))
    return written


def _plots(run_dir: Path, out_dir: Path, summary: dict) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    out = []
    names = list(summary.get("scenario", []))
    gab_path = run_dir / "gabbard.csv"
    if gab_path.is_file() and names:
        g = read_csv(gab_path)
        sc = np.asarray(g.get("scenario", []), dtype=object)
        first = names[0]
        m = sc == first
        i0 = 0
        parent = (1440.0 / _mean_motion(summary["perigee_km"][i0], summary["apogee_km"][i0]),
                  float(summary["altitude_km"][i0]))
        ax = plots.gabbard(g["perigee_km"][m], g["apogee_km"][m], g["period_min"][m],
                           title=f"Gabbard diagram: {first} (seed {int(g['seed'][m][0]) if m.any() else ''})",
                           parent=parent)
        out.append(plots.save(ax, out_dir / "gabbard.png"))
    curve_path = run_dir / "on_orbit_over_time.csv"
    if curve_path.is_file():
        c = read_csv(curve_path)
        sc = np.asarray(c["scenario"], dtype=object)
        ax = None
        for name in names:
            m = sc == name
            ax = plots.on_orbit_over_time(c["years"][m], c["on_orbit_ge_10cm"][m], c["on_orbit_ge_10cm_p05"][m],
                                          c["on_orbit_ge_10cm_p95"][m], ax=ax,
                                          label=name if len(names) > 1 else None)
        rec = _record_overlay(summary, names)
        if rec is not None:
            import matplotlib.pyplot as plt

            plt.close(ax.figure)
            m = sc == names[0]
            ax = plots.on_orbit_with_record(
                c["years"][m], c["on_orbit_ge_10cm"][m], c["on_orbit_ge_10cm_p05"][m],
                c["on_orbit_ge_10cm_p95"][m], float(summary["n_ge_10cm"][0]), *rec,
                title=f"{names[0]}: model vs its catalogued debris")
        if ax is not None:
            out.append(plots.save(ax, out_dir / "on_orbit_over_time.png"))
    dens_path = run_dir / "density_by_shell.csv"
    if dens_path.is_file():
        d = read_csv(dens_path)
        sc = np.asarray(d["scenario"], dtype=object)
        m = sc == names[0]
        extra = [(f"{n}: added" , d["added_density_0y_per_km3"][sc == n]) for n in names[1:]]
        one_year = [("added, still up after 1 year", d["added_density_1y_per_km3"][m])] \
            if "added_density_1y_per_km3" in d and len(names) == 1 else []
        ax = plots.density_by_altitude(d["shell_low_km"][m], d["shell_high_km"][m],
                                       d["catalog_density_per_km3"][m], d["added_density_0y_per_km3"][m],
                                       added_label=f"{names[0]}: added (just after)",
                                       extra=one_year + extra)
        out.append(plots.save(ax, out_dir / "density_by_altitude.png"))
    if len(names) > 1 and "altitude_km" in summary:
        x = np.asarray(summary["altitude_km"], dtype=float)
        order = np.argsort(x)
        series = {}
        for lab, key in (("on orbit after 1 year", "on_orbit_1y"), ("after 25 years", "on_orbit_25y"),
                         ("after 100 years", "on_orbit_100y")):
            if key in summary:
                series[lab] = tuple(np.asarray(summary.get(key + suf, summary[key]), dtype=float)[order]
                                    for suf in ("", "_p05", "_p95"))
        ax = plots.leo_vs_high_leo(x[order], series)
        out.append(plots.save(ax, out_dir / "leo_vs_high_leo.png"))
    return out


def _record_overlay(summary: dict, names: list):
    """(times, survivors, n_catalogued) of a real test's catalogued debris, or None."""
    if len(names) != 1:
        return None
    hyp = summary.get("hypothetical", [True])[0]
    if str(hyp).lower() in ("true", "1"):
        return None
    from .. import calibration

    if names[0] not in calibration.EVENTS:
        return None
    rec = calibration.record(names[0])
    t = np.unique(np.concatenate([np.linspace(0.0, rec.snapshot_years, 400),
                                  np.sort(rec.lifetimes_years[np.isfinite(rec.lifetimes_years)])]))
    t = t[t <= rec.snapshot_years]
    return t, np.array([rec.on_orbit(x) for x in t]), rec.n_catalogued


def _mean_motion(perigee_km, apogee_km) -> float:
    """Revolutions per day of a Keplerian orbit (WGS72 mu)."""
    a = 6378.135 + 0.5 * (float(perigee_km) + float(apogee_km))
    return 86400.0 / (2 * np.pi * np.sqrt(a**3 / 398600.8))


# -- the four real tests vs the published figures -----------------------------------------------------------

#: Published figures, model notes section 5 (fragments catalogued; remaining; max apogee not given there).
PUBLISHED = {
    "fengyun-1c": {"catalogued": "2,377 by 2008-04; 3,037 by 2010-09 (97% still up); ~3,500 total",
                   "catalogued_n": 3500, "remaining": "97% of 3,037 still on orbit at 2010-09 (3.7 y)",
                   "remaining_at_years": 3.7, "remaining_fraction": 0.97},
    "usa-193": {"catalogued": "~175", "catalogued_n": 175, "remaining": "all gone within ~18 months",
                "remaining_at_years": 1.5, "remaining_fraction": 0.0},
    "microsat-r": {"catalogued": "~400 tracked, ~130 catalogued", "catalogued_n": 130,
                   "remaining": "not in the model notes", "remaining_at_years": None,
                   "remaining_fraction": None},
    "cosmos-1408": {"catalogued": ">1,500 tracked; ~1,800 catalogued", "catalogued_n": 1800,
                    "remaining": "not in the model notes", "remaining_at_years": None,
                    "remaining_fraction": None},
}


def debris_group_count(name: str) -> tuple[int, np.datetime64] | None:
    """Objects in the embedded CelesTrak debris group of a test and their median element-set epoch.

    Outside data (CelesTrak, 2025-02; data/README.md), counted here, not computed by the model.
    """
    from ..data import debris_files

    files = [f for f in debris_files() if f.name == f"{name}-debris.txt"]
    if not files:
        return None
    lines = [ln.rstrip() for ln in files[0].read_text().splitlines()]
    epochs = []
    for ln in lines:
        if ln.startswith("1 ") and len(ln) >= 32:
            yy, doy = int(ln[18:20]), float(ln[20:32])
            year = 2000 + yy if yy < 57 else 1900 + yy
            us = int(round((doy - 1.0) * 86400e6))
            epochs.append(np.datetime64(f"{year}-01-01T00:00:00", "us") + np.timedelta64(us, "us"))
    if not epochs:
        return None
    ep = np.sort(np.array(epochs, dtype="datetime64[us]"))
    return len(ep), ep[len(ep) // 2]


def _curve_at(run_dir: Path, years: float):
    c = read_csv(run_dir / "on_orbit_over_time.csv")
    t = np.asarray(c["years"], dtype=float)
    if years > t.max():
        return None
    return tuple(float(np.interp(years, t, np.asarray(c[k], dtype=float)))
                 for k in ("on_orbit_ge_10cm", "on_orbit_ge_10cm_p05", "on_orbit_ge_10cm_p95"))


def _fraction_at(run_dir: Path, years: float, n10: float):
    at = _curve_at(run_dir, years)
    if at is None or not n10:
        return None
    return tuple(x / n10 if np.isfinite(x) else float("nan") for x in at)


def _fmt_frac(f) -> str:
    if f is None:
        return "beyond horizon"
    med, lo, hi = f
    if np.isfinite(lo) and np.isfinite(hi):
        return f"{100 * med:.3g}% [{100 * lo:.3g}, {100 * hi:.3g}]"
    return f"{100 * med:.3g}%"


def _reversibility(s: dict, run_dir: Path) -> str:
    """The class from the run's time to 90% gone and horizon (orbitsim.members.reversibility_class)."""
    from ..members import reversibility_class

    prov = _read_provenance(run_dir)
    try:
        horizon = float(prov["parameters"]["scenarios"][0]["simulation"]["horizon_years"])
    except (KeyError, IndexError, TypeError):
        return str(s["reversibility"][0])
    t90 = float(s["years_to_90pct_gone"][0])
    label = reversibility_class(t90, horizon)
    return f"{label} ({t90:.3g} y)" if np.isfinite(t90) else f"{label} (> {horizon:g} y)"


def _mode_rows(name: str, mode: str, run_dir: Path, fmt_number) -> tuple[str, list[str]]:
    from .. import calibration

    s = read_csv(run_dir / "summary.csv")
    band = lambda k: (f"{fmt_number(s[k][0])} [{fmt_number(s[k + '_p05'][0])}, "  # noqa: E731
                      f"{fmt_number(s[k + '_p95'][0])}]" if k + "_p05" in s and np.isfinite(s[k + "_p05"][0])
                      else fmt_number(s[k][0]))
    rec = calibration.record(name)
    n10 = float(s["n_ge_10cm"][0])
    n1 = float(s["on_orbit_1mo"][0])
    r1 = rec.on_orbit(1.0 / 12.0)
    row = (f"| {name} | {mode} | {band('n_ge_10cm')} | {rec.n_catalogued:,} | {n10 / rec.n_catalogued:.2f} | "
           f"{band('on_orbit_1mo')} | {r1:,.0f} | {n1 / r1:.2f} | {_reversibility(s, run_dir)} |")
    dates = []
    for label, years, frac, of, src in calibration.published_points(name):
        at_month = _curve_at(run_dir, 1.0 / 12.0)
        f = _fraction_at(run_dir, years, at_month[0] if at_month else n10)
        ratio = ""
        if f is not None:
            floor = 0.5 / of
            r = max(f[0], floor) / max(frac, floor)
            ratio = f"{r:.2f}" + (" (within 2x)" if 0.5 <= r <= 2.0 else "")
        dates.append(f"| {name} | {mode} | {label} ({years:g} y) | {100 * frac:.3g}% of {of:,} | "
                     f"{_fmt_frac(f)} | {ratio} | {src} |")
    return row, dates


def _calibration_section(fmt_number) -> list[str]:
    from .. import calibration

    cal = calibration.load()
    paras = calibration.__doc__.split("\n\n")
    scores = cal.get("variant_scores", {})
    def rst(text):  # the module docstring's reST roles as plain Markdown code
        return re.sub(r":(?:data|func|class|mod):`([^`]+)`", r"`\1`", text).replace("``", "`")

    lines = ["## The calibrated mode: what was fitted, to what, and leave-one-out", "",
             rst(" ".join(paras[1].split())), "", rst(paras[2]), "",
             rst(" ".join(paras[3].split())), "", rst(" ".join(paras[4].split())), "",
             f"Values: `EXTRAPOLATION_KM` = {calibration.EXTRAPOLATION_KM:g} km, `MIN_SAMPLE` = "
             f"{calibration.MIN_SAMPLE}, `FIT_SEEDS` = {list(calibration.FIT_SEEDS)}.", "",
             f"Kept: **{cal.get('variant')}**. Leave-one-out targets met (of "
             f"{next(iter(scores.values()))['of'] if scores else '?'}: a count and each published fraction per "
             "test): " + ", ".join(f"{v} {d['targets_met']} (summed squared log error {d['sum_sq_log_error']:.2f})"
                                  for v, d in scores.items()) + ".", "",
             f"Grid: momentum coupling eta in {cal['grid']['momentum_coupling']}, ejection-speed scale in "
             f"{cal['grid']['dv_scale']}; breakup seeds {cal['seeds']} per point; nominal preset inputs; the "
             "direct-ascent geometry (relative velocity 45 deg above the local horizontal, against the target's "
             "motion). Written to `orbitsim/presets/calibration.json` by `python -m orbitsim.calibration`.", "",
             "| fitted on | momentum coupling eta | dv scale | count scale at the test's altitude | "
             "ln k at 500 km, per 100 km (residual sd) | fraction loss |",
             "|---|---|---|---|---|---|"]
    for n, p in cal["events"].items():
        lines.append(f"| {n} | {p['momentum_coupling']:g} | {p['dv_scale']:g} | {p['count_scale']:.3g} | | "
                     f"{p['loss']:.3g} |")
    f = cal["family"]
    lines.append(f"| all four (family, used for hypothetical tests) | {f['momentum_coupling']:g} | "
                 f"{f['dv_scale']:g} | | {f['log_count_scale_at_500km']:.2f}, {f['log_count_scale_per_100km']:.3f} "
                 f"({f['log_count_scale_residual_sd']:.2f}) | {f['loss']:.3g} |")
    lines += ["", "Leave-one-out (fit on the other three, predict this one; nominal inputs, fit seeds):", "",
              "| predicted test | family of the other three (eta, dv, count scale here) | >= 10 cm on orbit at 1 month: "
              "predicted / catalogued | within 1.5x | fraction on orbit: predicted / published (each date) | "
              "all dates within 2x |", "|---|---|---|---|---|---|"]
    n_ok = 0
    for n, d in cal["leave_one_out"].items():
        fam, pr = d["family"], d["prediction"]
        dates = "; ".join(f"{x['label']}: {100 * x['model_fraction']:.3g}% / {100 * x['published_fraction']:.3g}%"
                          for x in pr["dates"])
        ok_c = pr["count_within_1.5"]
        ok_f = all(x["within_factor_2"] for x in pr["dates"])
        n_ok += ok_c and ok_f
        k = pr["n_1mo_model"] / max(pr.get("n_1mo_unscaled", pr["n_1mo_model"]), 1e-300)
        lines.append(f"| {n} | {fam['momentum_coupling']:g}, {fam['dv_scale']:g}, {k:.3g} | "
                     f"{fmt_number(round(pr['n_1mo_model']))} / {fmt_number(pr['n_1mo_record'])} "
                     f"({pr['n_1mo_ratio']:.2f}) | {'yes' if ok_c else 'NO'} | {dates} | {'yes' if ok_f else 'NO'} |")
    lines += ["", f"Leave-one-out meets both targets for {n_ok} of 4 tests.", ""]
    return lines


def compare_published(run_dirs: dict, out_path: str | Path) -> Path:
    """Write the Markdown comparison of the four presets with the record, per breakup mode.

    ``run_dirs``: ``{preset: {mode: run directory}}`` (or ``{preset: run directory}`` for one mode).
    """
    from ..io import atomic_write
    from .tables import fmt_number

    runs = {n: (d if isinstance(d, dict) else {"(run)": d}) for n, d in run_dirs.items()}
    lines = ["# The four real debris-generating ASAT tests: orbitsim vs the record", "",
             "Generated by `orbitsim report --four-tests docs/four-tests.md --force`: each preset in each",
             "breakup mode with its own settings (members, uncertainty ranges), except a 0.05-day screening",
             "window (conjunctions are not compared here). The record: every catalogued DEBRIS object of",
             "the test's parent in the embedded CelesTrak SATCAT (2025-03) with its decay date, and the",
             "published figures named in the last column. Model numbers: median [5%, 95%] over the members",
             "(breakup seed and the preset's [uncertainty] ranges; see each run's band_covers).",
             "The long-term decay model enters every fraction; a change to it moves them.", "",
             "## Fragments >= 10 cm", "",
             "| test | mode | model after the event | catalogued (final) | ratio | model on orbit at 1 month | "
             "catalogued debris still up at 1 month | ratio | reversibility (time to 90% gone) |",
             "|---|---|---|---|---|---|---|---|---|"]
    date_lines = []
    prov_lines = []
    for name, modes in runs.items():
        for mode, d in modes.items():
            row, dates = _mode_rows(name, mode, Path(d), fmt_number)
            lines.append(row)
            date_lines += dates
            prov = _read_provenance(Path(d))
            prov_lines.append(f"- {name}, {mode}: orbitsim {prov.get('orbitsim_version')}, seeds {prov.get('seed')}, "
                              "inputs " + ", ".join(f"{i['file']} ({i['sha256'][:12]})" for i in prov.get("inputs", [])))
    lines += ["", "## Fraction still on orbit at the published dates", "",
              "Model: fragments >= 10 cm on orbit / those on orbit one month after the event (the record's",
              "denominators are catalogued pieces, and cataloguing takes days to weeks: the two low tests",
              "lost much of their clouds before). Band: the model curve's 5-95% band over the same",
              "median denominator. Record: as published (a count of 0 is compared with a floor of half an",
              "object).", "",
              "| test | mode | date | published | model | model / published | source |",
              "|---|---|---|---|---|---|---|"] + date_lines + [""]
    try:
        lines += _calibration_section(fmt_number)
    except Exception as exc:  # no calibration file: say so rather than fail the comparison
        lines += ["## Calibration", "", f"not available: {exc}", ""]
    lines += ["## Why the modes differ from the record", "",
              "- `sbm` (as published) counts every fragment the model makes; the two low tests' catalogued",
              "  counts are of what lived long enough to be catalogued, so the comparison at one month is the",
              "  fair one. Fengyun-1C's ~3,500 catalogued fragments are ~4x what the SBM's mass law gives",
              "  for 930 kg: the count law is the model's largest error and the calibration's count scale.",
              "- `sbm-momentum` with the full interceptor momentum decelerates the whole cloud by",
              "  m_p v_rel / (M_t + m_p) (60-360 m/s against the motion for these presets, with the",
              "  direct-ascent geometry): the clouds re-enter far faster than the record shows (Fengyun-1C",
              "  keeps 1% of its fragments). A fitted momentum coupling (a fraction of that momentum) did",
              "  not predict the held-out tests better than none, so the calibrated mode carries none; the",
              "  interceptor's momentum evidently stays with a small part of the debris, not the catalogued",
              "  cloud as a whole.",
              "- The model's fraction of Microsat-R still up at 3.5 months is far below the published 49 of",
              "  101: the real cloud was thrown upward (46 of its first 57 catalogued fragments above the ISS",
              "  apogee), which an isotropic ejection about the target's velocity does not produce.",
              "", "## Provenance", ""] + prov_lines
    with atomic_write(out_path, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    return Path(out_path)
