"""Tables a policy writer can cite: CSV, ECSV, Markdown and LaTeX, each with its provenance.

A table is an ordered mapping ``column name -> values`` (names carry units: ``altitude_km``,
``fragment_years``). Writers are deterministic: the same columns and provenance give the same bytes
(keys sorted; no time stamps, no local paths).

Numbers: CSV and ECSV keep full precision (and ECSV carries each column's unit and description from
:mod:`orbitsim.columns`); Markdown, LaTeX and HTML are for reading: thousands separators, whole
numbers from 1,000 up, 3 significant figures below (:func:`human_number`). Where a column ``x``
comes with ``x_p05`` and ``x_p95`` (Monte Carlo over breakup seeds), the human tables show
``median (p05-p95)`` in one cell, e.g. ``1,348 (1,336-1,405)`` (:func:`human_band`).

:func:`summary_sections` splits a summary into inputs, assumptions and results;
:func:`exposure_view` turns the exposure table into owners as rows, sorted by exposure, the top 15
and "all others".

Provenance: CSV keeps a plain first line of column names and carries provenance in a sidecar
``<file>.provenance.json`` (see :func:`orbitsim.io.write_csv`); ECSV carries it in its YAML header
(``meta``); Markdown ends with a provenance section; LaTeX starts with ``%`` comment lines.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Mapping

import numpy as np

from ..io import atomic_write, write_csv

BAND_SUFFIXES = ("_p05", "_p95")


def _columns(table: Mapping[str, object]) -> dict[str, np.ndarray]:
    cols = {}
    n = None
    for k, v in table.items():
        arr = np.asarray(v)
        if arr.ndim == 0:
            arr = arr.reshape(1)
        if n is None:
            n = len(arr)
        elif len(arr) != n:
            raise ValueError(f"column {k!r} has {len(arr)} rows, expected {n}")
        cols[str(k)] = arr
    return cols


def fmt_number(x) -> str:
    """Human form of one cell: integers plain, floats at 4 significant digits, NaN empty."""
    if isinstance(x, (bool, np.bool_)):
        return "true" if x else "false"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        x = float(x)
        if math.isnan(x):
            return ""
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        if x == int(x) and abs(x) < 1e15:
            return str(int(x))
        return f"{x:.4g}"
    return "" if x is None else str(x)


def human_number(x, sig: int = 3) -> str:
    """One number as a reader wants it: ``79,890``, ``12.3``, ``0.000163``, ``1.63e-5``.

    Whole numbers (and any value from 1,000 up) are rounded to the unit with thousands
    separators; smaller values get ``sig`` significant figures (trailing zeros dropped); below
    1e-4, scientific notation. NaN is ``""`` (not determined), booleans ``yes``/``no``, text as is.
    """
    if isinstance(x, (bool, np.bool_)):
        return "yes" if x else "no"
    if isinstance(x, (int, np.integer)):
        return f"{int(x):,}"
    if isinstance(x, (float, np.floating)):
        x = float(x)
        if math.isnan(x):
            return ""
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        if x == 0:
            return "0"
        ax = abs(x)
        if ax >= 1000 or (x == int(x) and ax < 1e15):
            return f"{round(x):,}"
        if ax < 1e-4:
            m, e = f"{x:.{sig - 1}e}".split("e")
            m = m.rstrip("0").rstrip(".") if "." in m else m
            return f"{m}e{int(e)}"
        digits = max(sig - 1 - int(math.floor(math.log10(ax))), 0)
        text = f"{x:,.{digits}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    return "" if x is None else str(x)


def human_band(median, lo=None, hi=None, sig: int = 3) -> str:
    """``median (lo-hi)`` in :func:`human_number` form, e.g. ``1,348 (1,336-1,405)``.

    The band is left out when it is missing or collapses onto the median at the shown precision;
    ``to`` replaces the dash when a bound is negative.
    """
    c = human_number(median, sig)
    if lo is None or hi is None or not c:
        return c
    a, b = human_number(lo, sig), human_number(hi, sig)
    if not a or not b or (a == c and b == c):
        return c
    if isinstance(median, str):  # a class: say which classes the band's ends fall in
        return f"{c} (5%: {a}; 95%: {b})"
    sep = " to " if a.startswith("-") or b.startswith("-") else "-"
    return f"{c} ({a}{sep}{b})"


def _display(cols: dict[str, np.ndarray]) -> tuple[list[str], list[list[str]]]:
    """Merge ``x, x_p05, x_p95`` into one ``median (p05-p95)`` column for human tables."""
    names, out = [], []
    n = len(next(iter(cols.values()))) if cols else 0
    for k, v in cols.items():
        if k.endswith(BAND_SUFFIXES) and k[:-4] in cols:
            continue
        lo, hi = cols.get(k + "_p05"), cols.get(k + "_p95")
        cells = [human_band(v[i], None if lo is None else lo[i], None if hi is None else hi[i])
                 for i in range(n)]
        names.append(k)
        out.append(cells)
    return names, out


def _is_numeric(v: np.ndarray) -> bool:
    return v.dtype.kind in "iuf"


def summary_sections(summary: Mapping, provenance: Mapping | None = None) -> dict[str, dict]:
    """Split a summary table into ``inputs``, ``assumptions`` and ``results`` tables.

    Each part keeps the ``scenario`` column first. The assumptions add, per scenario, the settings
    recorded in the provenance that are not summary columns (screening window and threshold,
    horizon, catalog epoch, screening epoch, what the band covers).
    """
    from ..columns import section

    cols = _columns(summary)
    parts: dict[str, dict] = {"inputs": {}, "assumptions": {}, "results": {}}
    names = cols.get("scenario")
    for k, v in cols.items():
        if k == "scenario":
            continue
        parts[section(k)][k] = v
    extra = assumption_rows(provenance or {}, [] if names is None else [str(x) for x in names])
    parts["assumptions"].update({k: v for k, v in extra.items() if k not in parts["assumptions"]})
    if names is not None:
        parts = {k: {"scenario": names, **v} for k, v in parts.items()}
    return parts


def assumption_rows(provenance: Mapping, scenario_names: list[str]) -> dict[str, np.ndarray]:
    """Per-scenario settings from a run's provenance that change the numbers (columns of one row each)."""
    par = dict(provenance.get("parameters") or {})
    scen = {s.get("name"): s for s in par.get("scenarios", []) if isinstance(s, Mapping)}
    n = len(scenario_names)
    out: dict[str, list] = {}

    def put(key, values):
        if any(v is not None for v in values):
            out[key] = np.array(["" if v is None else v for v in values], dtype=object)

    sims = [dict(scen.get(name, {}).get("simulation", {})) for name in scenario_names]
    for key in ("screening_days", "screening_threshold_km", "horizon_years"):
        put(key, [s.get(key) for s in sims])
    put("epoch_utc", [scen.get(name, {}).get("epoch_utc") for name in scenario_names])
    put("catalog_reference_epoch_utc", [par.get("catalog_reference_epoch_utc")] * n)
    epochs = par.get("screening_epochs_utc") or {}
    put("screening_epoch_utc", [epochs.get(name) for name in scenario_names])
    put("band", [par.get("band")] * n)
    return {k: np.asarray(v) for k, v in out.items()}


