"""CelesTrak SATCAT and the UCS Satellite Database: readers, the join by NORAD id, mass/size estimates.

SATCAT gives object type, owner code, launch date, name and international designator; UCS gives
launch and dry mass, operator country and purpose. Both are read once per process (cached by path,
size and modification time) into sorted id arrays joined with :func:`lookup`.

Mass and size estimates
-----------------------
Objects without a UCS mass get an estimate by object type, flagged ``mass_estimated``. Sizes of
debris and unknown objects are set here (``size_estimated``) unless the SATCAT has an ``rcs``
column (radar cross-section, m^2, newer CelesTrak files), read as the diameter of a disc of that
area. Payloads and rocket bodies get their sizes (and, for the large and numerous objects of the
sourced table, their masses) from :mod:`orbitsim.physical`, which the catalog loader applies after
this join.

============== ============================== ============================== =========================
object type     mass_kg                        size_m (hard-body diameter)    source / assumption
============== ============================== ============================== =========================
PAYLOAD (UCS)   UCS "Launch Mass (kg.)",       :mod:`orbitsim.physical`       UCS Satellite Database
                else "Dry Mass (kg.)"                                         2023-01-01
PAYLOAD         median UCS launch mass of      :mod:`orbitsim.physical`       computed from the UCS file
                its orbit class (LEO, MEO,                                    at load time (LEO ~ 260 kg,
                GEO, Elliptical = HEO)                                        GEO ~ 4,000 kg)
ROCKET BODY     1,400 kg                       :mod:`orbitsim.physical`       assumption: a typical LEO
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
                                                                              spacecraft A/M law (Johnson
                                                                              et al. 2001)
============== ============================== ============================== =========================

Owner estimates
---------------
Objects the SATCAT does not list (mostly payloads launched after the snapshot) get an estimated
owner, flagged ``owner_estimated``, by two rules tried in order (:func:`owner_rules`,
:func:`infer_owner`):

1. **Launch**: the launch part of the international designator (``2025-123`` of ``2025-123AB``);
   if every SATCAT object of that launch with an owner has the same owner, that owner. For a
   payload only the launch's payloads count: rocket bodies and launch debris belong to the
   launching state, not to the customer (a commercial satellite on a Proton is not ``CIS``); on
   SATCAT objects held out at random this raised the agreement from 96.9 % to 98.3 %.
2. **Name**: the first token of the name (the leading run of letters and digits, upper case:
   ``STARLINK`` of ``STARLINK-32190``, ``YAOGAN`` of ``YAOGAN-45 02``); if at least
   :data:`TOKEN_MIN_OBJECTS` (10) SATCAT objects carry that token and at least
   :data:`TOKEN_MIN_SHARE` (95 %) of them share one owner, that owner.

Otherwise the owner stays ``""``. Checked on held-out SATCAT objects in tests/test_satcat.py.
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

_strings = getattr(np, "strings", np.char)  # vectorized string functions (numpy >= 2; np.char before)

#: Assumed mass of a rocket body with no better information [kg]: SL-8 (Kosmos-3M) second stage,
#: ~1,400 kg dry (McKnight et al. 2021, Acta Astronautica 186, list of massive LEO derelicts).
ROCKET_BODY_MASS_KG = 1400.0
#: Median characteristic length of catalogued debris [m]: 0.1 m * 2^(1/1.71), the median of the SBM
#: collision size distribution N(>Lc) ~ Lc^-1.71 (Johnson et al. 2001) above the 10 cm catalog limit.
DEBRIS_SIZE_M = 0.1 * 2.0 ** (1.0 / 1.71)


def _debris_mass_kg(lc_m: float) -> float:
    """Mass of a fragment of size ``lc_m``: SBM area over A/M at the spacecraft law's mean chi."""
    lc = math.log10(lc_m)
    # Spacecraft A/M law (Johnson et al. 2001, eq. for Lc > 11 cm), clamped piecewise-linear terms.
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


