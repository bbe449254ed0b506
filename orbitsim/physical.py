"""Physical size and mass of catalogued objects: a sourced table, and a stated model for the rest.

The collision risk to a satellite scales with its cross-section, so the objects at risk need real
sizes. Two sources, tried in order:

1. **The table of large and numerous objects** (``data/targets/large-and-numerous-objects.csv``):
   crewed stations, the Starlink generations, large spacecraft and the commonest massive rocket
   bodies, each with a mass, dimensions and a mean collision cross-section, and the source of every
   number. A row matches an object by NORAD id, or by the start of its name and its launch date
   (the Starlink generations). Objects it matches have ``size_estimated = False``; their mass is
   the table's where no per-object mass (UCS) is known.
2. **The size model** for everything else: the mean cross-section of an intact object grows with
   its mass as a power law ``A = c M^b``, one for payloads and one for rocket bodies, fitted in
   log space to the table's rows of that type when the table is read (so the model is the table's
   own fit: ``b`` ~ 0.82 for payloads, between a body of fixed density, 2/3, and one of fixed
   area-to-mass ratio, 1). Its scatter is a factor 2-4 (the leave-one-out numbers are in
   ``docs/physical-sizes.md``), which is why modelled sizes stay flagged ``size_estimated``.
   Debris and unknown objects keep the fragment size of :mod:`orbitsim.formats.satcat`.

Mean cross-section means the projected area averaged over random orientations: for a convex body
a quarter of its surface area (Cauchy's formula), for a flat plate half the area of one face. The
table's ``cross_section_derivation`` column shows the arithmetic for each row. The catalog stores a
hard-body diameter, ``size_m = sqrt(4 A / pi)``, which is what the risk code sums into a hard-body
radius.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import data

#: The table, relative to the data root.
TARGETS_CSV = "targets/large-and-numerous-objects.csv"
_COLUMNS = ("match", "key", "launched_from", "launched_before", "label", "object_type", "mass_kg",
            "mean_cross_section_m2", "dimensions", "cross_section_derivation", "mass_source",
            "dimension_source")
_TYPES = ("PAYLOAD", "ROCKET BODY")


@dataclass(frozen=True)
class TargetTable:
    """The sourced rows, as arrays (one entry per row)."""

    match: np.ndarray
    key: np.ndarray
    launched_from: np.ndarray
    launched_before: np.ndarray
    label: np.ndarray
    object_type: np.ndarray
    mass_kg: np.ndarray
    mean_cross_section_m2: np.ndarray
    path: str

    def __len__(self) -> int:
        return len(self.key)


def _date(value: str, path: str, line: int, column: str) -> np.datetime64:
    if not value:
        return np.datetime64("NaT", "D")
    try:
        return np.datetime64(value, "D")
    except ValueError:
        raise ValueError(f"{path}, line {line}, column {column}: {value!r} is not a date YYYY-MM-DD") from None


def _positive(value: str, path: str, line: int, column: str) -> float:
    try:
        x = float(value)
    except ValueError:
        x = float("nan")
    if not np.isfinite(x) or x <= 0:
        raise ValueError(f"{path}, line {line}, column {column}: {value!r}; expected a positive number")
    return x


@lru_cache(maxsize=4)
def _read(path: str) -> TargetTable:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    if not rows or tuple(rows[0]) != _COLUMNS:
        raise ValueError(f"{path}, line 1: expected the columns {', '.join(_COLUMNS)}")
    cols: dict[str, list] = {c: [] for c in _COLUMNS[:8]}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(_COLUMNS):
            raise ValueError(f"{path}, line {line}: {len(row)} fields, expected {len(_COLUMNS)}")
        rec = dict(zip(_COLUMNS, row))
        if rec["match"] not in ("norad_id", "name_prefix"):
            raise ValueError(f"{path}, line {line}, column match: {rec['match']!r}; expected norad_id or name_prefix")
        if rec["object_type"] not in _TYPES:
            raise ValueError(f"{path}, line {line}, column object_type: {rec['object_type']!r}; "
                             f"expected one of {', '.join(_TYPES)}")
        for c in ("match", "key", "label", "object_type"):
            cols[c].append(rec[c])
        for c in ("launched_from", "launched_before"):
            cols[c].append(_date(rec[c], path, line, c))
        for c in ("mass_kg", "mean_cross_section_m2"):
            cols[c].append(_positive(rec[c], path, line, c))
    return TargetTable(
        match=np.array(cols["match"], dtype=object), key=np.array(cols["key"], dtype=object),
        launched_from=np.array(cols["launched_from"], dtype="datetime64[D]"),
        launched_before=np.array(cols["launched_before"], dtype="datetime64[D]"),
        label=np.array(cols["label"], dtype=object), object_type=np.array(cols["object_type"], dtype=object),
        mass_kg=np.array(cols["mass_kg"], float), mean_cross_section_m2=np.array(cols["mean_cross_section_m2"], float),
        path=path)


def read_table(path: str | Path | None = None) -> TargetTable:
    """Read the table of large and numerous objects (default: the embedded one).

    Raises
    ------
    ValueError
        A malformed row, naming the file, line and column.
    """
    return _read(str(Path(path) if path is not None else data.data_path(TARGETS_CSV)))


def diameter_m(cross_section_m2):
    """Hard-body diameter [m] of a disc with the given cross-section [m^2]: ``sqrt(4 A / pi)``."""
    return np.sqrt(4.0 * np.asarray(cross_section_m2, float) / np.pi)


def size_law(table: TargetTable) -> dict[str, tuple[float, float]]:
    """``(c, b)`` of ``A = c M^b`` (A in m^2, M in kg) per object type, fitted to the table.

    Least squares in ``log10 A`` against ``log10 M`` over the table's rows of that type (two rows
    or more; with two the line passes through both).
    """
    out = {}
    for t in _TYPES:
        sel = table.object_type == t
        b, log_c = np.polyfit(np.log10(table.mass_kg[sel]), np.log10(table.mean_cross_section_m2[sel]), 1)
        out[t] = (float(10.0 ** log_c), float(b))
    return out


def modelled_cross_section_m2(mass_kg, object_type, table: TargetTable | None = None) -> np.ndarray:
    """Mean cross-section [m^2] of intact objects from their mass [kg] by :func:`size_law`.

    ``object_type`` is ``PAYLOAD`` or ``ROCKET BODY`` (per object or one for all); other types get NaN.
    """
    law = size_law(table if table is not None else read_table())
    m = np.asarray(mass_kg, float)
    types = np.broadcast_to(np.asarray(object_type, dtype=object), m.shape)
    out = np.full(m.shape, np.nan)
    for t, (c, b) in law.items():
        sel = types == t
        out[sel] = c * m[sel] ** b
    return out


def _launch_dates(launch_date, intl_designator) -> np.ndarray:
    """Launch dates, with the designator's year (July 1) where the SATCAT gives none."""
    out = np.array(launch_date, dtype="datetime64[D]", copy=True)
    for i in np.flatnonzero(np.isnat(out)):
        year = str(intl_designator[i])[:4]
        if year.isdigit():
            out[i] = np.datetime64(f"{year}-07-01", "D")
    return out


