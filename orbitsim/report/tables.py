"""Tables a policy writer can cite: CSV, ECSV, Markdown and LaTeX, each with its provenance.

A table is an ordered mapping ``column name -> values`` (names carry units: ``altitude_km``,
``fragment_years``). Writers are deterministic: the same columns and provenance give the same bytes
(floats at full precision in CSV/ECSV, at 4 significant digits in Markdown/LaTeX; keys sorted; no
time stamps, no local paths).

Where a column ``x`` comes with ``x_p05`` and ``x_p95`` (Monte Carlo over breakup seeds), the
Markdown and LaTeX tables show ``median [p05, p95]`` in one cell.

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


def _display(cols: dict[str, np.ndarray]) -> tuple[list[str], list[list[str]]]:
    """Merge ``x, x_p05, x_p95`` into one ``median [p05, p95]`` column for human tables."""
    names, out = [], []
    n = len(next(iter(cols.values()))) if cols else 0
    for k, v in cols.items():
        if k.endswith(BAND_SUFFIXES) and k[:-4] in cols:
            continue
        lo, hi = cols.get(k + "_p05"), cols.get(k + "_p95")
        cells = []
        for i in range(n):
            c = fmt_number(v[i])
            if lo is not None and hi is not None:
                a, b = fmt_number(lo[i]), fmt_number(hi[i])
                if c and (a != c or b != c):
                    c = f"{c} [{a}, {b}]"
            cells.append(c)
        names.append(k)
        out.append(cells)
    return names, out


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


def to_ecsv(table: Mapping, provenance: Mapping | None = None) -> str:
    """Render a table as ECSV (astropy), provenance in the header's ``meta``."""
    from astropy.table import Table

    cols = _columns(table)
    t = Table()
    for k, v in cols.items():
        if v.dtype.kind == "O":
            v = v.astype(str)
        t[k] = v
    t.meta["provenance"] = json.loads(json.dumps(dict(provenance or {}), sort_keys=True, default=str))
    buf = io.StringIO()
    t.write(buf, format="ascii.ecsv")
    return buf.getvalue()


def write_table(base: str | Path, table: Mapping, provenance: Mapping | None = None, *,
                title: str | None = None, formats=("csv", "ecsv", "md", "tex")) -> list[Path]:
    """Write ``<base>.csv`` (+ provenance sidecar), ``.ecsv``, ``.md`` and ``.tex``; return the paths."""
    base = Path(base)
    out = []
    if "csv" in formats:
        out.append(write_csv(base.with_suffix(".csv"), _columns(table), provenance))
    renders = {"ecsv": lambda: to_ecsv(table, provenance),
               "md": lambda: to_markdown(table, provenance, title=title),
               "tex": lambda: to_latex(table, provenance, caption=title)}
    for ext in ("ecsv", "md", "tex"):
        if ext in formats:
            p = base.with_suffix("." + ext)
            with atomic_write(p, "w") as fh:
                fh.write(renders[ext]())
            out.append(p)
    return out
