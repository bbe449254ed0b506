"""The headline numbers of a run as data: for ``--json``, ``orbitsim compare`` and ``report.html``.

:func:`headline_record` turns summary rows (and taxonomy records) into a strict-JSON-ready dict:
each of :data:`orbitsim.columns.HEADLINE` with its median, 5-95% band, unit and definition, and
the persistence class with its reason. :func:`compare_table` puts two runs side by side.
"""

from __future__ import annotations

import json
import math
from typing import Mapping, Sequence

import numpy as np

from .. import columns as colschema
from .tables import human_band


def _num(x):
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, str) and x.lower() in ("true", "false"):
        return x.lower() == "true"
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None if x is None else str(x)
    return v if math.isfinite(v) else None


def rows_of(summary: Mapping) -> list[dict]:
    """Columns of a summary table -> one dict per scenario."""
    n = len(summary.get("scenario", []))
    return [{k: np.asarray(v)[i].item() if hasattr(np.asarray(v)[i], "item") else np.asarray(v)[i]
             for k, v in summary.items()} for i in range(n)]


def headline_record(rows: Sequence[Mapping], taxonomy: Mapping | None = None) -> dict:
    """The headline numbers of each scenario (strict JSON: null where not determined).

    Returns
    -------
    dict
        ``{"band": what the bands cover, "scenarios": [{"scenario", "hypothetical",
        "altitude_km", "numbers": {column: {"label", "median", "p05", "p95", "unit",
        "definition"}}, "persistence_class", "persistence_reason"}]}``.
    """
    taxonomy = taxonomy or {}
    out = []
    for r in rows:
        name = str(r.get("scenario", ""))
        nums = {}
        for key, label in colschema.HEADLINE:
            if key not in r or key == "reversibility":
                continue
            nums[key] = {"label": label, "median": _num(r.get(key)), "p05": _num(r.get(key + "_p05")),
                         "p95": _num(r.get(key + "_p95")), "unit": colschema.unit(key),
                         "definition": colschema.describe(key)}
        p = (taxonomy.get(name) or {}).get("persistence") or {}
        out.append({"scenario": name, "hypothetical": _num(r.get("hypothetical")),
                    "altitude_km": _num(r.get("altitude_km")), "numbers": nums,
                    "persistence_class": p.get("class") or (str(r["reversibility"]) if "reversibility" in r else None),
                    "persistence_reason": p.get("reason")})
    return {"band": colschema.BAND_MEANING, "scenarios": out}


def dumps(record: Mapping) -> str:
    """Strict JSON text (no NaN or Infinity), keys in a stable order."""
    return json.dumps(record, indent=2, sort_keys=True, allow_nan=False) + "\n"


def compare_table(runs: Sequence[tuple[str, Mapping]]) -> dict:
    """Headline numbers side by side: ``{"quantity": [...], "<run>:<scenario>": [...], ...}``.

    ``runs``: ``[(label, headline_record), ...]``. Cells are human ``median (p05-p95)`` text; with
    exactly two columns a last column gives the ratio of the medians (second / first).
    """
    cols: list[tuple[str, Mapping]] = []
    for label, rec in runs:
        for s in rec["scenarios"]:
            cols.append((f"{label}: {s['scenario']}", s))
    keys = [k for k, _ in colschema.HEADLINE if k != "reversibility"
            and any(k in s["numbers"] for _, s in cols)]
    table: dict[str, list] = {"quantity": [dict(colschema.HEADLINE)[k] for k in keys] + ["Persistence class"]}
    for name, s in cols:
        cells = []
        for k in keys:
            v = s["numbers"].get(k)
            if v is None:
                cells.append("")
                continue
            c = human_band(np.nan if v["median"] is None else v["median"],
                           np.nan if v["p05"] is None else v["p05"], np.nan if v["p95"] is None else v["p95"])
            cells.append(c or "not determined")
        cells.append(s.get("persistence_class") or "")
        table[name] = cells
    if len(cols) == 2:
        (_, a), (_, b) = cols
        ratio = []
        for k in keys:
            va, vb = (a["numbers"].get(k) or {}).get("median"), (b["numbers"].get(k) or {}).get("median")
            ratio.append(human_band(vb / va) if va not in (None, 0) and vb is not None else "")
        table["ratio (2nd / 1st, medians)"] = ratio + [""]
    return table


def compare_markdown(table: Mapping, title: str = "orbitsim compare") -> str:
    """The side-by-side table as Markdown."""
    from .tables import _md_rows

    names = list(table)
    n = len(table[names[0]])
    body = [[table[k][i] for k in names] for i in range(n)]
    return "\n".join([f"# {title}", "", f"Cells: {colschema.BAND_MEANING}, shown as median "
                      "(5th-95th percentile). Definitions: docs/columns.md.", ""]
                     + _md_rows(names, body)) + "\n"
