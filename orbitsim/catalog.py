"""The object catalog: a struct of numpy arrays, loaded from TLE/3LE and OMM files, joined with SATCAT/UCS.

>>> from orbitsim import catalog
>>> cat = catalog.load_default()            # CelesTrak active payloads + four debris clouds
>>> leo = cat.select_regime("LEO")
>>> sats = leo.satrecs()                     # sgp4 Satrec objects, built on first use

Field names and dtypes are the contract in ``docs/interfaces.md``. Extensions beyond it (optional,
defaulted): ``classification``, ``ephemeris_type``, ``element_set_no``, ``rev_at_epoch`` (kept so
element sets round-trip through the writers), ``operator_country`` and ``purpose`` (from UCS),
``element_format`` (``TLE``/``OMM``: the source notation, which fixes how sgp4 rounds the epoch),
``target_class`` (the matched row of the sourced table of large and numerous objects, "" for the
others: :mod:`orbitsim.physical`, which also sets the sizes and the estimated masses' flags).

Owners: the SATCAT's where it lists the object; otherwise an estimate from the object's launch
(its payloads, if unanimous) or the first token of its name (``STARLINK``, ``QIANFAN``, ...),
flagged ``owner_estimated`` (rules and their held-out accuracy: :mod:`orbitsim.formats.satcat`).

Regimes (:meth:`Catalog.select_regime`), by perigee and apogee altitude over the WGS72 equatorial
radius, mutually exclusive and exhaustive:

====== =====================================================================================
LEO    apogee < 2,000 km (IADC LEO protected region)
MEO    perigee >= 2,000 km and apogee < 35,286 km
GEO    35,286 km <= perigee and apogee <= 36,286 km (35,786 km +/- 500 km: the IADC GEO
       protected region, +/-200 km, and the graveyard orbits ~300 km above it)
HEO    everything else: highly eccentric orbits crossing 2,000 km (GTO, Molniya), and orbits
       crossing or above the GEO band
====== =====================================================================================
"""

from __future__ import annotations

import re
from collections import OrderedDict
from pathlib import Path

import numpy as np

from . import data, physical
from .errors import InputError
from .formats import RejectedRecord, raise_first, read_file
from .formats import satcat as _satcat
from .formats.satrec import make_satrecs as _make_satrecs
from .formats.satrec import sgp4_elements

__all__ = ["Catalog", "RejectedRecord", "load", "load_default", "read_file", "sgp4_elements", "clear_cache", "FIELDS",
           "REGIME_BOUNDS_KM", "TARGET_CHOICES"]

# WGS72 constants (sgp4.earth_gravity.wgs72; interfaces.md): mu [km^3/s^2], Re [km], J2.
MU_KM3_S2 = 398600.8
RE_KM = 6378.135
J2 = 0.001082616
_XKE = 60.0 / np.sqrt(RE_KM ** 3 / MU_KM3_S2)  # sqrt(mu) in Earth radii^1.5 per minute (SGP4 xke)

#: Regime boundaries [km altitude] used by :meth:`Catalog.select_regime` (see the module docstring).
REGIME_BOUNDS_KM = {"LEO_MAX_APOGEE": 2000.0, "GEO_LOW": 35286.0, "GEO_HIGH": 36286.0}

#: Choices of :meth:`Catalog.exposed_assets` (``--targets``).
TARGET_CHOICES = ("active", "payloads", "all")