#: Object types in code order (``type_code`` of :func:`read_satcat`).
TYPE_NAMES = ("PAYLOAD", "ROCKET BODY", "DEBRIS", "UNKNOWN")
_TYPE_ARRAY = np.array(TYPE_NAMES, dtype=object)
_PAYLOAD, _ROCKET_BODY, _DEBRIS, _UNKNOWN = range(4)


def _dates(values) -> np.ndarray:
    try:
        return np.array(values, dtype="datetime64[D]")  # "" reads as NaT
    except ValueError:
        return np.array([d if len(d) == 10 else "NaT" for d in values], dtype="datetime64[D]")


def _floats(values) -> np.ndarray:
    try:
        return np.array([v if v else "nan" for v in values], dtype=np.float64)
    except ValueError:
        out = np.full(len(values), np.nan)
        for i, v in enumerate(values):
            try:
                out[i] = float(v)
            except ValueError:
                pass
        return out


@lru_cache(maxsize=4)
def _read_satcat(key) -> dict:
    header, rows = _rows(key[0])
    launch = _dates(_col(header, rows, "launch_date", "LAUNCH_DATE"))
    rcs = np.full(len(rows), np.nan)
    if any(h.lower() == "rcs" for h in header):  # newer CelesTrak SATCAT files: RCS in m^2
        for i, v in enumerate(_col(header, rows, "rcs")):
            try:
                rcs[i] = float(v)
            except ValueError:
                pass
    types = np.array(_col(header, rows, "object_type", "OBJECT_TYPE"), dtype=str)  # fixed width: fast unique
    uniq, inverse = np.unique(types, return_inverse=True)
    codes = np.array([TYPE_NAMES.index(_TYPES.get(t.upper(), "UNKNOWN")) for t in uniq] or [3], np.int8)[inverse]
    return _sorted({
        "type_code": codes,
        "norad_id": _ids(_col(header, rows, "norad_cat_id", "NORAD_CAT_ID")),
        "name": np.array(_col(header, rows, "object_name", "SATNAME"), dtype=object),
        "intl_designator": np.array(_col(header, rows, "object_id", "INTLDES"), dtype=object),
        "object_type": _TYPE_ARRAY[codes],
        "owner": np.array(_col(header, rows, "owner", "OWNER", "COUNTRY"), dtype=object),
        "launch_date": launch,
        "decay_date": _dates(_col(header, rows, "decay_date", "DECAY_DATE", "DECAY")),
        "perigee_km": _floats(_col(header, rows, "perigee", "PERIGEE")),
        "apogee_km": _floats(_col(header, rows, "apogee", "APOGEE")),
        "inclination_deg": _floats(_col(header, rows, "inclination", "INCLINATION")),
        "rcs_m2": rcs,
    })


def read_satcat(path) -> dict:
    """Read a CelesTrak SATCAT CSV into arrays sorted by ``norad_id`` (cached per process; read-only).

    Columns: ``norad_id, name, intl_designator, object_type, type_code, owner, launch_date,
    decay_date`` (NaT while in orbit), ``perigee_km, apogee_km, inclination_deg`` (NaN where not
    given) and ``rcs_m2`` (NaN unless the file has an RCS column).
    """
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


@lru_cache(maxsize=4)
def _ucs_medians(key) -> dict:
    return ucs_median_mass_kg(_read_ucs(key))


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
    code = np.full(len(object_type), _UNKNOWN, np.int8)
    for k, name in enumerate(TYPE_NAMES):
        code[object_type == name] = k
    return _estimate_mass(code, regime, medians)


#: Regime codes a caller may pass instead of names (``orbitsim.catalog``'s order).
_REGIME_CODES = {"LEO": 0, "MEO": 1, "GEO": 2, "HEO": 3}


def _estimate_mass(type_code: np.ndarray, regime, medians: dict) -> np.ndarray:
    out = np.full(len(type_code), DEBRIS_MASS_KG)
    out[type_code == _ROCKET_BODY] = ROCKET_BODY_MASS_KG
    payload = type_code == _PAYLOAD
    if payload.any():
        regime = np.asarray(regime)
        codes = regime.dtype.kind in "iu"
        for cls, m in medians.items():
            out[payload & (regime == (_REGIME_CODES[cls] if codes else cls))] = m
    return out


