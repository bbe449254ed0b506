"""``report.html``: the one page of a run a reader opens.

One self-contained file: figures embedded as base64 PNG, the style sheet inline, no script, no
link to anything outside the file (it opens offline and prints to PDF as it shows). Order follows
what a reader looks for:

1. the headline numbers with their bands and a definition each (trackable fragments, fractions
   still up at 1, 5 and 25 years, who is exposed, the crewed stations, the persistence class and
   why);
2. the taxonomy in words (:func:`orbitsim.taxonomy.in_words`);
3. the exposure table (owners as rows, top 15 and all others);
4. the figures;
5. the caveats (what the numbers do not cover);
6. the provenance.

Numbers in the human form of :func:`orbitsim.report.tables.human_band`; definitions from
:mod:`orbitsim.columns`. Same run directory, same bytes.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Mapping

import numpy as np

from .. import columns as colschema
from ..io import atomic_write
from .tables import _display, exposure_sort_key, exposure_view, human_band, human_number, provenance_lines

#: Figures shown, in order, with the caption's first sentence.
FIGURES = (
    ("on_orbit_over_time.png", "Fragments >= 10 cm still on orbit against years after the event (time axis "
                               "linear over the first year, logarithmic after)."),
    ("gabbard.png", "Gabbard diagram of the first Monte Carlo member: each fragment's apogee and perigee "
                    "against its orbital period just after the event."),
    ("density_by_altitude.png", "Spatial density added by the fragments per 25 km altitude shell, next to "
                                "the existing catalog's."),
    ("leo_vs_high_leo.png", "The same test at each altitude of the sweep."),
)

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
 max-width:64rem;margin:1.5rem auto;padding:0 1rem;color:#111;background:#fff;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.25rem;border-bottom:2px solid #333;
 padding-bottom:.15rem;margin-top:2rem} h3{font-size:1.05rem}
.sub{color:#444;margin-top:0} .tag{display:inline-block;border:1px solid #555;border-radius:3px;
 padding:0 .4rem;font-size:.85rem;margin-right:.4rem}
table{border-collapse:collapse;margin:.5rem 0 1rem 0;font-size:.92rem}
th,td{border:1px solid #bbb;padding:.25rem .5rem;vertical-align:top}
th{background:#eee;text-align:left} td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.def{color:#333;font-size:.85rem} tr.key td:not(.def){font-weight:700}
.class{font-size:1.1rem;font-weight:700} figure{margin:1rem 0;page-break-inside:avoid}
figure img{max-width:100%;height:auto;border:1px solid #ddd} figcaption{font-size:.88rem;color:#333}
ul.caveats li{margin-bottom:.3rem} details{margin:.5rem 0} code{font-size:.88rem}
.prov td{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8rem;word-break:break-all}
@media print{body{max-width:none;margin:0} h2{page-break-after:avoid}}
"""


def _e(x) -> str:
    return html.escape(str(x), quote=True)


