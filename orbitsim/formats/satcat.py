"""CelesTrak SATCAT and the UCS Satellite Database: readers, the join by NORAD id, mass/size estimates.

SATCAT gives object type, owner code, launch date, name and international designator; UCS gives
launch and dry mass, operator country and purpose. Both are read once per process (cached by path,
size and modification time) into sorted id arrays joined with :func:`lookup`.

Mass and size estimates
-----------------------
Objects without a UCS mass get an estimate by object type, flagged ``mass_estimated``; sizes are
always derived (``size_estimated``) unless the SATCAT has an ``rcs`` column (radar cross-section,
m^2, newer CelesTrak files), read as the diameter of a disc of that area.

============== ============================== ============================== =========================
object type     mass_kg                        size_m (characteristic length) source / assumption
============== ============================== ============================== =========================
PAYLOAD (UCS)   UCS "Launch Mass (kg.)",       SBM mass -> Lc (below)         UCS Satellite Database
                else "Dry Mass (kg.)"                                         2023-01-01
PAYLOAD         median UCS launch mass of      SBM mass -> Lc                 computed from the UCS file
                its orbit class (LEO, MEO,                                    at load time (LEO ~ 260 kg,
                GEO, Elliptical = HEO)                                        GEO ~ 4,000 kg)
ROCKET BODY     1,400 kg                       SBM mass -> Lc (~4.5 m)        assumption: a typical LEO
                                                                              upper stage, SL-8/Kosmos-3M
                                                                              2nd stage ~1,400 kg dry
                                                                              (McKnight et al. 2021, Acta
                                                                              Astronaut. 186, massive-
                                                                              derelict list); LEO stages
                                                                              span ~1,000-2,000 kg
DEBRIS,         SBM A/M at Lc = 0.15 m:        0.15 m                         0.15 m = median Lc of the
UNKNOWN         ~0.12 kg                                                      SBM collision size law
                                                                              N(>Lc) ~ Lc^-1.71 above the
                                                                              10 cm catalog threshold
                                                                              (0.1 * 2^(1/1.71)); mass =
                                                                              A(Lc) / (A/M), A/M = 10^chi
                                                                              at the mean chi of the
                                                                              spacecraft A/M law (model
                                                                              notes section 1)
============== ============================== ============================== =========================

SBM mass -> Lc: the NASA Standard Breakup Model's parent size, a sphere of density
``92.937 Lc^-0.74 kg/m^3``: ``Lc = (6 m / (92.937 pi))^(1/2.26)`` (Johnson et al. 2001; model notes
section 1).
"""

from __future__ import annotations

import csv
import io
import math
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np

from .omm import decode_text

#: Assumed mass of a rocket body with no better information [kg]: SL-8 (Kosmos-3M) second stage,
#: ~1,400 kg dry (McKnight et al. 2021, Acta Astronautica 186, list of massive LEO derelicts).
ROCKET_BODY_MASS_KG = 1400.0
#: Median characteristic length of catalogued debris [m]: 0.1 m * 2^(1/1.71), the median of the SBM
#: collision size distribution N(>Lc) ~ Lc^-1.71 (Johnson et al. 2001) above the 10 cm catalog limit.
DEBRIS_SIZE_M = 0.1 * 2.0 ** (1.0 / 1.71)


def sbm_lc_from_mass(mass_kg):
    """SBM parent characteristic length [m] from mass [kg]: ``(6 m / (92.937 pi))^(1/2.26)``."""
    m = np.asarray(mass_kg, dtype=np.float64)
    return (6.0 * m / (92.937 * np.pi)) ** (1.0 / 2.26)