#: Columns of the human exposure table, in order (bands merged into one cell).
EXPOSURE_COLUMNS = ("owner", "n_active_payloads", "conjunctions_per_day_week1", "expected_collisions_1y",
                    "expected_collisions_10y", "expected_collisions_25y")

#: Rows shown by name before the rest are summed into "all others".
EXPOSURE_TOP = 15


def exposure_sort_key(exposure: Mapping) -> str | None:
    """The column exposure is ranked by: the longest-horizon expected collisions that is determined,
    else the conjunction rate."""
    for k in ("expected_collisions_25y", "expected_collisions_10y", "expected_collisions_1y",
              "conjunctions_per_day_week1"):
        if k in exposure:
            v = np.asarray(exposure[k], dtype=float)
            if v.size and np.isfinite(v).any():
                return k
    return None


def exposure_view(exposure: Mapping, scenario: str | None = None, top: int = EXPOSURE_TOP) -> dict:
    """Owners as rows, sorted by exposure, the first ``top`` by name and one "all others" row.

    Parameters
    ----------
    exposure : mapping of columns
        ``exposure_by_owner.csv`` as read (one row per owner, and per scenario when there is a
        ``scenario`` column).
    scenario : str, optional
        Keep only this scenario's rows.
    top : int
        Owners listed by name; the rest are summed into ``all others (N owners)``. The sum is of
        the owners' medians, so that row has no band.

    Returns
    -------
    dict of columns: :data:`EXPOSURE_COLUMNS` present in ``exposure`` (with their ``_p05/_p95``);
    the tester's owner code is marked ``(tester)``.
    """
    cols = _columns(exposure)
    if scenario is not None and "scenario" in cols:
        m = np.asarray(cols["scenario"], dtype=object).astype(str) == str(scenario)
        cols = {k: v[m] for k, v in cols.items()}
    if "owner" not in cols:
        return {}
    n = len(cols["owner"])
    key = exposure_sort_key(cols)
    if key is not None:
        val = np.nan_to_num(np.asarray(cols[key], dtype=float), nan=-1.0)
        order = sorted(range(n), key=lambda i: (-val[i], str(cols["owner"][i])))
    else:
        order = list(range(n))
    keep = [k for k in EXPOSURE_COLUMNS if k in cols]
    out: dict[str, list] = {}
    for k in keep:
        out[k] = []
        for suf in BAND_SUFFIXES:
            if k + suf in cols:
                out[k + suf] = []
    tester = np.asarray(cols.get("is_tester", np.zeros(n, bool))).astype(str)
    for i in order[:top]:
        for k in out:
            v = cols[k][i]
            if k == "owner" and tester[i].lower() in ("true", "1"):
                v = f"{v} (tester)"
            out[k].append(v)
    rest = order[top:]
    if rest:
        for k in out:
            if k == "owner":
                out[k].append(f"all others ({len(rest)} owners)")
            elif k.endswith(BAND_SUFFIXES):
                out[k].append(float("nan"))
            else:
                vals = np.asarray([cols[k][i] for i in rest], dtype=float)
                out[k].append(float(np.nansum(vals)) if np.isfinite(vals).any() else float("nan"))
    return {k: np.asarray(v, dtype=object if k == "owner" else float) for k, v in out.items()}