_NAT = np.datetime64("NaT", "D")
#: field -> (dtype, default); ``None`` default means required by :meth:`Catalog.from_arrays`.
FIELDS = {
    "norad_id": (np.int64, None), "name": (object, ""), "intl_designator": (object, ""),
    "epoch_jd": (np.float64, None), "epoch_fr": (np.float64, 0.0),
    "mean_motion_rev_per_day": (np.float64, None), "eccentricity": (np.float64, None),
    "inclination_deg": (np.float64, None), "raan_deg": (np.float64, None),
    "arg_perigee_deg": (np.float64, None), "mean_anomaly_deg": (np.float64, None),
    "bstar_per_earth_radii": (np.float64, 0.0), "mean_motion_dot": (np.float64, 0.0),
    "mean_motion_ddot": (np.float64, 0.0), "object_type": (object, "UNKNOWN"), "owner": (object, ""),
    "owner_estimated": (bool, False),
    "launch_date": ("datetime64[D]", _NAT), "is_active": (bool, False),
    "mass_kg": (np.float64, np.nan), "mass_estimated": (bool, True),
    "size_m": (np.float64, np.nan), "size_estimated": (bool, True),
    "area_to_mass_m2_per_kg": (np.float64, np.nan),
    "source_file": (object, ""), "source_line": (np.int64, 0),
    # extensions (see module docstring)
    "classification": (object, "U"), "ephemeris_type": (np.int64, 0), "element_set_no": (np.int64, 999),
    "rev_at_epoch": (np.int64, 0), "operator_country": (object, ""), "purpose": (object, ""),
    "element_format": (object, ""),  # "TLE" or "OMM": how the epoch was written (see satrecs())
    "target_class": (object, ""),  # row of the table of large and numerous objects (orbitsim.physical)
}


