"""SATCAT/UCS readers, the join, and the documented mass/size estimates."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from orbitsim import data
from orbitsim.formats import satcat

SATCAT = data.data_path(data.SATCAT_CSV)
UCS = data.data_path(data.UCS_CSV)


def test_satcat_rows_and_known_objects():
    t = satcat.read_satcat(SATCAT)
    assert len(t["norad_id"]) == 62_652  # data/README.md
    assert np.all(np.diff(t["norad_id"]) > 0)
    with open(SATCAT, newline="") as fh:
        ref = {int(r["norad_cat_id"]): r for r in csv.DictReader(fh)}
    for nid in (1, 5, 13552, 25730, 22675, 24946, 43947, 49527):
        i = satcat.lookup(t, [nid])[0]
        assert i >= 0
        assert t["object_type"][i] == ref[nid]["object_type"]
        assert t["owner"][i] == ref[nid]["owner"]
        assert str(t["launch_date"][i]) == ref[nid]["launch_date"]
        assert t["intl_designator"][i] == ref[nid]["object_id"]
    i = satcat.lookup(t, [13552])[0]
    assert (t["name"][i], t["owner"][i], str(t["launch_date"][i])) == ("COSMOS 1408", "CIS", "1982-09-16")
    assert satcat.lookup(t, [999_999_999, -5])[0] == -1
    assert satcat.read_satcat(SATCAT) is t  # cached per process


def test_ucs_masses_with_thousands_separators():
    t = satcat.read_ucs(UCS)
    assert len(t["norad_id"]) > 6_600
    with open(UCS, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    j_id, j_mass = header.index("NORAD Number"), header.index("Launch Mass (kg.)")
    first = {}
    for r in rows[1:]:  # the file lists a few ids twice (data errors): the first row is used
        if r[j_id].strip().isdigit():
            first.setdefault(int(r[j_id]), r)
    checked = 0
    for nid, r in first.items():
        if "," in r[j_mass]:
            i = satcat.lookup(t, [nid])[0]
            assert t["launch_mass_kg"][i] == float(r[j_mass].replace(",", ""))
            checked += 1
    assert checked > 100
    med = satcat.ucs_median_mass_kg(t)
    assert med["GEO"] > 1000 > med["LEO"]  # GEO comsats are tonnes; LEO is dominated by smallsats


def test_sbm_size_from_mass_inverts_the_sphere_density_relation():
    # SBM (Johnson et al. 2001): a sphere of density 92.937 Lc^-0.74 kg/m^3 and diameter Lc.
    for m in (0.1, 1.0, 260.0, 1400.0, 9000.0):
        lc = float(satcat.sbm_lc_from_mass(m))
        assert 92.937 * lc ** -0.74 * math.pi * lc ** 3 / 6 == pytest.approx(m, rel=1e-12)


def test_debris_estimate_constants():
    # median of N(>Lc) ~ Lc^-1.71 above 10 cm: half of the objects are larger
    assert (0.1 / satcat.DEBRIS_SIZE_M) ** 1.71 == pytest.approx(0.5, rel=1e-12)
    assert 0.05 < satcat.DEBRIS_MASS_KG < 0.3
    est = satcat.estimate_mass_kg(["DEBRIS", "ROCKET BODY", "PAYLOAD", "PAYLOAD", "UNKNOWN"],
                                  ["LEO", "LEO", "GEO", "LEO", "HEO"], {"GEO": 4000.0, "LEO": 200.0})
    assert list(est) == [satcat.DEBRIS_MASS_KG, 1400.0, 4000.0, 200.0, satcat.DEBRIS_MASS_KG]


def test_other_satcat_layouts(tmp_path):
    p = tmp_path / "satcat.csv"
    p.write_text('OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID,OBJECT_TYPE,OWNER,LAUNCH_DATE,RCS\n'
                 '"SAT, ONE",2020-001A,7,PAY,US,2020-01-01,0.785\n'
                 'X,2020-001B,8,DEB,US,,\n')
    t = satcat.read_satcat(p)
    assert list(t["norad_id"]) == [7, 8]
    assert t["name"][0] == "SAT, ONE" and np.isnat(t["launch_date"][1])
    assert list(t["object_type"]) == ["PAYLOAD", "DEBRIS"]
    assert t["rcs_m2"][0] == 0.785 and np.isnan(t["rcs_m2"][1])
