"""The background population: SATCAT objects in orbit, counted independently with the csv module."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from orbitsim import background, data


def _in_orbit_rows():
    with open(data.data_path(data.SATCAT_CSV), newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        if r["decay_date"] or not r["perigee"] or not r["apogee"] or not r["inclination"]:
            continue
        per, apo = float(r["perigee"]), float(r["apogee"])
        if 0 < per <= 2000.0 and apo >= per:
            out.append(r)
    return out


@pytest.fixture(scope="module")
def rows():
    return _in_orbit_rows()


def test_background_is_the_satcat_in_orbit(rows):
    bg = background.load()
    assert len(bg) == len(rows)
    types = {}
    for r in rows:
        types[r["object_type"]] = types.get(r["object_type"], 0) + 1
    assert bg.counts_by_type() == {k.upper(): v for k, v in types.items()}
    iss = np.flatnonzero(bg.norad_id == 25544)[0]
    assert bg.perigee_km[iss] == pytest.approx(413.0) and bg.apogee_km[iss] == pytest.approx(422.0)
    # a = Re + (hp + ha) / 2, e = (ha - hp) / (2 a)
    a = 6378.135 + 0.5 * (413.0 + 422.0)
    assert bg.semi_major_axis_km[iss] == pytest.approx(a)
    assert bg.eccentricity[iss] == pytest.approx(9.0 / (2 * a))


def test_targets_and_an_events_own_debris_are_left_out(rows):
    fy = [r for r in rows if r["object_id"].startswith("1999-025")]
    assert len(fy) > 2000  # Fengyun-1C's debris, mostly still up in 2025
    bg = background.load(exclude_ids=[25544, 48274], exclude_launch="1999-025")
    assert len(bg) == len(rows) - len(fy) - 2
    assert not np.isin([25544, 48274], bg.norad_id).any()


def test_risk_ratio_definition():
    # (B T + E) / (B T) with B per year and T in days
    assert background.risk_ratio(0.01, 0.01 * 10 / 365.25, 10.0) == pytest.approx(2.0)
    r = background.risk_ratio(np.array([0.0, 2.0]), np.array([1.0, np.nan]), 365.25)
    assert np.isnan(r).all()


def test_station_and_fleet_risk_ratios_from_hand_built_rates():
    from orbitsim import consequences as cq

    ids = np.array([25544, 1, 2])
    bg = np.array([0.01, 0.5, 0.5])  # per year
    rates = {"catastrophic": np.array([[0.0, 0.0, 0.1], [0.0, 0.0, 0.0]]),
             "noncatastrophic": np.array([[0.073, 0.0, 0.0], [0.0, 0.0, 0.0]])}
    exp = {1: np.array([0.02, 0.0, 0.05]), 10: np.array([0.03, 0.0, 0.06]), 25: np.full(3, np.nan)}
    out = cq.risk_ratios(ids, bg, rates, exp)
    assert out["iss_risk_ratio_10d"] == pytest.approx(1 + 0.073 * 10 / 365.25 / (0.01 * 10 / 365.25))
    assert out["iss_risk_ratio_1y"] == pytest.approx((0.01 + 0.02) / 0.01)
    assert out["iss_risk_ratio_10y"] == pytest.approx((0.1 + 0.03) / 0.1)
    assert out["active_risk_ratio_1y"] == pytest.approx((1.01 + 0.07) / 1.01)
    assert np.isnan(out["tiangong_risk_ratio_1y"]) and np.isnan(out["tiangong_background_collisions_per_year"])
