"""Hindcasts of the long-term decay model against the observed record (SATCAT decay dates).

A hindcast takes a catalog of element sets at some past epoch, predicts every object's re-entry
with :func:`orbitsim.evolution.decay` (the same physics and defaults as ``orbitsim decay`` and as
the pipeline's fragment clouds), and compares with what happened: the ``decay_date`` column of a
CelesTrak SATCAT (empty: still on orbit when the SATCAT was written).

Definitions (docs/validation.md)
--------------------------------
- **Objects compared**: the catalog's objects found in the SATCAT, payloads excluded unless asked
  (they manoeuvre, so their fate says nothing about drag), objects whose SATCAT decay date is
  before their element-set epoch excluded (a stale element set).
- **Survivors** at the first of each month from the month after the median epoch to ``until``:
  observed = objects whose SATCAT decay date is after that day (or empty); model = objects whose
  predicted decay is after that day.
- **Lifetime ratio**, for every object that re-entered (SATCAT) before ``until``:
  ``(model decay - epoch) / (observed decay - epoch)``, both from the object's own element-set
  epoch. The model is run past ``until`` (to ``until + extra_years``, default 15 years) so that an object the model
  keeps up longer still gets a ratio; if it is still up at that horizon its ratio is the lower
  bound ``(horizon - epoch) / (observed decay - epoch)`` (counted in the quantiles as such, and in
  ``n_ratio_lower_bounds``). Objects still on orbit at ``until`` have no ratio; they enter the
  survivor curves and ``n_model_reentries`` (a model re-entry of an object that stayed up is an
  early prediction).
- ``max_survivor_error_fraction``: the largest ``|model - observed| / observed`` over the months.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import data
from .errors import InputError, ParseError
from .timeutil import JD_UNIX_EPOCH, jd_to_iso, parse_iso, datetime64_to_jd

__all__ = ["HindcastResult", "hindcast", "read_decay_dates", "write_hindcast", "SUMMARY_KEYS"]

_YEAR_D = 365.25

#: Keys of ``summary.json`` (the interface), in order.
SUMMARY_KEYS = ("n_objects", "n_observed_reentries", "n_model_reentries", "median_lifetime_ratio",
                "p10_lifetime_ratio", "p90_lifetime_ratio", "fraction_within_1_5x",
                "max_survivor_error_fraction")


def read_decay_dates(path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """NORAD id, object type and decay Julian date (NaN: on orbit) from a CelesTrak SATCAT CSV.

    Raises
    ------
    ParseError
        Naming the file and line if a column is missing or a decay date is not ``YYYY-MM-DD``.
    """
    path = Path(path)
    ids, types, dec = [], [], []
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            raise ParseError("empty file; expected a CelesTrak SATCAT CSV", path, 1) from None
        try:
            i_id = header.index("norad_cat_id")
            i_ty = header.index("object_type")
            i_dec = header.index("decay_date")
        except ValueError:
            raise ParseError("not a CelesTrak SATCAT CSV: expected columns norad_cat_id, object_type, "
                             "decay_date", path, 1) from None
        for lineno, row in enumerate(reader, start=2):
            if not row or len(row) <= max(i_id, i_ty, i_dec):
                continue
            try:
                nid = int(row[i_id])
            except ValueError:
                raise ParseError(f"norad_cat_id {row[i_id]!r} is not an integer", path, lineno) from None
            d = row[i_dec].strip()
            if d:
                try:
                    jd = float(np.datetime64(d[:10], "D").astype(np.int64)) + JD_UNIX_EPOCH
                except ValueError:
                    raise ParseError(f"decay_date {d!r} is not YYYY-MM-DD", path, lineno) from None
            else:
                jd = np.nan
            ids.append(nid)
            types.append(row[i_ty].strip().upper())
            dec.append(jd)
    ids = np.array(ids, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    return ids[order], np.array(types, dtype=object)[order], np.array(dec, dtype=np.float64)[order]


@dataclass
class HindcastResult:
    """Observed and modelled fates of a catalog's objects (struct of arrays) and the comparison."""

    norad_id: np.ndarray
    epoch_jd: np.ndarray
    observed_decay_jd: np.ndarray  # NaN: on orbit at ``until``
    model_decay_jd: np.ndarray  # NaN: on orbit at the model horizon
    ratio: np.ndarray  # NaN where the object did not re-enter before ``until``
    ratio_lower_bound: np.ndarray  # bool: the model kept the object up to its horizon
    survivor_jd: np.ndarray
    observed_on_orbit: np.ndarray
    model_on_orbit: np.ndarray
    until_jd: float
    model_horizon_jd: float
    summary: dict
    parameters: dict = field(default_factory=dict)


def _quantile(x: np.ndarray, q: float) -> float | None:
    if len(x) == 0:
        return None
    return float(np.quantile(x, q))


