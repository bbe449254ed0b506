"""OMM CSV/JSON reader and writers, against sgp4.omm on the real CelesTrak active file."""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest
from sgp4 import omm as sgp4_omm
from sgp4.api import Satrec

from orbitsim import catalog, data
from orbitsim.errors import ParseError
from orbitsim.formats import omm

ACTIVE = data.data_path(data.ACTIVE_OMM)


@pytest.fixture(scope="module")
def active():
    fields, rejected = omm.parse_omm_csv(ACTIVE.read_bytes(), ACTIVE.name)
    return fields, rejected


@pytest.fixture(scope="module")
def active_rows():
    with open(ACTIVE, newline="") as fh:
        return list(sgp4_omm.parse_csv(fh))


def test_active_file_matches_sgp4_omm(active, active_rows):
    fields, rejected = active
    assert rejected == []
    assert len(fields["norad_id"]) == len(active_rows) == 15_985  # data/README.md: 15,985 payloads
    assert fields["norad_id"].dtype == np.int64
    for k, row in enumerate(active_rows):
        sat = Satrec()
        sgp4_omm.initialize(sat, row)
        assert fields["epoch_jd"][k] == sat.jdsatepoch
        assert fields["epoch_fr"][k] == sat.jdsatepochF
        assert fields["norad_id"][k] == int(row["NORAD_CAT_ID"])
        assert fields["eccentricity"][k] == sat.ecco
        assert fields["inclination_deg"][k] * (math.pi / 180.0) == sat.inclo
        assert fields["mean_motion_rev_per_day"][k] / 720.0 * math.pi == sat.no_kozai
        assert fields["bstar_per_earth_radii"][k] == sat.bstar
        assert fields["name"][k] == row["OBJECT_NAME"]
        assert fields["intl_designator"][k] == row["OBJECT_ID"]


def test_json_reads_the_same_as_csv(tmp_path, active, active_rows):
    # CelesTrak JSON carries numbers as numbers and ids as integers.
    numeric = set(omm.COLUMNS) - {"OBJECT_NAME", "OBJECT_ID", "EPOCH", "CLASSIFICATION_TYPE"}
    recs = [{k: (float(v) if k in numeric else v) for k, v in r.items()} for r in active_rows[:2000]]
    for r in recs:
        for k in ("NORAD_CAT_ID", "EPHEMERIS_TYPE", "ELEMENT_SET_NO", "REV_AT_EPOCH"):
            r[k] = int(r[k])
    fields_json, rejected = omm.parse_omm_json(json.dumps(recs).encode(), "a.json")
    assert rejected == []
    fields_csv = active[0]
    for key, col in fields_json.items():
        if key in ("source_file", "source_line"):
            continue
        assert np.array_equal(col, fields_csv[key][:2000]), key


def test_writers_round_trip_exactly(tmp_path):
    cat = catalog.load(ACTIVE, satcat=False, ucs=False)[:500]
    for writer, suffix in ((omm.write_omm_csv, ".csv"), (omm.write_omm_json, ".json")):
        out = writer(tmp_path / f"o{suffix}", cat)
        back = catalog.load(out, satcat=False, ucs=False)
        for key in ("norad_id", "name", "intl_designator", "epoch_jd", "epoch_fr", "mean_motion_rev_per_day",
                    "eccentricity", "inclination_deg", "raan_deg", "arg_perigee_deg", "mean_anomaly_deg",
                    "bstar_per_earth_radii", "mean_motion_dot", "mean_motion_ddot", "rev_at_epoch",
                    "element_set_no"):
            assert np.array_equal(getattr(back, key), getattr(cat, key)), (suffix, key)


def test_ids_beyond_tle_range_survive(tmp_path):
    ids = np.array([5, 99_999, 100_000, 339_999, 340_000, 12_345_678_901], dtype=np.int64)
    n = len(ids)
    cat = catalog.Catalog.from_arrays(
        norad_id=ids, epoch_jd=np.full(n, 2461231.5), epoch_fr=np.full(n, 0.25),
        mean_motion_rev_per_day=np.full(n, 15.5), eccentricity=np.full(n, 0.001),
        inclination_deg=np.full(n, 51.6), raan_deg=np.zeros(n), arg_perigee_deg=np.zeros(n),
        mean_anomaly_deg=np.zeros(n))
    for writer in (omm.write_omm_csv, omm.write_omm_json):
        out = writer(tmp_path / ("x.json" if writer is omm.write_omm_json else "x.csv"), cat)
        back = catalog.load(out, satcat=False, ucs=False)
        assert back.norad_id.dtype == np.int64 and list(back.norad_id) == list(ids)