def match_rows(table: TargetTable, norad_id, name, launch_date, intl_designator) -> np.ndarray:
    """Index of the matching table row per object, or -1.

    A ``norad_id`` row matches that id; a ``name_prefix`` row matches names that start with its
    key and a launch date in ``[launched_from, launched_before)`` (open ends where empty). An object
    with no known launch date or designator year counts as launched after every row's start (the
    objects missing from the SATCAT are the newest). Earlier rows win.
    """
    ids = np.asarray(norad_id, dtype=np.int64)
    names = np.asarray(name, dtype=str)
    launch = _launch_dates(launch_date, intl_designator)
    out = np.full(len(ids), -1, np.int64)
    for j in range(len(table)):
        free = out < 0
        if table.match[j] == "norad_id":
            sel = free & (ids == int(table.key[j]))
        else:
            sel = free & np.char.startswith(names, table.key[j])
            lo, hi = table.launched_from[j], table.launched_before[j]
            unknown = np.isnat(launch)
            if not np.isnat(lo):
                sel &= unknown | (launch >= lo)
            if not np.isnat(hi):
                sel &= ~unknown & (launch < hi)
        out[sel] = j
    return out


def assign(f: dict, table: TargetTable | None = None) -> dict:
    """Give the catalogued objects sourced or modelled masses and sizes (updates ``f`` in place).

    Parameters
    ----------
    f : dict of arrays
        Catalog columns after the SATCAT/UCS join (:func:`orbitsim.formats.satcat.enrich`):
        ``norad_id, name, intl_designator, object_type, launch_date, mass_kg, mass_estimated,
        size_m, size_estimated``.
    table : TargetTable, optional
        Default: the embedded table.

    Returns
    -------
    dict
        ``f``, with table rows applied (size always, mass where ``mass_estimated``; both flags
        cleared accordingly) and the size model applied to the other intact objects whose size was
        estimated; ``target_class`` holds the matched row's label ("" elsewhere).
    """
    table = table if table is not None else read_table()
    row = match_rows(table, f["norad_id"], f["name"], f["launch_date"], f["intl_designator"])
    hit = row >= 0
    mass, mass_est = f["mass_kg"], f["mass_estimated"]
    size, size_est = f["size_m"], f["size_estimated"]
    take_mass = hit & mass_est
    mass[take_mass] = table.mass_kg[row[take_mass]]
    mass_est[take_mass] = False
    size[hit] = diameter_m(table.mean_cross_section_m2[row[hit]])
    size_est[hit] = False
    types = np.asarray(f["object_type"], dtype=object)
    model = ~hit & size_est & np.isin(types, _TYPES)
    size[model] = diameter_m(modelled_cross_section_m2(mass[model], types[model], table))
    label = np.full(len(row), "", dtype=object)
    label[hit] = table.label[row[hit]]
    f["target_class"] = label
    return f