def _flatten(prefix: str, obj, into: list[tuple[str, str]]) -> None:
    if isinstance(obj, Mapping):
        for k in sorted(obj):
            _flatten(f"{prefix}.{k}" if prefix else str(k), obj[k], into)
    elif isinstance(obj, (list, tuple)) and obj and all(isinstance(x, Mapping) for x in obj):
        for i, x in enumerate(obj):
            _flatten(f"{prefix}[{i}]", x, into)
    else:
        into.append((prefix, json.dumps(obj, sort_keys=True, default=str) if not isinstance(obj, str) else obj))


def provenance_lines(provenance: Mapping | None) -> list[str]:
    """``key: value`` lines of a provenance record, keys flattened with dots, sorted."""
    items: list[tuple[str, str]] = []
    _flatten("", dict(provenance or {}), items)
    return [f"{k}: {v}" for k, v in items]


def to_markdown(table: Mapping, provenance: Mapping | None = None, *, title: str | None = None,
                transpose: bool | None = None) -> str:
    """Render a table as GitHub Markdown with a provenance section.

    ``transpose`` (default: when there are more than 8 columns) puts one column per row of the
    input, which reads better for one scenario or a handful side by side.
    """
    cols = _columns(table)
    names, cells = _display(cols)
    n = len(cells[0]) if cells else 0
    if transpose is None:
        transpose = len(names) > 8
    buf = io.StringIO()
    if title:
        buf.write(f"# {title}\n\n")
    if transpose:
        head = [names[0]] + [cells[0][i] for i in range(n)]
        body = [[names[j]] + [cells[j][i] for i in range(n)] for j in range(1, len(names))]
    else:
        head = names
        body = [[cells[j][i] for j in range(len(names))] for i in range(n)]
    esc = lambda s: str(s).replace("|", "\\|")  # noqa: E731
    buf.write("| " + " | ".join(esc(h) for h in head) + " |\n")
    buf.write("|" + "|".join("---" for _ in head) + "|\n")
    for row in body:
        buf.write("| " + " | ".join(esc(c) for c in row) + " |\n")
    if provenance:
        buf.write("\n## Provenance\n\n")
        for line in provenance_lines(provenance):
            buf.write(f"- {line}\n")
    return buf.getvalue()


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                  "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\^{}"}