@pytest.mark.parametrize("short_row", [True, False])  # False: all rows full width (the split fast path)
def test_bad_rows_are_reported_with_lines(tmp_path, short_row):
    lines = ACTIVE.read_text().splitlines()[:6]
    header = lines[0].split(",")
    rows = [ln.split(",") for ln in lines[1:]]
    rows[0][header.index("ECCENTRICITY")] = "1.2"
    rows[1][header.index("MEAN_MOTION")] = "abc"
    rows[2][header.index("EPOCH")] = "2026-13-45T00:00:00"
    if short_row:
        rows[3] = rows[3][:5]
    else:
        rows[3][header.index("NORAD_CAT_ID")] = "12x"
    text = "\n".join([lines[0]] + [",".join(r) for r in rows]) + "\n"
    fields, rejected = omm.parse_omm_csv(text.encode("latin-1"), "bad.csv")
    assert len(fields["norad_id"]) == 1 and fields["source_line"][0] == 6
    assert [r.line for r in rejected] == [2, 3, 4, 5]
    assert "ECCENTRICITY" in rejected[0].reason and "MEAN_MOTION" in rejected[1].reason
    assert "EPOCH" in rejected[2].reason
    assert ("fields" if short_row else "NORAD_CAT_ID") in rejected[3].reason
    with pytest.raises(ParseError, match=r"bad\.csv:2"):
        omm.parse_omm_csv(text.encode(), "bad.csv", strict=True)


@pytest.mark.parametrize("blob", [b"", b"NORAD_CAT_ID,EPOCH\n1,2\n", b"[1, 2]", b"{not json", b"[]",
                                  b'[{"NORAD_CAT_ID": 5}]', "OBJECT_NAME,NORAD_CAT_ID\nS\xe9,1\n".encode("latin-1")])
def test_malformed_files_report(blob, tmp_path):
    fields, rejected = (omm.parse_omm_json if blob[:1] in (b"[", b"{") else omm.parse_omm_csv)(blob, "m")
    assert len(fields["norad_id"]) == 0 and rejected
    assert all(isinstance(r.reason, str) for r in rejected)


def test_epoch_forms():
    base = {"NORAD_CAT_ID": 5, "MEAN_MOTION": 15.0, "ECCENTRICITY": 0.001, "INCLINATION": 51.6,
            "RA_OF_ASC_NODE": 10.0, "ARG_OF_PERICENTER": 20.0, "MEAN_ANOMALY": 30.0, "BSTAR": 1e-4,
            "MEAN_MOTION_DOT": 0.0, "MEAN_MOTION_DDOT": 0.0}
    epochs = ["2026-07-10T03:44:00.383136", "2026-07-10T03:44:00.383136Z", "2026-07-10T04:44:00.383136+01:00",
              12345, "12345", None, "yesterday"]
    recs = [dict(base, EPOCH=e, NORAD_CAT_ID=k + 1) for k, e in enumerate(epochs)]
    fields, rejected = omm.parse_omm_json(json.dumps(recs).encode(), "e.json")
    assert list(fields["norad_id"]) == [1, 2, 3]
    assert len(set(fields["epoch_fr"])) == 1  # the same UTC instant three ways
    assert [r.line for r in rejected] == [4, 5, 6, 7] and all("EPOCH" in r.reason for r in rejected)


def _same_fields(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        x, y = np.asarray(a[k]), np.asarray(b[k])
        assert x.dtype == y.dtype and x.shape == y.shape, k
        if x.dtype.kind == "f":
            assert np.array_equal(x, y, equal_nan=True), k
        else:
            assert (x == y).all(), k


def _corrupt(raw: bytes, rng, alphabet: bytes) -> bytes:
    b = bytearray(raw)
    for _ in range(int(rng.integers(1, 6))):
        pos = int(rng.integers(len(b)))
        b[pos] = alphabet[int(rng.integers(len(alphabet)))]
    return bytes(b)


def test_fast_column_path_reads_what_the_line_path_reads(monkeypatch):
    """The numpy byte-level reader of regular files against the general per-line reader: the real
    file, the same with CRLF and a BOM, epochs that are not dates, and random corruptions that keep
    the layout (so the fast path is the one taken) -- identical values and reports."""
    raw = ACTIVE.read_bytes()
    head = b"\n".join(raw.split(b"\n")[:400]) + b"\n"
    variants = [raw, b"\xef\xbb\xbf" + head.replace(b"\n", b"\r\n")]
    ep = head.index(b"2026-07-")
    for bad in (b"2026-02-29T00:00:00.000000", b"2028-02-29T12:00:00.000000", b"2026-04-31T00:00:00.000000",
                b"2026-13-01T00:00:00.000000", b"2026-07-10T24:00:00.000000", b"2026-07-10T23:59:60.000000",
                b"2026-07-10 03:44:00.383136", b"2026-07-10T03:44:00.38313Z"):
        variants.append(head[:ep] + bad + head[ep + len(bad):])
    rng = np.random.default_rng(3)
    variants += [_corrupt(head, rng, b"0123456789 .-+EeZx:T\xe9") for _ in range(30)]
    fast_taken = 0
    for blob in variants:
        fast_taken += omm._table_fast(blob) is not None
        fast = omm.parse_omm_csv(blob, "v.csv")
        with monkeypatch.context() as m:
            m.setattr(omm, "_table_fast", lambda data: None)
            slow = omm.parse_omm_csv(blob, "v.csv")
        _same_fields(fast[0], slow[0])
        assert fast[1] == slow[1]
    assert fast_taken >= len(variants) // 2  # (a corrupted comma or newline breaks the layout)