def _debris_mass_kg(lc_m: float) -> float:
    """Mass of a fragment of size ``lc_m``: SBM area over A/M at the spacecraft law's mean chi."""
    lc = math.log10(lc_m)
    # Spacecraft A/M law, Johnson et al. 2001 (model notes section 1), clamped piecewise-linear terms.
    alpha = 0.0 if lc <= -1.95 else (1.0 if lc >= 0.55 else 0.3 + 0.4 * (lc + 1.2))
    mu1 = -0.6 if lc <= -1.1 else (-0.95 if lc >= 0.0 else -0.6 - 0.318 * (lc + 1.1))
    mu2 = -1.2 if lc <= -0.7 else (-2.0 if lc >= -0.1 else -1.2 - 1.333 * (lc + 0.7))
    chi = alpha * mu1 + (1.0 - alpha) * mu2
    area_m2 = 0.556945 * lc_m ** 2.0047077  # SBM area for Lc >= 1.67 mm
    return area_m2 / 10.0 ** chi


#: Estimated mass of a debris object [kg] (~0.12 kg), see the module table.
DEBRIS_MASS_KG = _debris_mass_kg(DEBRIS_SIZE_M)


def _key(path) -> tuple:
    p = Path(path).resolve()
    st = p.stat()
    return str(p), st.st_size, st.st_mtime_ns


def _rows(path) -> tuple[list[str], np.ndarray]:
    """Header and an ``(n, width)`` object array of the cells (short rows padded with ``""``)."""
    text = decode_text(Path(path).read_bytes())
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return [], np.empty((0, 0), dtype=object)
    if '"' not in text:  # no quoting: a plain split is exact
        commas = list(map(str.count, lines, repeat(",")))
        if commas.count(commas[0]) == len(commas):  # rectangular: one split of the whole body
            header = [h.strip() for h in lines[0].split(",")]
            cells = ",".join(lines[1:]).split(",") if len(lines) > 1 else []
            return header, np.array(cells, dtype=object).reshape(len(lines) - 1, len(header))
        rows = [ln.split(",") for ln in lines]
    else:
        rows = [r for r in csv.reader(io.StringIO(text, newline="")) if r and any(c.strip() for c in r)]
    header = [h.strip() for h in rows[0]]
    width = len(header)
    table = np.full((len(rows) - 1, width), "", dtype=object)
    for i, r in enumerate(rows[1:]):
        table[i, :min(width, len(r))] = r[:width]
    return header, table


def _col(header, table, *names, default=""):
    lower = [h.lower() for h in header]
    for name in names:
        if name.lower() in lower:
            return list(map(str.strip, table[:, lower.index(name.lower())]))
    return [default] * len(table)


def _ids(values) -> np.ndarray:
    try:
        return np.array(values, dtype=object).astype(np.int64)  # the usual case: all digits
    except (ValueError, TypeError, OverflowError):
        pass
    out = np.full(len(values), -1, np.int64)
    for i, v in enumerate(values):
        try:
            out[i] = int(float(v))
        except (ValueError, OverflowError):
            pass
    return out


def _sorted(table: dict) -> dict:
    ids = table["norad_id"]
    keep = ids >= 0
    order = np.argsort(ids[keep], kind="stable")
    out = {k: np.asarray(v)[keep][order] for k, v in table.items()}
    for v in out.values():
        v.setflags(write=False)
    return out


#: SATCAT object types, long (CelesTrak CSV) and short (CelesTrak JSON/newer CSV) forms.
_TYPES = {"PAYLOAD": "PAYLOAD", "PAY": "PAYLOAD", "ROCKET BODY": "ROCKET BODY", "R/B": "ROCKET BODY",
          "DEBRIS": "DEBRIS", "DEB": "DEBRIS", "UNKNOWN": "UNKNOWN", "UNK": "UNKNOWN", "TBA": "UNKNOWN"}


