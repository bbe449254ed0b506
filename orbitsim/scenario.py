"""ASAT-test scenarios: what is hit, by what, when, and how the run is set up.

A :class:`Scenario` is what an analyst writes down about a test, real or hypothetical: the target
(a catalog id with a known element set, or an orbit given as altitude/inclination or as elements),
its mass, size and type; the interceptor (mass, closing speed, direct-ascent or co-orbital
geometry); the epoch; the simulation settings (minimum fragment size, seeds, screening window,
horizon); and the threat-taxonomy metadata (behaviour, stated intention, testing state), see model
notes section 6.

Scenarios are read from TOML (:func:`load`, :func:`load_preset`) or built in Python. Every error
names the file and the field. The four real debris-generating tests ship as presets
(``orbitsim/presets/*.toml``) whose every number carries its source in the ``[sources]`` table;
values we had to assume say ``assumed`` there.

TOML layout::

    name = "my-test"
    title = "free text"
    epoch = "2021-11-15T02:47:00Z"
    hypothetical = true

    [target]
    name = "..."                 # optional
    norad_id = 13552             # optional: take the orbit from the pre-event element sets
    mass_kg = 2000.0
    size_m = 5.0                 # optional: default from the SBM mass-size relation
    object_type = "PAYLOAD"      # PAYLOAD | ROCKET BODY | DEBRIS
    owner = "CIS"                # SATCAT owner code

    [target.orbit]               # when there is no norad_id (or to override it)
    altitude_km = 480.0          # circular; or perigee_km + apogee_km
    inclination_deg = 82.6
    raan_deg = 0.0               # optional (default 0)
    arg_perigee_deg = 0.0        # optional
    mean_anomaly_deg = 0.0       # optional
    # or: tle = ["1 ...", "2 ..."]

    [interceptor]
    mass_kg = 20.0
    closing_speed_km_s = 7.0
    geometry = "direct-ascent"   # head-on | from-below | overtaking | co-orbital (GEOMETRIES)
    # relative_velocity_km_s = [2.0, -5.5, 0.0]   # optional: explicit, target's RIC frame

    [breakup]
    mode = "calibrated"          # sbm | sbm-momentum | calibrated (default: calibrated)
    # forward_bias = 0.3         # sbm-momentum only: directional ejection along the impact axis

    [uncertainty]                # [low, high], sampled uniformly by the Monte Carlo members
    target_mass_kg = [1750.0, 2200.0]
    interceptor_mass_kg = [20.0, 100.0]
    closing_speed_km_s = [5.0, 7.0]
    direction_cone_deg = 20.0    # impact direction anywhere within this cone about the geometry's
    cd = [2.0, 2.6]
    density_scale = [0.8, 1.2]

    [simulation]
    min_size_m = 0.1
    seeds = [1, 2, 3, 4]         # or n_seeds = 4 (seeds 1..n)
    screening_days = 7.0
    screening_threshold_km = 5.0
    horizon_years = 100.0
    screened_members = 2         # the first N members are screened and get the collision risk
    targets = "active"           # optional: active | payloads | all (exposed assets)

    [taxonomy]
    behaviour = "destructive direct-ascent ASAT test"
    stated_intention = "test"
    tester = "CIS"               # required (or target.owner): SATCAT owner code

    [sources]                    # field -> where the number comes from ("assumed: ..." if assumed)
    "target.mass_kg" = "..."

``epoch`` may be a TOML date-time or date (``epoch = 2021-11-15T02:47:00Z``) or an ISO 8601 string;
it must not precede :data:`EARLIEST_EPOCH` (the first day of the bundled space weather). Owner
codes (``target.owner``, ``taxonomy.tester``) must be SATCAT owner codes (:mod:`orbitsim.owners`);
the tester is required, since every run reports the tester's share of the risk.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from .errors import InputError, ParseError
from .timeutil import datetime64_to_jd, iso, parse_iso

#: WGS72 constants used with SGP4 (docs/interfaces.md; sgp4.earth_gravity.wgs72).
MU_KM3_S2 = 398600.8
EARTH_RADIUS_KM = 6378.135

#: Impact geometries: the unit vector of the interceptor's velocity relative to the target in the
#: target's RIC frame (radial out, in-track, cross-track = R x I), times the closing speed.
#: ``direct-ascent``: the interceptor climbs into the target from below and ahead, the relative
#: velocity 45 deg above the target's local horizontal against its motion (assumed: a
#: direct-ascent kill vehicle rises at a few km/s while the target moves at ~7.5 km/s; 45 deg
#: splits the difference, the ``[uncertainty] direction_cone_deg`` covers the rest).
#: ``head-on``: against the target's motion (-I). ``from-below``: straight up (+R).
#: ``overtaking`` and ``co-orbital``: from behind along the target's motion (+I).
GEOMETRY_DIRECTIONS_RIC = {
    "direct-ascent": (math.sqrt(0.5), -math.sqrt(0.5), 0.0),
    "head-on": (0.0, -1.0, 0.0),
    "from-below": (1.0, 0.0, 0.0),
    "overtaking": (0.0, 1.0, 0.0),
    "co-orbital": (0.0, 1.0, 0.0),
}
GEOMETRIES = tuple(GEOMETRY_DIRECTIONS_RIC)
#: Breakup modes (orbitsim.breakup and docs/four-tests.md): the NASA SBM as published, the SBM
#: about the centre of mass of target and interceptor, and the event-calibrated family.
BREAKUP_MODES = ("sbm", "sbm-momentum", "calibrated")
#: Default breakup mode for presets and scenarios that name none (README, "Breakup modes").
DEFAULT_BREAKUP_MODE = "calibrated"
#: Members screened against the catalog (and given the collision risk) by default: screening a
#: member costs ~30-60 s, its breakup and decay ~1-2 s; 2 keeps a 20-member preset run near 90 s
#: on 2 cores (README, Speed).
DEFAULT_SCREENED_MEMBERS = 2
#: Uncertain inputs a scenario may give a [lo, hi] range for (members sample them uniformly).
UNCERTAIN_INPUTS = ("target_mass_kg", "interceptor_mass_kg", "closing_speed_km_s",
                    "direction_cone_deg", "cd", "density_scale")
OBJECT_TYPES = ("PAYLOAD", "ROCKET BODY", "DEBRIS", "UNKNOWN")
PRESETS = ("fengyun-1c", "usa-193", "microsat-r", "cosmos-1408")

#: Highest target apogee (and sweep altitude), km: above GEO (35,786 km) and its graveyard orbits;
#: the breakup and decay models are not meant for cislunar space. One limit for simulate and sweep.
MAX_ALTITUDE_KM = 40000.0
#: Lowest target perigee (and sweep altitude), km.
MIN_ALTITUDE_KM = 100.0
#: Earliest epoch accepted: the first day of the bundled space weather (CelesTrak SW-All, daily
#: F10.7/Ap from 1998-07-01, data/README.md); before it the solar activity is not known.
EARLIEST_EPOCH = np.datetime64("1998-07-01T00:00:00", "us")


@dataclass(frozen=True)
class Orbit:
    """Mean orbital elements of the target at (or before) the event.

    Either from a TLE (``tle`` holds the two lines) or from elements; altitudes are above the WGS72
    equatorial radius (6378.135 km).
    """

    perigee_km: float
    apogee_km: float
    inclination_deg: float
    raan_deg: float = 0.0
    arg_perigee_deg: float = 0.0
    mean_anomaly_deg: float = 0.0
    tle: tuple[str, str] | None = None

    @property
    def altitude_km(self) -> float:
        """Mean altitude (perigee + apogee) / 2, km."""
        return 0.5 * (self.perigee_km + self.apogee_km)

    @property
    def semi_major_axis_km(self) -> float:
        return EARTH_RADIUS_KM + self.altitude_km

    @property
    def eccentricity(self) -> float:
        a = self.semi_major_axis_km
        return (self.apogee_km - self.perigee_km) / (2.0 * a)

    @classmethod
    def from_tle(cls, line1: str, line2: str) -> "Orbit":
        """Read the orbit of a two-line element set (Kozai mean motion -> semi-major axis)."""
        from sgp4.api import Satrec

        sat = Satrec.twoline2rv(line1, line2)
        if sat.error:
            raise InputError(f"target.orbit.tle: sgp4 rejects the element set (error {sat.error})")
        a_km = sat.a * EARTH_RADIUS_KM  # sgp4's un-Kozai'd semi-major axis in Earth radii
        e = sat.ecco
        return cls(perigee_km=a_km * (1 - e) - EARTH_RADIUS_KM, apogee_km=a_km * (1 + e) - EARTH_RADIUS_KM,
                   inclination_deg=math.degrees(sat.inclo), raan_deg=math.degrees(sat.nodeo),
                   arg_perigee_deg=math.degrees(sat.argpo), mean_anomaly_deg=math.degrees(sat.mo),
                   tle=(line1.rstrip(), line2.rstrip()))

    def satrec(self, epoch: np.datetime64):
        """Return an ``sgp4`` Satrec for this orbit (the TLE if given, else elements at ``epoch``)."""
        from sgp4.api import WGS72, Satrec

        if self.tle is not None:
            return Satrec.twoline2rv(*self.tle)
        a = self.semi_major_axis_km
        n_rad_min = math.sqrt(MU_KM3_S2 / a**3) * 60.0
        jd, fr = datetime64_to_jd(np.datetime64(epoch, "us"))
        sat = Satrec()
        # sgp4init epoch: days since 1949-12-31 00:00 UTC (JD 2433281.5).
        sat.sgp4init(WGS72, "i", 99999, float(jd) - 2433281.5 + float(fr), 0.0, 0.0, 0.0,
                     self.eccentricity, math.radians(self.arg_perigee_deg),
                     math.radians(self.inclination_deg), math.radians(self.mean_anomaly_deg),
                     n_rad_min, math.radians(self.raan_deg))
        return sat

    def state_at(self, epoch: np.datetime64) -> tuple[np.ndarray, np.ndarray]:
        """TEME position (km) and velocity (km/s) of the target at ``epoch`` (SGP4)."""
        sat = self.satrec(epoch)
        jd, fr = datetime64_to_jd(np.datetime64(epoch, "us"))
        err, r, v = sat.sgp4(float(jd), float(fr))
        if err != 0 or not np.all(np.isfinite(r)):
            raise InputError(f"target.orbit: SGP4 cannot propagate the target to the epoch (error {err})")
        return np.asarray(r, dtype=float), np.asarray(v, dtype=float)


@dataclass(frozen=True)
class Target:
    """The satellite destroyed: mass (kg), characteristic size (m, NaN = from mass), type, owner."""

    mass_kg: float
    orbit: Orbit
    name: str = "target"
    norad_id: int | None = None
    size_m: float = float("nan")
    object_type: str = "PAYLOAD"
    owner: str = ""


@dataclass(frozen=True)
class Interceptor:
    """The kill vehicle: mass (kg), closing speed (km/s), geometry (see :data:`GEOMETRIES`).

    ``relative_velocity_ric_km_s``: optional explicit velocity of the interceptor relative to the
    target in the target's RIC frame (km/s); when given it fixes the direction and the speed.
    """

    mass_kg: float
    closing_speed_km_s: float
    geometry: str = "direct-ascent"
    relative_velocity_ric_km_s: tuple[float, float, float] | None = None

    def relative_velocity_ric(self) -> np.ndarray:
        """Velocity of the interceptor relative to the target, RIC frame of the target, km/s."""
        if self.relative_velocity_ric_km_s is not None:
            return np.asarray(self.relative_velocity_ric_km_s, dtype=float)
        return self.closing_speed_km_s * np.asarray(GEOMETRY_DIRECTIONS_RIC[self.geometry], dtype=float)


def ric_to_teme(r_km, v_km_s, vec_ric) -> np.ndarray:
    """Rotate a vector from the RIC frame of the state (r, v) to TEME (R = r/|r|, C = r x v)."""
    r = np.asarray(r_km, dtype=float)
    v = np.asarray(v_km_s, dtype=float)
    R = r / np.linalg.norm(r)
    C = np.cross(r, v)
    C = C / np.linalg.norm(C)
    I = np.cross(C, R)
    x = np.asarray(vec_ric, dtype=float)
    return x[0] * R + x[1] * I + x[2] * C


@dataclass(frozen=True)
class BreakupSettings:
    """How the target breaks up: ``mode`` (:data:`BREAKUP_MODES`) and the directional bias.

    ``forward_bias`` (0..1, see :class:`orbitsim.breakup.MomentumOptions`) applies to the
    ``sbm-momentum`` mode; NaN means the mode's default (0: isotropic).
    """

    mode: str = DEFAULT_BREAKUP_MODE
    forward_bias: float = float("nan")


@dataclass(frozen=True)
class Taxonomy:
    """Threat-taxonomy metadata (model notes section 6): behaviour, stated intention, tester."""

    behaviour: str = "destructive direct-ascent ASAT test"
    stated_intention: str = "test"
    tester: str = ""


@dataclass(frozen=True)
class Scenario:
    """One ASAT test, real or hypothetical, and the settings of its simulation.

    Attributes
    ----------
    name : str
        Short identifier (file-name safe), e.g. ``cosmos-1408``.
    epoch : numpy.datetime64
        Time of the intercept, UTC.
    target, interceptor, taxonomy
        See the classes of the same names.
    min_size_m : float
        Smallest fragment characteristic length simulated, m.
    seeds : tuple of int
        Breakup random seeds, one Monte Carlo member each.
    screening_days, screening_threshold_km : float
        Conjunction screening window after the event (days) and miss-distance threshold (km).
    horizon_years : float
        Length of the long-term evolution, years.
    hypothetical : bool
        False only for a real test modelled as it happened.
    sources : dict
        Field name -> source of its value (``assumed: ...`` for assumptions).
    targets : {"active", "payloads", "all"} or None
        Exposed assets (:meth:`orbitsim.catalog.Catalog.exposed_assets`); None: active payloads, or
        all payloads of a catalog without activity information.
    """

    name: str
    epoch: np.datetime64
    target: Target
    interceptor: Interceptor
    taxonomy: Taxonomy = field(default_factory=Taxonomy)
    title: str = ""
    min_size_m: float = 0.1
    seeds: tuple[int, ...] = (1,)
    screening_days: float = 7.0
    screening_threshold_km: float = 5.0
    horizon_years: float = 100.0
    hypothetical: bool = True
    sources: Mapping[str, str] = field(default_factory=dict)
    path: str | None = None
    breakup: BreakupSettings = field(default_factory=BreakupSettings)
    uncertainty: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    screened_members: int = DEFAULT_SCREENED_MEMBERS
    targets: str | None = None

    def __post_init__(self):
        if self.breakup.mode not in BREAKUP_MODES:
            raise InputError(f"breakup.mode: {self.breakup.mode!r}; expected one of " + ", ".join(BREAKUP_MODES))
        fb = self.breakup.forward_bias
        if not (math.isnan(fb) or 0.0 <= fb <= 1.0):
            raise InputError(f"breakup.forward_bias: {fb!r}; expected a number in 0..1")
        for k, rng in self.uncertainty.items():
            if k not in UNCERTAIN_INPUTS:
                raise InputError(f"uncertainty.{k}: unknown input (expected one of {', '.join(UNCERTAIN_INPUTS)})")
            lo, hi = rng
            if not (math.isfinite(lo) and math.isfinite(hi) and 0.0 <= lo <= hi):
                raise InputError(f"uncertainty.{k}: [{lo}, {hi}]; expected 0 <= low <= high")
            if k != "direction_cone_deg" and lo <= 0.0:
                raise InputError(f"uncertainty.{k}: [{lo}, {hi}]; expected positive bounds")
        _check_positive("target.mass_kg", self.target.mass_kg)
        _check_positive("interceptor.mass_kg", self.interceptor.mass_kg)
        _check_positive("interceptor.closing_speed_km_s", self.interceptor.closing_speed_km_s)
        _check_positive("simulation.min_size_m", self.min_size_m)
        _check_positive("simulation.screening_days", self.screening_days)
        _check_positive("simulation.screening_threshold_km", self.screening_threshold_km)
        _check_positive("simulation.horizon_years", self.horizon_years)
        if self.interceptor.geometry not in GEOMETRIES:
            raise InputError(f"interceptor.geometry: {self.interceptor.geometry!r}; expected one of "
                             + ", ".join(GEOMETRIES))
        if self.target.object_type not in OBJECT_TYPES:
            raise InputError(f"target.object_type: {self.target.object_type!r}; expected one of "
                             + ", ".join(OBJECT_TYPES))
        if not self.seeds:
            raise InputError("simulation.seeds: expected at least one seed")
        if isinstance(self.screened_members, bool) or not isinstance(self.screened_members, int) \
                or self.screened_members < 0:
            raise InputError(f"simulation.screened_members: {self.screened_members!r}; expected an integer >= 0")
        from .breakup import MAX_PLAUSIBLE_SPEED_KM_S
        from .catalog import TARGET_CHOICES

        if self.interceptor.closing_speed_km_s > MAX_PLAUSIBLE_SPEED_KM_S:
            raise InputError(f"interceptor.closing_speed_km_s: {self.interceptor.closing_speed_km_s:g} km/s is "
                             f"implausible for an orbital collision (at most {MAX_PLAUSIBLE_SPEED_KM_S:g}; "
                             "give km/s, not m/s)")
        if self.targets is not None and self.targets not in TARGET_CHOICES:
            raise InputError(f"simulation.targets: {self.targets!r}; expected one of {', '.join(TARGET_CHOICES)}")
        if np.datetime64(self.epoch, "us") < EARLIEST_EPOCH:
            raise InputError(f"epoch: {iso(self.epoch)} is before {str(EARLIEST_EPOCH)[:10]}, the first day of "
                             "the bundled space weather (solar activity earlier is unknown to orbitsim)")
        o = self.target.orbit
        if not (o.perigee_km >= MIN_ALTITUDE_KM and o.apogee_km >= o.perigee_km):
            raise InputError(f"target.orbit: perigee {o.perigee_km:.1f} km / apogee {o.apogee_km:.1f} km; "
                             f"expected {MIN_ALTITUDE_KM:g} km <= perigee <= apogee")
        if not o.apogee_km <= MAX_ALTITUDE_KM:
            raise InputError(f"target.orbit: apogee {o.apogee_km:.1f} km; expected at most {MAX_ALTITUDE_KM:,.0f} km")
        if not (0.0 <= o.inclination_deg <= 180.0):
            raise InputError(f"target.orbit.inclination_deg: {o.inclination_deg}; expected 0..180")

    # -- convenience -------------------------------------------------------------------------
    @property
    def altitude_km(self) -> float:
        """Mean altitude of the target orbit, km."""
        return self.target.orbit.altitude_km

    @property
    def epoch_iso(self) -> str:
        return str(iso(self.epoch))

    def with_settings(self, **changes) -> "Scenario":
        """Return a copy with simulation settings changed (``seeds``, ``min_size_m``, ...)."""
        if "seeds" in changes:
            changes["seeds"] = tuple(int(s) for s in changes["seeds"])
        return replace(self, **changes)

    def at_altitude(self, altitude_km: float) -> "Scenario":
        """The same test moved to a circular orbit at ``altitude_km`` (hypothetical).

        Inclination and RAAN are kept; the element set (if any) is dropped.
        """
        alt = float(altitude_km)
        _check_positive("altitude_km", alt)
        check_altitude(alt, "altitude_km")
        o = self.target.orbit
        orbit = Orbit(perigee_km=alt, apogee_km=alt, inclination_deg=o.inclination_deg,
                      raan_deg=o.raan_deg, arg_perigee_deg=0.0, mean_anomaly_deg=0.0)
        target = replace(self.target, orbit=orbit)
        sources = dict(self.sources)
        sources["target.orbit"] = f"hypothetical: moved to a circular orbit at {alt:g} km"
        return replace(self, name=f"{self.name}@{alt:g}km", target=target, hypothetical=True,
                       title=(self.title + f" (hypothetical, at {alt:g} km)").strip(), sources=sources)

    def to_dict(self) -> dict:
        """Plain-data form (JSON-ready) for provenance records."""
        o = self.target.orbit
        return {
            "name": self.name, "title": self.title, "epoch_utc": self.epoch_iso,
            "hypothetical": self.hypothetical,
            "target": {"name": self.target.name, "norad_id": self.target.norad_id,
                       "mass_kg": self.target.mass_kg,
                       "size_m": None if not math.isfinite(self.target.size_m) else self.target.size_m,
                       "object_type": self.target.object_type, "owner": self.target.owner,
                       "orbit": {"perigee_km": o.perigee_km, "apogee_km": o.apogee_km,
                                 "inclination_deg": o.inclination_deg, "raan_deg": o.raan_deg,
                                 "arg_perigee_deg": o.arg_perigee_deg,
                                 "mean_anomaly_deg": o.mean_anomaly_deg,
                                 "tle": list(o.tle) if o.tle else None}},
            "interceptor": dataclasses.asdict(self.interceptor),
            "breakup": {"mode": self.breakup.mode,
                        "forward_bias": None if math.isnan(self.breakup.forward_bias)
                        else self.breakup.forward_bias},
            "uncertainty": {k: list(v) for k, v in sorted(self.uncertainty.items())},
            "simulation": {"min_size_m": self.min_size_m, "seeds": list(self.seeds),
                           "screening_days": self.screening_days,
                           "screening_threshold_km": self.screening_threshold_km,
                           "horizon_years": self.horizon_years,
                           "screened_members": self.screened_members,
                           "targets": self.targets},
            "taxonomy": dataclasses.asdict(self.taxonomy),
            "sources": dict(sorted(self.sources.items())),
        }


def check_altitude(altitude_km: float, name: str = "altitude_km") -> float:
    """Return ``altitude_km`` if within :data:`MIN_ALTITUDE_KM`..:data:`MAX_ALTITUDE_KM`, else raise."""
    a = float(altitude_km)
    if not (MIN_ALTITUDE_KM <= a <= MAX_ALTITUDE_KM):
        raise InputError(f"{name}: {a:g} km; expected an altitude between {MIN_ALTITUDE_KM:g} and "
                         f"{MAX_ALTITUDE_KM:,.0f} km")
    return a


def _epoch_value(value, path) -> np.datetime64:
    """The scenario epoch from TOML: a native date-time or date, or an ISO 8601 string (UTC)."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return np.datetime64(value, "us")
    if isinstance(value, _dt.date):
        return np.datetime64(value, "D").astype("datetime64[us]")
    if not isinstance(value, str):
        raise ParseError(f"epoch: {value!r} is not a date; expected e.g. 2021-11-15T02:47:00Z", path=path)
    try:
        return parse_iso(value, field="epoch")
    except InputError as exc:
        raise ParseError(str(exc), path=path) from None