def _cell(x, cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return f"<td{c}>{_e(x)}</td>"


def _value(summary: Mapping, key: str, i: int) -> str:
    if key not in summary:
        return ""
    v = summary[key][i]
    lo = summary.get(key + "_p05")
    hi = summary.get(key + "_p95")
    text = human_band(v, None if lo is None else lo[i], None if hi is None else hi[i])
    if text == "" and not isinstance(v, str):
        return "not determined"
    return text


def _fraction_note(summary: Mapping, key: str, i: int) -> str:
    """``(12% of the cloud)`` for on-orbit counts: median count over median initial count."""
    if not key.startswith("on_orbit_") or "n_ge_10cm" not in summary:
        return ""
    try:
        v, n0 = float(summary[key][i]), float(summary["n_ge_10cm"][i])
    except (TypeError, ValueError):
        return ""
    if not (np.isfinite(v) and n0 > 0):
        return ""
    p = 100.0 * v / n0
    ptxt = f"{p:.1f}" if 0 < p < 1 or 99 < p < 100 else f"{p:.0f}"
    return f" ({ptxt}% of the cloud)"


def _headline(summary: Mapping, names: list[str], taxonomy: Mapping) -> str:
    rows = []
    for key, label in colschema.HEADLINE:
        if key not in summary:
            continue
        cells = []
        for i in range(len(names)):
            if key == "reversibility":
                t = (taxonomy.get(names[i]) or {}).get("persistence") or {}
                cells.append(_cell(t.get("class") or _value(summary, key, i), "n class"))
            else:
                cells.append(_cell(_value(summary, key, i) + _fraction_note(summary, key, i), "n"))
        definition = colschema.describe(key)
        if key == "reversibility":
            reasons = [((taxonomy.get(n) or {}).get("persistence") or {}).get("reason") for n in names]
            why = "; ".join(f"{n}: {r}" if len(names) > 1 else r for n, r in zip(names, reasons) if r)
            definition = ("Persistence of the debris, from the fraction of fragments >= 10 cm still up at the "
                          "FCC 5-year and IADC 25-year horizons" + (f". Why: {why}" if why else
                                                                      " (see the taxonomy below)"))
        cls = ' class="key"' if key in ("n_ge_10cm", "on_orbit_1y", "on_orbit_5y", "on_orbit_25y") else ""
        rows.append(f"<tr{cls}><td>{_e(label)}</td>{''.join(cells)}{_cell(definition, 'def')}</tr>")
    head = "".join(f"<th>{_e(n)}</th>" for n in names)
    return (f"<table><thead><tr><th>quantity</th>{head}<th>definition</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _who_is_exposed(exposure: Mapping | None, scenario: str) -> str:
    if not exposure:
        return "<p>No exposure table in this run.</p>"
    view = exposure_view(exposure, scenario, top=5)
    key = exposure_sort_key(view) if view else None
    if not view or key is None:
        return "<p>No owner is exposed in this run.</p>"
    col = colschema.lookup(key, "exposure_by_owner")
    parts = []
    for i, owner in enumerate(view["owner"]):
        lo = view.get(key + "_p05")
        hi = view.get(key + "_p95")
        parts.append(f"<b>{_e(owner)}</b> {_e(human_band(view[key][i], None if lo is None else lo[i], None if hi is None else hi[i]))}")
    return (f"<p>Most exposed owners, by {_e(col.description.lower() if col else key)} "
            f"(<code>{_e(key)}</code>): " + "; ".join(parts) + ".</p>")


#: Short headers of the exposure table (the column names are in each header's tooltip).
EXPOSURE_HEADERS = {"owner": "owner", "n_active_payloads": "active payloads",
                    "conjunctions_per_day_week1": "close approaches per day, first week",
                    "expected_collisions_1y": "expected collisions, 1 year",
                    "expected_collisions_10y": "expected collisions, 10 years",
                    "expected_collisions_25y": "expected collisions, 25 years"}


def _table_html(view: Mapping, schema: str, headers: Mapping[str, str] | None = None) -> str:
    names, cells = _display(dict(view))
    n = len(cells[0]) if cells else 0
    headers = headers or {}
    head = "".join(f'<th title="{_e(k)}: {_e(colschema.describe(k, schema))}">{_e(headers.get(k, k))}</th>'
                   for k in names)
    body = []
    for i in range(n):
        tds = "".join(_cell(cells[j][i], "" if names[j] == "owner" else "n") for j in range(len(names)))
        body.append(f"<tr>{tds}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _exposure_section(exposure: Mapping | None, names: list[str]) -> str:
    if not exposure:
        return "<p>No exposure table in this run.</p>"
    out = ["<p>One row per owner of active payloads (SATCAT owner codes), sorted by exposure; the first "
           "15 by name, the rest summed into one row (the sum of their medians, so no band). "
           f"Cells: {_e(colschema.BAND_MEANING)}, shown as median (5th-95th percentile).</p>"]
    for name in names:
        view = exposure_view(exposure, name)
        if not view:
            continue
        if len(names) > 1:
            out.append(f"<h3>{_e(name)}</h3>")
        out.append(_table_html(view, "exposure_by_owner", EXPOSURE_HEADERS))
    defs = [k for k in ("n_active_payloads", "conjunctions_per_day_week1", "expected_collisions_1y",
                        "expected_collisions_10y", "expected_collisions_25y")]
    out.append("<ul>" + "".join(f"<li><code>{_e(k)}</code>: {_e(colschema.describe(k, 'exposure_by_owner'))}</li>"
                                for k in defs) + "</ul>")
    return "".join(out)


def _gabbard_note(run_dir: Path, first: str) -> str:
    from . import plots, read_csv

    p = run_dir / "gabbard.csv"
    if not p.is_file():
        return ""
    g = read_csv(p)
    if "scenario" in g:
        m = np.asarray(g["scenario"], dtype=object).astype(str) == str(first)
    else:
        m = np.ones(len(g.get("perigee_km", [])), dtype=bool)
    _, _, beyond, top = plots.gabbard_limits(g["perigee_km"][m], g["apogee_km"][m], g["period_min"][m])
    if not beyond:
        return " Every fragment is inside the axes."
    return (f" The axes follow {plots.GABBARD_PERCENTILE:g}% of the cloud; {beyond} fragment"
            f"{'s lie' if beyond != 1 else ' lies'} beyond them (highest apogee {top:,.0f} km).")


def _figures(figures_dir: Path, run_dir: Path, names: list[str]) -> str:
    out = []
    for fname, caption in FIGURES:
        p = figures_dir / fname
        if not p.is_file():
            continue
        data = base64.b64encode(p.read_bytes()).decode("ascii")
        extra = ""
        if fname == "gabbard.png" and names:
            extra = _gabbard_note(run_dir, names[0])
        if fname in ("on_orbit_over_time.png", "leo_vs_high_leo.png"):
            extra = f" Shaded: the {colschema.BAND_MEANING.split(';')[0].replace('median and ', '')}."
        out.append(f'<figure><img alt="{_e(caption)}" src="data:image/png;base64,{data}">'
                   f"<figcaption>{_e(caption + extra)}</figcaption></figure>")
    return "".join(out) or "<p>No figures in this run.</p>"


def _caveats(prov: Mapping, summary: Mapping, names: list[str], taxonomy: Mapping) -> list[str]:
    par = dict(prov.get("parameters") or {})
    out = [f"Bands: {colschema.BAND_MEANING}."]
    cat_epoch = par.get("catalog_reference_epoch_utc")
    out.append("Today's fleet: exposure, conjunctions and collision risk are computed against the active "
               f"payloads of the embedded catalog{f' (element sets of {cat_epoch[:10]})' if cat_epoch else ''}; "
               "satellites launched or retired later are not modelled.")
    if par.get("screening_note"):
        out.append("Screening: " + str(par["screening_note"]) + ".")
    for name in names:
        o = ((taxonomy.get(name) or {}).get("omission") or {})
        if o.get("caveat"):
            out.append(f"{name}: {o['caveat']}.")
    if par.get("size_counts_note"):
        out.append("Sizes: " + str(par["size_counts_note"]) + ".")
    cm = par.get("collision_model") or {}
    if cm.get("method"):
        out.append("Collision risk: " + str(cm["method"]) + ".")
    out.append("Not modelled here: avoidance manoeuvres unless a column says so; collisions among fragments "
               "and with other debris (no cascade); perception and escalation (named in the taxonomy as not "
               "assessed).")
    if "hypothetical" in summary and any(str(v).lower() in ("true", "1") for v in summary["hypothetical"]):
        out.append("Hypothetical: at least one scenario is not a real test as it happened.")
    for name, notes in sorted((par.get("notes") or {}).items()):
        for n in notes:
            out.append(f"{name}: {n}")
    return out


#: Provenance fields that provenance.json alone carries: what ran the members, not what they computed
#: (every other file is the same bytes whichever executor ran; README, "Large ensembles").
RUN_ONLY_FIELDS = ("executor",)


def _provenance(prov: Mapping) -> str:
    prov = {k: v for k, v in prov.items() if k not in RUN_ONLY_FIELDS}
    keys = []
    for k in ("orbitsim_version", "command", "epoch_utc", "seed", "hypothetical_scenario"):
        if k in prov:
            keys.append((k, prov[k]))
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in keys)
    inputs = "".join(f"<tr><th>{_e(i.get('file'))}</th><td>sha256 {_e(i.get('sha256'))}</td></tr>"
                     for i in prov.get("inputs", []) if isinstance(i, Mapping))
    full = "".join(f"<tr><td>{_e(line)}</td></tr>" for line in provenance_lines(prov))
    return (f'<table class="prov">{rows}{inputs}</table>'
            f'<details><summary>Full provenance record</summary><table class="prov">{full}</table></details>')


def report_html(run: Mapping, run_dir: str | Path, figures_dir: str | Path | None = None) -> str:
    """The text of ``report.html`` for a run's data (:func:`orbitsim.report.read_run`)."""
    from ..taxonomy import in_words

    run_dir = Path(run_dir)
    figures_dir = Path(figures_dir) if figures_dir is not None else run_dir
    summary, exposure, taxonomy, prov = run["summary"], run["exposure"], run["taxonomy"] or {}, run["provenance"]
    names = [str(x) for x in summary.get("scenario", [])]
    title = "ASAT test consequences: " + ", ".join(names)
    hyp = [str(v).lower() in ("true", "1") for v in summary.get("hypothetical", [])]
    tags = "".join(f'<span class="tag">{_e(n)}: {"hypothetical" if h else "real test as it happened"}</span>'
                   for n, h in zip(names, hyp))
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="sub">orbitsim {_e(prov.get("orbitsim_version", ""))} &middot; {_e(prov.get("command", ""))}'
        f" &middot; {len(names)} scenario{'s' if len(names) != 1 else ''}</p><p>{tags}</p>",
        "<h2>Headline numbers</h2>",
        f"<p>Each number is the {_e(colschema.BAND_MEANING)}, shown as median (5th-95th percentile). "
        "&ldquo;not determined&rdquo;: beyond the run's horizon, never zero.</p>",
        _headline(summary, names, taxonomy),
        "<h3>Who is exposed</h3>",
        "".join((f"<h4>{_e(n)}</h4>" if len(names) > 1 else "") + _who_is_exposed(exposure, n) for n in names),
        "<h2>The taxonomy in words</h2>",
    ]
    for n in names:
        rec = taxonomy.get(n)
        if len(names) > 1:
            parts.append(f"<h3>{_e(n)}</h3>")
        if rec:
            parts.append("<ul>" + "".join(f"<li>{_e(s)}</li>" for s in in_words(rec)) + "</ul>")
        else:
            parts.append("<p>No taxonomy record for this scenario (taxonomy.json is missing).</p>")
    parts += ["<p>Thresholds and their sources: README, section &ldquo;taxonomy.json&rdquo;; the record "
              "itself is <code>taxonomy.json</code>.</p>",
              "<h2>Exposure by owner</h2>", _exposure_section(exposure, names),
              "<h2>Figures</h2>", _figures(figures_dir, run_dir, names),
              "<h2>Caveats</h2>",
              '<ul class="caveats">' + "".join(f"<li>{_e(c)}</li>" for c in _caveats(prov, summary, names, taxonomy))
              + "</ul>",
              "<h2>Provenance</h2>", _provenance(prov),
              "<p>All tables: <code>summary.csv</code> (.ecsv, .md, .tex), <code>exposure_by_owner.csv</code>, "
              "<code>conjunctions.csv</code>, <code>density_by_shell.csv</code>, <code>on_orbit_over_time.csv</code>, "
              "<code>gabbard.csv</code>; every column is defined in <code>docs/columns.md</code>.</p>",
              "</body></html>"]
    return "\n".join(parts) + "\n"


def write_report(run_dir: str | Path, out_path: str | Path, *, figures_dir: str | Path | None = None) -> Path:
    """Write ``report.html`` of a run directory atomically (figures from ``figures_dir``)."""
    from . import read_run

    text = report_html(read_run(run_dir), run_dir, figures_dir)
    with atomic_write(out_path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return Path(out_path)


def chromium_executable() -> str | None:
    """Path of a Chromium browser on this machine (Debian package ``chromium``), or None."""
    import shutil

    for name in ("chromium", "chromium-browser", "google-chrome"):
        exe = shutil.which(name)
        if exe:
            return exe
    return None


def print_to_pdf(html_path: str | Path, pdf_path: str | Path, *, timeout_s: float = 120.0) -> Path:
    """Print ``report.html`` to PDF with headless Chromium (the page as a browser shows it).

    Raises
    ------
    orbitsim.errors.InputError
        When no Chromium is installed or it fails to write the PDF.
    """
    import subprocess
    import tempfile

    from ..errors import InputError

    exe = chromium_executable()
    if exe is None:
        raise InputError("--pdf needs headless Chromium (Debian: apt-get install chromium)")
    pdf_path = Path(pdf_path)
    with tempfile.TemporaryDirectory() as profile:
        tmp_pdf = Path(profile) / "out.pdf"
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
               "--no-pdf-header-footer", f"--print-to-pdf={tmp_pdf}", Path(html_path).resolve().as_uri()]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s)
        if not tmp_pdf.is_file() or tmp_pdf.read_bytes()[:5] != b"%PDF-":
            raise InputError(f"{html_path}: Chromium did not write a PDF (exit {r.returncode})")
        with atomic_write(pdf_path, "wb") as fh:
            fh.write(tmp_pdf.read_bytes())
    return pdf_path


