"""TLE reader and writer: against sgp4's own parser and exporter, round trips, corruption, edge cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sgp4.alpha5 import from_alpha5, to_alpha5
from sgp4.api import Satrec
from sgp4.exporter import export_tle
from sgp4.io import compute_checksum

from orbitsim import data
from orbitsim.errors import InputError, ParseError
from orbitsim.formats import tle

XPDOTP = 1440.0 / (2.0 * math.pi)  # sgp4's rev/day -> rad/min
DEG = math.pi / 180.0


def _pairs(text: str):
    lines = [ln.rstrip() for ln in text.splitlines()]
    return [(lines[i], lines[i + 1]) for i in range(len(lines) - 1)
            if lines[i].startswith("1 ") and lines[i + 1].startswith("2 ")]


def assert_matches_satrec(fields, k, sat):
    """Field ``k`` of our columns against what ``Satrec.twoline2rv`` parsed, bit for bit."""
    assert fields["epoch_jd"][k] == sat.jdsatepoch
    assert fields["epoch_fr"][k] == sat.jdsatepochF
    assert fields["eccentricity"][k] == sat.ecco
    assert fields["inclination_deg"][k] * DEG == sat.inclo
    assert fields["raan_deg"][k] * DEG == sat.nodeo
    assert fields["arg_perigee_deg"][k] * DEG == sat.argpo
    assert fields["mean_anomaly_deg"][k] * DEG == sat.mo
    assert fields["mean_motion_rev_per_day"][k] / XPDOTP == sat.no_kozai
    assert fields["bstar_per_earth_radii"][k] == sat.bstar
    assert fields["mean_motion_dot"][k] / (XPDOTP * 1440.0) == sat.ndot
    assert fields["mean_motion_ddot"][k] / (XPDOTP * 1440.0 * 1440) == sat.nddot
    assert fields["norad_id"][k] == sat.satnum
    assert fields["element_set_no"][k] == sat.elnum
    assert fields["rev_at_epoch"][k] == sat.revnum


# ------------------------------------------------------------------------------- real files
@pytest.mark.parametrize("path", data.debris_files() + [data.data_path(data.ASAT_PRE_EVENT_TLE)],
                         ids=lambda p: p.name)
def test_real_files_match_sgp4_parser(path):
    fields, rejected = tle.read_tle(path)
    assert rejected == []
    pairs = _pairs(path.read_text())
    assert len(fields["norad_id"]) == len(pairs)
    for k, (l1, l2) in enumerate(pairs):
        assert_matches_satrec(fields, k, Satrec.twoline2rv(l1, l2))
    raw = path.read_bytes()
    names = [ln.strip() for ln in raw.decode().splitlines() if ln.strip() and ln[:2] not in ("1 ", "2 ")]
    assert list(fields["name"]) == names


def test_vallado_verification_set(sgp4_verification_files):
    tle_path, _ = sgp4_verification_files
    text = tle_path.read_text()
    fields, rejected = tle.parse_tle(text.encode(), "SGP4-VER.TLE")
    pairs = _pairs(text)
    bad_checksum = {i for i, (l1, l2) in enumerate(pairs)
                    if compute_checksum(l1) != int(l1[68]) or compute_checksum(l2[:69]) != int(l2[68])}
    # Vallado's file has three records with deliberately wrong checksums; everything else loads.
    assert len(bad_checksum) == 3 and len(rejected) == 3
    assert all("checksum" in r.reason for r in rejected)
    good = [p for i, p in enumerate(pairs) if i not in bad_checksum]
    assert len(fields["norad_id"]) == len(good)
    for k, (l1, l2) in enumerate(good):
        assert_matches_satrec(fields, k, Satrec.twoline2rv(l1, l2[:69]))


# --------------------------------------------------------------------------- alpha-5, checksum
@given(st.integers(0, 339_999))
def test_alpha5_matches_sgp4(n):
    assert tle.alpha5_encode(n) == to_alpha5(n)
    assert tle.alpha5_decode(to_alpha5(n)) == from_alpha5(to_alpha5(n)) == n


def test_alpha5_limits():
    assert tle.alpha5_encode(100_000) == "A0000" and tle.alpha5_encode(339_999) == "Z9999"
    assert tle.alpha5_decode("J0001") == 180_001  # I is skipped: J is the 18th code
    for bad in (-1, 340_000, 1_000_000):
        with pytest.raises(InputError):
            tle.alpha5_encode(bad)
    for bad in ("I0000", "O1234", "AB12", "", "123456"):
        with pytest.raises(InputError):
            tle.alpha5_decode(bad)


# ------------------------------------------------------------------------------- round trips
_MANTISSA = st.one_of(st.just(0), st.integers(10_000, 99_999), st.integers(-99_999, -10_000))


def _tle_fields():
    """Strategy: element values as a TLE can hold them (decimal ticks of each field)."""
    return st.fixed_dictionaries({
        "norad_id": st.integers(1, 339_999),
        "year": st.integers(1957, 2056),
        "doy": st.integers(1, 365),
        "ticks": st.integers(0, 99_999_999),
        "ndot": st.integers(-99_999_999, 99_999_999),
        # normalised mantissas (sgp4's exporter cannot write exponents below -9; see test below)
        "nddot": st.tuples(_MANTISSA, st.integers(-9, 9)),
        "bstar": st.tuples(_MANTISSA, st.integers(-9, 9)),
        "incl": st.integers(0, 1_800_000), "raan": st.integers(0, 3_599_999),
        "argp": st.integers(0, 3_599_999), "mo": st.integers(0, 3_599_999),
        "ecc": st.integers(0, 9_999_999), "n": st.integers(1, 1_699_999_999),
        "rev": st.integers(0, 99_999), "elnum": st.integers(0, 9999),
        "intl": st.sampled_from(["", "1982-092A", "2021-001ABC", "1999-025DKE"]),
    })


def _columns(f):
    jan1 = np.datetime64(f"{f['year']}-01-01", "D").astype(np.int64)
    return {
        "norad_id": np.array([f["norad_id"]]), "intl_designator": np.array([f["intl"]], dtype=object),
        "epoch_jd": np.array([2440587.5 + jan1 + f["doy"] - 1]), "epoch_fr": np.array([f["ticks"] / 1e8]),
        "mean_motion_dot": np.array([f["ndot"] / 1e8]),
        "mean_motion_ddot": np.array([float(f"{f['nddot'][0] / 1e5!r}") * math.pow(10.0, f["nddot"][1])]),
        "bstar_per_earth_radii": np.array([(f["bstar"][0] / 1e5) * math.pow(10.0, f["bstar"][1])]),
        "inclination_deg": np.array([f["incl"] / 1e4]), "raan_deg": np.array([f["raan"] / 1e4]),
        "arg_perigee_deg": np.array([f["argp"] / 1e4]), "mean_anomaly_deg": np.array([f["mo"] / 1e4]),
        "eccentricity": np.array([f["ecc"] / 1e7]), "mean_motion_rev_per_day": np.array([f["n"] / 1e8]),
        "rev_at_epoch": np.array([f["rev"]]), "element_set_no": np.array([f["elnum"]]),
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tle_fields())
def test_round_trip_through_our_writer_and_sgp4(f):
    cols = _columns(f)
    l1, l2 = tle.format_tle(cols, 0)
    assert len(l1) == len(l2) == 69
    assert int(l1[68]) == compute_checksum(l1) and int(l2[68]) == compute_checksum(l2)
    sat = Satrec.twoline2rv(l1, l2)  # the outside parser accepts and reads what we wrote
    fields, rejected = tle.parse_tle(f"{l1}\n{l2}\n".encode(), "gen.tle")
    assert rejected == []
    assert_matches_satrec(fields, 0, sat)
    for key in ("norad_id", "epoch_jd", "epoch_fr", "inclination_deg", "raan_deg", "arg_perigee_deg",
                "mean_anomaly_deg", "eccentricity", "mean_motion_rev_per_day", "mean_motion_dot",
                "rev_at_epoch", "element_set_no"):
        assert fields[key][0] == cols[key][0], key
    for key in ("mean_motion_ddot", "bstar_per_earth_radii"):
        assert fields[key][0] == pytest.approx(cols[key][0], rel=1e-15, abs=0), key
    assert fields["intl_designator"][0] == f["intl"]
    # ...and sgp4's own exporter writes lines that read back to the same elements.
    e1, e2 = export_tle(sat)
    again, rejected = tle.parse_tle(f"{e1}\n{e2}\n".encode(), "exported.tle")
    assert rejected == []
    for key in ("norad_id", "epoch_jd", "epoch_fr", "inclination_deg", "raan_deg", "eccentricity",
                "mean_motion_rev_per_day", "mean_motion_dot", "rev_at_epoch"):
        assert again[key][0] == fields[key][0], key


@settings(max_examples=60, deadline=None)
@given(_tle_fields(), st.sampled_from([b"\n", b"\r\n", b"\r"]), st.booleans(), st.booleans())
def test_line_endings_names_and_blank_lines(f, eol, zero_prefix, blank_lines):
    l1, l2 = tle.format_tle(_columns(f), 0)
    name = ("0 " if zero_prefix else "") + "SAT NAME  "
    sep = eol * (2 if blank_lines else 1)
    text = sep.join([name.encode(), l1.encode(), l2.encode()]) + eol
    fields, rejected = tle.parse_tle(text, "x.tle")
    assert rejected == [] and list(fields["name"]) == ["SAT NAME"]
    assert fields["source_line"][0] == 1  # the name line starts the record


# ---------------------------------------------------------------------------------- corruption
SAMPLE = data.data_path(data.ASAT_PRE_EVENT_TLE).read_bytes()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["replace", "delete", "insert", "truncate"]),
                          st.integers(0, len(SAMPLE) - 1), st.binary(min_size=1, max_size=3)),
                min_size=1, max_size=4))
def test_random_corruption_gives_a_report_not_an_exception(edits):
    buf = bytearray(SAMPLE)
    for op, pos, junk in edits:
        pos = min(pos, len(buf))
        if op == "replace":
            buf[pos:pos + len(junk)] = junk
        elif op == "delete":
            del buf[pos:pos + len(junk)]
        elif op == "insert":
            buf[pos:pos] = junk
        else:
            del buf[pos:]
    fields, rejected = tle.parse_tle(bytes(buf), "c.tle")
    n = len(fields["norad_id"])
    assert n <= 2
    assert all(isinstance(r.reason, str) and r.file == "c.tle" for r in rejected)
    if n < 2 and not any(op == "truncate" for op, _, _ in edits):
        assert rejected, "a lost record must be reported"
    for k in range(n):  # whatever survives is a valid element set
        assert 0 <= fields["eccentricity"][k] < 1 and fields["mean_motion_rev_per_day"][k] > 0
    try:
        tle.parse_tle(bytes(buf), "c.tle", strict=True)
        assert not rejected
    except ParseError as exc:
        assert rejected and str(exc).startswith("c.tle")


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 1), st.integers(2, 67), st.integers(1, 9))
def test_any_single_digit_change_is_caught(which, col, delta):
    lines = SAMPLE.decode().splitlines()[1:3]
    line = lines[which]
    if not line[col].isdigit():
        return
    lines[which] = line[:col] + str((int(line[col]) + delta) % 10) + line[col + 1:]
    fields, rejected = tle.parse_tle("\n".join(lines).encode(), "d.tle")
    assert len(fields["norad_id"]) == 0 and len(rejected) == 1


def test_edge_cases():
    l1 = "1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753"
    l2 = "2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667"
    padded1, padded2 = l1.replace("00005", "    5"), l2.replace("00005", "    5")
    padded1 = padded1[:68] + str(compute_checksum(padded1))
    padded2 = padded2[:68] + str(compute_checksum(padded2))
    fields, rejected = tle.parse_tle(f"{padded1}\n{padded2}".encode(), "p.tle")
    assert rejected == [] and fields["norad_id"][0] == 5
    a1 = l1.replace("00005", "A0005")
    a2 = l2.replace("00005", "A0005")
    a1, a2 = a1[:68] + str(compute_checksum(a1)), a2[:68] + str(compute_checksum(a2))
    fields, _ = tle.parse_tle(f"{a1}\n{a2}\n".encode(), "a.tle")
    assert fields["norad_id"][0] == 100_005 == Satrec.twoline2rv(a1, a2).satnum
    # truncated last record: the complete one loads, the cut one is reported with its line
    text = f"FIRST\n{l1}\n{l2}\nSECOND\n{l1}\n{l2[:40]}".encode()
    fields, rejected = tle.parse_tle(text, "t.tle")
    assert len(fields["norad_id"]) == 1 and [r.line for r in rejected] == [4]
    assert "truncated" in rejected[0].reason
    with pytest.raises(ParseError, match=r"t\.tle:4"):
        tle.parse_tle(text, "t.tle", strict=True)
    # name at the end with no element lines
    _, rejected = tle.parse_tle(f"{l1}\n{l2}\nLONELY\n".encode(), "e.tle")
    assert [r.line for r in rejected] == [3]
    # empty, whitespace-only and binary files give a report
    for blob, word in ((b"", "empty"), (b" \r\n\n", "empty"), (b"\x00\x01\x02junk" * 10, "binary")):
        fields, rejected = tle.parse_tle(blob, "b.tle")
        assert len(fields["norad_id"]) == 0 and word in rejected[0].reason
    # Latin-1 and UTF-8 names both decode
    for enc in ("latin-1", "utf-8"):
        fields, rejected = tle.parse_tle(f"SATÉLITE\n{l1}\n{l2}\n".encode(enc), "n.tle")
        assert rejected == [] and fields["name"][0] == "SATÉLITE"
    # range checks: inclination 190 deg with a valid checksum
    bad2 = l2.replace(" 34.2682", "190.2682")
    bad2 = bad2[:68] + str(compute_checksum(bad2))
    _, rejected = tle.parse_tle(f"{l1}\n{bad2}\n".encode(), "r.tle")
    assert "inclination" in rejected[0].reason


def test_writer_refuses_what_tle_cannot_hold(tmp_path):
    cols = _columns({"norad_id": 5, "year": 2020, "doy": 10, "ticks": 5, "ndot": 0, "nddot": (0, 0),
                     "bstar": (0, 0), "incl": 0, "raan": 0, "argp": 0, "mo": 0, "ecc": 5, "n": 1e9,
                     "rev": 1, "elnum": 1, "intl": ""})
    tle.format_tle(cols, 0)
    for key, value in (("norad_id", 340_000), ("eccentricity", 1.0), ("inclination_deg", 181.0),
                       ("mean_motion_rev_per_day", -1.0), ("epoch_jd", 2400000.5)):
        bad = dict(cols, **{key: np.array([value])})
        with pytest.raises(InputError):
            tle.format_tle(bad, 0)


def test_fraction_rolls_over_to_the_next_day():
    cols = _columns({"norad_id": 5, "year": 2020, "doy": 366, "ticks": 0, "ndot": 0, "nddot": (0, 0),
                     "bstar": (0, 0), "incl": 0, "raan": 0, "argp": 0, "mo": 0, "ecc": 5, "n": 1e9,
                     "rev": 1, "elnum": 1, "intl": ""})
    cols["epoch_fr"] = np.array([0.999999999999])  # rounds to 1.00000000 day
    l1, _ = tle.format_tle(cols, 0)
    assert l1[18:32] == "21001.00000000"


def test_tiny_exponent_fields_are_denormalised_not_dropped():
    assert tle._exp_field(1e-11, "B*") == " 01000-9"
    assert tle._exp_field(-2.5e-12, "B*") == "-00250-9"
    assert tle._exp_field(1e-20, "B*") == " 00000+0"
    assert tle._exp_field(0.53681e-2, "B*") == " 53681-2"
    with pytest.raises(InputError):
        tle._exp_field(1e10, "B*")


def test_fast_matrix_path_reads_what_the_line_path_reads(monkeypatch):
    """The numpy byte-level grouping of regular files against the per-line grouping: the real
    debris files with CRLF, LF, comments and blank lines, and random corruptions -- identical
    values and reports (corruptions that break the layout fall back, the others take the fast path)."""
    rng = np.random.default_rng(11)
    variants = []
    for path in data.debris_files():
        raw = path.read_bytes()
        variants += [raw, raw.replace(b"\r\n", b"\n"), b"# comment\n\n" + raw.replace(b"\r\n", b"\n\n"),
                     raw[: len(raw) * 2 // 3]]
        for _ in range(8):
            b = bytearray(raw)
            for _ in range(int(rng.integers(1, 5))):
                pos = int(rng.integers(len(b)))
                b[pos] = b"0123456789 .-+ABZ#\n"[int(rng.integers(19))]
            variants.append(bytes(b))
    fast_taken = 0
    for blob in variants:
        fast_taken += tle._lines_fast(blob) is not None
        fast = tle.parse_tle(blob, "v.tle")
        with monkeypatch.context() as m:
            m.setattr(tle, "_lines_fast", lambda data: None)
            slow = tle.parse_tle(blob, "v.tle")
        assert fast[0].keys() == slow[0].keys()
        for k in fast[0]:
            x, y = np.asarray(fast[0][k]), np.asarray(slow[0][k])
            assert x.dtype == y.dtype and (np.array_equal(x, y, equal_nan=True) if x.dtype.kind == "f"
                                           else (x == y).all()), k
        assert fast[1] == slow[1]
    assert fast_taken >= len(variants) // 2