def _check_positive(name: str, value) -> None:
    try:
        ok = math.isfinite(float(value)) and float(value) > 0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise InputError(f"{name}: {value!r}; expected a positive number")


# -- pre-event element sets ------------------------------------------------------------------

def pre_event_tles() -> dict[int, tuple[str, str, str]]:
    """Return ``{norad_id: (name, line1, line2)}`` from the embedded pre-event element sets."""
    from .data import ASAT_PRE_EVENT_TLE, data_path

    lines = [ln.rstrip() for ln in data_path(ASAT_PRE_EVENT_TLE).read_text().splitlines() if ln.strip()]
    out = {}
    i = 0
    while i < len(lines):
        if lines[i].startswith("1 ") and i + 1 < len(lines) and lines[i + 1].startswith("2 "):
            name, l1, l2, step = "", lines[i], lines[i + 1], 2
        elif i + 2 < len(lines) and lines[i + 1].startswith("1 ") and lines[i + 2].startswith("2 "):
            name, l1, l2, step = lines[i].strip(), lines[i + 1], lines[i + 2], 3
        else:
            i += 1
            continue
        out[int(l1[2:7])] = (name, l1, l2)
        i += step
    return out


# -- TOML -------------------------------------------------------------------------------------

_TOP_KEYS = {"name", "title", "epoch", "hypothetical", "target", "interceptor", "simulation",
             "taxonomy", "sources", "breakup", "uncertainty"}


