"""Generate data/reference/nrlmsise00-global-mean.csv: NRLMSISE-00 global-mean mass densities.

The decay model's atmosphere (orbitsim.atmosphere) is a global mean: averaged over latitude, local
time and the year. This script computes the same average of NRLMSISE-00 (Picone et al. 2002,
public domain; run through the ``pymsis`` package with ``version=0``) at fixed solar and
geomagnetic indices, so tests can compare the two at matched indices.

Average: area-weighted over geodetic latitude (18 bands), uniform over longitude at 00:00 UT
(24 longitudes, i.e. 24 local times), and over the 15th of each month of 2009 (12 dates: seasons
and the semi-annual variation averaged out). Indices: F10.7 (previous day) = F10.7 81-day mean
= F, daily Ap = A, for F in 70, 100, 150, 200, 250 sfu and A in 4, 15, 50.

A second table, ``data/reference/nrlmsise00-annual-cycle.csv``, holds the same global mean on
the 1st, 11th and 21st of every month of 2009 at F10.7 = 70, 150 and 250 sfu (Ap 10), 300-900 km:
the annual/semi-annual cycle. From its F10.7 = 150 rows the script prints the regression slope of
NRLMSISE-00's log-density cycle on Jacchia 1971's semi-annual term at each altitude: the factors
``orbitsim.atmosphere._SEMIANNUAL_SCALE`` holds (the 70 and 250 sfu rows are left for the test).

Run once (not a runtime dependency; ``pip install orbitsim[tools]``):

    python tools/make_msis_reference.py data/reference
"""

from __future__ import annotations

import sys

import numpy as np


def _global_mean(dates, alts, f, a):
    import pymsis

    lats = (np.arange(18) + 0.5) * 10.0 - 90.0
    lons = np.arange(24) * 15.0
    w_lat = np.cos(np.radians(lats))
    w_lat = w_lat / w_lat.sum()
    n = len(dates)
    out = pymsis.calculate(dates, lons, lats, alts, f107s=np.full(n, f), f107as=np.full(n, f),
                           aps=np.full((n, 7), a), version=0)
    rho = out[..., pymsis.Variable.MASS_DENSITY]  # (date, lon, lat, alt)
    return np.einsum("dota,t->da", rho, w_lat) / len(lons)


def annual_cycle(out_path: str) -> None:
    import pymsis

    from orbitsim import atmosphere as atm

    alts = np.arange(300.0, 900.1, 100.0)
    days = [f"2009-{m:02d}-{d:02d}T00:00" for m in range(1, 13) for d in (1, 11, 21)]
    dates = np.array(days, dtype="datetime64[s]")
    rows = []
    cycles = {}
    for f in (70.0, 150.0, 250.0):
        rho = _global_mean(dates, alts, f, 10.0)
        cycles[f] = rho
        for d, r in zip(days, rho):
            for h, x in zip(alts, r):
                rows.append((d[:10], f, h, x))
    with open(out_path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("# NRLMSISE-00 (pymsis %s, version=0) global mean (18 latitude bands, area weights, x 24 "
                 "longitudes at 00 UT), F10.7 = F10.7a, daily Ap 10; made by tools/make_msis_reference.py\n"
                 % pymsis.__version__)
        fh.write("date,f107_sfu,altitude_km,density_kg_m3\n")
        for d, f, h, x in rows:
            fh.write(f"{d},{f:.0f},{h:.0f},{x:.6e}\n")
    jd = dates.astype("datetime64[D]").astype(np.int64) + 2440587.5
    lm = np.log10(cycles[150.0])
    lm = lm - lm.mean(axis=0)
    g = atm._j71_semiannual_log10(alts, jd) / atm._semiannual_scale(alts)  # J71 as published
    g = g - g.mean(axis=0)
    slope = (lm * g).sum(axis=0) / (g * g).sum(axis=0)
    print("altitude_km, NRLMSISE-00 / J71 semi-annual amplitude (F10.7 150, Ap 10):")
    for h, k in zip(alts, slope):
        print(f"  {h:.0f} {k:.3f}")


def main(out_dir: str) -> None:
    import os

    import pymsis

    out_path = os.path.join(out_dir, "nrlmsise00-global-mean.csv")
    annual_cycle(os.path.join(out_dir, "nrlmsise00-annual-cycle.csv"))

    f107_list = [70.0, 100.0, 150.0, 200.0, 250.0]
    ap_list = [4.0, 15.0, 50.0]
    alts = np.arange(200.0, 1000.1, 50.0)
    lats = (np.arange(18) + 0.5) * 10.0 - 90.0
    lons = np.arange(24) * 15.0
    dates = np.array([f"2009-{m:02d}-15T00:00" for m in range(1, 13)], dtype="datetime64[s]")
    w_lat = np.cos(np.radians(lats))
    w_lat = w_lat / w_lat.sum()
    rows = []
    for f in f107_list:
        for a in ap_list:
            n = len(dates)
            out = pymsis.calculate(dates, lons, lats, alts, f107s=np.full(n, f), f107as=np.full(n, f),
                                   aps=np.full((n, 7), a), version=0)
            rho = out[..., pymsis.Variable.MASS_DENSITY]  # (date, lon, lat, alt)
            mean = np.einsum("dota,t->a", rho, w_lat) / (len(dates) * len(lons))
            for h, r in zip(alts, mean):
                rows.append((f, a, h, r))
    with open(out_path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("# NRLMSISE-00 (pymsis %s, version=0) global mean: 18 latitude bands (area weights) x 24 "
                 "longitudes at 00 UT x 12 dates (15th of each month, 2009); F10.7 = F10.7a, daily Ap; "
                 "made by tools/make_msis_reference.py\n" % pymsis.__version__)
        fh.write("f107_sfu,ap,altitude_km,density_kg_m3\n")
        for f, a, h, r in rows:
            fh.write(f"{f:.0f},{a:.0f},{h:.0f},{r:.6e}\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data/reference")
