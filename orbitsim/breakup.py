"""Fragment clouds of collisions and explosions: the NASA Standard Breakup Model with units.

:func:`collision` and :func:`explosion` check their inputs, apply the model of Johnson et al. (2001,
"NASA's new breakup model of EVOLVE 4.0", Adv. Space Res. 28(9)) with the corrections of Krisko
(2011, "Proper implementation of the 1998 NASA breakup model", Orbital Debris Quarterly News 15(4))
and return a :class:`FragmentCloud` (struct of arrays). The sampling kernels are in
:mod:`orbitsim.core.sbm`.

Model choices (each one a parameter)
------------------------------------
- Counts: collision N(>=Lc) = 0.1 M^0.75 Lc^-1.71, catastrophic when EMR = 0.5 m_p v^2 / M_t
  >= 40 J/g (m_p the lighter, M_t the heavier body), M = M_t + m_p if catastrophic, else m_p v^2
  with v in km/s (Krisko 2011's v^2, not the 2001 paper's misprinted v). Explosion N = 6 S Lc^-1.6.
  The number of fragments in [min_size, upper size] is Poisson with the power law's mean; sizes are
  drawn by inverse transform of the power law truncated to that range.
- A/M above 11 cm (``am_large``): ``"mixture"`` (default) reads the paper's bimodal density
  alpha N(mu1, sigma1) + (1 - alpha) N(mu2, sigma2) as a two-component mixture; ``"blend"`` is the
  reading of several reference codes, chi = alpha X1 + (1 - alpha) X2 (a single normal).
- 8-11 cm bridge (``bridge``): ``"sample_blend"`` (default) blends one small-law and one large-law
  sample linearly in Lc; ``"law_mixture"`` picks the large law with probability (Lc - 8 cm) / 3 cm;
  ``"switch"`` uses the small law below 9.5 cm and the large law above.
- Ejection speed: log10(dv [m/s]) ~ N(mu, 0.4), mu = 0.9 chi + 2.9 (collision) or 0.2 chi + 1.85
  (explosion), isotropic direction; a fragment's state is its parent's state plus dv.
- Re-entry and escape: fragments whose new orbit is hyperbolic, or whose two-body perigee altitude
  is below ``reentry_altitude_km`` (default 100 km, the Karman line), are dropped and counted
  (``n_hyperbolic``, ``n_reentered``). Without a parent state nothing is dropped and the states are NaN.

Mass budget (``mass_budget``)
-----------------------------
``"krisko2011"`` (default). Fragments are deposited from the smallest size upward until the budget
is reached: the parents' total mass for catastrophic collisions and explosions, M = m_p v^2 (at most
the total) for non-catastrophic collisions. Fragments below ``min_size`` (down to 1 mm) are not
drawn but their expected mass is counted in the budget. For catastrophic collisions and explosions
the power law is sampled up to 1 m (or the parent size if smaller); if the budget is not exhausted,
the rest of the mass goes to "several large fragments" in the last bin: their number is Poisson
with the power law's mean between 1 m and the parent size (at least one), their sizes are drawn
from the power law there, their masses are drawn from the A/M law and scaled together to the rest
(their A/M is then area / mass; their dv was drawn with the A/M before scaling). If the small
fragments exceed the budget, the largest of them are removed until they fit; the rest (less than
one fragment's mass) is reported as ``unassigned_mass_kg``. For non-catastrophic collisions the
rest of both bodies' mass is one cratered-target remnant (the heavier body's size, no dv).
``"none"``: the model as printed: no budget and no remnants (the fragments' mass may exceed the
parents').

No implementation of the model conserves momentum or energy; as published (``momentum=None``)
neither does this one. :class:`MomentumOptions` adds what a kinetic kill needs: the fragments
start from the centre-of-mass velocity of target and interceptor (total momentum conserved up to
the zero-mean SBM ejection), optional ejection biased along the impact axis, and the event
calibration factors (count and ejection-speed scale) of :mod:`orbitsim.calibration`.

Each fragment belongs to one parent (``parent`` indexes ``parents``: 0 the target, 1 the projectile):
in catastrophic collisions with probability proportional to mass, in non-catastrophic ones the
projectile contributes its own mass and the heavier body the rest of the ejecta. The budget is
enforced on the total; each parent's share holds in expectation, not cloud by cloud. A fragment's
state is its own parent's position and velocity plus its dv (a projectile without a state shares
the target's).
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from . import provenance as _prov
from . import timeutil
from .core import sbm
from .errors import InputError, ResourceError
from .io import atomic_write, write_csv

__all__ = [
    "Parent", "FragmentCloud", "MomentumOptions", "collision", "explosion", "energy_to_mass_ratio_j_per_g",
    "collision_count", "explosion_count", "characteristic_length_m",
    "DEFAULT_MAX_FRAGMENTS", "DEFAULT_REENTRY_ALTITUDE_KM", "CATASTROPHIC_EMR_J_PER_G",
]

#: Catastrophic threshold on the energy-to-mass ratio (Johnson et al. 2001, sec. 3.1).
CATASTROPHIC_EMR_J_PER_G = 40.0
#: Default budget: a request whose expected fragment count exceeds it fails before any work.
DEFAULT_MAX_FRAGMENTS = 50_000_000
#: Default re-entry altitude [km] for dropping fragments at once (the Karman line; our choice).
DEFAULT_REENTRY_ALTITUDE_KM = 100.0
#: Krisko 2011: fragments are deposited from 1 mm; the last bin (large fragments) starts at 1 m.
MASS_BUDGET_FLOOR_M = 0.001
LARGE_FRAGMENT_LC_M = 1.0
#: Speeds above this [km/s] are taken for a unit mistake (m/s given for km/s).
MAX_PLAUSIBLE_SPEED_KM_S = 100.0

_BRIDGES = {"sample_blend": sbm.BRIDGE_SAMPLE_BLEND, "law_mixture": sbm.BRIDGE_LAW_MIXTURE,
            "switch": sbm.BRIDGE_SWITCH}
_LARGE = {"mixture": sbm.LARGE_MIXTURE, "blend": sbm.LARGE_BLEND}
_POLICIES = ("krisko2011", "none")
_TYPES = {"spacecraft": "spacecraft", "payload": "spacecraft", "debris": "spacecraft",
          "unknown": "spacecraft", "rocket_body": "rocket_body", "rocket body": "rocket_body",
          "rocket-body": "rocket_body", "rb": "rocket_body", "sc": "spacecraft"}
_THRESHOLDS_M = (("1mm", 0.001), ("1cm", 0.01), ("10cm", 0.1))


# ------------------------------------------------------------------------------------------------
# scalar model relations
# ------------------------------------------------------------------------------------------------
def characteristic_length_m(mass_kg: float) -> float:
    """Characteristic length [m] of an intact body of ``mass_kg`` [kg] (see :func:`sbm.lc_from_mass`)."""
    return (6.0 * float(mass_kg) / (92.937 * math.pi)) ** (1.0 / 2.26)


def energy_to_mass_ratio_j_per_g(mass1_kg: float, mass2_kg: float, speed_km_s: float) -> float:
    """EMR = 0.5 m_p v^2 / M_t [J/g]: m_p the lighter, M_t the heavier body, v the impact speed."""
    m_p, m_t = sorted((float(mass1_kg), float(mass2_kg)))
    return 0.5 * m_p * (speed_km_s * 1e3) ** 2 / (m_t * 1e3)


def collision_count(lc_m, mass1_kg: float, mass2_kg: float, speed_km_s: float):
    """Expected number of collision fragments of size >= ``lc_m`` (untruncated power law)."""
    m_p, m_t = sorted((float(mass1_kg), float(mass2_kg)))
    catastrophic = energy_to_mass_ratio_j_per_g(m_p, m_t, speed_km_s) >= CATASTROPHIC_EMR_J_PER_G
    m_ref = m_t + m_p if catastrophic else m_p * speed_km_s ** 2
    return 0.1 * m_ref ** 0.75 * np.asarray(lc_m, dtype=float) ** -sbm.COLLISION_EXPONENT


def explosion_count(lc_m, scaling: float = 1.0):
    """Expected number of explosion fragments of size >= ``lc_m`` (untruncated power law)."""
    return 6.0 * scaling * np.asarray(lc_m, dtype=float) ** -sbm.EXPLOSION_EXPONENT


# ------------------------------------------------------------------------------------------------
# parents
# ------------------------------------------------------------------------------------------------
def _positive(value, name: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}: {value!r} is not a number") from None
    if not math.isfinite(x) or x <= 0.0:
        raise InputError(f"{name}: must be a positive finite number, got {value!r}")
    return x


def _vector(value, name: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InputError(f"{name}: {value!r} is not a 3-vector of numbers") from None
    if arr.shape != (3,) or not np.all(np.isfinite(arr)):
        raise InputError(f"{name}: expected 3 finite numbers, got {value!r}")
    return arr


def _object_type(value, name: str = "object_type") -> str:
    key = str(value).strip().lower()
    if key not in _TYPES:
        raise InputError(f"{name}: {value!r} is not one of spacecraft, rocket_body "
                         "(or a catalog type PAYLOAD, ROCKET BODY, DEBRIS, UNKNOWN)")
    return _TYPES[key]


@dataclass
class Parent:
    """One body that breaks up: a plain description, optionally with its TEME state.

    Parameters
    ----------
    mass_kg : float
        Mass [kg], positive.
    lc_m : float, optional
        Characteristic length [m]; default from the mass (:func:`characteristic_length_m`).
    object_type : str
        ``"spacecraft"`` or ``"rocket_body"`` (catalog types ``PAYLOAD``, ``ROCKET BODY``,
        ``DEBRIS``, ``UNKNOWN`` are accepted; all but rocket bodies use the spacecraft law).
    r_km, v_km_s : array-like (3,), optional
        TEME position [km] and velocity [km/s] at the event epoch. Both or neither.
    name, owner : str
        Free text and SATCAT owner code, carried into ``FragmentCloud.parents``.
    norad_id : int, optional
        Catalog number, if the body is catalogued.
    """

    mass_kg: float
    lc_m: float | None = None
    object_type: str = "spacecraft"
    r_km: Any = None
    v_km_s: Any = None
    name: str = ""
    owner: str = ""
    norad_id: int | None = None

    def __post_init__(self):
        label = f"parent {self.name!r}" if self.name else "parent"
        self.mass_kg = _positive(self.mass_kg, f"{label} mass_kg")
        if self.lc_m is None or (isinstance(self.lc_m, float) and math.isnan(self.lc_m)):
            self.lc_m = characteristic_length_m(self.mass_kg)
        else:
            self.lc_m = _positive(self.lc_m, f"{label} lc_m")
        self.object_type = _object_type(self.object_type, f"{label} object_type")
        if (self.r_km is None) != (self.v_km_s is None):
            raise InputError(f"{label}: give both r_km and v_km_s (TEME), or neither")
        if self.r_km is not None:
            self.r_km = _vector(self.r_km, f"{label} r_km")
            self.v_km_s = _vector(self.v_km_s, f"{label} v_km_s")
            r = float(np.linalg.norm(self.r_km))
            v = float(np.linalg.norm(self.v_km_s))
            if not sbm.RE_KM * 0.99 <= r <= 1e6:
                raise InputError(f"{label} r_km: |r| = {r:.6g} km is not a position above the "
                                 "Earth's surface (give km, not m)")
            if v > 20.0:
                raise InputError(f"{label} v_km_s: |v| = {v:.6g} km/s is not an orbital speed "
                                 "(give km/s, not m/s)")
        if self.norad_id is not None:
            self.norad_id = int(self.norad_id)

    @property
    def has_state(self) -> bool:
        return self.r_km is not None

    @classmethod
    def from_catalog(cls, catalog, index: int = 0, epoch=None) -> "Parent":
        """Build a parent from row ``index`` of an :class:`orbitsim.catalog.Catalog`.

        The state is the SGP4 TEME state at ``epoch`` (default: the element-set epoch). Mass and
        size come from the catalog (``mass_kg``, ``size_m``); the size defaults to the model's
        mass-size relation when missing.
        """
        i = int(index)
        mass = float(np.asarray(catalog.mass_kg)[i])
        size = float(np.asarray(catalog.size_m)[i]) if hasattr(catalog, "size_m") else float("nan")
        sat = catalog.satrecs()[i]
        if epoch is None:
            jd, fr = float(np.asarray(catalog.epoch_jd)[i]), float(np.asarray(catalog.epoch_fr)[i])
        else:
            jd, fr = _epoch_jd(epoch)
        err, r, v = sat.sgp4(jd, fr)
        nid = int(np.asarray(catalog.norad_id)[i])
        if err != 0:
            raise InputError(f"catalog object {nid}: SGP4 failed at the event epoch (error {err})")
        return cls(mass_kg=mass, lc_m=size if math.isfinite(size) and size > 0 else None,
                   object_type=str(np.asarray(catalog.object_type)[i]), r_km=r, v_km_s=v,
                   name=str(np.asarray(catalog.name)[i]), owner=str(np.asarray(catalog.owner)[i]),
                   norad_id=nid)

    def as_dict(self) -> dict:
        return {"name": self.name, "norad_id": self.norad_id, "mass_kg": self.mass_kg,
                "lc_m": self.lc_m, "object_type": self.object_type, "owner": self.owner,
                "r_km": None if self.r_km is None else [float(x) for x in self.r_km],
                "v_km_s": None if self.v_km_s is None else [float(x) for x in self.v_km_s]}


def _epoch_jd(epoch) -> tuple[float, float]:
    if epoch is None:
        return float("nan"), float("nan")
    if isinstance(epoch, tuple) and len(epoch) == 2:
        return float(epoch[0]), float(epoch[1])
    if isinstance(epoch, str):
        epoch = timeutil.parse_iso(epoch, "epoch")
    try:
        t = np.datetime64(epoch, "us")
    except (TypeError, ValueError):
        raise InputError(f"epoch: {epoch!r} is not a UTC time (ISO string, datetime64 or (jd, fr))") from None
    if np.isnat(t):
        raise InputError("epoch: NaT is not a time")
    jd, fr = timeutil.datetime64_to_jd(t)
    return float(jd), float(fr)


def _as_parent(obj, epoch, role: str) -> Parent:
    if isinstance(obj, Parent):
        return obj
    if isinstance(obj, Mapping):
        try:
            return Parent(**obj)
        except TypeError as exc:
            raise InputError(f"{role}: {exc}") from None
    if hasattr(obj, "satrecs") and hasattr(obj, "mass_kg"):
        if len(obj) != 1:
            raise InputError(f"{role}: expected a one-row catalog, got {len(obj)} rows")
        return Parent.from_catalog(obj, 0, epoch)
    if isinstance(obj, (int, float)) and not isinstance(obj, bool):
        return Parent(mass_kg=obj)
    raise InputError(f"{role}: expected a Parent, a dict of its fields or a one-row Catalog, "
                     f"got {type(obj).__name__}")


def _speed_km_s(relative_velocity) -> float:
    value = relative_velocity
    if hasattr(value, "unit") and hasattr(value, "to_value"):  # astropy Quantity
        try:
            value = value.to_value("km/s")
        except Exception as exc:
            raise InputError(f"relative_velocity: {exc}") from None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"relative_velocity: {relative_velocity!r} is not a number") from None
    if arr.ndim == 1 and arr.shape == (3,):
        if not np.all(np.isfinite(arr)):
            raise InputError(f"relative_velocity: expected finite numbers, got {relative_velocity!r}")
        speed = float(np.linalg.norm(arr))
    elif arr.ndim == 0:
        speed = float(arr)
    else:
        raise InputError("relative_velocity: expected a speed [km/s] or a 3-vector [km/s]")
    if not math.isfinite(speed) or speed <= 0.0:
        raise InputError(f"relative_velocity: must be a positive finite speed in km/s, got {speed!r}")
    if speed > MAX_PLAUSIBLE_SPEED_KM_S:
        raise InputError(f"relative_velocity: {speed:.6g} km/s is implausible for an orbital "
                         "collision (give km/s, not m/s)")
    return speed


# ------------------------------------------------------------------------------------------------
# the cloud
# ------------------------------------------------------------------------------------------------
_ROW_FIELDS = ("lc_m", "area_to_mass_m2_per_kg", "area_m2", "mass_kg", "dv_m_per_s", "parent",
               "r_km", "v_km_s", "is_remnant")


@dataclass
class FragmentCloud:
    """The fragments of one breakup that stay on orbit: a struct of arrays (see docs/interfaces.md).

    Row fields (length n): ``lc_m``, ``area_to_mass_m2_per_kg``, ``area_m2``, ``mass_kg``,
    ``dv_m_per_s`` (n, 3) ejection velocity [m/s, TEME], ``parent`` (int64 index into
    ``parents``), ``r_km`` and ``v_km_s`` (n, 3) TEME state just after the event (NaN if the parent
    had no state), and ``is_remnant`` (bool; an extension of the interface: remnants and large
    fragments created by the mass-budget policy).

    Event fields: ``epoch_jd``, ``epoch_fr`` (NaN if unknown), ``parents`` (list of dicts),
    ``event`` (``"collision"`` or ``"explosion"``), ``catastrophic``, ``emr_j_per_g`` (NaN for
    explosions), ``n_hyperbolic`` and ``n_reentered`` (fragments dropped at once), ``seed`` (the
    entropy that reproduces the cloud), ``parameters`` (everything else that changes the numbers,
    including the mass budget's ``unassigned_mass_kg`` and ``mass_below_min_size_kg``).
    """

    lc_m: np.ndarray
    area_to_mass_m2_per_kg: np.ndarray
    area_m2: np.ndarray
    mass_kg: np.ndarray
    dv_m_per_s: np.ndarray
    parent: np.ndarray
    r_km: np.ndarray
    v_km_s: np.ndarray
    is_remnant: np.ndarray
    epoch_jd: float = float("nan")
    epoch_fr: float = float("nan")
    parents: list = field(default_factory=list)
    event: str = "collision"
    catastrophic: bool = True
    emr_j_per_g: float = float("nan")
    n_hyperbolic: int = 0
    n_reentered: int = 0
    seed: Any = None
    parameters: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.lc_m.shape[0])

    def len(self) -> int:
        """Number of fragments (rows)."""
        return len(self)

    def __getitem__(self, key) -> "FragmentCloud":
        """Rows selected by a boolean mask, an index array or a slice, as a new cloud."""
        if isinstance(key, (int, np.integer)):
            key = slice(int(key), int(key) + 1 if int(key) != -1 else None)
        rows = {f: getattr(self, f)[key] for f in _ROW_FIELDS}
        return FragmentCloud(**rows, **self._event_fields())

    def _event_fields(self) -> dict:
        return dict(epoch_jd=self.epoch_jd, epoch_fr=self.epoch_fr, parents=self.parents,
                    event=self.event, catastrophic=self.catastrophic, emr_j_per_g=self.emr_j_per_g,
                    n_hyperbolic=self.n_hyperbolic, n_reentered=self.n_reentered, seed=self.seed,
                    parameters=self.parameters)

    @property
    def dv_speed_m_per_s(self) -> np.ndarray:
        """Ejection speed |dv| [m/s], (n,)."""
        return np.sqrt(np.einsum("ij,ij->i", self.dv_m_per_s, self.dv_m_per_s))

    @property
    def epoch(self):
        """Event epoch as ``datetime64[us]`` (NaT if unknown)."""
        if not math.isfinite(self.epoch_jd):
            return np.datetime64("NaT", "us")
        return timeutil.jd_to_datetime64(self.epoch_jd, self.epoch_fr)[()]

    def summary(self) -> dict:
        """Counts by size (``n_ge_1mm``, ``n_ge_1cm``, ``n_ge_10cm``; None below the sampled minimum
        size), total mass and the event's figures, as a JSON-ready dict."""
        min_size = float(self.parameters.get("min_size_m", 0.0))
        out = {"event": self.event, "n_fragments": len(self)}
        for label, t in _THRESHOLDS_M:
            complete = t >= min_size * (1.0 - 1e-12)
            out[f"n_ge_{label}"] = int(np.count_nonzero(self.lc_m >= t)) if complete else None
        for label, _ in _THRESHOLDS_M:
            out[f"expected_n_ge_{label}"] = self.parameters.get(f"expected_n_ge_{label}")
        out.update({
            "total_mass_kg": float(np.sum(self.mass_kg)),
            "parents_mass_kg": float(sum(p["mass_kg"] for p in self.parents)),
            "n_remnants": int(np.count_nonzero(self.is_remnant)),
            "n_hyperbolic": int(self.n_hyperbolic),
            "n_reentered": int(self.n_reentered),
            "catastrophic": bool(self.catastrophic),
            "emr_j_per_g": None if not math.isfinite(self.emr_j_per_g) else float(self.emr_j_per_g),
            "min_size_m": min_size,
            "mass_budget": self.parameters.get("mass_budget"),
            "unassigned_mass_kg": self.parameters.get("unassigned_mass_kg"),
            "mass_below_min_size_kg": self.parameters.get("mass_below_min_size_kg"),
            "seed": self.seed,
        })
        return out

    def provenance(self, command: str | None = None) -> dict:
        """Provenance record (see :func:`orbitsim.provenance.provenance`) of this cloud."""
        params = dict(self.parameters)
        params.update(event=self.event, catastrophic=bool(self.catastrophic),
                      emr_j_per_g=None if not math.isfinite(self.emr_j_per_g) else self.emr_j_per_g,
                      n_hyperbolic=int(self.n_hyperbolic), n_reentered=int(self.n_reentered),
                      parents=self.parents,
                      epoch_jd=self.epoch_jd if math.isfinite(self.epoch_jd) else None,
                      epoch_fr=self.epoch_fr if math.isfinite(self.epoch_fr) else None)
        epoch = None if not math.isfinite(self.epoch_jd) else str(timeutil.iso(self.epoch))
        return _prov.provenance(epoch=epoch, seed=self.seed, parameters=params,
                                command=command or f"orbitsim.breakup.{self.event}")

    def columns(self) -> dict:
        """The CSV columns (names with units), one row per fragment."""
        dv = self.dv_m_per_s
        return {
            "lc_m": self.lc_m, "area_to_mass_m2_per_kg": self.area_to_mass_m2_per_kg,
            "area_m2": self.area_m2, "mass_kg": self.mass_kg, "dv_m_per_s": self.dv_speed_m_per_s,
            "dvx_m_per_s": dv[:, 0], "dvy_m_per_s": dv[:, 1], "dvz_m_per_s": dv[:, 2],
            "parent": self.parent, "is_remnant": self.is_remnant,
            "rx_km": self.r_km[:, 0], "ry_km": self.r_km[:, 1], "rz_km": self.r_km[:, 2],
            "vx_km_s": self.v_km_s[:, 0], "vy_km_s": self.v_km_s[:, 1], "vz_km_s": self.v_km_s[:, 2],
        }

    def to_csv(self, path, *, force: bool = True, command: str | None = None) -> Path:
        """Write one row per fragment (see :meth:`columns`); provenance goes to the sidecar
        ``<path>.provenance.json`` (:func:`orbitsim.io.write_csv`). Atomic."""
        return write_csv(path, self.columns(), self.provenance(command), force=force)

    def to_npz(self, path, *, force: bool = True, command: str | None = None) -> Path:
        """Write the row arrays and the provenance (JSON string ``provenance_json``) to ``.npz``."""
        path = Path(path)
        arrays = {f: getattr(self, f) for f in _ROW_FIELDS}
        arrays["provenance_json"] = np.array(json.dumps(self.provenance(command), default=_jsonable))
        with atomic_write(path, "wb", force=force) as fh:
            np.savez(fh, **arrays)
        return path

    @classmethod
    def from_npz(cls, path) -> "FragmentCloud":
        """Read a cloud written by :meth:`to_npz`."""
        with np.load(path, allow_pickle=False) as z:
            rows = {f: z[f] for f in _ROW_FIELDS}
            prov = json.loads(str(z["provenance_json"]))
        p = dict(prov.get("parameters", {}))
        ev = {k: p.pop(k) for k in ("event", "catastrophic", "emr_j_per_g", "n_hyperbolic",
                                    "n_reentered", "parents", "epoch_jd", "epoch_fr") if k in p}
        for k in ("emr_j_per_g", "epoch_jd", "epoch_fr"):
            if ev.get(k) is None:
                ev[k] = float("nan")
        return cls(**rows, **ev, seed=prov.get("seed"), parameters=p)


def _jsonable(o):
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(f"not JSON serializable: {type(o).__name__}")


# ------------------------------------------------------------------------------------------------
# the generator shared by collisions and explosions
# ------------------------------------------------------------------------------------------------
def _check_options(mass_budget, bridge, am_large, reentry_altitude_km, max_fragments):
    if mass_budget not in _POLICIES:
        raise InputError(f"mass_budget: {mass_budget!r} is not one of {', '.join(_POLICIES)}")
    if bridge not in _BRIDGES:
        raise InputError(f"bridge: {bridge!r} is not one of {', '.join(_BRIDGES)}")
    if am_large not in _LARGE:
        raise InputError(f"am_large: {am_large!r} is not one of {', '.join(_LARGE)}")
    alt = float(reentry_altitude_km)
    if not math.isfinite(alt) or alt < 0.0:
        raise InputError(f"reentry_altitude_km: must be a finite altitude >= 0, got {reentry_altitude_km!r}")
    if int(max_fragments) <= 0:
        raise InputError(f"max_fragments: must be positive, got {max_fragments!r}")


def _run_kernel(n, seq, lc_lo, lc_hi, exponent, p_first, types, event, bridge, large_mode,
                parent_r, parent_v, has_state, reentry_radius, out, parallel):
    """Fill the first ``n`` rows of the arrays in ``out`` from seed sequence ``seq``; return the mass."""
    n_blocks = -(-n // sbm.BLOCK)
    states = seq.generate_state(4 * max(n_blocks, 1), dtype=np.uint64).reshape(-1, 4)[:n_blocks]
    block_mass = np.zeros(n_blocks)
    if n == 0:
        return 0.0
    # one block: no thread launch (the result is the same either way)
    driver = sbm.sample_fragments_many if (parallel and n_blocks > 1) else sbm.sample_fragments_serial
    driver(n, np.ascontiguousarray(states), lc_lo, lc_hi, exponent, p_first, types[0], types[1],
           event, bridge, large_mode, parent_r, parent_v, has_state, reentry_radius, *out, block_mass)
    return float(np.sum(block_mass))


def _generate(*, parents, event, coefficient, exponent, p_first, budget_kg, remnant, remnant_parent,
              catastrophic, emr, min_size, seed, epoch, mass_budget, bridge, am_large,
              reentry_altitude_km, max_fragments, parallel, extra_parameters, velocity_adjust=None,
              budget_coefficient=None):
    _check_options(mass_budget, bridge, am_large, reentry_altitude_km, max_fragments)
    min_size = _positive(min_size, "min_size")
    lc_max = max(p.lc_m for p in parents)
    if min_size >= lc_max:
        raise InputError(f"min_size: {min_size:g} m is not below the parent size {lc_max:.6g} m")
    krisko = mass_budget == "krisko2011"
    # Upper size of the power-law fragments: 1 m under the Krisko budget (large ones come from the
    # remnant step), the parent size otherwise.
    lc_split = min(LARGE_FRAGMENT_LC_M, lc_max) if (krisko and remnant == "large") else lc_max
    if min_size >= lc_split:
        lc_split = lc_max
    mean_n = coefficient * (min_size ** -exponent - lc_split ** -exponent)
    if mean_n > max_fragments:
        raise ResourceError(
            f"min_size {min_size:g} m would give {mean_n:,.0f} fragments in expectation, over the "
            f"budget of {int(max_fragments):,} (raise min_size or max_fragments)")

    try:
        ss = np.random.SeedSequence(seed)
    except (TypeError, ValueError):
        raise InputError(f"seed: {seed!r} is not a non-negative integer (or a sequence of them)") from None
    seed_used = ss.entropy
    seq_count, seq_frag, seq_large = ss.spawn(3)
    rng = np.random.Generator(np.random.PCG64(seq_count))
    n = int(rng.poisson(mean_n))
    mean_large = coefficient * (lc_split ** -exponent - lc_max ** -exponent)
    n_large = max(1, int(rng.poisson(mean_large))) if (krisko and remnant == "large") else 0
    n_crater = 1 if (krisko and remnant == "crater") else 0
    if n > max_fragments:
        raise ResourceError(f"{n:,} fragments drawn, over the budget of {int(max_fragments):,}")
    rows = n + n_large + n_crater

    types = np.array([sbm.TYPE_ROCKET_BODY if p.object_type == "rocket_body" else sbm.TYPE_SPACECRAFT
                      for p in parents] + [sbm.TYPE_SPACECRAFT] * (2 - len(parents)), dtype=np.int64)
    has_state = all(p.has_state for p in parents)
    parent_r = np.zeros((2, 3))
    parent_v = np.zeros((2, 3))
    if has_state:
        for k, p in enumerate(parents):
            parent_r[k] = p.r_km
            parent_v[k] = p.v_km_s
        if len(parents) == 1:
            parent_r[1], parent_v[1] = parent_r[0], parent_v[0]
    reentry_radius = sbm.RE_KM + float(reentry_altitude_km)
    ev = sbm.EVENT_EXPLOSION if event == "explosion" else sbm.EVENT_COLLISION
    bridge_code, large_code = _BRIDGES[bridge], _LARGE[am_large]

    parent = np.empty(rows, dtype=np.int64)
    lc = np.empty(rows)
    am = np.empty(rows)
    area = np.empty(rows)
    mass = np.empty(rows)
    dv = np.empty((rows, 3))
    r = np.empty((rows, 3))
    v = np.empty((rows, 3))
    status = np.empty(rows, dtype=np.int8)
    out = (parent, lc, am, area, mass, dv, r, v, status)
    sampled_mass = _run_kernel(n, seq_frag, min_size, lc_split, exponent, p_first, types, ev,
                               bridge_code, large_code, parent_r, parent_v, has_state,
                               reentry_radius, out, parallel)

    keep_rows = np.ones(rows, dtype=bool)
    unassigned = 0.0
    below = 0.0
    deposited = sampled_mass
    if krisko:
        if min_size > MASS_BUDGET_FLOOR_M:
            # the mass of the unsampled dust follows the unscaled law (a count calibration scales
            # the population counted, not the dust)
            below = float(sbm.expected_mass_between(
                MASS_BUDGET_FLOOR_M, min_size, coefficient if budget_coefficient is None else budget_coefficient,
                exponent, p_first, types[0], types[1],
                bridge_code, large_code))
            below = min(below, budget_kg)  # a budget smaller than its own dust: all of it is dust
        available = max(0.0, budget_kg - below)
        if sampled_mass > available:
            deposited = _cut_to_budget(lc[:n], mass[:n], keep_rows, available, lc_split, min_size)
        rest = max(0.0, available - deposited)
        if remnant == "large":
            if sampled_mass <= available and rest > 0.0:
                sl = slice(n, n + n_large)
                view = tuple(a[sl] for a in out)
                m_large = _run_kernel(n_large, seq_large, lc_split, lc_max, exponent, p_first, types,
                                      ev, bridge_code, large_code, parent_r, parent_v, has_state,
                                      reentry_radius, view, parallel)
                mass[sl] *= rest / m_large
                am[sl] = area[sl] / mass[sl]
                deposited += rest
                rest = 0.0
                del view
            else:
                keep_rows[n:n + n_large] = False
            unassigned = rest
        else:  # crater remnant: the rest of both bodies
            i = n
            big = parents[remnant_parent]
            parent[i] = remnant_parent
            lc[i] = big.lc_m
            area[i] = sbm.area_from_lc(big.lc_m)
            total = sum(p.mass_kg for p in parents)
            mass[i] = total - deposited - below
            am[i] = area[i] / mass[i]
            dv[i] = 0.0
            if has_state:
                r[i] = parent_r[remnant_parent]
                v[i] = parent_v[remnant_parent]
                status[i] = sbm.orbit_status(*r[i], *v[i], reentry_radius)
            else:
                r[i] = np.nan
                v[i] = np.nan
                status[i] = sbm.STATUS_KEPT
            if mass[i] <= 0.0:
                keep_rows[i] = False
    is_remnant = np.zeros(rows, dtype=bool)
    is_remnant[n:] = True
    if velocity_adjust is not None and has_state and rows:
        dv_scale, axis, bias = velocity_adjust
        sbm.redirect_dv(dv, parent, parent_v, r, v, status, keep_rows, reentry_radius, float(dv_scale),
                        float(axis[0]), float(axis[1]), float(axis[2]), float(bias))

    n_hyp = int(np.count_nonzero((status == sbm.STATUS_HYPERBOLIC) & keep_rows))
    n_re = int(np.count_nonzero((status == sbm.STATUS_REENTERED) & keep_rows))
    keep_rows &= status == sbm.STATUS_KEPT
    arrays = dict(lc_m=lc, area_to_mass_m2_per_kg=am, area_m2=area, mass_kg=mass, dv_m_per_s=dv,
                  parent=parent, r_km=r, v_km_s=v, is_remnant=is_remnant)
    del out
    if not keep_rows.all():
        # in place, one pass, no temporaries; then shrink each array (realloc) to the kept rows
        n_keep = sbm.compact_rows(keep_rows, parent, lc, am, area, mass, dv, r, v, is_remnant)
        del parent, lc, am, area, mass, dv, r, v, is_remnant
        for k in list(arrays):
            a = arrays[k]
            try:
                a.resize((n_keep,) + a.shape[1:], refcheck=False)
            except (ValueError, SystemError):
                a = a[:n_keep].copy()
            arrays[k] = a

    thresholds = {f"expected_n_ge_{label}": float(coefficient * max(0.0, t ** -exponent - lc_max ** -exponent))
                  for label, t in _THRESHOLDS_M}
    params = {
        "min_size_m": min_size, "mass_budget": mass_budget, "bridge": bridge, "am_large": am_large,
        "reentry_altitude_km": float(reentry_altitude_km), "max_fragments": int(max_fragments),
        "count_coefficient": coefficient, "count_exponent": exponent,
        "lc_max_m": lc_max, "lc_power_law_max_m": lc_split, "expected_n_sampled": mean_n,
        "mass_budget_kg": None if not krisko else budget_kg,
        "deposited_mass_kg": deposited if krisko else sampled_mass,
        "mass_below_min_size_kg": below, "unassigned_mass_kg": unassigned,
        "n_sampled": n, "block_size": sbm.BLOCK, **thresholds, **extra_parameters,
    }
    jd, fr = _epoch_jd(epoch)
    return FragmentCloud(**arrays, epoch_jd=jd, epoch_fr=fr, parents=[p.as_dict() for p in parents],
                         event=event, catastrophic=bool(catastrophic), emr_j_per_g=emr,
                         n_hyperbolic=n_hyp, n_reentered=n_re, seed=seed_used, parameters=params)


def _cut_to_budget(lc, mass, keep_rows, available, lc_split, min_size) -> float:
    """Deposit fragments from the smallest up to ``available`` kg; mark the rest dropped.

    Returns the deposited mass [kg]. Only fragments above a size threshold are sorted (mass sits in
    the large fragments), so the cost is one pass plus a sort of a few thousand rows.
    """
    t = lc_split
    while True:
        t = max(t / 10.0, min_size)
        below, _ = sbm.mass_below_lc(lc, mass, t)
        if below <= available or t <= min_size:
            break
    if below > available:  # t == min_size and even that is too much: cannot happen (below == 0)
        below = 0.0
    idx = np.flatnonzero(lc >= t)
    order = idx[np.argsort(lc[idx], kind="stable")]
    cum = below + np.cumsum(mass[order])
    over = cum > available
    keep_rows[order[over]] = False
    return float(cum[~over][-1]) if np.any(~over) else below


# ------------------------------------------------------------------------------------------------
# momentum, direction and calibration factors
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MomentumOptions:
    """How a kinetic-kill cloud departs from the SBM as published (all off by default).

    Parameters
    ----------
    centre_of_mass : bool
        Every fragment starts from the centre-of-mass velocity of target and projectile,
        ``(M_t v_t + m_p v_p) / (M_t + m_p)``, plus its SBM ejection velocity, so the cloud carries
        the interceptor's momentum (the SBM gives each fragment its own parent's velocity; for a
        projectile without a state, the target's). Needs both bodies' states (or the target's and a
        3-vector relative velocity).
    momentum_coupling : float
        Fraction ``0 <= eta <= 1`` of the interceptor's momentum the fragments share: the start
        velocity is ``v_t + eta (v_cm - v_t)`` (1: full conservation; 0: the target's velocity).
        Only with ``centre_of_mass``.
    forward_bias : float
        Directional ejection, ``0 <= b <= 1``: each isotropic SBM direction ``u`` becomes
        ``(u + b a) / |u + b a|`` with ``a`` the unit impact axis (the projectile's velocity relative
        to the target), so a fraction ``(1 + b) / 2`` of the fragments is ejected into the forward
        hemisphere; speeds are unchanged. 0 is the isotropic SBM.
    count_scale : float
        Factor on the SBM count law N(>=Lc) (event calibration as in ESA MASTER's treatment of
        historical fragmentations: a per-event scaling of the number of fragments).
    dv_scale : float
        Factor on every ejection speed (a shift of log10(dv) by log10(dv_scale) in the SBM's
        log-normal law).
    """

    centre_of_mass: bool = False
    momentum_coupling: float = 1.0
    forward_bias: float = 0.0
    count_scale: float = 1.0
    dv_scale: float = 1.0

    def __post_init__(self):
        if not (0.0 <= float(self.forward_bias) <= 1.0):
            raise InputError(f"forward_bias: {self.forward_bias!r}; expected 0 <= forward_bias <= 1")
        if not (0.0 <= float(self.momentum_coupling) <= 1.0):
            raise InputError(f"momentum_coupling: {self.momentum_coupling!r}; expected 0..1")
        _positive(self.count_scale, "count_scale")
        _positive(self.dv_scale, "dv_scale")

    def apply(self, target: Parent, projectile: Parent, coefficient: float):
        """Return ``(target, projectile, coefficient, velocity_adjust, parameters)`` for _generate."""
        params = {"centre_of_mass": bool(self.centre_of_mass),
                  "momentum_coupling": float(self.momentum_coupling), "forward_bias": float(self.forward_bias),
                  "count_scale": float(self.count_scale), "dv_scale": float(self.dv_scale)}
        need_state = self.centre_of_mass or self.forward_bias > 0.0 or self.dv_scale != 1.0
        if need_state and not (target.has_state and projectile.has_state):
            raise InputError("momentum options need the target's state and the projectile's "
                             "(give the relative velocity as a 3-vector)")
        axis = np.zeros(3)
        if target.has_state and projectile.has_state:
            rel = np.asarray(projectile.v_km_s, dtype=float) - np.asarray(target.v_km_s, dtype=float)
            norm = float(np.linalg.norm(rel))
            if norm > 0.0:
                axis = rel / norm
        if self.forward_bias > 0.0 and not np.any(axis):
            raise InputError("forward_bias: the projectile has no velocity relative to the target")
        if self.centre_of_mass:
            mt, mp = target.mass_kg, projectile.mass_kg
            v_t = np.asarray(target.v_km_s, dtype=float)
            v_cm = (mt * v_t + mp * np.asarray(projectile.v_km_s)) / (mt + mp)
            v_cm = v_t + float(self.momentum_coupling) * (v_cm - v_t)
            params["centre_of_mass_shift_m_per_s"] = float(np.linalg.norm(v_cm - target.v_km_s) * 1e3)
            params["centre_of_mass_v_km_s"] = [float(x) for x in v_cm]
            target = dataclasses.replace(target, v_km_s=v_cm)
            projectile = dataclasses.replace(projectile, r_km=target.r_km, v_km_s=v_cm)
        params["impact_axis_teme"] = [float(x) for x in axis]
        adjust = None
        if self.forward_bias > 0.0 or self.dv_scale != 1.0:
            adjust = (self.dv_scale, axis, self.forward_bias)
        return target, projectile, coefficient * float(self.count_scale), adjust, params


# ------------------------------------------------------------------------------------------------
# public constructors
# ------------------------------------------------------------------------------------------------
def collision(target, projectile, relative_velocity, *, min_size: float = 0.01, seed=None,
              epoch=None, mass_budget: str = "krisko2011", bridge: str = "sample_blend",
              am_large: str = "mixture", reentry_altitude_km: float = DEFAULT_REENTRY_ALTITUDE_KM,
              max_fragments: int = DEFAULT_MAX_FRAGMENTS, parallel: bool = True,
              momentum: "MomentumOptions | None" = None) -> FragmentCloud:
    """Fragment a collision between ``target`` and ``projectile``.

    Parameters
    ----------
    target, projectile : Parent, dict or one-row Catalog
        The two bodies (a dict is passed to :class:`Parent`; a catalog row takes its state from SGP4
        at ``epoch``). Fragment states are computed only if both have a state, or if the target has
        one and the projectile none (the projectile then shares the target's state, or the target's
        velocity plus ``relative_velocity`` if that is a 3-vector).
    relative_velocity : float or array-like (3,) [km/s]
        Impact speed, or the projectile's velocity relative to the target (TEME). An astropy
        Quantity is converted.
    min_size : float [m]
        Smallest characteristic length sampled (default 1 cm); must be below the larger parent's size.
    seed : int, sequence of int or None
        Master seed (``numpy.random.SeedSequence``); the same seed gives a bit-identical cloud,
        serial or parallel, on any number of threads. ``None`` draws fresh entropy, stored in
        ``cloud.seed``.
    epoch : str, datetime64 or (jd, fr), optional
        Event epoch (UTC); stored in the cloud.
    mass_budget : {"krisko2011", "none"}
    bridge : {"sample_blend", "law_mixture", "switch"}
    am_large : {"mixture", "blend"}
        See the module docstring.
    reentry_altitude_km : float
        Fragments with a perigee altitude below this are dropped and counted (default 100 km).
    max_fragments : int
        Budget on the expected number of fragments, checked before any work (default 50 M).
    parallel : bool
        Use the threaded driver (the result is identical either way).
    momentum : MomentumOptions, optional
        Momentum conservation, directional ejection and calibration factors (see
        :class:`MomentumOptions`); ``None`` is the SBM as published.

    Returns
    -------
    FragmentCloud

    Raises
    ------
    InputError
        Non-positive or NaN mass or speed, a speed in m/s, min_size at or above the parent size,
        momentum options without the states they need.
    ResourceError
        The expected number of fragments exceeds ``max_fragments``.
    """
    t = _as_parent(target, epoch, "target")
    p = _as_parent(projectile, epoch, "projectile")
    speed = _speed_km_s(relative_velocity)
    if t.has_state and not p.has_state:
        rel = np.asarray(relative_velocity.to_value("km/s") if hasattr(relative_velocity, "to_value")
                         else relative_velocity, dtype=float)
        v_p = t.v_km_s + rel if rel.shape == (3,) else t.v_km_s
        p = Parent(mass_kg=p.mass_kg, lc_m=p.lc_m, object_type=p.object_type, r_km=t.r_km,
                   v_km_s=v_p, name=p.name, owner=p.owner, norad_id=p.norad_id)
    heavy, light = (0, 1) if t.mass_kg >= p.mass_kg else (1, 0)
    m_t, m_p = (t.mass_kg, p.mass_kg)[heavy], (t.mass_kg, p.mass_kg)[light]
    emr = energy_to_mass_ratio_j_per_g(m_t, m_p, speed)
    catastrophic = emr >= CATASTROPHIC_EMR_J_PER_G
    total = m_t + m_p
    if catastrophic:
        m_ref = total
        budget = total
        p_target = t.mass_kg / total
    else:
        m_ref = m_p * speed ** 2  # Krisko 2011: M = m_p v^2, v in km/s
        budget = min(m_ref, total)
        # ejecta: the whole light body, the heavy body the rest
        frac_light = min(1.0, m_p / budget)
        p_target = frac_light if light == 0 else 1.0 - frac_light
    coefficient = 0.1 * m_ref ** 0.75
    unscaled = coefficient
    if momentum is not None and momentum.count_scale != 1.0 and min_size < COUNT_SCALE_MIN_LC_M:
        return _scaled_above_catalogue_limit(target, projectile, relative_velocity, min_size=min_size, seed=seed,
                                             epoch=epoch, mass_budget=mass_budget, bridge=bridge,
                                             am_large=am_large, reentry_altitude_km=reentry_altitude_km,
                                             max_fragments=max_fragments, parallel=parallel, momentum=momentum)
    extra = {"speed_km_s": speed, "reference_mass_kg": m_ref}
    adjust = None
    if momentum is not None:
        t, p, coefficient, adjust, more = momentum.apply(t, p, coefficient)
        extra.update(more)
    return _generate(
        parents=[t, p], event="collision", coefficient=coefficient,
        exponent=sbm.COLLISION_EXPONENT, p_first=p_target, budget_kg=budget,
        remnant="large" if catastrophic else "crater", remnant_parent=heavy,
        catastrophic=catastrophic, emr=emr, min_size=min_size, seed=seed, epoch=epoch,
        mass_budget=mass_budget, bridge=bridge, am_large=am_large,
        reentry_altitude_km=reentry_altitude_km, max_fragments=max_fragments, parallel=parallel,
        extra_parameters=extra, velocity_adjust=adjust, budget_coefficient=unscaled)


#: Smallest size a count calibration scales [m]: it is fitted to catalogued debris (the ~10 cm
#: tracking limit), so fragments below it follow the SBM law as published (docs/four-tests.md).
COUNT_SCALE_MIN_LC_M = 0.1


def _scaled_above_catalogue_limit(target, projectile, relative_velocity, *, min_size, seed, momentum,
                                  **options) -> FragmentCloud:
    """A collision whose count scale applies only to fragments >= :data:`COUNT_SCALE_MIN_LC_M`.

    Two draws: the calibrated cloud down to the catalogue limit (its mass budget already accounts
    for the smaller fragments with the unscaled law), and the fragments between ``min_size`` and
    the limit from the unscaled SBM with the same momentum options, from a seed derived from the
    first draw's. Scaling the whole law down to 1 cm instead would spend the parents' mass on small
    fragments and leave none >= 10 cm.
    """
    big = collision(target, projectile, relative_velocity, min_size=COUNT_SCALE_MIN_LC_M, seed=seed,
                    momentum=momentum, **options)
    entropy = np.atleast_1d(np.asarray(big.seed, dtype=object)).tolist()
    small = collision(target, projectile, relative_velocity, min_size=min_size, seed=[*entropy, 0x5CA1E],
                      momentum=dataclasses.replace(momentum, count_scale=1.0), **options)
    small = small[(small.lc_m < COUNT_SCALE_MIN_LC_M) & ~small.is_remnant]
    rows = {f: np.concatenate([getattr(big, f), getattr(small, f)]) for f in _ROW_FIELDS}
    fields = big._event_fields()
    params = dict(big.parameters)
    params.update(min_size_m=float(min_size), count_scale_min_lc_m=COUNT_SCALE_MIN_LC_M,
                  mass_below_min_size_kg=small.parameters.get("mass_below_min_size_kg"))
    for label in ("1cm", "1mm"):
        key = f"expected_n_ge_{label}"
        if small.parameters.get(key) is not None and big.parameters.get("expected_n_ge_10cm") is not None:
            params[key] = (float(small.parameters[key]) - float(small.parameters.get("expected_n_ge_10cm") or 0.0)
                           + float(big.parameters["expected_n_ge_10cm"]))
    fields.update(parameters=params, n_hyperbolic=big.n_hyperbolic + small.n_hyperbolic,
                  n_reentered=big.n_reentered + small.n_reentered)
    return FragmentCloud(**rows, **fields)


def explosion(parent, *, scaling: float = 1.0, min_size: float = 0.01, seed=None, epoch=None,
              mass_budget: str = "krisko2011", bridge: str = "sample_blend",
              am_large: str = "mixture", reentry_altitude_km: float = DEFAULT_REENTRY_ALTITUDE_KM,
              max_fragments: int = DEFAULT_MAX_FRAGMENTS, parallel: bool = True) -> FragmentCloud:
    """Fragment an explosion of ``parent``: N(>=Lc) = 6 S Lc^-1.6 (Johnson et al. 2001).

    ``scaling`` is the unitless S (default 1). The mass budget is the parent's mass, handled as for
    catastrophic collisions (``catastrophic`` is True, ``emr_j_per_g`` NaN). Other parameters as in
    :func:`collision`.
    """
    par = _as_parent(parent, epoch, "parent")
    s = _positive(scaling, "scaling")
    return _generate(
        parents=[par], event="explosion", coefficient=6.0 * s, exponent=sbm.EXPLOSION_EXPONENT,
        p_first=1.0, budget_kg=par.mass_kg, remnant="large", remnant_parent=0, catastrophic=True,
        emr=float("nan"), min_size=min_size, seed=seed, epoch=epoch, mass_budget=mass_budget,
        bridge=bridge, am_large=am_large, reentry_altitude_km=reentry_altitude_km,
        max_fragments=max_fragments, parallel=parallel, extra_parameters={"scaling": s})
