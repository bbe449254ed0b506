"""Conjunction screening: every close approach between primaries and secondaries over a window.

:func:`screen` finds, for each pair (primary, secondary), every local minimum of their distance
closer than ``threshold_km`` within ``[start, start + days]``: one row per encounter, a pair that
approaches twice gives two rows. Like CelesTrak's SOCRATES the defaults are 7 days and 5 km.

Stages
------
1. Apogee/perigee filter: secondaries whose radius range (mean elements, padded by
   ``threshold + 50 km`` for SGP4 short-period terms and drag) never meets the primaries' range
   are dropped.
2. SGP4 at nodes every ``node_step_s`` (chunks of nodes bound the memory), then the spatial-grid
   sieve of :mod:`orbitsim.core.screen` on Hermite-interpolated states every ``step_s``. Its
   padding argument (``threshold + v_rel,max step/2 + interpolation and curvature margins``)
   makes it miss nothing within the threshold.
3. Polishing: Newton iterations on the range rate with exact SGP4 states of both objects
   (``sgp4`` evaluations per object at the candidates' times) until the TCA moves by < 1e-4 s;
   the miss distance, relative speed and radial/in-track/cross-track miss are from those states.
4. Probability: Foster 2-D with the stated default covariance and hard-body radius of
   :mod:`orbitsim.risk`, and the maximum probability over covariance scale.

Times: ``start`` defaults to the latest element-set epoch among the primaries.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from . import risk
from .core import screen as _k
from .core._jit import get_threads
from .core.sgp4_init import C_ECCO, C_EPOCH_FR, C_EPOCH_JD, C_NO, XKE
from .errors import InputError, ResourceError
from .timeutil import datetime64_to_jd, jd_to_datetime64, jd_to_iso

#: WGS72 equatorial radius, km (docs/interfaces.md; sgp4.earth_gravity.wgs72).
RE_KM = 6378.135
#: Radial pad of the apogee/perigee filter beyond the threshold, km: covers the difference between
#: SGP4 mean-element perigee/apogee and osculating radius (J2 short-period terms, ~10 km in LEO)
#: and a week of drag decay.
APOGEE_PERIGEE_PAD_KM = 50.0
#: Grid cell edge over the query radius: 2 means each query visits 8 cells (1: up to 27).
GRID_CELL_FACTOR = 2.0
#: Memory budget of one chunk of node states, bytes.
CHUNK_BYTES = 256 * 2**20


# --------------------------------------------------------------------------------------------
# object sets
# --------------------------------------------------------------------------------------------

@dataclass
class ObjectSet:
    """What screening needs of a set of objects (struct of arrays): ids, attribution, sizes and the
    SGP4 coefficient table of :func:`orbitsim.propagation.coefficients`."""

    norad_id: np.ndarray
    coef: np.ndarray
    owner: np.ndarray
    is_active: np.ndarray
    size_m: np.ndarray
    name: np.ndarray
    files: list = field(default_factory=list)

    def __len__(self):
        return len(self.norad_id)

    @property
    def epoch_jd(self):
        return self.coef[:, C_EPOCH_JD] + self.coef[:, C_EPOCH_FR]

    def perigee_apogee_radius_km(self):
        """Perigee and apogee radius (km) of the SGP4 mean elements, and eccentricity."""
        a = (XKE / self.coef[:, C_NO]) ** (2.0 / 3.0) * RE_KM
        e = self.coef[:, C_ECCO]
        return a * (1 - e), a * (1 + e), e


def _finite_elements(obj) -> np.ndarray:
    if isinstance(obj, (list, tuple)):
        names = ("no_kozai", "ecco", "inclo", "nodeo", "argpo", "mo", "bstar", "jdsatepoch")
        return np.array([all(np.isfinite(getattr(s, n)) for n in names) for s in obj], bool)
    names = ("epoch_jd", "epoch_fr", "mean_motion_rev_per_day", "eccentricity", "inclination_deg",
             "raan_deg", "arg_perigee_deg", "mean_anomaly_deg", "bstar_per_earth_radii")
    ok = np.ones(len(obj.norad_id), bool)
    for n in names:
        ok &= np.isfinite(np.asarray(getattr(obj, n), float))
    return ok


def as_objects(obj, what="primaries") -> ObjectSet:
    """Turn a Catalog (docs/interfaces.md), an :class:`ObjectSet` or a list of ``sgp4`` Satrec
    into an :class:`ObjectSet`.

    Raises
    ------
    InputError
        If the set is empty or an element set holds NaN.
    """
    from .propagation import coefficients

    if isinstance(obj, ObjectSet):
        out = obj
    else:
        is_list = isinstance(obj, (list, tuple))
        n = len(obj) if is_list else len(obj.norad_id)
        if n == 0:
            raise InputError(f"{what}: the set is empty; nothing to screen")
        fin = _finite_elements(obj)
        if not np.all(fin):
            ids = (np.array([s.satnum for s in obj]) if is_list else np.asarray(obj.norad_id))[~fin]
            raise InputError(f"{what}: element sets with NaN values (NORAD {ids[:5].tolist()})")
        coef = coefficients(list(obj) if is_list else obj)
        if is_list:
            out = ObjectSet(np.array([s.satnum for s in obj], np.int64), coef, np.full(n, "", object),
                            np.zeros(n, bool), np.full(n, np.nan), np.full(n, "", object))
        else:
            out = ObjectSet(np.asarray(obj.norad_id, np.int64), coef,
                            np.asarray(getattr(obj, "owner", np.full(n, "")), object),
                            np.asarray(getattr(obj, "is_active", np.zeros(n, bool)), bool),
                            np.asarray(getattr(obj, "size_m", np.full(n, np.nan)), float),
                            np.asarray(getattr(obj, "name", np.full(n, "")), object),
                            list(getattr(obj, "files", []) or []))
    if len(out) == 0:
        raise InputError(f"{what}: the set is empty; nothing to screen")
    return out


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------

@dataclass
class Conjunctions:
    """Close approaches, one row per encounter (struct of arrays).

    Fields: ``primary_id``, ``secondary_id`` (int64 NORAD ids), ``tca_jd``, ``tca_fr`` (UTC),
    ``miss_km``, ``rel_speed_km_s``, ``radial_km``, ``in_track_km``, ``cross_track_km`` (secondary
    relative to primary in the primary's RIC frame), ``pc`` (Foster 2-D, default covariance),
    ``pc_max`` (maximum over covariance scale), ``hbr_km``, ``primary_owner``,
    ``secondary_owner``, ``secondary_is_active``, ``secondary_name``. ``parameters`` records the
    screening inputs.
    """

    primary_id: np.ndarray
    secondary_id: np.ndarray
    tca_jd: np.ndarray
    tca_fr: np.ndarray
    miss_km: np.ndarray
    rel_speed_km_s: np.ndarray
    radial_km: np.ndarray
    in_track_km: np.ndarray
    cross_track_km: np.ndarray
    pc: np.ndarray
    pc_max: np.ndarray
    hbr_km: np.ndarray
    primary_owner: np.ndarray
    secondary_owner: np.ndarray
    secondary_is_active: np.ndarray
    secondary_name: np.ndarray
    parameters: dict = field(default_factory=dict)
    inputs: list = field(default_factory=list)
    timings_s: dict = field(default_factory=dict)

    _ARRAYS = ("primary_id", "secondary_id", "tca_jd", "tca_fr", "miss_km", "rel_speed_km_s",
               "radial_km", "in_track_km", "cross_track_km", "pc", "pc_max", "hbr_km",
               "primary_owner", "secondary_owner", "secondary_is_active", "secondary_name")

    def __len__(self):
        return len(self.primary_id)

    @property
    def is_active(self):
        """Alias of ``secondary_is_active`` (docs/interfaces.md)."""
        return self.secondary_is_active

    @property
    def tca(self):
        """TCA as ``datetime64[us]`` UTC."""
        return jd_to_datetime64(self.tca_jd, self.tca_fr)

    def __getitem__(self, idx):
        return Conjunctions(**{k: getattr(self, k)[idx] for k in self._ARRAYS},
                            parameters=dict(self.parameters), inputs=list(self.inputs))

    def columns(self) -> dict:
        """The output table: contract columns first, then the extra ones."""
        return {
            "primary_id": self.primary_id,
            "secondary_id": self.secondary_id,
            "tca_utc": jd_to_iso(self.tca_jd, self.tca_fr) if len(self) else np.array([], str),
            "miss_km": self.miss_km,
            "rel_speed_km_s": self.rel_speed_km_s,
            "pc": self.pc,
            "pc_max": self.pc_max,
            "radial_km": self.radial_km,
            "in_track_km": self.in_track_km,
            "cross_track_km": self.cross_track_km,
            "hbr_km": self.hbr_km,
            "primary_owner": self.primary_owner,
            "secondary_owner": self.secondary_owner,
            "secondary_active": self.secondary_is_active,
            "secondary_name": self.secondary_name,
        }

    def to_csv(self, path, *, force: bool = True, command: str | None = None):
        """Write the table as CSV (full-precision floats) with a provenance sidecar JSON."""
        from .io import write_csv

        return write_csv(path, self.columns(), self._provenance(command), force=force)

    def _provenance(self, command=None):
        from .provenance import provenance

        return provenance(inputs=[p for p in self.inputs if p], epoch=self.parameters.get("start_utc"),
                          parameters=self.parameters, command=command or "orbitsim.screening.screen")

    def to_ecsv(self, path, *, force: bool = True, command: str | None = None):
        """Write the table as ECSV (astropy), provenance in the header's ``meta``."""
        from .io import atomic_write
        from .report.tables import to_ecsv

        text = to_ecsv(self.columns(), self._provenance(command))
        with atomic_write(path, "w", force=force) as fh:
            fh.write(text)
        return path

    def to_cdm(self, path, *, originator: str = "ORBITSIM", force: bool = True):
        """Write CCSDS CDM-style (508.0-B-1 KVN keywords) records, one per encounter, in one file.

        Only the relative-metadata and object-identification keywords screening knows are filled
        (no covariance blocks: element sets have none; the stated default is in the comment).
        """
        from .io import atomic_write

        now = np.datetime_as_string(np.datetime64("now", "ms"), unit="ms")
        tcas = jd_to_iso(self.tca_jd, self.tca_fr) if len(self) else []
        with atomic_write(path, "w", force=force) as fh:
            for k in range(len(self)):
                fh.write("CCSDS_CDM_VERS = 1.0\n")
                fh.write(f"CREATION_DATE = {now}\n")
                fh.write(f"ORIGINATOR = {originator}\n")
                fh.write(f"MESSAGE_ID = {originator}_{self.primary_id[k]}_{self.secondary_id[k]}_{k}\n")
                fh.write(f"TCA = {str(tcas[k]).rstrip('Z')}\n")
                fh.write(f"MISS_DISTANCE = {self.miss_km[k] * 1000.0:.3f} [m]\n")
                fh.write(f"RELATIVE_SPEED = {self.rel_speed_km_s[k] * 1000.0:.3f} [m/s]\n")
                fh.write(f"RELATIVE_POSITION_R = {self.radial_km[k] * 1000.0:.3f} [m]\n")
                fh.write(f"RELATIVE_POSITION_T = {self.in_track_km[k] * 1000.0:.3f} [m]\n")
                fh.write(f"RELATIVE_POSITION_N = {self.cross_track_km[k] * 1000.0:.3f} [m]\n")
                fh.write(f"COLLISION_PROBABILITY = {self.pc[k]:.6e}\n")
                fh.write("COLLISION_PROBABILITY_METHOD = FOSTER-1992\n")
                fh.write("COMMENT default covariance RIC 1-sigma "
                         f"{'/'.join(str(s) for s in self.parameters.get('sigma_ric_km', []))} km\n")
                for obj, oid, own in (("OBJECT1", self.primary_id[k], self.primary_owner[k]),
                                      ("OBJECT2", self.secondary_id[k], self.secondary_owner[k])):
                    fh.write(f"OBJECT = {obj}\n")
                    fh.write(f"OBJECT_DESIGNATOR = {oid}\n")
                    fh.write("CATALOG_NAME = SATCAT\n")
                    fh.write(f"OPERATOR_ORGANIZATION = {own or 'UNKNOWN'}\n")
                    fh.write("REF_FRAME = TEME\n")
                fh.write("\n")
        return path

    def by_owner(self) -> dict:
        """Encounters and summed Pc per secondary owner: ``{owner: {"encounters", "active",
        "pc_sum"}}``."""
        out = {}
        for own in np.unique(self.secondary_owner.astype(str)) if len(self) else []:
            m = self.secondary_owner.astype(str) == own
            out[str(own)] = {"encounters": int(m.sum()),
                             "active": int(np.sum(m & self.secondary_is_active)),
                             "pc_sum": float(np.sum(self.pc[m]))}
        return out


# --------------------------------------------------------------------------------------------
# screening
# --------------------------------------------------------------------------------------------

def _start_jd(start, prim: ObjectSet):
    if start is None:
        k = int(np.argmax(prim.epoch_jd))
        return float(prim.coef[k, C_EPOCH_JD]), float(prim.coef[k, C_EPOCH_FR])
    if isinstance(start, tuple):
        return float(start[0]), float(start[1])
    if isinstance(start, str):
        from .timeutil import parse_iso

        start = parse_iso(start, "start")
    jd, fr = datetime64_to_jd(np.datetime64(start, "us"))
    return float(jd), float(fr)


def screen(primaries, secondaries=None, start=None, days: float = 7.0, threshold_km: float = 5.0, *,
           all_vs_all: bool = False, step_s: float = 20.0, node_step_s: float = 240.0,
           sigma_ric_km=risk.DEFAULT_SIGMA_RIC_KM, with_pc_max: bool = True,
           progress: bool | None = None) -> Conjunctions:
    """Screen primaries against secondaries (or all against all) for close approaches.

    Parameters
    ----------
    primaries : Catalog or list of sgp4.api.Satrec
        The objects of interest (e.g. a fragment cloud exported as element sets).
    secondaries : Catalog or list of Satrec, optional
        ``None``: the embedded catalog (:func:`orbitsim.catalog.load_default`). Ignored with
        ``all_vs_all`` (the primaries are screened against themselves).
    start : str, numpy.datetime64 or (jd, fr), optional
        Start of the window, UTC. Default: the latest element-set epoch among the primaries.
    days : float
        Window length, days (> 0).
    threshold_km : float
        Report encounters with miss distance at most this, km (> 0).
    all_vs_all : bool
        Screen the primaries against each other (each pair once).
    step_s, node_step_s : float
        Sieve step and SGP4 node spacing, s (``node_step_s`` is rounded to a multiple of
        ``step_s``). The defaults keep the Hermite error near 0.2 km in LEO.
    sigma_ric_km : 3 floats
        Default radial / in-track / cross-track 1-sigma of each object, km (stated assumption).
    with_pc_max : bool
        Also compute the maximum probability over covariance scale.

    Returns
    -------
    Conjunctions

    Raises
    ------
    InputError
        Empty sets, ``days <= 0``, ``threshold_km <= 0``, NaN element sets or start time.
    """
    days = float(days)
    threshold_km = float(threshold_km)
    if not np.isfinite(days) or days <= 0:
        raise InputError(f"days: {days!r}; the window must be a positive number of days")
    if not np.isfinite(threshold_km) or threshold_km <= 0:
        raise InputError(f"threshold_km: {threshold_km!r}; expected a positive distance in km")
    if not (np.isfinite(step_s) and step_s > 0 and np.isfinite(node_step_s) and node_step_s > 0):
        raise InputError("step_s and node_step_s must be positive numbers of seconds")
    prim = as_objects(primaries, "primaries")
    if all_vs_all:
        sec = prim
    else:
        if secondaries is None:
            from .catalog import load_default

            secondaries = load_default()
        sec = as_objects(secondaries, "secondaries")
    jd0, fr0 = _start_jd(start, prim)
    if not (np.isfinite(jd0) and np.isfinite(fr0)):
        raise InputError("start: not a finite time")
    window_s = days * 86400.0

    m_sub = max(1, int(round(node_step_s / step_s)))
    h_s = m_sub * float(step_s)

    # 1. apogee/perigee filter
    q_p, a_p, e_p = prim.perigee_apogee_radius_km()
    radial_pad = threshold_km + APOGEE_PERIGEE_PAD_KM
    if all_vs_all:
        objs = prim
        n_prim = len(prim)
        sec_lo = 0
        sec_keep = np.arange(len(prim))
    else:
        q_s, a_s, _ = sec.perigee_apogee_radius_km()
        lo = np.min(q_p) - radial_pad
        hi = np.max(a_p) + radial_pad
        sec_keep = np.flatnonzero((a_s >= lo) & (q_s <= hi))
        n_prim = len(prim)
        sec_lo = n_prim
    coef = prim.coef if all_vs_all else np.concatenate([prim.coef, sec.coef[sec_keep]])
    coef = np.ascontiguousarray(coef)
    ids = np.concatenate([prim.norad_id, [] if all_vs_all else sec.norad_id[sec_keep]]).astype(np.int64)
    n_obj = len(ids)
    q_all = (XKE / coef[:, C_NO]) ** (2.0 / 3.0) * RE_KM * (1 - coef[:, C_ECCO])
    e_all = coef[:, C_ECCO]
    q_all = np.maximum(q_all, RE_KM)
    eps = np.array([_k.hermite_error_bound_km(q, e, h_s) for q, e in zip(q_all, e_all)])
    epsv = eps * 8.0 / h_s

    # 2. chunks of nodes
    n_int = int(math.ceil(window_s / h_s - 1e-12))
    nodes_per_chunk = max(2, int(CHUNK_BYTES // max(1, n_obj * 48)))
    threads = max(1, get_threads())
    cand_i, cand_j, cand_t = [], [], []
    n_cand_raw = 0
    timings = {"propagate": 0.0, "sieve": 0.0, "polish": 0.0, "pc": 0.0}
    from .progress import progress as _progress

    # time (s from the start) of each object's first failed node; later nodes count as failed too
    fail_s = np.full(n_obj, np.inf)
    pad_max_km = 0.0
    chunk_starts = list(range(0, n_int, nodes_per_chunk - 1))
    for c0 in _progress(chunk_starts, desc="screening", enabled=progress):
        c1 = min(n_int, c0 + nodes_per_chunk - 1)  # last node index of this chunk
        t_nodes = np.arange(c0, c1 + 1) * h_s
        n_t = len(t_nodes)
        RT = np.empty((n_t, n_obj, 3))
        VT = np.empty((n_t, n_obj, 3))
        stats = np.empty((n_obj, 3))
        t_a = time.perf_counter()
        _k.propagate_time_major(coef, np.full(n_t, jd0), fr0 + t_nodes / 86400.0, t_nodes, fail_s, RT,
                                VT, stats)
        timings["propagate"] += time.perf_counter() - t_a
        with np.errstate(invalid="ignore"):
            if not (np.any(np.isfinite(stats[:n_prim, 0])) and np.any(np.isfinite(stats[sec_lo:, 0]))):
                continue
            vp = np.nanmax(stats[:n_prim, 0])
            vs = np.nanmax(stats[sec_lo:, 0])
            r_min = np.nanmin(stats[:, 1])
            r_max_p = np.nanmax(stats[:n_prim if not all_vs_all else n_obj, 2])
        vrel_max = (vp + vs) * 1.02 + 0.1
        half = 0.5 * step_s
        eps_max = float(np.max(eps)) if n_obj else 0.0
        base_pad = threshold_km + vrel_max * half + 2 * eps_max + 2 * float(np.max(epsv)) * half
        accel = 3.0 * _k.MU_KM3_S2 / min(r_min, RE_KM) ** 3 * (base_pad * 1.5)
        pad = base_pad + 0.5 * accel * half * half
        pad_max_km = max(pad_max_km, pad)
        box = r_max_p + pad + 1.0
        cell = pad * GRID_CELL_FACTOR
        nx = int(math.ceil(2 * box / cell))
        n_blocks = min(max(1, threads * 2), c1 - c0)
        cap = 4096
        t_a = time.perf_counter()
        while True:
            oi = np.empty((n_blocks, cap), np.int64)
            oj = np.empty((n_blocks, cap), np.int64)
            ot = np.empty((n_blocks, cap))
            od = np.empty((n_blocks, cap))
            counts = _k.sieve_many(RT, VT, h_s, m_sub, n_blocks, n_prim, sec_lo, all_vs_all, ids, eps,
                                   epsv, threshold_km, pad, accel, box, cell, nx, oi, oj, ot, od)
            if counts.max() <= cap:
                break
            cap = int(counts.max() * 1.2) + 16
            if cap * n_blocks * 32 > 4 * 2**30:
                raise ResourceError("screening: more than ~100 M candidate encounters in one chunk; "
                                    "lower the threshold or the window")
        timings["sieve"] += time.perf_counter() - t_a
        for b in range(n_blocks):
            cand_i.append(oi[b, :counts[b]])
            cand_j.append(oj[b, :counts[b]])
            cand_t.append(ot[b, :counts[b]] + c0 * h_s)
            n_cand_raw += int(counts[b])

    ci = np.concatenate(cand_i) if cand_i else np.zeros(0, np.int64)
    cj = np.concatenate(cand_j) if cand_j else np.zeros(0, np.int64)
    ct = np.concatenate(cand_t) if cand_t else np.zeros(0)

    # 3. polish with exact SGP4 (Newton on the range rate)
    t = ct.copy()
    n_c = len(t)
    r1, v1, r2, v2 = (np.full((n_c, 3), np.nan) for _ in range(4))
    ok = np.zeros(n_c, bool)
    t_a = time.perf_counter()
    if n_c:
        _k.polish_many(coef, ci, cj, jd0, fr0, t, step_s, 1e-5, 12, r1, v1, r2, v2, ok)
    timings["polish"] = time.perf_counter() - t_a
    dr = r2 - r1
    miss = np.linalg.norm(dr, axis=1)
    # nothing at or beyond an object's first failed node (no encounter across a failure: the sieve
    # only uses intervals between valid nodes, and the polish must not step past the last one)
    last_valid_s = fail_s - h_s
    keep = ok & (miss <= threshold_km) & (t >= 0.0) & (t <= window_s)
    if n_c:
        keep &= (t <= last_valid_s[ci]) & (t <= last_valid_s[cj])
    # the same minimum reached from two candidates (rare): keep one per pair within 1 s
    idx = np.flatnonzero(keep)
    if len(idx):
        order = idx[np.lexsort((t[idx], cj[idx], ci[idx]))]
        same = np.zeros(len(order), bool)
        same[1:] = (ci[order][1:] == ci[order][:-1]) & (cj[order][1:] == cj[order][:-1]) & (
            np.diff(t[order]) < 1.0)
        idx = order[~same]
        idx = idx[np.lexsort((cj[idx], ci[idx], t[idx]))]
    ci, cj, t = ci[idx], cj[idx], t[idx]
    r1, v1, r2, v2, dr, miss = r1[idx], v1[idx], r2[idx], v2[idx], dr[idx], miss[idx]
    rel_speed = np.linalg.norm(v2 - v1, axis=1)
    basis = risk.ric_basis(r1, v1) if len(idx) else np.zeros((0, 3, 3))
    ric = np.einsum("nij,nj->ni", basis, dr)

    # attribution
    p_rows = ci
    if all_vs_all:
        s_rows = cj
        sec_objs = prim
    else:
        s_rows = sec_keep[cj - n_prim]
        sec_objs = sec
    hbr = risk.hard_body_radius_km(prim.size_m[p_rows], sec_objs.size_m[s_rows])
    t_a = time.perf_counter()
    pc, pcm = risk.pc_encounters(r1, v1, r2, v2, hbr, sigma_ric_km, with_max=with_pc_max)
    timings["pc"] = time.perf_counter() - t_a

    tca_fr_total = fr0 + t / 86400.0
    whole = np.floor(tca_fr_total)
    params = {
        "start_utc": str(jd_to_iso(jd0, fr0)),
        "days": days,
        "threshold_km": threshold_km,
        "all_vs_all": bool(all_vs_all),
        "step_s": float(step_s),
        "node_step_s": float(h_s),
        "sigma_ric_km": [float(s) for s in sigma_ric_km],
        "default_size_m": risk.DEFAULT_SIZE_M,
        "n_primaries": len(prim),
        "n_secondaries": len(sec),
        "n_secondaries_after_apogee_perigee_filter": int(len(sec_keep)),
        "n_sieve_candidates": int(n_cand_raw),
        "sieve_query_radius_km": float(pad_max_km),
    }
    inputs = list(prim.files) + ([] if all_vs_all else list(sec.files))
    return Conjunctions(
        primary_id=prim.norad_id[p_rows].astype(np.int64),
        secondary_id=sec_objs.norad_id[s_rows].astype(np.int64),
        tca_jd=np.full(len(t), jd0) + whole,
        tca_fr=tca_fr_total - whole,
        miss_km=miss,
        rel_speed_km_s=rel_speed,
        radial_km=ric[:, 0],
        in_track_km=ric[:, 1],
        cross_track_km=ric[:, 2],
        pc=pc,
        pc_max=pcm,
        hbr_km=np.asarray(hbr, float),
        primary_owner=prim.owner[p_rows].astype(object),
        secondary_owner=sec_objs.owner[s_rows].astype(object),
        secondary_is_active=sec_objs.is_active[s_rows].astype(bool),
        secondary_name=sec_objs.name[s_rows].astype(object),
        parameters=params,
        inputs=inputs,
        timings_s=timings,
    )