def latex_escape(text: str) -> str:
    """Escape LaTeX special characters."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(text))


def to_latex(table: Mapping, provenance: Mapping | None = None, *, caption: str | None = None,
             transpose: bool | None = None) -> str:
    """Render a table as a LaTeX ``table``/``tabular`` with provenance as ``%`` comment lines."""
    cols = _columns(table)
    names, cells = _display(cols)
    n = len(cells[0]) if cells else 0
    if transpose is None:
        transpose = len(names) > 8
    if transpose:
        head = [names[0]] + [cells[0][i] for i in range(n)]
        body = [[names[j]] + [cells[j][i] for i in range(n)] for j in range(1, len(names))]
    else:
        head = names
        body = [[cells[j][i] for j in range(len(names))] for i in range(n)]
    buf = io.StringIO()
    for line in provenance_lines(provenance):
        buf.write("% " + line.replace("\n", " ") + "\n")
    buf.write("\\begin{table}\n\\centering\n")
    if caption:
        buf.write(f"\\caption{{{latex_escape(caption)}}}\n")
    buf.write("\\begin{tabular}{l" + "r" * (len(head) - 1) + "}\n\\hline\n")
    buf.write(" & ".join(latex_escape(h) for h in head) + " \\\\\n\\hline\n")
    for row in body:
        buf.write(" & ".join(latex_escape(c) for c in row) + " \\\\\n")
    buf.write("\\hline\n\\end{tabular}\n\\end{table}\n")
    return buf.getvalue()


def to_ecsv(table: Mapping, provenance: Mapping | None = None, *, schema: str = "summary") -> str:
    """Render a table as ECSV (astropy), provenance in the header's ``meta``.

    Each column carries its ``unit`` and ``description`` from :mod:`orbitsim.columns` (table
    ``schema``), the same text as ``docs/columns.md``.
    """
    from astropy.table import Column, Table

    from .. import columns as colschema

    cols = _columns(table)
    t = Table()
    for k, v in cols.items():
        if v.dtype.kind == "O":
            v = v.astype(str)
        u = colschema.unit(k, schema) if _is_numeric(v) else ""
        t[k] = Column(v, unit=u or None, description=colschema.describe(k, schema) or None)
    t.meta["provenance"] = json.loads(json.dumps(dict(provenance or {}), sort_keys=True, default=str))
    buf = io.StringIO()
    t.write(buf, format="ascii.ecsv")
    return buf.getvalue()


def write_table(base: str | Path, table: Mapping, provenance: Mapping | None = None, *,
                title: str | None = None, formats=("csv", "ecsv", "md", "tex"), schema: str = "summary",
                markdown: str | None = None, latex: str | None = None) -> list[Path]:
    """Write ``<base>.csv`` (+ provenance sidecar), ``.ecsv``, ``.md`` and ``.tex``; return the paths.

    ``markdown`` / ``latex``: ready-made human renderings (e.g. :func:`summary_markdown`) instead
    of the plain one of ``table``; CSV and ECSV always hold ``table`` itself at full precision.
    """
    base = Path(base)
    out = []
    if "csv" in formats:
        out.append(write_csv(base.with_suffix(".csv"), _columns(table), provenance))
    renders = {"ecsv": lambda: to_ecsv(table, provenance, schema=schema),
               "md": lambda: markdown if markdown is not None else to_markdown(table, provenance, title=title),
               "tex": lambda: latex if latex is not None else to_latex(table, provenance, caption=title)}
    for ext in ("ecsv", "md", "tex"):
        if ext in formats:
            p = base.with_suffix("." + ext)
            with atomic_write(p, "w") as fh:
                fh.write(renders[ext]())
            out.append(p)
    return out


# -- the two tables people cite: summary in three parts, exposure with owners as rows ---------------

def _md_rows(head: list[str], body: list[list[str]], left: tuple[str, ...] = ("definition",)) -> list[str]:
    """Markdown table rows: the first column and those named in ``left`` left-aligned, numbers right."""
    esc = lambda s: str(s).replace("|", "\\|")  # noqa: E731
    lines = ["| " + " | ".join(esc(h) for h in head) + " |",
             "|" + "|".join("---" if j == 0 or h in left else "--:" for j, h in enumerate(head)) + "|"]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in body]
    return lines


def _transposed(part: Mapping) -> tuple[list[str], list[list[str]]]:
    """One row per column, one column per scenario: ``(head, body)`` of human cells."""
    cols = _columns(part)
    names, cells = _display(cols)
    scen = [str(x) for x in cols["scenario"]] if "scenario" in cols else [""] * (len(cells[0]) if cells else 0)
    head = ["quantity"] + scen
    body = [[k] + cells[j] for j, k in enumerate(names) if k != "scenario"]
    return head, body


def summary_markdown(summary: Mapping, provenance: Mapping | None = None, *,
                     title: str = "ASAT test consequences (orbitsim)") -> str:
    """The summary as Markdown in three sections (inputs, assumptions, results), then provenance.

    Numbers in :func:`human_band` form; every quantity's unit and definition are in
    ``docs/columns.md`` (and the ECSV's column metadata).
    """
    from ..columns import BAND_MEANING, describe

    parts = summary_sections(summary, provenance)
    lines = [f"# {title}", "", f"Numbers: {BAND_MEANING}, shown as median (5th-95th percentile). Empty: not "
             "determined (e.g. beyond the run's horizon). Definitions: docs/columns.md.", ""]
    for name in ("inputs", "assumptions", "results"):
        head, body = _transposed(parts[name])
        head = head + ["definition"]
        body = [row + [describe(row[0])] for row in body]
        lines += [f"## {name.capitalize()}", ""] + _md_rows(head, body) + [""]
    if provenance:
        lines += ["## Provenance", ""] + [f"- {ln}" for ln in provenance_lines(provenance)]
    return "\n".join(lines) + "\n"


def summary_latex(summary: Mapping, provenance: Mapping | None = None, *,
                  caption: str = "ASAT test consequences (orbitsim)") -> str:
    """The summary as one LaTeX table with inputs, assumptions and results as sub-headings."""
    parts = summary_sections(summary, provenance)
    buf = io.StringIO()
    for line in provenance_lines(provenance):
        buf.write("% " + line.replace("\n", " ") + "\n")
    head, _ = _transposed(parts["results"])
    buf.write("\\begin{table}\n\\centering\n")
    buf.write(f"\\caption{{{latex_escape(caption)}: median (5th-95th percentile over breakup seeds)}}\n")
    buf.write("\\begin{tabular}{l" + "r" * (len(head) - 1) + "}\n\\hline\n")
    buf.write(" & ".join(latex_escape(h) for h in head) + " \\\\\n")
    for name in ("inputs", "assumptions", "results"):
        _, body = _transposed(parts[name])
        buf.write("\\hline\n\\multicolumn{" + str(len(head)) + "}{l}{\\textit{" + name.capitalize()
                  + "}} \\\\\n")
        for row in body:
            buf.write(" & ".join(latex_escape(c) for c in row) + " \\\\\n")
    buf.write("\\hline\n\\end{tabular}\n\\end{table}\n")
    return buf.getvalue()


def _scenario_names(exposure: Mapping) -> list:
    if "scenario" not in exposure:
        return [None]
    seen: list = []
    for s in np.asarray(exposure["scenario"], dtype=object):
        if s not in seen:
            seen.append(s)
    return seen or [None]


def exposure_markdown(exposure: Mapping, provenance: Mapping | None = None, *,
                      title: str = "Exposure of active payloads by owner", top: int = EXPOSURE_TOP) -> str:
    """Owners as rows (top ``top`` by exposure plus "all others"), one table per scenario."""
    from ..columns import BAND_MEANING

    lines = [f"# {title}", "", f"One row per owner of active payloads, sorted by exposure; {BAND_MEANING}, "
             "shown as median (5th-95th percentile); the \"all others\" row sums the medians. "
             "Definitions: docs/columns.md.", ""]
    for scen in _scenario_names(exposure):
        view = exposure_view(exposure, scen, top)
        if not view:
            continue
        if scen is not None:
            lines += [f"## {scen}", ""]
        names, cells = _display(view)
        n = len(cells[0]) if cells else 0
        lines += _md_rows(names, [[cells[j][i] for j in range(len(names))] for i in range(n)]) + [""]
    if provenance:
        lines += ["## Provenance", ""] + [f"- {ln}" for ln in provenance_lines(provenance)]
    return "\n".join(lines) + "\n"


def exposure_latex(exposure: Mapping, provenance: Mapping | None = None, *,
                   caption: str = "Exposure of active payloads by owner", top: int = EXPOSURE_TOP) -> str:
    """Owners as rows (top ``top`` plus "all others"), one LaTeX table per scenario."""
    buf = io.StringIO()
    for line in provenance_lines(provenance):
        buf.write("% " + line.replace("\n", " ") + "\n")
    for scen in _scenario_names(exposure):
        view = exposure_view(exposure, scen, top)
        if view:
            cap = caption if scen is None else f"{caption}: {scen}"
            buf.write(to_latex(view, None, caption=cap + " (median, 5th-95th percentile over breakup seeds)",
                               transpose=False))
    return buf.getvalue()
