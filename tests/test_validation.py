"""Hindcast (orbitsim validate decay): definitions checked on a small synthetic record."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from orbitsim import atmosphere as atm
from orbitsim import validation
from orbitsim.catalog import Catalog
from orbitsim.cli import main

MU = 398600.8
RE = 6378.135


def _catalog(heights_km, epoch_jd=2459770.5):
    n = len(heights_km)
    a = RE + np.asarray(heights_km, dtype=float)
    n_rev = np.sqrt(MU / a ** 3) * 86400 / (2 * np.pi)
    return Catalog.from_arrays(norad_id=np.arange(1, n + 1), epoch_jd=np.full(n, epoch_jd),
                               mean_motion_rev_per_day=n_rev, eccentricity=np.full(n, 0.001),
                               inclination_deg=np.full(n, 70.0), raan_deg=np.zeros(n),
                               arg_perigee_deg=np.zeros(n), mean_anomaly_deg=np.zeros(n),
                               bstar_per_earth_radii=np.full(n, 5e-4))


def _satcat(path, rows):
    lines = ["object_name,object_id,norad_cat_id,object_type,owner,launch_date,launch_site,decay_date"]
    for nid, typ, dec in rows:
        lines.append(f"X,2000-001A,{nid},{typ},US,2000-01-01,AFETR,{dec}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", atm.SpaceWeatherFallbackWarning)
        yield


def test_hindcast_definitions(tmp_path, quiet):
    cat = _catalog([250.0, 260.0, 700.0, 300.0])
    sc = _satcat(tmp_path / "satcat.csv", [(1, "DEBRIS", "2022-08-20"), (2, "ROCKET BODY", "2022-09-10"),
                                           (3, "DEBRIS", ""), (4, "PAYLOAD", "2022-09-01")])
    res = validation.hindcast(cat, "2023-07-15", satcat_path=sc)
    s = res.summary
    assert s["n_objects"] == 3  # the payload is left out
    assert s["n_observed_reentries"] == 2
    ep = 2459770.5
    obs = np.array([np.datetime64("2022-08-20"), np.datetime64("2022-09-10")]).astype(np.int64) + 2440587.5
    want = (res.model_decay_jd[:2] - ep) / (obs - ep)
    assert np.allclose(res.ratio[:2], want)
    assert np.isnan(res.ratio[2])
    assert s["median_lifetime_ratio"] == pytest.approx(np.median(want))
    # survivors: first of each month after the median epoch to until
    assert len(res.survivor_jd) == 12
    assert res.observed_on_orbit[0] == 3 and res.observed_on_orbit[-1] == 1
    with_payload = validation.hindcast(cat, "2023-07-15", satcat_path=sc, include_payloads=True)
    assert with_payload.summary["n_objects"] == 4


def test_cli_writes_strict_outputs_and_refuses_to_overwrite(tmp_path, quiet, capsys):
    from orbitsim.formats import tle

    cat = _catalog([700.0, 720.0])
    sc = _satcat(tmp_path / "satcat.csv", [(1, "DEBRIS", ""), (2, "DEBRIS", "")])
    cat_path = tmp_path / "cat.tle"
    tle.write_tle(cat_path, cat)
    out = tmp_path / "h"
    argv = ["validate", "decay", str(cat_path), "--until", "2023-01-01", "--satcat", str(sc), "--out", str(out)]
    assert main(argv) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert list(summary) == list(validation.SUMMARY_KEYS)
    assert summary["median_lifetime_ratio"] is None  # nothing re-entered: null, not NaN
    assert (out / "survivors.csv").read_text().splitlines()[0] == "date_utc,observed_on_orbit,model_on_orbit"
    assert (out / "lifetimes.csv").read_text().splitlines()[0] == \
        "norad_id,epoch_utc,observed_decay_utc,model_decay_utc,ratio"
    assert (out / "hindcast.png").read_bytes()[:4] == b"\x89PNG"
    assert main(argv) == 3
    assert main(argv[:3] + ["--until", "yesterday"] + argv[5:] + ["--force"]) == 1
