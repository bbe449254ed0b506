"""Generate data/reference/nrlmsise00-global-mean.csv: NRLMSISE-00 global-mean mass densities.

The decay model's atmosphere (orbitsim.atmosphere) is a global mean: averaged over latitude, local
time and the year. This script computes the same average of NRLMSISE-00 (Picone et al. 2002,
public domain; run through the ``pymsis`` package with ``version=0``) at fixed solar and
geomagnetic indices, so tests can compare the two at matched indices.

Average: area-weighted over geodetic latitude (18 bands), uniform over longitude at 00:00 UT
(24 longitudes, i.e. 24 local times), and over the 15th of each month of 2009 (12 dates: seasons
and the semi-annual variation averaged out). Indices: F10.7 (previous day) = F10.7 81-day mean
= F, daily Ap = A, for F in 70, 100, 150, 200, 250 sfu and A in 4, 15, 50.

Run once (not a runtime dependency; ``pip install orbitsim[tools]``):

    python tools/make_msis_reference.py data/reference/nrlmsise00-global-mean.csv
"""

from __future__ import annotations

import sys

import numpy as np


def main(out_path: str) -> None:
    import pymsis

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
    main(sys.argv[1] if len(sys.argv) > 1 else "data/reference/nrlmsise00-global-mean.csv")