class _Reader:
    """Typed access to a TOML table with errors naming the file and the dotted field."""

    def __init__(self, table: Mapping, prefix: str, path):
        self.t, self.prefix, self.path = table, prefix, path

    def _name(self, key):
        return f"{self.prefix}{key}"

    def fail(self, key, msg):
        raise ParseError(f"{self._name(key)}: {msg}", path=self.path)

    def number(self, key, default=None, required=False):
        if key not in self.t:
            if required:
                self.fail(key, "missing (a number is required)")
            return default
        v = self.t[key]
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.fail(key, f"{v!r} is not a number")
        v = float(v)
        if not math.isfinite(v):
            self.fail(key, f"{v!r} is not a finite number")
        return v

    def text(self, key, default=None, required=False):
        if key not in self.t:
            if required:
                self.fail(key, "missing (text is required)")
            return default
        v = self.t[key]
        if not isinstance(v, str):
            self.fail(key, f"{v!r} is not text")
        return v

    def boolean(self, key, default):
        v = self.t.get(key, default)
        if not isinstance(v, bool):
            self.fail(key, f"{v!r} is not true/false")
        return v

    def table(self, key, required=False):
        if key not in self.t:
            if required:
                self.fail(key, "missing table")
            return None
        v = self.t[key]
        if not isinstance(v, dict):
            self.fail(key, "expected a table")
        return _Reader(v, f"{self.prefix}{key}.", self.path)

    def check_keys(self, allowed):
        for k in self.t:
            if k not in allowed:
                self.fail(k, "unknown field (expected one of " + ", ".join(sorted(allowed)) + ")")