class Catalog:
    """One row per object, one numpy array per field (see :data:`FIELDS` and ``docs/interfaces.md``).

    Attributes
    ----------
    rejected : list of RejectedRecord
        Records the loader could not use (file, 1-based line, reason).
    duplicates : list of RejectedRecord
        Older element sets of an id that appears more than once (the newest epoch is kept, at the
        position of the first occurrence).
    files : list of Path
        The files read.
    """

    def __init__(self, fields: dict, rejected=None, duplicates=None, files=None):
        n = None
        for name in FIELDS:
            arr = fields[name]
            if n is None:
                n = len(arr)
            elif len(arr) != n:
                raise InputError(f"catalog field {name} has {len(arr)} rows, expected {n}")
            setattr(self, name, arr)
        self._n = n or 0
        self.rejected = list(rejected or [])
        self.duplicates = list(duplicates or [])
        self.files = list(files or [])
        self._satrecs = None

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_arrays(cls, **fields) -> "Catalog":
        """Build a Catalog from equal-length arrays; missing optional fields get their defaults.

        Required: ``norad_id, epoch_jd, mean_motion_rev_per_day, eccentricity, inclination_deg,
        raan_deg, arg_perigee_deg, mean_anomaly_deg``. ``rejected``, ``duplicates``, ``files`` may
        be passed as keywords too. Unknown field names raise :class:`InputError`.
        """
        extra = {k: fields.pop(k) for k in ("rejected", "duplicates", "files") if k in fields}
        unknown = sorted(set(fields) - set(FIELDS))
        if unknown:
            raise InputError(f"unknown catalog field(s): {', '.join(unknown)}")
        missing = [k for k, (_, d) in FIELDS.items() if d is None and k not in fields]
        if missing:
            raise InputError(f"catalog needs field(s): {', '.join(missing)}")
        return cls(_complete(fields), **extra)

    @classmethod
    def concat(cls, catalogs) -> "Catalog":
        """Stack catalogs row-wise (no duplicate resolution); reports and file lists are joined."""
        catalogs = list(catalogs)
        if not catalogs:
            return cls.from_arrays(**{k: np.zeros(0, FIELDS[k][0]) for k, (_, d) in FIELDS.items() if d is None})
        fields = {k: np.concatenate([getattr(c, k) for c in catalogs]) for k in FIELDS}
        return cls(fields, [r for c in catalogs for r in c.rejected],
                   [r for c in catalogs for r in c.duplicates], [f for c in catalogs for f in c.files])

    # ------------------------------------------------------------------ container
    def __len__(self) -> int:
        return self._n

    def __getitem__(self, key) -> "Catalog":
        """``cat[i]``, ``cat[a:b]``, ``cat[bool_mask]``, ``cat[index_array]``: a new Catalog."""
        if isinstance(key, (int, np.integer)):
            if not -self._n <= key < self._n:
                raise IndexError(f"row {key} out of range for a catalog of {self._n}")
            key = [int(key)]
        elif not isinstance(key, slice):
            key = np.asarray(key)
            if key.size == 0 and key.dtype != bool:
                key = key.astype(np.int64)
            if key.dtype == bool and key.shape != (self._n,):
                raise IndexError(f"boolean mask of shape {key.shape} for a catalog of {self._n}")
        out = Catalog({k: getattr(self, k)[key] for k in FIELDS}, self.rejected, self.duplicates, self.files)
        if self._satrecs is not None:
            out._satrecs = list(np.asarray(self._satrecs, dtype=object)[key])
        return out

    def __repr__(self) -> str:
        return f"<Catalog: {self._n} objects from {len(self.files)} file(s), {len(self.rejected)} rejected>"

    def to_dict(self) -> dict:
        """The field arrays as a dict (the arrays themselves, not copies)."""
        return {k: getattr(self, k) for k in FIELDS}

    # ------------------------------------------------------------------ derived (WGS72)
    @property
    def semi_major_axis_km(self) -> np.ndarray:
        """Brouwer mean semi-major axis [km] as SGP4 initialises it (``Satrec.a * Re``, WGS72)."""
        return semi_major_axis_km(self.mean_motion_rev_per_day, self.eccentricity, self.inclination_deg)

    @property
    def perigee_km(self) -> np.ndarray:
        """Perigee altitude [km] over the WGS72 equatorial radius."""
        return self.semi_major_axis_km * (1.0 - self.eccentricity) - RE_KM

    @property
    def apogee_km(self) -> np.ndarray:
        """Apogee altitude [km] over the WGS72 equatorial radius."""
        return self.semi_major_axis_km * (1.0 + self.eccentricity) - RE_KM

    @property
    def epoch(self) -> np.ndarray:
        """Element-set epochs as ``datetime64[us]`` UTC."""
        from .timeutil import jd_to_datetime64

        return jd_to_datetime64(self.epoch_jd, self.epoch_fr)

    @property
    def regime(self) -> np.ndarray:
        """``LEO``/``MEO``/``GEO``/``HEO`` per object (boundaries in the module docstring); ``INVALID``
        for elements with no orbit (e >= 1 or n <= 0, possible only through ``from_arrays``)."""
        return _regime(self.perigee_km, self.apogee_km)

    # ------------------------------------------------------------------ sgp4
    def sgp4_elements(self) -> dict:
        """The exact ``sgp4init`` arguments of every row (see :func:`sgp4_elements`)."""
        return sgp4_elements(self)

    def satrecs(self) -> list:
        """``sgp4.api.Satrec`` per row (WGS72, improved mode), built on first call and cached.

        Initialised with ``sgp4init`` from the stored elements (the conversions of ``twoline2rv``);
        ``jdsatepoch``/``jdsatepochF`` are then set to this catalog's exact epoch pair.
        """
        if self._satrecs is None:
            self._satrecs = _make_satrecs(self)
        return self._satrecs

    # ------------------------------------------------------------------ selections
    def select_regime(self, *regimes: str) -> "Catalog":
        """Objects in the given regime(s): ``LEO``, ``MEO``, ``GEO``, ``HEO`` (see module docstring)."""
        want = {r.upper() for r in regimes}
        bad = want - {"LEO", "MEO", "GEO", "HEO"}
        if bad or not want:
            raise InputError(f"regime {sorted(bad) or '(none)'}: expected LEO, MEO, GEO or HEO")
        return self[np.isin(self.regime, list(want))]

    def select_altitude(self, min_km: float, max_km: float, *, crossing: bool = False) -> "Catalog":
        """Objects whose orbit lies within ``[min_km, max_km]`` (perigee >= min, apogee <= max).

        With ``crossing=True``: objects whose altitude range overlaps the band at some point
        (perigee <= max and apogee >= min).
        """
        if not (np.isfinite(min_km) and np.isfinite(max_km)) or min_km > max_km:
            raise InputError(f"altitude band {min_km!r}..{max_km!r} km: expected min <= max")
        p, a = self.perigee_km, self.apogee_km
        mask = (p <= max_km) & (a >= min_km) if crossing else (p >= min_km) & (a <= max_km)
        return self[mask]

    def select_type(self, *types: str) -> "Catalog":
        """Objects of the given type(s): ``PAYLOAD``, ``ROCKET BODY``, ``DEBRIS``, ``UNKNOWN``."""
        return self[np.isin(self.object_type, [t.upper() for t in types])]

    def select_owner(self, *owners: str) -> "Catalog":
        """Objects of the given SATCAT owner code(s), e.g. ``US``, ``PRC``, ``CIS``.

        Estimated owners count too; ``cat[~cat.owner_estimated]`` keeps the SATCAT's only.
        """
        return self[np.isin(self.owner, [o.upper() for o in owners])]

    def active_payloads(self) -> "Catalog":
        """Active payloads only (``is_active`` and object type ``PAYLOAD``)."""
        return self[self.is_active & (self.object_type == "PAYLOAD")]

    @property
    def has_activity(self) -> bool:
        """Whether the catalog says which objects are active (any row with ``is_active``)."""
        return bool(np.any(self.is_active))

    def exposed_assets(self, targets: str | None = None) -> tuple["Catalog", str | None]:
        """The objects whose exposure to debris is counted, and a one-line note on the choice.

        The one definition of "exposed assets" (screening secondaries and collision-risk targets of
        a scenario run, ``--targets`` of the CLI).

        Parameters
        ----------
        targets : {"active", "payloads", "all"} or None
            ``active``: active payloads (``is_active`` and type ``PAYLOAD``); ``payloads``: every
            payload; ``all``: every object. ``None`` (default): ``active`` when the catalog has
            activity information (:attr:`has_activity`), else ``payloads``, with a note saying so.

        Returns
        -------
        (Catalog, str or None)
            The subset, and the note (``None`` when nothing needs saying).

        Raises
        ------
        InputError
            An unknown ``targets``; ``active`` asked of a catalog without activity information; or
            no object in the chosen set.
        """
        where = ", ".join(Path(f).name for f in self.files) or "the catalog"
        note = None
        if targets is None:
            if self.has_activity:
                targets = "active"
            else:
                targets = "payloads"
                n_unknown = int(np.count_nonzero(self.object_type == "UNKNOWN"))
                unknown = (f"; {n_unknown:,} objects of unknown type (not in the SATCAT) are not counted"
                           if n_unknown else "")
                note = (f"{where} says nothing about which satellites are active: the exposed assets "
                        f"are its {int(np.count_nonzero(self.object_type == 'PAYLOAD')):,} payloads{unknown} "
                        "(choose with --targets active|payloads|all)")
        if targets not in TARGET_CHOICES:
            raise InputError(f"--targets: {targets!r}; expected one of {', '.join(TARGET_CHOICES)}")
        if targets == "active":
            if not self.has_activity:
                raise InputError(f"--targets active: {where} has no activity information (only CelesTrak's "
                                 "'active' group files mark active payloads); use --targets payloads or all")
            sub = self.active_payloads()
        elif targets == "payloads":
            sub = self.select_type("PAYLOAD")
        else:
            sub = self
        if len(sub) == 0:
            raise InputError(f"--targets {targets}: no such objects in {where}"
                             + ("; use --targets all" if targets != "all" else ""))
        return sub, note


