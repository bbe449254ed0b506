"""The catalogued environment a test adds to: the SATCAT's objects still in orbit.

A debris cloud's collision risk means most next to the risk that is already there. The embedded
SATCAT (CelesTrak, 2025-03) lists perigee, apogee and inclination for every catalogued object still
in orbit -- debris and rocket bodies included, which the embedded element sets lack -- so it serves
as the statistical background population of the cell method (:mod:`orbitsim.risk`): orbits with
random node and perigee, as the long-term rates assume anyway.

What the background is, stated:

* catalogued objects only (the SSN's ~10 cm limit in LEO): the 1 mm-10 cm population that models
  such as ORDEM and MASTER add is not in it, so ratios against it say how a test compares with the
  *trackable* environment;
* the environment at the SATCAT's snapshot, held static over the horizon (no launches, no decay);
* without the objects at risk themselves (the target list is excluded by id: a satellite does not
  collide with itself, and active payloads coordinate with each other), and optionally without an
  event's own catalogued debris (:func:`load`, ``exclude_launch``);
* sizes and masses as for any catalog object (:mod:`orbitsim.formats.satcat`, :mod:`orbitsim.physical`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import data, physical
from .formats import satcat as _satcat

#: Objects whose perigee lies above this are left out [km] (the IADC LEO protected region's top).
MAX_PERIGEE_KM = 2000.0
#: WGS72 equatorial radius [km], the SATCAT's altitude reference.
EARTH_RADIUS_KM = 6378.135


@dataclass(frozen=True)
class Background:
    """Struct of arrays, one entry per background object."""

    norad_id: np.ndarray
    object_type: np.ndarray
    owner: np.ndarray
    intl_designator: np.ndarray
    perigee_km: np.ndarray
    apogee_km: np.ndarray
    inclination_deg: np.ndarray
    size_m: np.ndarray
    mass_kg: np.ndarray
    size_estimated: np.ndarray
    snapshot: str
    source: str

    def __len__(self) -> int:
        return len(self.norad_id)

    @property
    def semi_major_axis_km(self) -> np.ndarray:
        return EARTH_RADIUS_KM + 0.5 * (self.perigee_km + self.apogee_km)

    @property
    def eccentricity(self) -> np.ndarray:
        return (self.apogee_km - self.perigee_km) / (2.0 * EARTH_RADIUS_KM + self.perigee_km + self.apogee_km)

    def counts_by_type(self) -> dict[str, int]:
        """Number of objects of each SATCAT type."""
        types, n = np.unique(self.object_type.astype(str), return_counts=True)
        return {str(t): int(k) for t, k in zip(types, n)}


def load(satcat_path=None, *, exclude_ids=(), exclude_launch: str | None = None,
         max_perigee_km: float = MAX_PERIGEE_KM) -> Background:
    """The SATCAT objects in orbit at the snapshot, as a background population.

    Parameters
    ----------
    satcat_path : path, optional
        A CelesTrak SATCAT CSV with perigee, apogee, inclination and decay-date columns (default:
        the embedded one). Objects without perigee/apogee are left out.
    exclude_ids : sequence of int
        NORAD ids to leave out (the targets whose risk is assessed).
    exclude_launch : str, optional
        An international-designator launch (``"2007-001"``, ``"1982-092"``): its objects are left
        out, e.g. the real debris of the event being re-simulated.
    max_perigee_km : float
        Leave out objects whose perigee is above this.
    """
    path = satcat_path or data.data_path(data.SATCAT_CSV)
    sc = _satcat.read_satcat(path)
    keep = np.isnat(sc["decay_date"]) & np.isfinite(sc["perigee_km"]) & np.isfinite(sc["apogee_km"])
    keep &= np.isfinite(sc["inclination_deg"]) & (sc["perigee_km"] <= max_perigee_km)
    keep &= (sc["perigee_km"] > 0) & (sc["apogee_km"] >= sc["perigee_km"])
    if len(exclude_ids):
        keep &= ~np.isin(sc["norad_id"], np.asarray(exclude_ids, dtype=np.int64))
    if exclude_launch:
        keep &= ~np.char.startswith(sc["intl_designator"].astype(str), str(exclude_launch))
    rows = np.flatnonzero(keep)
    f = {"norad_id": sc["norad_id"][rows].copy(), "name": sc["name"][rows].copy(),
         "intl_designator": sc["intl_designator"][rows].copy()}
    per, apo = sc["perigee_km"][rows], sc["apogee_km"][rows]
    regime = np.where(apo < MAX_PERIGEE_KM, "LEO", "HEO")
    f = _satcat.enrich(f, np.zeros(len(rows), bool), regime, path, data.data_path(data.UCS_CSV))
    f = physical.assign(f)
    launched = sc["launch_date"][rows]
    snapshot = str(np.max(launched[~np.isnat(launched)])) if np.any(~np.isnat(launched)) else ""
    return Background(
        norad_id=f["norad_id"], object_type=np.asarray(f["object_type"], dtype=object),
        owner=np.asarray(f["owner"], dtype=object), intl_designator=f["intl_designator"],
        perigee_km=per.astype(float), apogee_km=apo.astype(float),
        inclination_deg=sc["inclination_deg"][rows].astype(float),
        size_m=np.asarray(f["size_m"], float), mass_kg=np.asarray(f["mass_kg"], float),
        size_estimated=np.asarray(f["size_estimated"], bool), snapshot=snapshot, source=str(path))


def collision_rates_per_year(background: Background, targets, *, rng: np.random.Generator, **risk_kw):
    """Expected collisions per year of each target with the background (cell method).

    Parameters
    ----------
    background : Background
    targets : Catalog-like
        Objects at risk (``norad_id, owner, is_active, semi_major_axis_km, eccentricity,
        inclination_deg, size_m, mass_kg``); leave them out of ``background`` (:func:`load`,
        ``exclude_ids``).
    rng : numpy.random.Generator
        Orbit sampling (random nodes and perigees).
    **risk_kw
        ``cell_km``, ``samples_per_orbit``, ``target_samples_per_orbit`` of
        :func:`orbitsim.risk.expected_collisions_per_year`.

    Returns
    -------
    orbitsim.risk.CollisionRisk
        Per target; ``expected_per_year`` is the background rate.
    """
    from .risk import expected_collisions_per_year

    return expected_collisions_per_year(background.semi_major_axis_km, background.eccentricity,
                                        background.inclination_deg, background.size_m, background.mass_kg,
                                        targets, rng=rng, **risk_kw)


def risk_ratio(background_per_year, added_expected, days: float):
    """``(background + test) / background`` over a window of ``days``.

    Parameters
    ----------
    background_per_year : float or array
        Background collision rate [1/yr], static over the window.
    added_expected : float or array
        Expected collisions the test adds over the same window (NaN where beyond the horizon).
    days : float
        Window length [days].

    Returns
    -------
    float or array
        NaN where the background rate is zero or the added risk is unknown.
    """
    b = np.asarray(background_per_year, float) * (float(days) / 365.25)
    add = np.asarray(added_expected, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(b > 0, (b + add) / np.where(b > 0, b, 1.0), np.nan)
    return out if out.ndim else float(out)