def _month_starts(jd_from: float, jd_to: float) -> np.ndarray:
    d0 = (np.datetime64(int(math.floor(jd_from - JD_UNIX_EPOCH)), "D").astype("datetime64[M]") + 1)
    d1 = np.datetime64(int(math.floor(jd_to - JD_UNIX_EPOCH)), "D").astype("datetime64[M]")
    months = np.arange(d0, d1 + 1)
    return months.astype("datetime64[D]").astype(np.int64).astype(np.float64) + JD_UNIX_EPOCH


def hindcast(catalog, until, *, satcat_path=None, include_payloads: bool = False,
             extra_years: float = 15.0, threads: int | None = None, **decay_kwargs) -> HindcastResult:
    """Predict the re-entry of every object of ``catalog`` and compare with the SATCAT record.

    Parameters
    ----------
    catalog : Catalog
        Element sets at a past epoch.
    until : str, datetime64 or float JD
        The last date of the record to compare with (at most the SATCAT's date).
    satcat_path : path, optional
        CelesTrak SATCAT CSV with ``decay_date`` (default: the embedded one).
    include_payloads : bool
        Keep objects the SATCAT types PAYLOAD (excluded by default: they manoeuvre).
    extra_years : float
        How far past ``until`` the model runs, so that objects it keeps up longer get a ratio.
    **decay_kwargs
        Passed to :func:`orbitsim.evolution.decay` (e.g. ``bstar_conversion``, ``cd``).

    Returns
    -------
    HindcastResult
    """
    from .evolution import decay

    until_jd = _as_jd(until, "until")
    sat_ids, sat_types, sat_dec = read_decay_dates(satcat_path or data.data_path(data.SATCAT_CSV))
    ids = np.asarray(catalog.norad_id, dtype=np.int64)
    pos = np.clip(np.searchsorted(sat_ids, ids), 0, max(len(sat_ids) - 1, 0))
    found = (len(sat_ids) > 0) & (sat_ids[pos] == ids) if len(sat_ids) else np.zeros(len(ids), bool)
    ep_all = np.asarray(catalog.epoch_jd, dtype=np.float64) + np.asarray(catalog.epoch_fr, dtype=np.float64)
    obs_all = np.where(found, sat_dec[pos], np.nan)
    keep = found & ~(obs_all < np.floor(ep_all - 0.5) + 0.5)
    n_payload = 0
    if not include_payloads:
        pay = found & (sat_types[pos] == "PAYLOAD")
        n_payload = int((pay & keep).sum())
        keep &= ~pay
    if not keep.any():
        raise InputError("hindcast: no object of the catalog is in the SATCAT (payloads excluded: "
                         f"{n_payload}); nothing to compare")
    if until_jd <= np.median(ep_all[keep]):
        raise InputError(f"until: {jd_to_iso(np.array([until_jd]))[0]} is not after the catalog's median epoch")
    idx = np.flatnonzero(keep)
    sub = catalog[idx]
    ep = ep_all[idx]
    obs = obs_all[idx]
    obs = np.where(obs <= until_jd, obs, np.nan)
    start_jd = float(np.min(ep))
    horizon_jd = until_jd + extra_years * _YEAR_D
    res = decay(sub, start=start_jd, years=(horizon_jd - start_jd) / _YEAR_D, threads=threads,
                output_years=(), **decay_kwargs)
    model = np.where(res.status == 1, res.decay_jd, np.nan)
    valid = res.status != 2
    # lifetime ratios for the objects that re-entered
    dec_obs = np.isfinite(obs) & valid
    life_obs = np.maximum(obs - ep, 0.5)  # decay dates are whole days: at least half a day
    life_mod = np.where(np.isfinite(model), model, horizon_jd) - ep
    ratio = np.where(dec_obs, np.maximum(life_mod, 0.0) / life_obs, np.nan)
    lower = dec_obs & ~np.isfinite(model)
    # survivors at month starts
    months = _month_starts(float(np.median(ep)), until_jd)
    up_obs = np.where(np.isfinite(obs), obs, np.inf)
    up_mod = np.where(np.isfinite(model), model, np.inf)
    so = np.array([int(((up_obs > d) & valid).sum()) for d in months], dtype=np.int64)
    sm = np.array([int(((up_mod > d) & valid).sum()) for d in months], dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        err = np.abs(sm - so) / so
    r = ratio[dec_obs]
    summary = {
        "n_objects": int(valid.sum()),
        "n_observed_reentries": int(dec_obs.sum()),
        "n_model_reentries": int((valid & (up_mod <= until_jd)).sum()),
        "median_lifetime_ratio": _quantile(r, 0.5),
        "p10_lifetime_ratio": _quantile(r, 0.1),
        "p90_lifetime_ratio": _quantile(r, 0.9),
        "fraction_within_1_5x": float(np.mean((r >= 1 / 1.5) & (r <= 1.5))) if len(r) else None,
        "max_survivor_error_fraction": float(np.max(err[np.isfinite(err)])) if np.isfinite(err).any() else None,
    }
    params = {"until_utc": str(jd_to_iso(np.array([until_jd]))[0]),
              "model_horizon_utc": str(jd_to_iso(np.array([horizon_jd]))[0]),
              "include_payloads": include_payloads, "payloads_excluded": n_payload,
              "not_in_satcat": int((~found).sum()),
              "stale_element_sets_excluded": int((found & (obs_all < np.floor(ep_all - 0.5) + 0.5)).sum()),
              "n_ratio_lower_bounds": int(lower.sum()), "invalid_elements": int((~valid).sum()),
              "median_epoch_utc": str(jd_to_iso(np.array([float(np.median(ep))]))[0])}
    params.update({k: v for k, v in res.parameters.items() if isinstance(v, (str, int, float, bool, type(None)))})
    return HindcastResult(norad_id=np.asarray(sub.norad_id, dtype=np.int64), epoch_jd=ep, observed_decay_jd=obs,
                          model_decay_jd=model, ratio=ratio, ratio_lower_bound=lower, survivor_jd=months,
                          observed_on_orbit=so, model_on_orbit=sm, until_jd=until_jd,
                          model_horizon_jd=horizon_jd, summary=summary, parameters=params)


def _as_jd(t, what: str) -> float:
    if isinstance(t, (float, int, np.floating)) and not isinstance(t, bool):
        return float(t)
    if isinstance(t, str):
        t = parse_iso(t, what)
    jd, fr = datetime64_to_jd(t)
    return float(jd) + float(fr)


def _iso_or_empty(jd: np.ndarray) -> np.ndarray:
    out = np.full(len(jd), "", dtype=object)
    ok = np.isfinite(jd)
    if ok.any():
        out[ok] = jd_to_iso(jd[ok])
    return out


def _day(jd: np.ndarray) -> np.ndarray:
    return np.array([s[:10] for s in _iso_or_empty(jd)], dtype=object)


def plot_hindcast(result: HindcastResult, axes=None):
    """Survivor curves (observed, model) and the histogram of lifetime ratios.

    Parameters
    ----------
    axes : pair of matplotlib Axes, optional
        Created (one figure, two panels) when None.

    Returns
    -------
    (ax_survivors, ax_ratio)
    """
    import matplotlib

    if axes is None:
        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        _fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    ax1, ax2 = axes
    t = result.survivor_jd.astype("float64") - JD_UNIX_EPOCH
    dates = np.datetime64("1970-01-01") + t.astype("int64").astype("timedelta64[D]")
    ax1.plot(dates, result.observed_on_orbit, label="observed (SATCAT)", color="black")
    ax1.plot(dates, result.model_on_orbit, label="model", color="tab:red", ls="--")
    ax1.set_ylabel("objects on orbit")
    ax1.set_title("survivors")
    ax1.legend()
    r = result.ratio[np.isfinite(result.ratio)]
    if len(r):
        bins = np.logspace(np.log10(0.1), np.log10(10.0), 41)
        ax2.hist(np.clip(r, 0.1, 10.0), bins=bins, color="tab:blue")
        ax2.set_xscale("log")
        ax2.axvline(1.0, color="black", lw=1)
        med = result.summary["median_lifetime_ratio"]
        ax2.axvline(med, color="tab:red", ls="--", label=f"median {med:.2f}")
        ax2.legend()
    ax2.set_xlabel("model / observed lifetime from epoch")
    ax2.set_ylabel("objects re-entered")
    ax2.set_title("lifetime ratio")
    ax1.figure.autofmt_xdate()
    return ax1, ax2


def write_hindcast(result: HindcastResult, out_dir, *, force: bool = False, provenance: dict | None = None) -> Path:
    """Write ``survivors.csv``, ``lifetimes.csv``, ``summary.json`` and ``hindcast.png`` atomically."""
    from .io import atomic_dir, atomic_write, write_csv

    with atomic_dir(out_dir, force=force) as tmp:
        write_csv(tmp / "survivors.csv", {"date_utc": _day(result.survivor_jd),
                                          "observed_on_orbit": result.observed_on_orbit,
                                          "model_on_orbit": result.model_on_orbit})
        write_csv(tmp / "lifetimes.csv", {"norad_id": result.norad_id, "epoch_utc": _iso_or_empty(result.epoch_jd),
                                          "observed_decay_utc": _day(result.observed_decay_jd),
                                          "model_decay_utc": _iso_or_empty(result.model_decay_jd),
                                          "ratio": result.ratio})
        summary = {k: result.summary[k] for k in SUMMARY_KEYS}
        with atomic_write(tmp / "summary.json") as fh:
            json.dump(summary, fh, indent=2, allow_nan=False)
            fh.write("\n")
        with atomic_write(tmp / "provenance.json") as fh:
            json.dump({**(provenance or {}), "parameters": result.parameters}, fh, indent=2, sort_keys=True,
                      allow_nan=False, default=str)
            fh.write("\n")
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        ax1, _ax2 = plot_hindcast(result)
        with atomic_write(tmp / "hindcast.png", "wb") as fh:
            ax1.figure.savefig(fh, format="png", dpi=110, bbox_inches="tight")
        plt.close(ax1.figure)
    return Path(out_dir)
