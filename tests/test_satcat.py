"""SATCAT/UCS readers, the join, and the documented mass/size estimates."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from orbitsim import data
from orbitsim.breakup import characteristic_length_m
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


def test_sbm_parent_size_from_mass_inverts_the_sphere_density_relation():
    # SBM (Johnson et al. 2001): a sphere of density 92.937 Lc^-0.74 kg/m^3 and diameter Lc.
    for m in (0.1, 1.0, 260.0, 1400.0, 9000.0):
        lc = float(characteristic_length_m(m))
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


# ------------------------------------------------------------------------------ owner estimates
def _brute_force_owner(rows, name, intl, payload):
    """The documented rules, object by object in plain Python (reference for the vectorized code).

    ``rows``: (name, intl_designator, owner, is_payload) of the SATCAT objects learnt from.
    """
    import re

    def launch(d):
        return d[:8] if re.match(r"^\d{4}-\d{3}", d) else ""

    def token(nm):
        m = re.match(r"[A-Za-z0-9]+", nm.lstrip())
        return m.group(0).upper() if m else ""

    key = launch(intl)
    if key:
        owners = {o for n, d, o, p in rows if launch(d) == key and o and (p or not payload)}
        if len(owners) == 1:
            return owners.pop(), satcat.OWNER_BY_LAUNCH
    tok = token(name)
    if tok:
        owners = [o for n, d, o, p in rows if token(n) == tok and o]
        if len(owners) >= satcat.TOKEN_MIN_OBJECTS:
            best = max(set(owners), key=owners.count)
            if owners.count(best) >= satcat.TOKEN_MIN_SHARE * len(owners):
                return best, satcat.OWNER_BY_NAME
    return "", satcat.OWNER_NONE


def test_owner_rules_match_brute_force_on_random_tables():
    rng = np.random.default_rng(7)
    tokens = ["STARLINK", "QIANFAN", "COSMOS", "OBJECT", "FLOCK", "sl"]
    for trial in range(30):
        n = int(rng.integers(5, 80))
        names = [f"{tokens[rng.integers(len(tokens))]}{rng.choice(['-', ' ', ''])}{rng.integers(1, 99)}"
                 for _ in range(n)]
        intl = [f"{2020 + rng.integers(2)}-{rng.integers(1, 4):03d}{chr(65 + rng.integers(5))}"
                if rng.random() < 0.9 else "" for _ in range(n)]
        # owners mostly follow the token (skewed so the 95 % rule both passes and fails)
        owners = [("US" if nm[0] in "SF" else "PRC" if nm[0] == "Q" else "CIS") if rng.random() < 0.93
                  else rng.choice(["US", "PRC", ""]) for nm in names]
        types = rng.choice(np.array(["PAYLOAD", "ROCKET BODY", "DEBRIS"], dtype=object), n, p=[0.7, 0.15, 0.15])
        table = {"name": np.array(names, dtype=object), "intl_designator": np.array(intl, dtype=object),
                 "owner": np.array(owners, dtype=object),
                 "type_code": np.array([satcat.TYPE_NAMES.index(t) for t in types], np.int8)}
        rules = satcat.owner_rules(table)
        q_names = names[:10] + ["STARLINK-9", "  qianfan 3", "NEWSAT 1", ""]
        q_intl = intl[:10] + ["2020-001Z", "2021-003A", "2025-001A", "2020-002B"]
        q_payload = rng.random(len(q_names)) < 0.8
        got_owner, got_method = satcat.infer_owner(rules, q_names, q_intl, q_payload)
        rows = list(zip(names, intl, owners, types == "PAYLOAD"))
        for k in range(len(q_names)):
            ref = _brute_force_owner(rows, q_names[k], q_intl[k], bool(q_payload[k]))
            assert (got_owner[k], int(got_method[k])) == ref, (trial, k, q_names[k], q_intl[k])


@pytest.fixture(scope="module")
def known_active():
    """Active payloads of the embedded catalog that the SATCAT lists, with their SATCAT rows."""
    from orbitsim import catalog

    cat = catalog.load_default()
    cat = cat[cat.is_active & ~cat.owner_estimated & (cat.owner != "")]
    t = satcat.read_satcat(SATCAT)
    return cat, t, satcat.lookup(t, cat.norad_id)


def test_owner_inference_on_held_out_satcat_objects(known_active):
    """Hide the owners of SATCAT-known active payloads (5 random folds: each fold's objects removed
    from the SATCAT the rules learn from) and compare the estimate with the SATCAT owner.

    Measured on the embedded data: ~8,900 of ~9,900 objects get an estimate (90 %), 98.3 % of them
    right. With that many estimates the binomial standard error of the agreement is ~0.14 %, so
    the asserted 97 % sits ~9 standard errors below the measurement (no flakiness from the fold
    draw) yet fails if a rule change costs more than ~1.3 points; 95 % is the issue's requirement.
    Coverage is asserted at 85 % (measured 90 %).
    """
    cat, t, row = known_active
    fold = np.random.default_rng(1).integers(0, 5, len(cat))
    agree = inferred = 0
    for k in range(5):
        learn = np.ones(len(t["norad_id"]), bool)
        learn[row[fold == k]] = False
        sub = cat[fold == k]
        owner, method = satcat.infer_owner(satcat.owner_rules(t, learn), sub.name, sub.intl_designator,
                                           sub.object_type == "PAYLOAD")
        est = method != satcat.OWNER_NONE
        inferred += int(est.sum())
        agree += int((owner[est] == sub.owner[est]).sum())
    assert len(cat) > 9000
    assert inferred >= 0.85 * len(cat)
    assert agree / inferred >= 0.97


def test_owner_inference_for_launches_after_the_snapshot(known_active):
    """The real use: payloads of launches the SATCAT has not seen. Hide every SATCAT object launched
    in the last six months of the snapshot (2024-09-01 .. 2025-03), so no launch sibling is known
    and only the name rule can apply, and check the active payloads from those launches.

    Measured: 1,232 of 1,463 estimated (84 %), 1,230 right (99.8 %; the misses are SATCAT
    owners "TBD"). Binomial standard error ~0.1 %: asserting 98 % leaves a wide margin and still
    catches a wrong rule; coverage asserted at 75 %.
    """
    cat, t, row = known_active
    later = t["launch_date"] >= np.datetime64("2024-09-01")
    rules = satcat.owner_rules(t, ~later)
    sub = cat[later[row]]
    owner, method = satcat.infer_owner(rules, sub.name, sub.intl_designator, True)
    est = method != satcat.OWNER_NONE
    assert len(sub) > 1000
    assert (method[est] == satcat.OWNER_BY_NAME).all()  # no sibling of these launches is known
    assert est.sum() >= 0.75 * len(sub)
    assert (owner[est] == sub.owner[est]).mean() >= 0.98


def test_default_catalog_owner_estimates():
    from orbitsim import catalog

    cat = catalog.load_default()
    t = satcat.read_satcat(SATCAT)
    listed = satcat.lookup(t, cat.norad_id) >= 0
    assert not cat.owner_estimated[listed].any()                      # SATCAT owners are kept as they are
    assert (cat.owner[cat.owner_estimated] != "").all()
    assert (cat.owner_estimated | (cat.owner == "") | listed).all()
    # Starlink and Qianfan payloads launched after the snapshot: SpaceX (US) and Shanghai Spacecom (PRC).
    for prefix, owner in (("STARLINK", "US"), ("QIANFAN", "PRC")):
        sel = ~listed & np.array([n.startswith(prefix) for n in cat.name])
        assert sel.sum() > 50 and (cat.owner[sel] == owner).all() and cat.owner_estimated[sel].all()
    # the counts `catalog info` reports add up
    assert (cat.owner_estimated.sum() + (cat.owner == "").sum() + (~cat.owner_estimated & (cat.owner != "")).sum()
            == len(cat))
    # without a SATCAT nothing is estimated
    bare = catalog.load(data.data_path(data.ASAT_PRE_EVENT_TLE), satcat=False)
    assert not bare.owner_estimated.any()