def _complete(fields: dict, trusted: bool = False) -> dict:
    """Convert given fields to their dtypes and fill the missing ones with defaults.

    ``trusted``: the text columns are known to hold ``str`` only (the loaders'), so skip that check.
    """
    n = len(np.atleast_1d(fields["norad_id"]))
    out = {}
    for name, (dtype, default) in FIELDS.items():
        if name in fields:
            arr = np.atleast_1d(np.asarray(fields[name]))
            if dtype is object:
                if arr.dtype != object or not (trusted or all(type(v) is str for v in arr)):
                    arr = np.array(["" if v is None else str(v) for v in arr], dtype=object)
            else:
                arr = arr.astype(dtype, copy=False)
            if arr.shape != (n,):
                raise InputError(f"catalog field {name} has shape {arr.shape}, expected ({n},)")
        else:
            arr = np.full(n, default, dtype=dtype)
        out[name] = arr
    return out


def semi_major_axis_km(mean_motion_rev_per_day, eccentricity, inclination_deg) -> np.ndarray:
    """Brouwer mean semi-major axis [km] from Kozai mean motion, as SGP4's ``initl`` un-Kozais it
    (Hoots & Roehrich 1980, Spacetrack Report 3; Vallado et al. 2006), WGS72. NaN for e >= 1, n <= 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        no_kozai = np.asarray(mean_motion_rev_per_day, np.float64) * (2.0 * np.pi / 1440.0)  # rad/min
        e2 = np.asarray(eccentricity, np.float64) ** 2
        cosi = np.cos(np.radians(inclination_deg))
        ak = (_XKE / no_kozai) ** (2.0 / 3.0)
        d1 = 0.75 * J2 * (3.0 * cosi ** 2 - 1.0) / (np.sqrt(1.0 - e2) * (1.0 - e2))
        delta = d1 / ak ** 2
        adel = ak * (1.0 - delta ** 2 - delta * (1.0 / 3.0 + 134.0 * delta ** 2 / 81.0))
        no_unkozai = no_kozai / (1.0 + d1 / adel ** 2)
        return (_XKE / no_unkozai) ** (2.0 / 3.0) * RE_KM


_REGIME_NAMES = np.array(["LEO", "MEO", "GEO", "HEO", "INVALID"], dtype=object)


def _regime_codes(perigee_km, apogee_km) -> np.ndarray:
    """Index into ``_REGIME_NAMES`` per object (see the module docstring)."""
    b = REGIME_BOUNDS_KM
    out = np.full(len(perigee_km), 3, np.int8)
    out[apogee_km < b["LEO_MAX_APOGEE"]] = 0
    out[(perigee_km >= b["LEO_MAX_APOGEE"]) & (apogee_km < b["GEO_LOW"])] = 1
    out[(perigee_km >= b["GEO_LOW"]) & (apogee_km <= b["GEO_HIGH"])] = 2
    out[~(np.isfinite(perigee_km) & np.isfinite(apogee_km))] = 4  # e >= 1 or n <= 0
    return out


def _regime(perigee_km, apogee_km) -> np.ndarray:
    return _REGIME_NAMES[_regime_codes(perigee_km, apogee_km)]


# ---------------------------------------------------------------------------------------- loading
def _dedupe(fields: dict):
    """Keep the newest epoch of each id at the position of its first occurrence."""
    ids, n = fields["norad_id"], len(fields["norad_id"])
    if n == 0:
        return fields, []
    sorted_ids = np.sort(ids)
    if (sorted_ids[1:] != sorted_ids[:-1]).all():
        return fields, []
    idx = np.arange(n)
    order = np.lexsort((idx, -fields["epoch_fr"], -fields["epoch_jd"], ids))  # newest first per id
    sid = ids[order]
    start = np.r_[True, sid[1:] != sid[:-1]]
    best = order[start]                                  # newest row of each id
    first_pos = np.minimum.reduceat(idx[order], np.flatnonzero(start))
    keep = best[np.argsort(first_pos, kind="stable")]
    dropped = np.setdiff1d(idx, keep)
    best_of = dict(zip(sid[start].tolist(), best.tolist()))
    dups = []
    for i in dropped:
        k = best_of[int(ids[i])]
        dups.append(RejectedRecord(str(fields["source_file"][i]), int(fields["source_line"][i]),
                                   f"duplicate NORAD id {ids[i]}: an element set with a newer or equal epoch "
                                   f"is kept ({fields['source_file'][k]}:{fields['source_line'][k]})"))
    return {k: v[keep] for k, v in fields.items()}, dups


_FILE_CACHE: OrderedDict = OrderedDict()
_FILE_CACHE_SIZE = 16


def _read_cached(path: Path):
    """:func:`read_file` (non-strict), remembered per process by path, size and modification time.

    The cached columns are read-only; :func:`load` always builds new arrays from them.
    """
    if path.is_dir():
        raise InputError(f"{path} is a folder; pass the element-set files inside it")
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    hit = _FILE_CACHE.get(key)
    if hit is None:
        fields, bad = read_file(path)
        for arr in fields.values():
            arr.setflags(write=False)
        hit = _FILE_CACHE[key] = (fields, tuple(bad))
        while len(_FILE_CACHE) > _FILE_CACHE_SIZE:
            _FILE_CACHE.popitem(last=False)
    else:
        _FILE_CACHE.move_to_end(key)
    return hit[0], list(hit[1])


def clear_cache() -> None:
    """Forget the parsed files and SATCAT/UCS tables kept by this process (e.g. for benchmarks)."""
    _FILE_CACHE.clear()
    _satcat._read_satcat.cache_clear()
    _satcat._read_ucs.cache_clear()
    _satcat._ucs_medians.cache_clear()
    _satcat._owner_rules_cached.cache_clear()


def _is_active_file(name: str) -> bool:
    """CelesTrak's active-satellites group by file name: ``active`` as a word (not ``inactive``)."""
    return re.search(r"(?<![a-z])active", name.lower()) is not None