def _parse_orbit(r: _Reader | None, norad_id, path) -> Orbit:
    if r is None:
        if norad_id is None:
            raise ParseError("target: give norad_id (with a pre-event element set) or a [target.orbit] table",
                             path=path)
        tles = pre_event_tles()
        if norad_id not in tles:
            raise ParseError(f"target.norad_id: {norad_id} has no pre-event element set in "
                             f"asat-targets-pre-event.tle (known: {sorted(tles)}); give [target.orbit]",
                             path=path)
        _, l1, l2 = tles[norad_id]
        return Orbit.from_tle(l1, l2)
    r.check_keys({"altitude_km", "perigee_km", "apogee_km", "inclination_deg", "raan_deg",
                  "arg_perigee_deg", "mean_anomaly_deg", "tle"})
    if "tle" in r.t:
        tle = r.t["tle"]
        if not (isinstance(tle, list) and len(tle) == 2 and all(isinstance(x, str) for x in tle)):
            r.fail("tle", "expected two strings (TLE line 1 and line 2)")
        try:
            return Orbit.from_tle(tle[0], tle[1])
        except (ValueError, IndexError) as exc:
            r.fail("tle", f"not a valid element set ({exc})")
    inc = r.number("inclination_deg", required=True)
    if "altitude_km" in r.t:
        if "perigee_km" in r.t or "apogee_km" in r.t:
            r.fail("altitude_km", "give either altitude_km or perigee_km + apogee_km, not both")
        alt = r.number("altitude_km")
        per = apo = alt
    else:
        per = r.number("perigee_km", required=True)
        apo = r.number("apogee_km", required=True)
    return Orbit(perigee_km=per, apogee_km=apo, inclination_deg=inc,
                 raan_deg=r.number("raan_deg", 0.0), arg_perigee_deg=r.number("arg_perigee_deg", 0.0),
                 mean_anomaly_deg=r.number("mean_anomaly_deg", 0.0))