# ------------------------------------------------------------------------------ owner estimates
#: Name rule: at least this many SATCAT objects must carry the token ...
TOKEN_MIN_OBJECTS = 10
#: ... and at least this share of them one owner (module docstring, "Owner estimates").
TOKEN_MIN_SHARE = 0.95
#: Methods of :func:`infer_owner`.
OWNER_NONE, OWNER_BY_LAUNCH, OWNER_BY_NAME = 0, 1, 2
_ALNUM = np.zeros(128, bool)
_ALNUM[[*range(48, 58), *range(65, 91), *range(97, 123)]] = True


def _text_array(values) -> np.ndarray:
    """Strings as a fixed-width numpy text array (at least one character wide)."""
    arr = np.asarray(values)
    if arr.dtype.kind != "U":
        try:
            arr = arr.astype(str)
        except (TypeError, ValueError, UnicodeDecodeError):
            arr = np.array([str(v) for v in arr.tolist()] or [""], dtype=str)[:len(arr)]
    if arr.dtype.itemsize == 0:
        arr = arr.astype("U1")
    return arr


def launch_keys(intl_designator) -> np.ndarray:
    """The launch of each international designator as an integer ``YYYYNNN`` (``2025123`` for
    ``"2025-123AB"``), ``-1`` when it is not of the form ``YYYY-NNN...``."""
    a = _text_array(intl_designator)
    n, w = len(a), a.dtype.itemsize // 4
    if w < 8:
        return np.full(n, -1, np.int64)
    mat = a.view(np.uint32).reshape(n, w)
    digits = mat[:, [0, 1, 2, 3, 5, 6, 7]].astype(np.int64) - 48
    ok = ((digits >= 0) & (digits <= 9)).all(axis=1) & (mat[:, 4] == 45)
    return np.where(ok, digits @ (10 ** np.arange(6, -1, -1, dtype=np.int64)), -1)


def name_tokens(names) -> np.ndarray:
    """The first token of each name: its leading run of ASCII letters and digits, upper case
    (leading blanks skipped)."""
    a = _text_array(names)
    n, w = len(a), a.dtype.itemsize // 4
    mat = a.view(np.uint32).reshape(n, w)
    if n and (mat[:, 0] <= 32).any():  # leading blanks: rare, strip them first
        a = _text_array(_strings.lstrip(a))
        w = a.dtype.itemsize // 4
        mat = a.view(np.uint32).reshape(n, w)
    alnum = _ALNUM[np.minimum(mat, 127)]  # code points >= 127 are not ASCII letters or digits
    stop = np.where(alnum.all(axis=1), w, np.argmin(alnum, axis=1)) if n else np.zeros(0, np.int64)
    width = max(int(stop.max()) if n else 0, 1)
    tok = mat[:, :width] * (np.arange(width) < stop[:, None])
    tok -= np.uint32(32) * ((tok >= 97) & (tok <= 122))  # a-z -> A-Z
    return np.ascontiguousarray(tok).view(f"U{width}").ravel()


def _unanimous(keys: np.ndarray, oidx: np.ndarray, uown: np.ndarray, min_count: int, min_share: float,
               missing=""):
    """Sorted keys whose objects share one owner in at least ``min_share`` of ``>= min_count``
    objects, and that owner. ``oidx`` indexes the owner names ``uown`` (``-1``: no owner); rows with
    a ``missing`` key or no owner do not count."""
    use = (keys != missing) & (oidx >= 0)
    keys, oidx = keys[use], oidx[use]
    if not len(keys):
        return keys[:0], np.array([], dtype=object)
    ukey, kidx = np.unique(keys, return_inverse=True)
    pair = kidx.astype(np.int64) * len(uown) + oidx
    upair, count = np.unique(pair, return_counts=True)
    pk, po = upair // len(uown), upair % len(uown)
    total = np.bincount(kidx, minlength=len(ukey))
    best = np.zeros(len(ukey), np.int64)
    np.maximum.at(best, pk, count)
    is_best = count == best[pk]
    top_owner = np.full(len(ukey), -1, np.int64)
    top_owner[pk[is_best]] = po[is_best]
    ok = (total >= min_count) & (best >= min_share * total)
    return ukey[ok], uown[top_owner[ok]].astype(object)