@lru_cache(maxsize=4)
def _read_satcat(key) -> dict:
    header, rows = _rows(key[0])
    dates = _col(header, rows, "launch_date", "LAUNCH_DATE")
    try:
        launch = np.array(dates, dtype="datetime64[D]")  # "" reads as NaT
    except ValueError:
        launch = np.array([d if len(d) == 10 else "NaT" for d in dates], dtype="datetime64[D]")
    rcs = np.full(len(rows), np.nan)
    if any(h.lower() == "rcs" for h in header):  # newer CelesTrak SATCAT files: RCS in m^2
        for i, v in enumerate(_col(header, rows, "rcs")):
            try:
                rcs[i] = float(v)
            except ValueError:
                pass
    types = np.array(_col(header, rows, "object_type", "OBJECT_TYPE"), dtype=str)  # fixed width: fast unique
    uniq, inverse = np.unique(types, return_inverse=True)
    types = np.array([_TYPES.get(t.upper(), "UNKNOWN") for t in uniq] or [""], dtype=object)[inverse]
    return _sorted({
        "norad_id": _ids(_col(header, rows, "norad_cat_id", "NORAD_CAT_ID")),
        "name": np.array(_col(header, rows, "object_name", "SATNAME"), dtype=object),
        "intl_designator": np.array(_col(header, rows, "object_id", "INTLDES"), dtype=object),
        "object_type": types,
        "owner": np.array(_col(header, rows, "owner", "OWNER", "COUNTRY"), dtype=object),
        "launch_date": launch,
        "rcs_m2": rcs,
    })


def read_satcat(path) -> dict:
    """Read a CelesTrak SATCAT CSV into arrays sorted by ``norad_id`` (cached per process; read-only)."""
    return _read_satcat(_key(path))


def _mass(values) -> np.ndarray:
    out = np.full(len(values), np.nan)
    for i, v in enumerate(values):
        try:
            m = float(v.replace(",", ""))
            out[i] = m if m > 0 else np.nan
        except ValueError:
            pass
    return out


@lru_cache(maxsize=4)
def _read_ucs(key) -> dict:
    header, rows = _rows(key[0])
    orbit_class = [c.upper().replace("ELLIPTICAL", "HEO") for c in _col(header, rows, "Class of Orbit")]
    return _sorted({
        "norad_id": _ids(_col(header, rows, "NORAD Number")),
        "launch_mass_kg": _mass(_col(header, rows, "Launch Mass (kg.)")),
        "dry_mass_kg": _mass(_col(header, rows, "Dry Mass (kg.)")),
        "operator_country": np.array(_col(header, rows, "Country of Operator/Owner"), dtype=object),
        "purpose": np.array(_col(header, rows, "Purpose"), dtype=object),
        "orbit_class": np.array(orbit_class, dtype=object),
    })


def read_ucs(path) -> dict:
    """Read the UCS Satellite Database CSV into arrays sorted by ``norad_id`` (cached; read-only).

    The 2023-01 file lists 15 ids twice (data-entry errors); :func:`lookup` returns the first row.
    """
    return _read_ucs(_key(path))


def lookup(table: dict, norad_id) -> np.ndarray:
    """Row of ``table`` for each id (``-1`` where absent); the table is sorted by ``norad_id``.

    For an id listed twice, the row that came first in the file (the sort is stable).
    """
    ids = np.asarray(norad_id, np.int64)
    keys = table["norad_id"]
    pos = np.searchsorted(keys, ids)
    pos_c = np.minimum(pos, max(len(keys) - 1, 0))
    found = (len(keys) > 0) & (keys[pos_c] == ids) if len(keys) else np.zeros(len(ids), bool)
    return np.where(found, pos_c, -1)


def ucs_median_mass_kg(ucs: dict) -> dict:
    """Median UCS launch mass [kg] per orbit class (``LEO``, ``MEO``, ``GEO``, ``HEO``)."""
    out = {}
    m = ucs["launch_mass_kg"]
    for cls in ("LEO", "MEO", "GEO", "HEO"):
        sel = (ucs["orbit_class"] == cls) & np.isfinite(m)
        out[cls] = float(np.median(m[sel])) if sel.any() else float(np.nanmedian(m))
    return out


def estimate_mass_kg(object_type, regime, medians: dict) -> np.ndarray:
    """Estimated mass [kg] by object type (and regime for payloads); see the module table."""
    object_type = np.asarray(object_type, dtype=object)
    regime = np.asarray(regime, dtype=object)
    out = np.full(len(object_type), DEBRIS_MASS_KG)
    out[object_type == "ROCKET BODY"] = ROCKET_BODY_MASS_KG
    for cls, m in medians.items():
        out[(object_type == "PAYLOAD") & (regime == cls)] = m
    return out