def from_dict(doc: Mapping[str, Any], path=None) -> Scenario:
    """Build a :class:`Scenario` from a parsed TOML document; errors name ``path`` and the field."""
    top = _Reader(doc, "", path)
    top.check_keys(_TOP_KEYS)
    name = top.text("name", default=Path(path).stem if path else "scenario")
    if "epoch" not in doc:
        top.fail("epoch", "missing (a UTC date-time is required, e.g. 2021-11-15T02:47:00Z)")
    epoch = _epoch_value(doc["epoch"], path)

    t = top.table("target", required=True)
    t.check_keys({"name", "norad_id", "mass_kg", "size_m", "object_type", "owner", "orbit"})
    norad_id = t.t.get("norad_id")
    if norad_id is not None and (isinstance(norad_id, bool) or not isinstance(norad_id, int) or norad_id <= 0):
        t.fail("norad_id", f"{norad_id!r} is not a positive integer")
    orbit = _parse_orbit(t.table("orbit"), norad_id, path)
    target = Target(mass_kg=t.number("mass_kg", required=True), orbit=orbit,
                    name=t.text("name", default=f"NORAD {norad_id}" if norad_id else "target"),
                    norad_id=norad_id, size_m=t.number("size_m", float("nan")),
                    object_type=t.text("object_type", "PAYLOAD"), owner=t.text("owner", ""))

    i = top.table("interceptor", required=True)
    i.check_keys({"mass_kg", "closing_speed_km_s", "geometry", "relative_velocity_km_s"})
    interceptor = _parse_interceptor(i)
    breakup_settings = _parse_breakup(top.table("breakup"))
    uncertainty = _parse_uncertainty(top.table("uncertainty"))

    sim = top.table("simulation") or _Reader({}, "simulation.", path)
    sim.check_keys({"min_size_m", "seeds", "n_seeds", "screening_days", "screening_threshold_km",
                    "horizon_years", "screened_members", "targets"})
    screened_members = sim.t.get("screened_members", DEFAULT_SCREENED_MEMBERS)
    if isinstance(screened_members, bool) or not isinstance(screened_members, int) or screened_members < 0:
        sim.fail("screened_members", f"{screened_members!r}; expected an integer >= 0")
    if "seeds" in sim.t:
        seeds = sim.t["seeds"]
        if not (isinstance(seeds, list) and seeds and all(isinstance(s, int) and not isinstance(s, bool)
                                                          and s >= 0 for s in seeds)):
            sim.fail("seeds", "expected a non-empty list of non-negative integers")
        seeds = tuple(seeds)
    else:
        n = sim.t.get("n_seeds", 1)
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            sim.fail("n_seeds", f"{n!r}; expected a positive integer")
        seeds = tuple(range(1, n + 1))

    tax = top.table("taxonomy") or _Reader({}, "taxonomy.", path)
    tax.check_keys({"behaviour", "stated_intention", "tester"})
    default_behaviour = ("destructive co-orbital ASAT test" if interceptor.geometry == "co-orbital"
                         else "destructive direct-ascent ASAT test")
    taxonomy = Taxonomy(behaviour=tax.text("behaviour", default_behaviour),
                        stated_intention=tax.text("stated_intention", "test"),
                        tester=tax.text("tester", target.owner))
    from .owners import check_owner, known_codes

    codes = known_codes()
    if target.owner:
        check_owner(target.owner, "target.owner", codes, path)
    if not taxonomy.tester:
        tax.fail("tester", "missing: every run reports the tester's share of the risk; give the testing "
                           "state's SATCAT owner code (e.g. US, PRC, CIS, IND; 'orbitsim catalog owners')")
    check_owner(taxonomy.tester, "taxonomy.tester", codes, path)

    src = top.table("sources") or _Reader({}, "sources.", path)
    sources = {}
    for k, v in src.t.items():
        if not isinstance(v, str):
            src.fail(k, "expected text naming the source")
        sources[k] = v

    try:
        return Scenario(
            name=name, epoch=epoch, target=target, interceptor=interceptor, taxonomy=taxonomy,
            title=top.text("title", ""),
            min_size_m=sim.number("min_size_m", 0.1), seeds=seeds,
            screening_days=sim.number("screening_days", 7.0),
            screening_threshold_km=sim.number("screening_threshold_km", 5.0),
            horizon_years=sim.number("horizon_years", 100.0),
            hypothetical=top.boolean("hypothetical", True), sources=sources,
            path=str(path) if path is not None else None, breakup=breakup_settings,
            uncertainty=uncertainty, screened_members=screened_members,
            targets=sim.text("targets", None))
    except ParseError:
        raise
    except InputError as exc:
        raise ParseError(str(exc), path=path) from None


