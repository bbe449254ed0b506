"""The report's figures (matplotlib). Every function takes ``ax=None`` and returns the Axes.

- :func:`gabbard`: Gabbard diagram (apogee and perigee against orbital period), the standard picture
  of a breakup cloud;
- :func:`on_orbit_over_time`: fragments still on orbit against years after the event, median and
  5-95% band;
- :func:`density_by_altitude`: spatial density added per altitude shell next to the existing catalog;
- :func:`leo_vs_high_leo`: the same test at several altitudes, side by side.

Every plot labels its axes with units, says in the legend what a band covers (:data:`BAND_LABEL`)
and stays readable in greyscale: series differ by line style and marker, not only by colour.

:func:`save` writes a figure as PNG deterministically (no software/time metadata).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..io import atomic_write

#: Legend text of every shaded band.
BAND_LABEL = "5-95% range over breakup seeds"

#: Line styles and markers cycled over series (greyscale-readable).
STYLES = (("-", "o"), ("--", "s"), (":", "^"), ("-.", "D"), ((0, (5, 1, 1, 1)), "v"))

#: Percentile of the cloud the Gabbard axes follow.
GABBARD_PERCENTILE = 99.0


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline"):
        pass
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.0, 4.5), dpi=100)
    return ax


def gabbard_limits(perigee_km, apogee_km, period_min, percentile: float = GABBARD_PERCENTILE):
    """Axis limits that follow the bulk of a cloud, and how many fragments lie beyond them.

    The upper limits are the ``percentile`` of the apogees and periods (plus a 5% margin); a few
    fragments thrown to very high apogee would otherwise squeeze the cloud into a corner.

    Returns
    -------
    (xlim, ylim, n_beyond, max_apogee_km)
        ``xlim`` in minutes, ``ylim`` in km; ``n_beyond`` fragments with apogee or period above
        the limits; ``max_apogee_km`` the highest apogee (NaN for an empty cloud).
    """
    per = np.asarray(perigee_km, dtype=float)
    apo = np.asarray(apogee_km, dtype=float)
    T = np.asarray(period_min, dtype=float)
    ok = np.isfinite(per) & np.isfinite(apo) & np.isfinite(T)
    if not ok.any():
        return None, None, 0, float("nan")
    per, apo, T = per[ok], apo[ok], T[ok]
    y_hi = float(np.percentile(apo, percentile))
    x_hi = float(np.percentile(T, percentile))
    y_lo, x_lo = float(per.min()), float(T.min())
    ypad = 0.05 * max(y_hi - y_lo, 10.0)
    xpad = 0.05 * max(x_hi - x_lo, 1.0)
    ylim = (max(y_lo - ypad, 0.0), y_hi + ypad)
    xlim = (x_lo - xpad, x_hi + xpad)
    beyond = int(np.count_nonzero((apo > ylim[1]) | (T > xlim[1])))
    return xlim, ylim, beyond, float(apo.max())


def gabbard(perigee_km, apogee_km, period_min, *, ax=None, title: str | None = None, parent=None,
            percentile: float | None = GABBARD_PERCENTILE):
    """Gabbard diagram: apogee (triangles up) and perigee (down) altitude vs period, minutes.

    ``parent``: optional ``(period_min, altitude_km)`` of the destroyed satellite, marked with a star.
    ``percentile``: the axes follow this percentile of the cloud (:func:`gabbard_limits`) and the
    fragments beyond are counted in a note under the axes; None shows every fragment.
    """
    ax = _axes(ax)
    per = np.asarray(perigee_km, dtype=float)
    apo = np.asarray(apogee_km, dtype=float)
    T = np.asarray(period_min, dtype=float)
    ms = 10 if per.size < 500 else 3
    ax.scatter(T, apo, s=ms, marker="^", color="tab:red", edgecolors="0.1", linewidths=0.3,
               label="apogee (one per fragment)")
    ax.scatter(T, per, s=ms, marker="v", facecolors="white", edgecolors="tab:blue", linewidths=0.6,
               label="perigee (one per fragment)")
    if parent is not None:
        ax.scatter([parent[0]], [parent[1]], s=160, marker="*", color="k", label="target before the test",
                   zorder=3)
    if percentile is not None and per.size:
        xlim, ylim, beyond, top = gabbard_limits(per, apo, T, percentile)
        if xlim is not None:
            if parent is not None:
                xlim = (min(xlim[0], parent[0] - 0.5), max(xlim[1], parent[0] + 0.5))
                ylim = (min(ylim[0], parent[1] - 10.0), max(ylim[1], parent[1] + 10.0))
            ax.set_xlim(*xlim)
            ax.set_ylim(*ylim)
            if beyond:
                ax.annotate(f"axes follow {percentile:g}% of the cloud; {beyond} fragment"
                            f"{'s' if beyond != 1 else ''} beyond (apogee up to {top:,.0f} km)",
                            xy=(0.5, 0.0), xycoords="axes fraction", xytext=(0, -34),
                            textcoords="offset points", ha="center", va="top", fontsize="small")
    ax.set_xlabel("orbital period (min)")
    ax.set_ylabel("altitude above Earth's equatorial radius (km)")
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
    ls, _ = STYLES[len(ax.get_lines()) % len(STYLES)]
    line, = ax.plot(t, median, linestyle=ls, color="k" if not ax.get_lines() else None,
                    label=f"{label}: median" if label else "median over breakup seeds")
    if lo is not None and hi is not None:
        ax.fill_between(t, lo, hi, color=line.get_color(), alpha=0.2, linewidth=0,
                        label=f"{label}: {BAND_LABEL}" if label else BAND_LABEL)
    ax.set_xlabel("years after the event")
    ax.set_ylabel("fragments >= 10 cm on orbit")
    if logy:
        ax.set_yscale("symlog", linthresh=1.0)
    if logx:
        ax.set_xscale("symlog", linthresh=1.0, linscale=0.5)
    # several series on one axes: the limits cover all of them (each call widens them)
    hi_all = np.asarray(median if hi is None else hi, dtype=float)
    top = max(getattr(ax, "_orbitsim_ymax", 0.0), float(np.nanmax(hi_all)) if np.isfinite(hi_all).any() else 0.0)
    span = getattr(ax, "_orbitsim_xspan", (float(t.min()), float(t.max())))
    span = (min(span[0], float(t.min())), max(span[1], float(t.max())))
    ax._orbitsim_ymax, ax._orbitsim_xspan = top, span
    ax.set_xlim(*span)
    ax.set_ylim(0, 1.05 * top if top > 0 else 1.0)
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
    ax.step(mid, catalog_density, where="mid", color="0.55", linewidth=2.0, label="existing catalog")
    ax.step(mid, added_density, where="mid", color="tab:red", linestyle="--", label=added_label)
    for j, (lab, d) in enumerate(extra or ()):
        ax.step(mid, d, where="mid", linestyle=STYLES[(j + 2) % len(STYLES)][0], label=lab)
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
    banded = False
    for j, (label, val) in enumerate(series.items()):
        if isinstance(val, tuple):
            med, lo, hi = (np.asarray(v, dtype=float) for v in val)
        else:
            med, lo, hi = np.asarray(val, dtype=float), None, None
        ls, mk = STYLES[j % len(STYLES)]
        line, = ax.plot(x, med, linestyle=ls, marker=mk, label=f"{label} (median)")
        if lo is not None:
            ax.fill_between(x, lo, hi, color=line.get_color(), alpha=0.2, linewidth=0,
                            label=None if banded else f"shaded: {BAND_LABEL}")
            banded = True
    if logy:
        ax.set_yscale("symlog", linthresh=1.0)
    ax.set_xlabel("altitude of the test (km)")
    ax.set_ylabel("fragments >= 10 cm on orbit")
    ax.set_title(title or "The same test in LEO and high LEO")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def persistence_vs_altitude(table, *, ax=None, fraction: int = 99, criteria=((5.0, "5 years (FCC 2022)"),
                            (25.0, "25 years (IADC)")), title: str | None = None, horizon_years=None):
    """Years until ``fraction`` % of the fragments are gone against intercept altitude, per size and
    solar phase (median and 5-95% band), with the criteria as horizontal lines.

    ``table``: the columns of ``ceiling.csv``. Cells not gone within the horizon are drawn at the
    horizon with an open marker (the value is a lower bound).
    """
    ax = _axes(ax)
    alt = np.asarray(table["altitude_km"], dtype=float)
    phase = np.asarray(table["solar_phase"], dtype=object).astype(str)
    hor = float(np.nanmax(table["horizon_years"])) if horizon_years is None else float(horizon_years)
    j = 0
    for size, key in ((">= 10 cm", "ge_10cm"), (">= 1 cm", "ge_1cm")):
        for p in ("min", "max"):
            m = phase == p
            if not m.any():
                continue
            col = f"years_to_{fraction}pct_gone_{key}"
            o = np.argsort(alt[m])
            x = alt[m][o]
            med, lo, hi = (np.asarray(table[col + suf], dtype=float)[m][o] for suf in ("", "_p05", "_p95"))
            ls, mk = STYLES[j % len(STYLES)]
            j += 1
            shown = np.where(np.isfinite(med), med, hor)
            line, = ax.plot(x, shown, linestyle=ls, marker=mk, label=f"{size}, solar {p} (median)")
            beyond = ~np.isfinite(med)
            if beyond.any():
                ax.plot(x[beyond], shown[beyond], linestyle="none", marker=mk, markerfacecolor="white",
                        color=line.get_color())
            ax.fill_between(x, np.where(np.isfinite(lo), lo, hor), np.where(np.isfinite(hi), hi, hor),
                            color=line.get_color(), alpha=0.15, linewidth=0)
    for k, (y, lab) in enumerate(criteria):
        ax.axhline(y, color="0.2", linestyle=(0, (1, 2 + 2 * k)), linewidth=1.2)
        ax.annotate(lab, xy=(1.0, y), xycoords=("axes fraction", "data"), xytext=(-4, 3),
                    textcoords="offset points", ha="right", va="bottom", fontsize="small")
    ax.axhline(hor, color="0.6", linewidth=0.8)
    ax.annotate(f"horizon ({hor:g} y): open markers not gone by then", xy=(0.0, hor),
                xycoords=("axes fraction", "data"), xytext=(4, -3), textcoords="offset points",
                ha="left", va="top", fontsize="x-small", color="0.3")
    ax.fill_between([], [], [], color="0.5", alpha=0.15, label=f"shaded: {BAND_LABEL}")
    ax.set_yscale("log")
    ax.set_xlabel("intercept altitude (km)")
    ax.set_ylabel(f"years until {fraction}% of fragments have re-entered")
    ax.set_title(title or f"Persistence against intercept altitude ({fraction}% gone)")
    ax.grid(True, which="both", alpha=0.25)
    ax.legend(fontsize="x-small", loc="lower right")
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