def enrich(f: dict, active: np.ndarray, regime: np.ndarray, satcat_path, ucs_path) -> dict:
    """Join SATCAT and UCS by id; infer types; fill mass and size (estimated where unknown).

    Parameters
    ----------
    f : dict of arrays
        Catalog columns from a reader (``norad_id``, ``name``, ``intl_designator``, ...); updated
        in place with ``object_type, owner, launch_date, operator_country, purpose, mass_kg,
        mass_estimated, size_m, size_estimated, is_active`` and returned.
    active : bool array
        Rows from an active-satellites file (payloads unless the SATCAT says otherwise).
    regime : array of str
        ``LEO``/``MEO``/``GEO``/``HEO`` per row, for the payload mass estimate.
    satcat_path, ucs_path : path or None
        Tables to join (``None``: skip).
    """
    n = len(f["norad_id"])
    sc = read_satcat(satcat_path) if satcat_path else None
    row = lookup(sc, f["norad_id"]) if sc else np.full(n, -1)
    hit = row >= 0
    r = row[hit]
    # Objects the SATCAT does not list: type from the name (CelesTrak's "DEB" and "R/B" suffixes),
    # payload if it comes from an active-satellites file, else UNKNOWN.
    obj_type = np.full(n, "UNKNOWN", dtype=object)
    names = f["name"]
    for i in np.flatnonzero(~hit & ~active):  # (rows from an active file become PAYLOAD below)
        nm = names[i]
        if " DEB" in nm or nm.endswith("DEB"):
            obj_type[i] = "DEBRIS"
        elif "R/B" in nm:
            obj_type[i] = "ROCKET BODY"
    obj_type[active & ~hit] = "PAYLOAD"
    owner = np.full(n, "", dtype=object)
    launch = np.full(n, np.datetime64("NaT", "D"))
    size = np.full(n, np.nan)
    if sc is not None:
        obj_type[hit] = sc["object_type"][r]
        owner[hit] = sc["owner"][r]
        launch[hit] = sc["launch_date"][r]
        rcs = sc["rcs_m2"][r]
        size[hit] = np.where(rcs > 0, np.sqrt(4.0 * rcs / np.pi), np.nan)
        empty = hit & (f["name"] == "")
        f["name"][empty] = sc["name"][row[empty]]
        empty = hit & (f["intl_designator"] == "")
        f["intl_designator"][empty] = sc["intl_designator"][row[empty]]
    mass = np.full(n, np.nan)
    country = np.full(n, "", dtype=object)
    purpose = np.full(n, "", dtype=object)
    medians = {}
    if ucs_path:
        ucs = read_ucs(ucs_path)
        urow = lookup(ucs, f["norad_id"])
        uh = urow >= 0
        m = ucs["launch_mass_kg"][urow[uh]]
        mass[uh] = np.where(np.isfinite(m), m, ucs["dry_mass_kg"][urow[uh]])
        country[uh] = ucs["operator_country"][urow[uh]]
        purpose[uh] = ucs["purpose"][urow[uh]]
        medians = ucs_median_mass_kg(ucs)
    f.update(object_type=obj_type, owner=owner, launch_date=launch, operator_country=country, purpose=purpose)
    est = ~np.isfinite(mass)
    mass[est] = estimate_mass_kg(obj_type[est], np.asarray(regime)[est], medians)
    size_est = ~np.isfinite(size)
    small = (obj_type == "DEBRIS") | (obj_type == "UNKNOWN")
    size[size_est & small] = DEBRIS_SIZE_M
    big = size_est & ~small
    size[big] = sbm_lc_from_mass(mass[big])
    f.update(mass_kg=mass, mass_estimated=est, size_m=size, size_estimated=size_est, is_active=active)
    return f