def _parse_interceptor(i: "_Reader") -> Interceptor:
    """``[interceptor]``: mass, closing speed and/or ``relative_velocity_km_s`` (RIC), geometry."""
    geometry = i.text("geometry", "direct-ascent")
    if geometry not in GEOMETRIES:
        i.fail("geometry", f"{geometry!r}; expected one of " + ", ".join(GEOMETRIES))
    rel = None
    if "relative_velocity_km_s" in i.t:
        x = i.t["relative_velocity_km_s"]
        if not (isinstance(x, list) and len(x) == 3 and all(isinstance(c, (int, float)) and not isinstance(c, bool)
                                                            and math.isfinite(c) for c in x)):
            i.fail("relative_velocity_km_s", f"{x!r}; expected three numbers [radial, in-track, cross-track] km/s")
        rel = tuple(float(c) for c in x)
        speed_rel = math.sqrt(sum(c * c for c in rel))
        if speed_rel <= 0.0:
            i.fail("relative_velocity_km_s", "is the zero vector; expected a closing velocity")
    speed = i.number("closing_speed_km_s", required=rel is None)
    if rel is not None:
        if speed is not None and abs(speed - speed_rel) > 0.01 * speed_rel:
            i.fail("closing_speed_km_s", f"{speed:g} km/s differs from |relative_velocity_km_s| = "
                   f"{speed_rel:.4g} km/s; give one or make them agree")
        speed = speed_rel
    return Interceptor(mass_kg=i.number("mass_kg", required=True), closing_speed_km_s=speed,
                       geometry=geometry, relative_velocity_ric_km_s=rel)