def owner_rules(table: dict, rows=None) -> dict:
    """The launch and name rules (module docstring, "Owner estimates") from SATCAT rows.

    Parameters
    ----------
    table : dict
        A table from :func:`read_satcat`.
    rows : bool or index array, optional
        The rows to learn from (default all); tests hold objects out this way.

    Returns
    -------
    dict
        ``launch_keys``/``launch_owner`` (all objects of a launch), ``payload_launch_keys``/
        ``payload_launch_owner`` (its payloads) and ``token_keys``/``token_owner``: sorted keys and
        the owner each one implies.
    """
    sel = slice(None) if rows is None else rows
    owners = np.asarray(table["owner"])[sel]
    launch = launch_keys(np.asarray(table["intl_designator"])[sel])
    payload = np.asarray(table["type_code"])[sel] == _PAYLOAD
    uown, oidx = np.unique(_text_array(owners), return_inverse=True)
    oidx = np.where(uown[oidx] == "", -1, oidx)
    lk, lo = _unanimous(launch, oidx, uown, 1, 1.0, missing=-1)
    pk, po = _unanimous(launch[payload], oidx[payload], uown, 1, 1.0, missing=-1)
    tk, to = _unanimous(name_tokens(np.asarray(table["name"])[sel]), oidx, uown, TOKEN_MIN_OBJECTS, TOKEN_MIN_SHARE)
    return {"launch_keys": lk, "launch_owner": lo, "payload_launch_keys": pk, "payload_launch_owner": po,
            "token_keys": tk, "token_owner": to}


@lru_cache(maxsize=4)
def _owner_rules_cached(key) -> dict:
    return owner_rules(_read_satcat(key))


def _find(keys: np.ndarray, values: np.ndarray, missing=-1) -> np.ndarray:
    if not len(keys):
        return np.full(len(values), -1)
    pos = np.minimum(np.searchsorted(keys, values), len(keys) - 1)
    return np.where((keys[pos] == values) & (values != missing), pos, -1)


def infer_owner(rules: dict, names, intl_designator, payload=True) -> tuple[np.ndarray, np.ndarray]:
    """Estimated owner of objects the SATCAT does not list: by launch, else by name token.

    ``payload`` (bool or bool array): which objects are payloads, whose launch rule counts only
    the launch's payloads (module docstring).

    Returns
    -------
    owner : object array
        The estimated SATCAT owner code, ``""`` where neither rule applies.
    method : int8 array
        :data:`OWNER_BY_LAUNCH`, :data:`OWNER_BY_NAME` or :data:`OWNER_NONE` per object.
    """
    n = len(names)
    owner = np.full(n, "", dtype=object)
    method = np.zeros(n, np.int8)
    if n == 0:
        return owner, method
    keys = launch_keys(intl_designator)
    payload = np.broadcast_to(np.asarray(payload, bool), (n,))
    by_launch = np.zeros(n, bool)
    for prefix, rows in (("payload_launch", payload), ("launch", ~payload)):
        li = _find(rules[prefix + "_keys"], keys)
        use = rows & (li >= 0)
        owner[use] = rules[prefix + "_owner"][li[use]]
        by_launch |= use
    method[by_launch] = OWNER_BY_LAUNCH
    rest = np.flatnonzero(~by_launch)
    if len(rest):
        index = rules.get("_token_index")
        if index is None:  # a dict beats a binary search over strings
            index = rules["_token_index"] = {k: i for i, k in enumerate(rules["token_keys"].tolist())}
        tokens = name_tokens(np.asarray(names, dtype=object)[rest]).tolist()
        ti = np.array([index.get(t, -1) for t in tokens], np.int64)
        hit = ti >= 0
        owner[rest[hit]] = rules["token_owner"][ti[hit]]
        method[rest[hit]] = OWNER_BY_NAME
    return owner, method


