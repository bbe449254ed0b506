"""orbitsim.catalog: the contract of docs/interfaces.md, the default catalog, selections, the CLI."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from sgp4 import omm as sgp4_omm
from sgp4.api import Satrec
from sgp4.earth_gravity import wgs72

from orbitsim import catalog, data
from orbitsim.cli import main
from orbitsim.errors import InputError, ParseError
from orbitsim.formats import tle

CONTRACT = {  # docs/interfaces.md, field -> dtype
    "norad_id": np.int64, "name": object, "intl_designator": object, "epoch_jd": np.float64,
    "epoch_fr": np.float64, "mean_motion_rev_per_day": np.float64, "eccentricity": np.float64,
    "inclination_deg": np.float64, "raan_deg": np.float64, "arg_perigee_deg": np.float64,
    "mean_anomaly_deg": np.float64, "bstar_per_earth_radii": np.float64, "mean_motion_dot": np.float64,
    "mean_motion_ddot": np.float64, "object_type": object, "owner": object, "owner_estimated": bool,
    "launch_date": np.dtype("datetime64[D]"), "is_active": bool, "mass_kg": np.float64,
    "mass_estimated": bool, "size_m": np.float64, "size_estimated": bool,
    "area_to_mass_m2_per_kg": np.float64, "source_file": object, "source_line": np.int64,
}


@pytest.fixture(scope="module")
def default():
    return catalog.load_default()


def _raw_records():
    """(file name, satrec) of every record of the default files, read with sgp4 alone."""
    out = []
    with open(data.data_path(data.ACTIVE_OMM), newline="") as fh:
        for row in sgp4_omm.parse_csv(fh):
            s = Satrec()
            sgp4_omm.initialize(s, row)
            out.append((int(row["NORAD_CAT_ID"]), s))
    for path in data.debris_files():
        lines = [ln.strip() for ln in path.read_text().splitlines() if ln.strip()]
        for i in range(0, len(lines), 3):
            out.append((int(lines[i + 1][2:7]), Satrec.twoline2rv(lines[i + 1], lines[i + 2])))
    return out


def test_contract_fields_and_dtypes(default):
    for name, dtype in CONTRACT.items():
        assert getattr(default, name).dtype == np.dtype(dtype), name
        assert len(getattr(default, name)) == len(default)
    assert default.rejected == [] and isinstance(default.duplicates, list)
    assert [p.name for p in default.files] == [p.name for p in data.default_catalog_files()]


def test_default_catalog_matches_sgp4_bit_for_bit(default):
    raw = _raw_records()
    ids = [nid for nid, _ in raw]
    assert len(set(ids)) == len(ids) == len(default)  # no duplicates across the default files
    assert list(default.norad_id) == ids  # file order kept
    sats = default.satrecs()
    attrs = ("jdsatepoch", "jdsatepochF", "ecco", "inclo", "nodeo", "argpo", "mo", "no_kozai", "bstar",
             "ndot", "nddot", "gsto", "a", "epochdays", "satnum")
    jd = np.array([2461235.5])
    for k, (_, ref) in enumerate(raw):
        mine = sats[k]
        for a in attrs:
            assert getattr(mine, a) == getattr(ref, a), (k, a)
        if k % 50 == 0:  # same propagation, to the bit
            e1, r1, v1 = ref.sgp4_array(jd, np.array([0.3]))
            e2, r2, v2 = mine.sgp4_array(jd, np.array([0.3]))
            assert np.array_equal(r1, r2, equal_nan=True) and np.array_equal(e1, e2)


def test_derived_orbits_match_satrec(default):
    sats = default.satrecs()
    a = np.array([s.a for s in sats]) * wgs72.radiusearthkm
    altp = np.array([s.altp for s in sats]) * wgs72.radiusearthkm
    alta = np.array([s.alta for s in sats]) * wgs72.radiusearthkm
    np.testing.assert_allclose(default.semi_major_axis_km, a, rtol=1e-13)
    np.testing.assert_allclose(default.perigee_km, altp, atol=1e-8)
    np.testing.assert_allclose(default.apogee_km, alta, atol=1e-8)
    assert default.epoch.dtype == np.dtype("datetime64[us]")


def test_join_types_owners_masses(default):
    i = int(np.flatnonzero(default.norad_id == 25544)[0])  # ISS (ZARYA)
    assert default.object_type[i] == "PAYLOAD" and default.owner[i] == "ISS"
    assert str(default.launch_date[i]) == "1998-11-20"
    assert default.is_active[i]
    deb = default.source_file != data.ACTIVE_OMM.split("/")[-1]
    assert not default.is_active[deb].any()
    assert set(default.object_type[deb]) <= {"DEBRIS", "PAYLOAD", "ROCKET BODY", "UNKNOWN"}
    assert np.all(np.isfinite(default.mass_kg)) and np.all(default.mass_kg > 0)
    assert np.all(np.isfinite(default.size_m)) and np.all(default.size_m > 0)
    known = ~default.mass_estimated
    assert known.sum() > 3000  # UCS masses joined
    assert np.isnan(default.area_to_mass_m2_per_kg).all()


def test_duplicates_keep_newest_at_first_position(tmp_path):
    def rec(nid, doy, name):
        cols = {"norad_id": np.array([nid]), "epoch_jd": np.array([2458849.5 + doy]), "epoch_fr": np.array([0.5]),
                "mean_motion_rev_per_day": np.array([15.0]), "eccentricity": np.array([0.001]),
                "inclination_deg": np.array([51.0]), "raan_deg": np.array([10.0]),
                "arg_perigee_deg": np.array([20.0]), "mean_anomaly_deg": np.array([30.0])}
        l1, l2 = tle.format_tle(cols, 0)
        return f"{name}\n{l1}\n{l2}\n"

    text = rec(7, 1, "A-OLD") + rec(8, 1, "B") + rec(7, 5, "A-NEW") + rec(7, 3, "A-MID")
    p = tmp_path / "dups.tle"
    p.write_text(text)
    cat = catalog.load(p, satcat=False, ucs=False)
    assert list(cat.norad_id) == [7, 8] and list(cat.name) == ["A-NEW", "B"]
    assert cat.source_line[0] == 7
    assert sorted(r.line for r in cat.duplicates) == [1, 10]
    assert all("duplicate" in r.reason for r in cat.duplicates)


def _synthetic(perigee_km, apogee_km):
    """A catalog with the given perigee/apogee altitudes (WGS72), built without our own geometry."""
    rp = np.asarray(perigee_km, float) + wgs72.radiusearthkm
    ra = np.asarray(apogee_km, float) + wgs72.radiusearthkm
    a = (rp + ra) / 2
    n_rev_day = np.sqrt(wgs72.mu / a ** 3) * 86400 / (2 * math.pi)
    k = len(a)
    return catalog.Catalog.from_arrays(
        norad_id=np.arange(k) + 1, epoch_jd=np.full(k, 2461231.5), mean_motion_rev_per_day=n_rev_day,
        eccentricity=(ra - rp) / (ra + rp), inclination_deg=np.full(k, 0.0), raan_deg=np.zeros(k),
        arg_perigee_deg=np.zeros(k), mean_anomaly_deg=np.zeros(k),
        object_type=["PAYLOAD", "DEBRIS", "PAYLOAD", "ROCKET BODY", "PAYLOAD", "PAYLOAD"][:k],
        owner=["US", "PRC", "CIS", "US", "US", "FR"][:k], is_active=[True, False, False, False, True, True][:k])


def test_selections():
    # LEO, LEO/MEO boundary region, MEO (GPS), GEO, GTO (HEO), super-GEO graveyard far above (HEO)
    cat = _synthetic([400, 1500, 20000, 35780, 300, 37000], [420, 1900, 20300, 35800, 35800, 37500])
    # Kozai vs Brouwer mean motion moves altitudes by a few km: the test orbits keep clear of boundaries
    assert list(cat.regime) == ["LEO", "LEO", "MEO", "GEO", "HEO", "HEO"]
    assert list(cat.select_regime("LEO").norad_id) == [1, 2]
    assert list(cat.select_regime("geo", "MEO").norad_id) == [3, 4]
    assert list(cat.select_altitude(350, 500).norad_id) == [1]
    assert list(cat.select_altitude(350, 500, crossing=True).norad_id) == [1, 5]
    assert list(cat.select_type("payload").norad_id) == [1, 3, 5, 6]
    assert list(cat.select_owner("US").norad_id) == [1, 4, 5]
    assert list(cat.active_payloads().norad_id) == [1, 5, 6]
    with pytest.raises(InputError):
        cat.select_regime("XEO")
    with pytest.raises(InputError):
        cat.select_altitude(500, 100)


def test_container_behaviour():
    cat = _synthetic([400, 500, 600], [420, 520, 620])
    assert len(cat) == 3 and len(cat[0]) == 1 and cat[-1].norad_id[0] == 3
    assert list(cat[1:].norad_id) == [2, 3] and list(cat[[2, 0]].norad_id) == [3, 1]
    assert list(cat[np.array([True, False, True])].norad_id) == [1, 3]
    assert len(cat[[]]) == 0 and len(cat[cat.norad_id < 0]) == 0
    with pytest.raises(IndexError):
        cat[5]
    both = catalog.Catalog.concat([cat, cat[:1]])
    assert len(both) == 4
    assert cat.name[0] == "" and cat.launch_date.dtype == np.dtype("datetime64[D]") and np.isnat(cat.launch_date).all()
    assert np.isnan(cat.mass_kg).all() and cat.mass_estimated.all()
    with pytest.raises(InputError):
        catalog.Catalog.from_arrays(norad_id=[1])
    with pytest.raises(InputError):
        catalog.Catalog.from_arrays(**{**cat.to_dict(), "nonsense": [1, 2, 3]})
    sats = cat.satrecs()
    assert len(sats) == 3 and cat[1:].satrecs()[0].jdsatepoch == sats[1].jdsatepoch


def test_load_reports_and_strict(tmp_path):
    good = data.data_path(data.ASAT_PRE_EVENT_TLE).read_text()
    p = tmp_path / "mixed.tle"
    p.write_text(good + "JUNK LINE\n1 99999U 20001A   20001.0 broken\n")
    cat = catalog.load(p)
    assert len(cat) == 2 and len(cat.rejected) >= 1 and cat.rejected[0].file == "mixed.tle"
    with pytest.raises(ParseError, match=r"mixed\.tle:\d+"):
        catalog.load(p, strict=True)
    with pytest.raises(InputError):
        catalog.load()
    with pytest.raises(InputError):
        catalog.load(tmp_path)
    with pytest.raises(FileNotFoundError):
        catalog.load(tmp_path / "missing.tle")
    assert catalog.load(p, active=True).is_active.all()


def test_cli_info_json_and_errors(tmp_path, capsys):
    assert main(["catalog", "info", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["objects"] == 18_673 and out["rejected"] == 0
    assert sum(out["by_regime"].values()) == out["objects"] == sum(out["by_type"].values())
    assert out["epoch_min"] < out["epoch_max"]
    assert 0 < out["owner_estimated"] and 0 < out["owner_unknown"] == out["by_owner"]["(unknown)"]
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\xff" * 100)
    assert main(["catalog", "info", str(junk)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("orbitsim: error:")
    tle_path = data.data_path(data.ASAT_PRE_EVENT_TLE)
    assert main(["catalog", "info", str(tle_path)]) == 0
    assert "2 objects" in capsys.readouterr().out
    out_file = tmp_path / "sel.tle"
    assert main(["catalog", "select", "--regime", "GEO", "--type", "PAYLOAD", "--out", str(out_file)]) == 0
    back = catalog.load(out_file, satcat=False, ucs=False)
    assert len(back) > 400 and (back.regime == "GEO").all()
    assert main(["catalog", "select", "--regime", "GEO", "--out", str(out_file)]) == 3


def test_compressed_utf16_and_zulu_inputs(tmp_path):
    import gzip

    src = data.data_path(data.ASAT_PRE_EVENT_TLE)
    ref = catalog.load(src, satcat=False, ucs=False)
    gz = tmp_path / "a.tle.gz"
    gz.write_bytes(gzip.compress(src.read_bytes()))
    u16 = tmp_path / "a16.tle"
    u16.write_bytes(src.read_text().encode("utf-16"))
    for p in (gz, u16):
        cat = catalog.load(p, satcat=False, ucs=False)
        assert cat.rejected == [] and np.array_equal(cat.epoch_fr, ref.epoch_fr)
    broken = tmp_path / "b.tle.gz"
    broken.write_bytes(gzip.compress(src.read_bytes())[:25])
    assert len(catalog.load(broken)) == 0 and "gzip" in catalog.load(broken).rejected[0].reason
    with pytest.raises(ParseError):
        catalog.load(broken, strict=True)
    # OMM epochs with a trailing Z read as UTC, the same instant
    text = data.data_path(data.ACTIVE_OMM).read_text().splitlines()[:4]
    z = tmp_path / "z.csv"
    assert "T03:44:00.383136," in text[1]
    z.write_text("\n".join(text).replace("T03:44:00.383136,", "T03:44:00.383136Z,"))
    plain = catalog.load(data.data_path(data.ACTIVE_OMM), satcat=False, ucs=False)[:3]
    zc = catalog.load(z, satcat=False, ucs=False)
    assert zc.rejected == [] and np.array_equal(zc.epoch_fr, plain.epoch_fr)


@pytest.mark.parametrize("name, expected", [("active.txt", True), ("celestrak-active-2026-07.csv", True),
                                            ("gp_active.json", True), ("inactive.tle", False),
                                            ("cosmos-1408-debris.txt", False)])
def test_active_files_by_name(name, expected):
    assert catalog._is_active_file(name) is expected


def test_file_cache_is_safe(tmp_path):
    import os

    src = data.data_path(data.ASAT_PRE_EVENT_TLE).read_text()
    p = tmp_path / "c.tle"
    p.write_text(src)
    first = catalog.load(p, satcat=False, ucs=False)
    first.name[0] = "CHANGED"
    first.eccentricity[0] = 0.5
    again = catalog.load(p, satcat=False, ucs=False)
    assert again.name[0] == "COSMOS 1408" and again.eccentricity[0] == 0.0018519
    p.write_text(src.split("MICROSAT-R")[0])  # the file changes: read again
    st = p.stat()
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert len(catalog.load(p, satcat=False, ucs=False)) == 1
    catalog.clear_cache()
    assert len(catalog.load(p, satcat=False, ucs=False)) == 1