def _parse_breakup(b: "_Reader | None") -> BreakupSettings:
    """``[breakup]``: ``mode`` and optional ``forward_bias``."""
    if b is None:
        return BreakupSettings()
    b.check_keys({"mode", "forward_bias"})
    mode = b.text("mode", DEFAULT_BREAKUP_MODE)
    if mode not in BREAKUP_MODES:
        b.fail("mode", f"{mode!r}; expected one of " + ", ".join(BREAKUP_MODES))
    fb = b.number("forward_bias", float("nan"))
    if not (math.isnan(fb) or 0.0 <= fb <= 1.0):
        b.fail("forward_bias", f"{fb!r}; expected a number in 0..1")
    return BreakupSettings(mode=mode, forward_bias=fb)


def _parse_uncertainty(u: "_Reader | None") -> dict:
    """``[uncertainty]``: ``name = [low, high]`` for the inputs of :data:`UNCERTAIN_INPUTS`."""
    if u is None:
        return {}
    u.check_keys(set(UNCERTAIN_INPUTS))
    out = {}
    for k, x in u.t.items():
        if k == "direction_cone_deg" and isinstance(x, (int, float)) and not isinstance(x, bool):
            x = [0.0, x]
        if not (isinstance(x, list) and len(x) == 2 and all(isinstance(c, (int, float)) and not isinstance(c, bool)
                                                            and math.isfinite(c) for c in x)):
            u.fail(k, f"{x!r}; expected [low, high]")
        lo, hi = float(x[0]), float(x[1])
        if not (0.0 <= lo <= hi) or (k != "direction_cone_deg" and lo <= 0.0):
            u.fail(k, f"[{lo:g}, {hi:g}]; expected 0 < low <= high")
        if k == "direction_cone_deg" and hi > 90.0:
            u.fail(k, f"{hi:g} deg; expected a cone half-angle of at most 90 deg")
        out[k] = (lo, hi)
    return out


