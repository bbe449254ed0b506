"""The report's figures (matplotlib). Every function takes ``ax=None`` and returns the Axes.

- :func:`gabbard`: Gabbard diagram (apogee and perigee against orbital period), the standard picture
  of a breakup cloud;
- :func:`on_orbit_over_time`: fragments still on orbit against years after the event, median and
  5-95% band;
- :func:`density_by_altitude`: spatial density added per altitude shell next to the existing catalog;
- :func:`leo_vs_high_leo`: the same test at several altitudes, side by side.

:func:`save` writes a figure as PNG deterministically (no software/time metadata).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..io import atomic_write


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline"):
        pass
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.0, 4.5), dpi=100)
    return ax


def gabbard(perigee_km, apogee_km, period_min, *, ax=None, title: str | None = None, parent=None):
    """Gabbard diagram: apogee (triangles up) and perigee (down) altitude vs period, minutes.

    ``parent``: optional ``(period_min, altitude_km)`` of the destroyed satellite, marked with a star.
    """
    ax = _axes(ax)
    per = np.asarray(perigee_km, dtype=float)
    apo = np.asarray(apogee_km, dtype=float)
    T = np.asarray(period_min, dtype=float)
    ms = 6 if per.size < 500 else 2
    ax.scatter(T, apo, s=ms, marker="^", color="tab:red", label="apogee", linewidths=0)
    ax.scatter(T, per, s=ms, marker="v", color="tab:blue", label="perigee", linewidths=0)
    if parent is not None:
        ax.scatter([parent[0]], [parent[1]], s=120, marker="*", color="k", label="target", zorder=3)
    ax.set_xlabel("orbital period (min)")
    ax.set_ylabel("altitude (km)")
    ax.set_title(title or "Gabbard diagram")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")
    return ax


def on_orbit_over_time(times_years, median, lo=None, hi=None, *, ax=None, label: str | None = None,
                       title: str | None = None, logy: bool = False, logx: bool = True):
    """Fragments (>= 10 cm) still on orbit vs years after the event; optional 5-95% band.

    ``logx``: linear over the first year, logarithmic after (symlog), so months and decades both show.
    """
    ax = _axes(ax)
    t = np.asarray(times_years, dtype=float)
    line, = ax.plot(t, median, label=label or "median")
    if lo is not None and hi is not None:
        ax.fill_between(t, lo, hi, color=line.get_color(), alpha=0.25, linewidth=0,
                        label=None if label else "5-95% band")
    ax.set_xlabel("years after the event")
    ax.set_ylabel("fragments >= 10 cm on orbit")
    if logy:
        ax.set_yscale("symlog", linthresh=1.0)
    if logx:
        ax.set_xscale("symlog", linthresh=1.0, linscale=0.5)
    ax.set_xlim(t.min(), t.max())
    ax.set_ylim(bottom=0)
    ax.set_title(title or "Fragments on orbit over time")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def density_by_altitude(shell_low_km, shell_high_km, catalog_density, added_density, *, ax=None,
                        added_label: str = "added by the test (just after)", title: str | None = None,
                        extra=None):
    """Spatial density (objects per km^3) per altitude shell: catalog vs added by the test.

    ``extra``: optional list of ``(label, density_array)`` drawn as further steps (e.g. at 1 year).
    """
    ax = _axes(ax)
    lo = np.asarray(shell_low_km, dtype=float)
    hi = np.asarray(shell_high_km, dtype=float)
    mid = 0.5 * (lo + hi)
    ax.step(mid, catalog_density, where="mid", color="0.4", label="existing catalog")
    ax.step(mid, added_density, where="mid", color="tab:red", label=added_label)
    for lab, d in extra or ():
        ax.step(mid, d, where="mid", label=lab)
    ax.set_yscale("log")
    ax.set_xlabel("altitude (km)")
    ax.set_ylabel("spatial density (objects / km$^3$)")
    ax.set_title(title or "Spatial density by altitude shell")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def leo_vs_high_leo(altitudes_km, series: dict, *, ax=None, title: str | None = None, logy: bool = True):
    """The same test at each altitude: one line per metric, with 5-95% bands.

    ``series``: ``{label: (median, p05, p95)}`` or ``{label: median}`` arrays over the altitudes
    (e.g. fragments on orbit after 1, 25 and 100 years).
    """
    ax = _axes(ax)
    x = np.asarray(altitudes_km, dtype=float)
    for label, val in series.items():
        if isinstance(val, tuple):
            med, lo, hi = (np.asarray(v, dtype=float) for v in val)
        else:
            med, lo, hi = np.asarray(val, dtype=float), None, None
        line, = ax.plot(x, med, marker="o", label=label)
        if lo is not None:
            ax.fill_between(x, lo, hi, color=line.get_color(), alpha=0.2, linewidth=0)
    if logy:
        ax.set_yscale("symlog", linthresh=1.0)
    ax.set_xlabel("altitude of the test (km)")
    ax.set_ylabel("fragments >= 10 cm on orbit")
    ax.set_title(title or "The same test in LEO and high LEO")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def save(ax_or_fig, path: str | Path, *, dpi: int = 100) -> Path:
    """Write a figure as PNG atomically and deterministically, then close it."""
    import matplotlib.pyplot as plt

    fig = getattr(ax_or_fig, "figure", ax_or_fig)
    fig.tight_layout()
    with atomic_write(path, "wb") as fh:
        fig.savefig(fh, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return Path(path)


def observed_survivors(times_years, observed, *, ax=None, label: str = "catalogued debris (SATCAT decay dates)"):
    """Overlay the record: a test's catalogued debris still on orbit (or its fraction) vs years.

    ``observed`` is a count or fraction per time (NaN beyond the catalogue snapshot, not drawn).
    """
    ax = _axes(ax)
    t = np.asarray(times_years, dtype=float)
    y = np.asarray(observed, dtype=float)
    ok = np.isfinite(y)
    ax.step(t[ok], y[ok], where="post", color="k", linestyle="--", linewidth=1.2, label=label)
    ax.legend(fontsize="small")
    return ax


def on_orbit_with_record(times_years, median, lo, hi, n_model, record_times, record_counts, n_record,
                         *, title: str | None = None):
    """Two panels: fragments >= 10 cm on orbit (counts) and fraction of each cloud, model vs record.

    ``n_model``: the model's fragments >= 10 cm after the event (median); ``n_record``: the
    test's catalogued debris. Returns the left Axes (its figure holds both).
    """
    import matplotlib.pyplot as plt

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11.0, 4.5), dpi=100)
    on_orbit_over_time(times_years, median, lo, hi, ax=a1, label="model median (band if shown)",
                       title=title or "Fragments on orbit over time")
    observed_survivors(record_times, record_counts, ax=a1)
    n = max(float(n_model), 1.0)
    frac = lambda x: None if x is None else np.asarray(x, dtype=float) / n  # noqa: E731
    on_orbit_over_time(times_years, frac(median), frac(lo), frac(hi), ax=a2, label="model",
                       title="Fraction of the cloud still on orbit")
    a2.set_ylabel("fraction still on orbit")
    observed_survivors(record_times, np.asarray(record_counts, dtype=float) / max(n_record, 1), ax=a2)
    a2.set_ylim(0.0, 1.05)
    return a1