def ceiling_report_html(table: Mapping, record: Mapping, prov: Mapping, figure: str | Path | None = None) -> str:
    """The text of a ceiling run's ``report.html``: the ceilings first, then the table, the plot,
    what is not modelled and the provenance."""
    par = dict(prov.get("parameters") or {})
    name = (par.get("scenario") or {}).get("name", "")
    rows = []
    for c in record.get("criteria", []):
        def alt(k):
            v = c.get(k)
            return "none of the swept altitudes" if v is None else f"{v:,.0f} km"
        band = ""
        if c.get("ceiling_altitude_km_p05") != c.get("ceiling_altitude_km") or \
                c.get("ceiling_altitude_km_p95") != c.get("ceiling_altitude_km"):
            band = f" ({alt('ceiling_altitude_km_p05')} to {alt('ceiling_altitude_km_p95')})"
        crit = "{:g}% of fragments {} gone within {:g} years".format(100 * c["fraction_gone"], c["size"],
                                                                      c["within_years"])
        rows.append(f"<tr><td>{_e(crit)}</td><td>{_e('solar ' + c['solar_phase'])}</td>"
                    f"<td class=\"n class\">{_e(alt('ceiling_altitude_km') + band)}</td>"
                    f"<td class=\"def\">{_e(c.get('source', ''))}</td></tr>")
    alts = np.asarray(table["altitude_km"], dtype=float)
    phases = np.asarray(table["solar_phase"], dtype=object).astype(str)
    head = ["intercept altitude (km)", "solar phase", "99% gone, >= 10 cm (years)", "90% gone, >= 10 cm",
            "99% gone, >= 1 cm (years)", "fraction >= 10 cm above the ISS apogee"]
    body = []
    for i in range(alts.size):
        def cell(k):
            med, lo, hi = (float(table[k + suf][i]) for suf in ("", "_p05", "_p95"))
            if not np.isfinite(med):
                return "not within the horizon"
            if np.isfinite(lo) and not np.isfinite(hi):  # the band's top is beyond the horizon
                return f"{human_number(med)} ({human_number(lo)}-beyond the horizon)"
            return human_band(med, lo, hi)
        body.append("<tr>" + _cell(human_number(float(alts[i])), "n") + _cell(phases[i])
                    + _cell(cell("years_to_99pct_gone_ge_10cm"), "n") + _cell(cell("years_to_90pct_gone_ge_10cm"), "n")
                    + _cell(cell("years_to_99pct_gone_ge_1cm"), "n") + _cell(cell("fraction_above_iss_apogee"), "n")
                    + "</tr>")
    fig = ""
    if figure is not None and Path(figure).is_file():
        data = base64.b64encode(Path(figure).read_bytes()).decode("ascii")
        fig = (f'<figure><img alt="persistence against altitude" src="data:image/png;base64,{data}"><figcaption>'
               "Years until 99% of the fragments have re-entered against intercept altitude, per size and solar "
               f"phase; shaded: the {_e(colschema.BAND_MEANING.split(';')[0].replace('median and ', ''))}; dotted "
               "lines: the 5-year (FCC 2022) and 25-year (IADC) criteria.</figcaption></figure>")
    epochs = par.get("solar_phase_epochs_utc") or {}
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Altitude ceiling: {_e(name)}</title><style>{CSS}</style></head><body>",
        f"<h1>Altitude ceiling: {_e(name)}</h1>",
        f'<p class="sub">orbitsim {_e(prov.get("orbitsim_version", ""))} &middot; {_e(prov.get("command", ""))} '
        f"&middot; {_e(par.get('members', ''))} members per cell &middot; events dated at solar minimum "
        f"{_e(str(epochs.get('min', ''))[:10])} and maximum {_e(str(epochs.get('max', ''))[:10])}</p>",
        "<h2>Headline: the highest intercept altitude that meets each criterion</h2>",
        "<p>Highest swept altitude at which, and at every lower swept altitude, the criterion is met; in brackets "
        "the same with the members' cautious (95th-percentile) and optimistic (5th-percentile) persistence.</p>",
        f"<table><thead><tr><th>criterion</th><th>phase</th><th>ceiling</th><th>source</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>",
        "<h2>Persistence by altitude</h2>",
        f"<p>Cells: {_e(colschema.BAND_MEANING)}, as median (5th-95th percentile).</p>",
        "<table><thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr></thead><tbody>"
        + "".join(body) + "</tbody></table>",
        "<h2>Figure</h2>", fig or "<p>No figure.</p>",
        "<h2>Not modelled</h2>", "<ul class=\"caveats\">" + "".join(f"<li>{_e(n)}</li>" for n in record.get(
            "not_modelled", [])) + "".join(f"<li>{_e(n)}</li>" for n in par.get("notes", [])) + "</ul>",
        "<h2>Provenance</h2>", _provenance(prov), "</body></html>"]) + "\n"


def write_ceiling_report(table, record, prov, out_path, *, figure=None) -> Path:
    """Write a ceiling run's ``report.html`` atomically."""
    with atomic_write(out_path, "w", encoding="utf-8") as fh:
        fh.write(ceiling_report_html(table, record, prov, figure))
    return Path(out_path)