def loads(text: str, path=None) -> Scenario:
    """Parse scenario TOML text."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ParseError(f"not valid TOML: {exc}", path=path) from None
    return from_dict(doc, path=path)


def load(path: str | Path) -> Scenario:
    """Read a scenario TOML file."""
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p} is a folder; expected a scenario TOML file (or a preset name: "
                         f"{', '.join(PRESETS)})")
    if not p.is_file():
        raise InputError(f"{p}: no such scenario file (or a preset name: {', '.join(PRESETS)})")
    return loads(p.read_text(encoding="utf-8"), path=p)


def preset_path(name: str) -> Path:
    """Return the path of a packaged preset TOML."""
    if name not in PRESETS:
        raise InputError(f"unknown preset {name!r}; presets are: {', '.join(PRESETS)}")
    return Path(__file__).resolve().parent / "presets" / f"{name}.toml"


def load_preset(name: str) -> Scenario:
    """Load one of the four real tests (``fengyun-1c``, ``usa-193``, ``microsat-r``, ``cosmos-1408``)."""
    return load(preset_path(name))


def resolve(preset_or_file: str | Path) -> Scenario:
    """A preset name or a TOML path -> :class:`Scenario` (what the CLI's argument means)."""
    s = str(preset_or_file)
    if s in PRESETS:
        return load_preset(s)
    return load(s)


def list_presets() -> list[tuple[str, str]]:
    """Return ``[(name, title), ...]`` of the packaged presets."""
    return [(n, load_preset(n).title) for n in PRESETS]