def load(*paths, strict: bool = False, active: bool | None = None,
         satcat=True, ucs=True) -> Catalog:
    """Load element sets from TLE/3LE, OMM CSV and OMM JSON files into one :class:`Catalog`.

    Parameters
    ----------
    *paths : str or Path
        Files, read in order; the format of each is recognised from its content.
    strict : bool
        Raise :class:`~orbitsim.errors.ParseError` (file and line) on the first bad record instead
        of reporting it in ``catalog.rejected``.
    active : bool, optional
        Mark the objects as active payloads. Default: objects from files whose name contains the
        word ``active`` (CelesTrak's "active" group, e.g. ``active.txt``, ``celestrak-active.csv``;
        not ``inactive``) are active payloads; others are not.
    satcat, ucs : bool or path
        Join the embedded SATCAT / UCS database (``True``), another file (a path) or none (``False``).

    Returns
    -------
    Catalog
        Objects in file order; for an id seen more than once the newest epoch is kept at the
        position of its first occurrence and the others are listed in ``catalog.duplicates``.

    Notes
    -----
    Parsed files are kept per process (keyed by path, size and modification time; 16 files), as
    are the SATCAT and UCS tables, so loading the same files again skips parsing. A changed file is
    read again. :func:`clear_cache` forgets them.
    """
    if not paths:
        raise InputError("no catalog files given")
    parts, rejected, files = [], [], []
    for p in paths:
        p = Path(p)
        fields, bad = _read_cached(p)
        if strict and bad:
            raise_first(bad, p.name)
        is_act = _is_active_file(p.name) if active is None else bool(active)
        parts.append(dict(fields, is_active=np.full(len(fields["norad_id"]), is_act)))
        rejected.extend(bad)
        files.append(p)
    keys = parts[0].keys()
    merged = {k: np.concatenate([np.asarray(part[k]) for part in parts]) for k in keys}
    merged, dups = _dedupe(merged)
    satcat_path = data.data_path(data.SATCAT_CSV) if satcat is True else satcat
    ucs_path = data.data_path(data.UCS_CSV) if ucs is True else ucs
    active_rows = merged.pop("is_active")
    a_km = semi_major_axis_km(merged["mean_motion_rev_per_day"], merged["eccentricity"], merged["inclination_deg"])
    regime = _regime_codes(a_km * (1 - merged["eccentricity"]) - RE_KM, a_km * (1 + merged["eccentricity"]) - RE_KM)
    merged = _satcat.enrich(merged, active_rows, regime, satcat_path, ucs_path)
    merged = physical.assign(merged)
    return Catalog(_complete(merged, trusted=True), rejected=rejected, duplicates=dups, files=files)


def require_records(cat: Catalog, what: str | None = None) -> Catalog:
    """Return ``cat`` if it holds element sets, else raise naming the file and first bad line.

    The one check of "a catalog file the user gave": ``catalog info``, ``screen``, ``decay``,
    ``simulate --catalog`` and ``sweep --catalog`` all say the same thing for the same file.
    """
    if len(cat):
        return cat
    where = what or ", ".join(str(f) for f in cat.files) or "the catalog"
    first = min(cat.rejected, key=lambda r: r.line) if cat.rejected else None
    detail = f" (first problem: {first})" if first is not None else ""
    raise InputError(f"no usable element sets in {where}{detail}; expected TLE/3LE, OMM CSV or OMM JSON")


def load_default() -> Catalog:
    """The embedded default catalog: CelesTrak active payloads (OMM, 2026-07) and the Fengyun-1C,
    Cosmos 2251, Iridium 33 and Cosmos 1408 debris groups (3LE, 2025-02), joined with SATCAT and UCS."""
    return load(*data.default_catalog_files())