def enrich(f: dict, active: np.ndarray, regime: np.ndarray, satcat_path, ucs_path) -> dict:
    """Join SATCAT and UCS by id; infer types and owners; fill mass and size (estimated where unknown).

    Parameters
    ----------
    f : dict of arrays
        Catalog columns from a reader (``norad_id``, ``name``, ``intl_designator``, ...); updated
        in place with ``object_type, owner, owner_estimated, launch_date, operator_country, purpose,
        mass_kg, mass_estimated, size_m, size_estimated, is_active`` and returned.
    active : bool array
        Rows from an active-satellites file (payloads unless the SATCAT says otherwise).
    regime : array of str or int
        ``LEO``/``MEO``/``GEO``/``HEO`` per row (or the codes 0..3 in that order), for the payload
        mass estimate.
    satcat_path, ucs_path : path or None
        Tables to join (``None``: skip). Without a SATCAT no owner is estimated.
    """
    n = len(f["norad_id"])
    sc_key = _key(satcat_path) if satcat_path else None
    sc = _read_satcat(sc_key) if sc_key else None
    row = lookup(sc, f["norad_id"]) if sc else np.full(n, -1)
    hit = row >= 0
    r = row[hit]
    # Objects the SATCAT does not list: type from the name (CelesTrak's "DEB" and "R/B" suffixes),
    # payload if it comes from an active-satellites file, else UNKNOWN.
    code = np.full(n, _UNKNOWN, np.int8)
    names = f["name"]
    for i in np.flatnonzero(~hit & ~active):  # (rows from an active file become PAYLOAD below)
        nm = names[i]
        if " DEB" in nm or nm.endswith("DEB"):
            code[i] = _DEBRIS
        elif "R/B" in nm:
            code[i] = _ROCKET_BODY
    code[active & ~hit] = _PAYLOAD
    owner = np.full(n, "", dtype=object)
    owner_est = np.zeros(n, bool)
    launch = np.full(n, np.datetime64("NaT", "D"))
    size = np.full(n, np.nan)
    if sc is not None:
        code[hit] = sc["type_code"][r]
        owner[hit] = sc["owner"][r]
        launch[hit] = sc["launch_date"][r]
        rcs = sc["rcs_m2"][r]
        size[hit] = np.where(rcs > 0, np.sqrt(4.0 * rcs / np.pi), np.nan)
        h = np.flatnonzero(hit)
        empty = h[f["name"][h] == ""]
        f["name"][empty] = sc["name"][row[empty]]
        empty = h[f["intl_designator"][h] == ""]
        f["intl_designator"][empty] = sc["intl_designator"][row[empty]]
        miss = np.flatnonzero(~hit)
        if len(miss):
            guess, method = infer_owner(_owner_rules_cached(sc_key), f["name"][miss], f["intl_designator"][miss],
                                        code[miss] == _PAYLOAD)
            owner[miss] = guess
            owner_est[miss] = method != OWNER_NONE
    mass = np.full(n, np.nan)
    country = np.full(n, "", dtype=object)
    purpose = np.full(n, "", dtype=object)
    medians = {}
    if ucs_path:
        ucs_key = _key(ucs_path)
        ucs = _read_ucs(ucs_key)
        urow = lookup(ucs, f["norad_id"])
        uh = urow >= 0
        m = ucs["launch_mass_kg"][urow[uh]]
        mass[uh] = np.where(np.isfinite(m), m, ucs["dry_mass_kg"][urow[uh]])
        country[uh] = ucs["operator_country"][urow[uh]]
        purpose[uh] = ucs["purpose"][urow[uh]]
        medians = _ucs_medians(ucs_key)
    obj_type = _TYPE_ARRAY[code]
    f.update(object_type=obj_type, owner=owner, owner_estimated=owner_est, launch_date=launch,
             operator_country=country, purpose=purpose)
    est = ~np.isfinite(mass)
    mass[est] = _estimate_mass(code[est], np.asarray(regime)[est], medians)
    size_est = ~np.isfinite(size)
    small = (code == _DEBRIS) | (code == _UNKNOWN)
    size[size_est & small] = DEBRIS_SIZE_M  # intact objects: orbitsim.physical.assign
    f.update(mass_kg=mass, mass_estimated=est, size_m=size, size_estimated=size_est, is_active=active)
    return f
