"""CCSDS Orbit Mean-Elements Messages (OMM) as CelesTrak serves them: CSV and JSON, read and write.

Keywords are CelesTrak's (CCSDS 502.0-B-2 names): ``OBJECT_NAME, OBJECT_ID, EPOCH, MEAN_MOTION,
ECCENTRICITY, INCLINATION, RA_OF_ASC_NODE, ARG_OF_PERICENTER, MEAN_ANOMALY, EPHEMERIS_TYPE,
CLASSIFICATION_TYPE, NORAD_CAT_ID, ELEMENT_SET_NO, REV_AT_EPOCH, BSTAR, MEAN_MOTION_DOT,
MEAN_MOTION_DDOT``. ``NORAD_CAT_ID`` is read as int64 (OMM ids may exceed TLE's 5 columns).

The epoch pair reproduces what ``sgp4.omm.initialize`` leaves in ``Satrec.jdsatepoch`` and
``jdsatepochF``: days since 1949-12-31 as ``(microseconds / 1e6) / 86400``, split into whole and
fraction, the fraction rounded to 8 decimals when ``epoch * 1e8`` is a whole number (as the C++ wrapper does).
Records with a bad value are reported (:class:`~orbitsim.formats.RejectedRecord`, with the CSV line
or, for JSON, the 1-based position of the object in the array) and left out.
"""

from __future__ import annotations

import csv
import io
import json
import math
import warnings
from itertools import repeat
from pathlib import Path

import numpy as np

from ..errors import InputError
from . import RejectedRecord, raise_first

_strings = getattr(np, "strings", np.char)  # vectorized string functions (numpy >= 2; np.char before)

REQUIRED = ("NORAD_CAT_ID", "EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
            "ARG_OF_PERICENTER", "MEAN_ANOMALY", "BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT")
#: CelesTrak's column order, used by the writers.
COLUMNS = ("OBJECT_NAME", "OBJECT_ID", "EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION",
           "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY", "EPHEMERIS_TYPE",
           "CLASSIFICATION_TYPE", "NORAD_CAT_ID", "ELEMENT_SET_NO", "REV_AT_EPOCH", "BSTAR",
           "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT")
_FLOATS = {"MEAN_MOTION": "mean_motion_rev_per_day", "ECCENTRICITY": "eccentricity",
           "INCLINATION": "inclination_deg", "RA_OF_ASC_NODE": "raan_deg",
           "ARG_OF_PERICENTER": "arg_perigee_deg", "MEAN_ANOMALY": "mean_anomaly_deg",
           "BSTAR": "bstar_per_earth_radii", "MEAN_MOTION_DOT": "mean_motion_dot",
           "MEAN_MOTION_DDOT": "mean_motion_ddot"}
#: Optional user-defined keyword (CCSDS 502.0-B-2 ``USER_DEFINED_*``) carrying the physical
#: area-to-mass ratio (m^2/kg) of exported fragments, whose BSTAR is the SGP4-effective value
#: (docs/models.md). Written when every row has a finite A/M; read back when present.
USER_AREA_TO_MASS = "USER_DEFINED_AREA_TO_MASS_M2_PER_KG"
_INTS = {"NORAD_CAT_ID": "norad_id", "EPHEMERIS_TYPE": "ephemeris_type",
         "ELEMENT_SET_NO": "element_set_no", "REV_AT_EPOCH": "rev_at_epoch"}
_US_1949_12_31 = np.datetime64("1949-12-31T00:00:00", "us").astype(np.int64)


def decode_text(data: bytes) -> str:
    """Decode a text file: UTF-8 (BOM allowed), else Latin-1 (which accepts any byte)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def epoch_from_datetime64(t) -> tuple[np.ndarray, np.ndarray]:
    """Epoch ``(jd, fr)`` of ``datetime64[us]`` values, as ``sgp4.omm.initialize`` + ``sgp4init`` set them."""
    us = np.asarray(t, "datetime64[us]").astype(np.int64) - _US_1949_12_31
    epoch = (us.astype(np.float64) / 1e6) / 86400.0
    whole = np.floor(epoch)
    frac = epoch - whole
    # The sgp4 wrapper's sgp4init: when epoch * 1e8 is a whole number, round the fraction to 8
    # decimals (C round(): half away from zero; values here are non-negative).
    scaled = epoch * 1e8
    eight = np.floor(scaled) == scaled
    frac = np.where(eight, np.floor(frac * 1e8 + 0.5) / 1e8, frac)
    return whole + 2433281.5, frac


def _as_text(values):
    """Fixed-width string columns (the CSV fast path's) as lists of ``str``, for messages and
    per-value parsing."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "S":
        return [v.decode("latin-1") for v in values.tolist()]
    if isinstance(values, np.ndarray) and values.dtype.kind == "U":
        return values.tolist()
    return values


class _Sub:
    """A view of ``reason`` at rows ``idx`` (item get/set), for converting a subset of rows."""

    def __init__(self, reason, idx):
        self.reason, self.idx = reason, idx

    def __getitem__(self, i):
        return self.reason[self.idx[i]]

    def __setitem__(self, i, v):
        self.reason[self.idx[i]] = v


def _to_float(values, label, reason, lines):
    try:
        out = np.asarray(values, dtype=np.float64)
    except (ValueError, TypeError):
        values = _as_text(values)
        out = np.full(len(values), np.nan)
        for i, v in enumerate(values):
            try:
                out[i] = float(v)
            except (ValueError, TypeError):
                if reason[i] is None:
                    reason[i] = f"{label}: {v!r} is not a number"
    bad = ~np.isfinite(out)
    if bad.any():
        values = _as_text(values)
    for i in np.flatnonzero(bad):
        if reason[i] is None:
            reason[i] = f"{label}: {values[i]!r} is not a finite number"
    return out


def _digits_int(values: np.ndarray):
    """Byte strings of plain decimal digits (``b"25544"``) as int64 by column arithmetic; ``None``
    if any value is anything else (blank, sign, spaces, ...) or wider than 18 digits."""
    n, width = len(values), values.dtype.itemsize
    if n == 0 or width > 18:
        return None
    mat = values.view(np.uint8).reshape(n, width)
    digit = (mat - np.uint8(48)) < 10  # uint8 wraps: only '0'..'9' are below 10
    if not ((digit | (mat == 0)).all() and digit[:, 0].all() and (digit[:, 1:] <= digit[:, :-1]).all()):
        return None
    out = np.zeros(n, np.int64)
    for c in range(width):  # Horner's rule over the columns; the NUL padding ends each number
        d = digit[:, c]
        out = np.where(d, out * 10 + (mat[:, c].astype(np.int64) - 48), out)
    return out


def _to_int(values, label, reason, default=None):
    try:  # fast path: every value is an integer (text or number)
        arr = np.asarray(values)
        if arr.dtype.kind == "S":
            fast = _digits_int(arr)
            if fast is not None:
                return fast
        if arr.dtype.kind in "iu":
            return arr.astype(np.int64)
        if arr.dtype.kind in "US" or (arr.dtype == object and len(arr) and isinstance(arr[0], str)):
            return arr.astype(np.int64)  # int() of each text; "5.5" or "" raise and take the slow path
    except (ValueError, TypeError, OverflowError):
        pass
    values = _as_text(values)
    out = np.zeros(len(values), np.int64)
    for i, v in enumerate(values):
        if (v is None or (isinstance(v, str) and not v.strip())) and default is not None:
            out[i] = default
            continue
        try:
            f = float(v)
            if not f.is_integer():
                raise ValueError
            out[i] = int(f)
        except (ValueError, TypeError, OverflowError):
            if reason[i] is None:
                reason[i] = f"{label}: {v!r} is not an integer"
    return out


def _to_epoch(values, reason):
    """ISO 8601 epochs as datetime64[us]; a zone suffix (Z, +hh:mm) is converted to UTC by numpy,
    whose warning about it is silenced here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return _parse_epochs(values, reason)


#: Character positions of CelesTrak's epoch layout ``YYYY-MM-DDTHH:MM:SS.ffffff``.
_ISO_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22, 23, 24, 25]
_ISO_SEPARATORS = {4: "-", 7: "-", 10: "T", 13: ":", 16: ":", 19: "."}


def _iso_fixed(values: np.ndarray):
    """Epochs all written ``YYYY-MM-DDTHH:MM:SS.ffffff`` (CelesTrak's) as datetime64[us], by integer
    arithmetic on the characters; ``None`` if any value has another form or an impossible date or
    time (then numpy's parser reads them and reports what it rejects)."""
    n = len(values)
    if n == 0 or values.dtype != np.dtype("U26"):
        return None
    mat = values.view(np.uint32).reshape(n, 26)
    dig = mat[:, _ISO_DIGITS].astype(np.int64) - 48
    if not ((dig >= 0) & (dig <= 9)).all():
        return None
    for c, ch in _ISO_SEPARATORS.items():
        if not (mat[:, c] == ord(ch)).all():
            return None
    num = lambda a, b: dig[:, a:b] @ (10 ** np.arange(b - a - 1, -1, -1, dtype=np.int64))  # noqa: E731
    year, month, day, hour, minute, sec, usec = num(0, 4), num(4, 6), num(6, 8), num(8, 10), num(10, 12), \
        num(12, 14), num(14, 20)
    if not (((month >= 1) & (month <= 12) & (day >= 1) & (hour < 24) & (minute < 60) & (sec < 60)).all()):
        return None
    first = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
    month_days = ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64)
    if not (day <= month_days).all():
        return None
    days = first.astype("datetime64[D]").astype(np.int64) + day - 1
    return (((days * 24 + hour) * 60 + minute) * 60 + sec) * 1_000_000 + usec


def _parse_epochs(values, reason):
    if isinstance(values, np.ndarray) and values.dtype.kind == "S":  # never cast bytes (see _TEXT_COLUMNS)
        values = np.array(_as_text(values), dtype=str)
    if isinstance(values, np.ndarray):
        fast = _iso_fixed(values)
        if fast is not None:
            return fast.astype("datetime64[us]")
    try:  # fast path: plain ISO 8601 text (CelesTrak's); a trailing Z is UTC, which numpy warns about
        t = np.array(values, dtype="datetime64[us]")
        if len(t) and not np.isnat(t).any():
            if isinstance(values, np.ndarray) and values.dtype.kind == "U":  # "12345" would read as a year
                if (_strings.find(values, "-") >= 0).all():
                    return t
            elif all(isinstance(v, str) and "-" in v for v in values):
                return t
    except (ValueError, TypeError):
        pass
    values = _as_text(values)
    strs = [str(v).strip().rstrip("Zz") if v is not None else "" for v in values]
    try:
        t = np.array(strs, dtype="datetime64[us]")
        if np.isnat(t).any() or not all("-" in s for s in strs):  # "12345" would read as a year
            raise ValueError
    except (ValueError, TypeError):
        t = np.empty(len(strs), "datetime64[us]")
        for i, s in enumerate(strs):
            try:
                t[i] = np.datetime64(s, "us")
                if np.isnat(t[i]) or "-" not in s:
                    raise ValueError
            except (ValueError, TypeError):
                t[i] = np.datetime64("2000-01-01", "us")
                if reason[i] is None:
                    reason[i] = f"EPOCH: {values[i]!r} is not an ISO 8601 time such as 2026-07-10T03:44:00.383136"
    return t


def _texts(values, n: int, empty: str = "") -> np.ndarray:
    """Stripped text of each value as an object array (``empty`` for missing, null or blank)."""
    if values is None:
        return np.full(n, empty, dtype=object)
    if isinstance(values, np.ndarray) and values.dtype.kind == "U":  # the CSV fast path's columns
        values = _strings.strip(values)
        if empty:
            values = np.where(values == "", empty, values)
        return values.astype(object)
    try:
        out = list(map(str.strip, values))  # the usual case: all text
    except TypeError:
        out = ["" if v is None else str(v).strip() for v in values]
    arr = np.empty(n, dtype=object)
    arr[:] = out
    if empty:
        arr[arr == ""] = empty
    return arr


def from_columns(cols: dict, line_no: np.ndarray, filename: str):
    """Build Catalog columns from OMM keyword -> list of values; return ``(fields, rejected)``."""
    n = len(line_no)
    reason = np.full(n, None, dtype=object)
    fields = {}
    for key, name in _FLOATS.items():
        fields[name] = _to_float(cols[key], key, reason, line_no)
    for key, name in _INTS.items():
        if key in cols:
            fields[name] = _to_int(cols[key], key, reason, default=None if key == "NORAD_CAT_ID" else 0)
        else:
            fields[name] = np.zeros(n, np.int64)
    if USER_AREA_TO_MASS in cols:  # optional: blank or null reads as unknown (NaN)
        raw = _as_text(cols[USER_AREA_TO_MASS])
        blank = np.array([v is None or str(v).strip() in ("", "None", "null") for v in raw], dtype=bool)
        am = np.full(n, np.nan)
        if (~blank).any():
            idx = np.flatnonzero(~blank)
            am[idx] = _to_float([raw[i] for i in idx], USER_AREA_TO_MASS, _Sub(reason, idx), None)
        fields["area_to_mass_m2_per_kg"] = am
    t = _to_epoch(cols["EPOCH"], reason)
    fields["epoch_jd"], fields["epoch_fr"] = epoch_from_datetime64(t)
    checks = (
        ("norad_id", lambda v: v > 0, "NORAD_CAT_ID {} is not a positive integer"),
        ("eccentricity", lambda v: (v >= 0) & (v < 1), "ECCENTRICITY {} is outside 0 <= e < 1"),
        ("mean_motion_rev_per_day", lambda v: v > 0, "MEAN_MOTION {} rev/day is not positive"),
        ("inclination_deg", lambda v: (v >= 0) & (v <= 180), "INCLINATION {} deg is outside 0..180"),
        ("raan_deg", lambda v: (v >= 0) & (v <= 360), "RA_OF_ASC_NODE {} deg is outside 0..360"),
        ("arg_perigee_deg", lambda v: (v >= 0) & (v <= 360), "ARG_OF_PERICENTER {} deg is outside 0..360"),
        ("mean_anomaly_deg", lambda v: (v >= 0) & (v <= 360), "MEAN_ANOMALY {} deg is outside 0..360"),
    )
    for name, test, msg in checks:
        v = fields[name]
        with np.errstate(invalid="ignore"):
            failed = ~test(v)
        if failed.any():
            for i in np.flatnonzero(failed):
                if reason[i] is None:
                    reason[i] = msg.format(v[i])
    fields["name"] = _texts(cols.get("OBJECT_NAME"), n)
    fields["intl_designator"] = _texts(cols.get("OBJECT_ID"), n)
    fields["classification"] = _texts(cols.get("CLASSIFICATION_TYPE"), n, empty="U")
    fields["source_file"] = np.full(n, filename, dtype=object)
    fields["source_line"] = np.asarray(line_no, np.int64)
    fields["element_format"] = np.full(n, "OMM", dtype=object)
    ok = np.equal(reason, None)
    if ok.all():
        return fields, []
    rejected = [RejectedRecord(filename, int(line_no[i]), str(reason[i])) for i in np.flatnonzero(~ok)]
    return {k: v[ok] for k, v in fields.items()}, rejected


def _empty(filename):
    return from_columns({k: [] for k in REQUIRED}, np.zeros(0, np.int64), filename)[0]


#: Bytes other than LF/CRLF that ``str.splitlines`` treats as line breaks (and NUL, which would end
#: a fixed-width byte string early): files holding any of them take the per-line reader.
_ODD_BYTES = (b"\x00", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e")
#: Columns the fast path hands over as text (``EPOCH`` too: numpy 2.4 can crash casting a malformed
#: byte string to datetime64, so epochs are parsed from text as on the general path).
_TEXT_COLUMNS = ("OBJECT_NAME", "OBJECT_ID", "CLASSIFICATION_TYPE", "EPOCH")


def _byte_column(window: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Cells ``buf[start:end]`` of every row as one fixed-width byte-string array (NUL-padded).

    ``window`` is a sliding-window view of the file's bytes (one row per byte offset, at least the
    widest cell wide), so taking rows ``start`` copies each cell with what follows it; the bytes
    past each cell's end are then zeroed.
    """
    lens = (end - start).astype(np.int32)
    width = max(int(lens.max()) if len(lens) else 0, 1)
    mat = window[start, :width]
    mat *= (np.arange(width, dtype=np.int32) < lens[:, None]).view(np.uint8)
    return mat.view(f"S{width}").ravel()


def _float_block(data: bytes, header: list, n_rows: int) -> dict:
    """The float columns of a regular CSV file parsed by numpy's C reader (``np.loadtxt``), as
    float64 arrays: ``{}`` if it rejects anything, and a column holding a non-finite value is left
    out; those are then read as text and reported like the general reader does. numpy's reader
    converts with ``PyOS_string_to_double``, the conversion behind ``float()``, so the values are
    the same; what it refuses (e.g. ``1_0``, which ``float()`` takes) goes the general way.
    """
    names = [h for h in _FLOATS if h in header]
    if not names:
        return {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            block = np.loadtxt(io.BytesIO(data), delimiter=",", skiprows=1, usecols=[header.index(h) for h in names],
                               dtype=np.float64, comments=None, ndmin=2, encoding="latin-1")
    except (ValueError, TypeError):
        return {}
    if block.shape != (n_rows, len(names)):
        return {}
    finite = np.isfinite(block).all(axis=0)
    return {h: block[:, j].copy() for j, h in enumerate(names) if finite[j]}


def _table_fast(data: bytes):
    """A rectangular, unquoted CSV file as byte-string columns, without a Python object per cell.

    Returns ``(columns, line_no)`` (upper-cased header -> byte-string array, text columns already
    decoded; 1-based line of each row), or ``None`` when the file is not that regular (quotes, blank
    lines, rows of another width, CR-only or other line breaks, missing required columns, a header
    only): then the general reader below handles it, with its reports. Cells are what
    ``text.splitlines()`` and ``line.split(",")`` would give, so both paths read the same values.
    """
    off = 3 if data[:3] == b"\xef\xbb\xbf" else 0
    if b'"' in data or any(b in data for b in _ODD_BYTES):
        return None
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None
    encoding = "ascii"
    if not data.isascii():
        text = decode_text(data)
        if any(ch in text for ch in "\x85\u2028\u2029"):  # more line breaks of str.splitlines
            return None
        encoding = "utf-8" if len(text.encode("utf-8")) + off == len(data) else "latin-1"
    buf = np.frombuffer(data, np.uint8)
    nl = np.flatnonzero(buf == 10)
    starts = np.r_[off, nl + 1]
    ends = np.r_[nl, len(buf)]
    if starts[-1] == len(buf):  # the file ends with a newline
        starts, ends = starts[:-1], ends[:-1]
    ends = ends - ((ends > starts) & (buf[np.maximum(ends - 1, 0)] == 13))  # CRLF
    n_lines = len(starts)
    if n_lines < 2 or (ends <= starts).any():
        return None
    header = [h.strip().upper() for h in data[starts[0]:ends[0]].decode(encoding).split(",")]
    k = len(header) - 1
    commas = np.flatnonzero(buf == 44)
    if k == 0 or len(commas) != n_lines * k or not all(key in header for key in REQUIRED):
        return None
    commas = commas.reshape(n_lines, k)
    # Sorted commas, k per line in total: each line holds exactly k when its first and last lie in it.
    if not ((commas[:, 0] >= starts).all() and (commas[:, -1] < ends).all()):
        return None
    widest = int((ends - starts).max())
    padded = np.zeros(len(buf) + widest, np.uint8)
    padded[:len(buf)] = buf
    window = np.lib.stride_tricks.as_strided(padded, shape=(len(buf), widest), strides=(1, 1), writeable=False)
    starts, ends, commas = starts[1:], ends[1:], commas[1:]
    cols = _float_block(data, header, n_lines - 1)
    for j, h in enumerate(header):
        if h in cols:
            continue
        col = _byte_column(window, starts if j == 0 else commas[:, j - 1] + 1, ends if j == k else commas[:, j])
        if h in _TEXT_COLUMNS:
            if encoding == "ascii":  # ASCII bytes are their own code points: widen to UCS-4 text
                w = col.dtype.itemsize
                col = col.view(np.uint8).reshape(-1, w).astype(np.uint32).view(f"U{w}").ravel()
            else:
                col = _strings.decode(col, encoding)
        cols[h] = col
    return cols, np.arange(2, n_lines + 1, dtype=np.int64)


def parse_omm_csv(data: bytes, filename: str = "<omm.csv>", *, strict: bool = False):
    """Parse CelesTrak OMM CSV. Returns ``(fields, rejected)``; see the module docstring.

    Regular files (CelesTrak's: unquoted, every row the header's width) are cut into columns with
    numpy on the raw bytes and converted a column at a time; any other file is read line by line.
    Both give the same values and reports.
    """
    fast = _table_fast(data)
    if fast is not None:
        fields, rejected = from_columns(fast[0], fast[1], filename)
        if strict:
            raise_first(rejected, filename)
        return fields, rejected
    text = decode_text(data)
    if '"' in text:  # quoted fields: the csv module; reader.line_num is the record's last line
        reader = csv.reader(io.StringIO(text, newline=""))
        numbered = ((reader.line_num, row) for row in reader)
    else:  # no quoting (CelesTrak's usual output): a plain split is exact and several times faster
        lines = text.splitlines()
        commas = list(map(str.count, lines, repeat(",")))
        if len(lines) > 1 and lines[0].strip() and commas.count(commas[0]) == len(commas):
            # every line has the header's width: one split of the whole body, reshaped to a table
            header = [h.strip().upper() for h in lines[0].split(",")]
            table = np.array(",".join(lines[1:]).split(","), dtype=object).reshape(len(lines) - 1, len(header))
            if all(k in header for k in REQUIRED):
                cols = {h: table[:, j] for j, h in enumerate(header)}
                fields, rejected = from_columns(cols, np.arange(2, len(lines) + 1, dtype=np.int64), filename)
                if strict:
                    raise_first(rejected, filename)
                return fields, rejected
        split = [line.split(",") for line in lines]
        numbered = zip(range(1, len(split) + 1), split)
    header_line, header = next(numbered, (0, None))
    while header is not None and not any(c.strip() for c in header):
        header_line, header = next(numbered, (0, None))
    if header is None:
        rejected = [RejectedRecord(filename, 0, "empty file: no element sets")]
        if strict:
            raise_first(rejected, filename)
        return _empty(filename), rejected
    header = [h.strip().upper() for h in header]
    missing = [k for k in REQUIRED if k not in header]
    if missing:
        rejected = [RejectedRecord(filename, header_line, f"OMM CSV header lacks {', '.join(missing)}")]
        if strict:
            raise_first(rejected, filename)
        return _empty(filename), rejected
    width = len(header)
    rejected = []
    good_rows, line_no = [], []
    rest = list(numbered)
    if all(len(row) == width for _, row in rest):  # the usual case: no blank or short lines
        line_no = [k for k, _ in rest]
        good_rows = [row for _, row in rest]
        rest = []
    for k, row in rest:
        if len(row) == width:
            good_rows.append(row)
            line_no.append(k)
        elif row and any(c.strip() for c in row):
            rejected.append(RejectedRecord(filename, k, f"{len(row)} fields, the header has {width}"
                                           + (" (truncated record?)" if len(row) < width else "")))
    columns = list(zip(*good_rows)) if good_rows else [()] * width
    cols = {h: list(columns[j]) for j, h in enumerate(header)}
    fields, bad = from_columns(cols, np.array(line_no, np.int64), filename)
    rejected = sorted(rejected + bad, key=lambda r: r.line)
    if not good_rows and not rejected:
        rejected.append(RejectedRecord(filename, 0, "no element sets found"))
    if strict:
        raise_first(rejected, filename)
    return fields, rejected


def parse_omm_json(data: bytes, filename: str = "<omm.json>", *, strict: bool = False):
    """Parse CelesTrak OMM JSON (an array of objects, or one object). Lines are array positions."""
    try:
        obj = json.loads(decode_text(data))
    except (json.JSONDecodeError, RecursionError) as exc:
        rejected = [RejectedRecord(filename, getattr(exc, "lineno", 0), f"not valid JSON: {getattr(exc, 'msg', exc)}")]
        if strict:
            raise_first(rejected, filename)
        return _empty(filename), rejected
    if isinstance(obj, dict):
        obj = [obj]
    if not isinstance(obj, list):
        rejected = [RejectedRecord(filename, 0, "OMM JSON must be an array of objects")]
        if strict:
            raise_first(rejected, filename)
        return _empty(filename), rejected
    rejected, good, line_no = [], [], []
    for k, rec in enumerate(obj, start=1):
        if not isinstance(rec, dict):
            rejected.append(RejectedRecord(filename, k, "array element is not an object"))
            continue
        rec = {str(key).upper(): v for key, v in rec.items()}
        missing = [key for key in REQUIRED if key not in rec]
        if missing:
            rejected.append(RejectedRecord(filename, k, f"object lacks {', '.join(missing)}"))
            continue
        good.append(rec)
        line_no.append(k)
    keys = set(REQUIRED) | {k for k in COLUMNS if any(k in r for r in good)}
    if good and all(USER_AREA_TO_MASS in r for r in good):
        keys.add(USER_AREA_TO_MASS)
    cols = {key: [r.get(key) for r in good] for key in keys}
    fields, bad = from_columns(cols, np.array(line_no, np.int64), filename)
    rejected = sorted(rejected + bad, key=lambda r: r.line)
    if not obj:
        rejected.append(RejectedRecord(filename, 0, "empty array: no element sets"))
    if strict:
        raise_first(rejected, filename)
    return fields, rejected


# ----------------------------------------------------------------------------------------- writing
def _records(catalog):
    from ..timeutil import jd_to_datetime64

    t = jd_to_datetime64(catalog.epoch_jd, catalog.epoch_fr)
    epochs = np.datetime_as_string(t, unit="us")
    n = len(catalog)
    get = lambda name, default: getattr(catalog, name, None) if getattr(catalog, name, None) is not None else [default] * n  # noqa: E731
    cls = get("classification", "U")
    eph, eln, rev = get("ephemeris_type", 0), get("element_set_no", 999), get("rev_at_epoch", 0)
    am = np.asarray(get("area_to_mass_m2_per_kg", np.nan), dtype=np.float64)
    with_am = n > 0 and bool(np.isfinite(am).all())
    for i in range(n):
        values = (catalog.name[i], catalog.intl_designator[i], str(epochs[i]),
                  catalog.mean_motion_rev_per_day[i], catalog.eccentricity[i], catalog.inclination_deg[i],
                  catalog.raan_deg[i], catalog.arg_perigee_deg[i], catalog.mean_anomaly_deg[i],
                  int(eph[i]), cls[i] or "U", int(catalog.norad_id[i]), int(eln[i]), int(rev[i]),
                  catalog.bstar_per_earth_radii[i], catalog.mean_motion_dot[i], catalog.mean_motion_ddot[i])
        rec = {k: (float(v) if isinstance(v, (float, np.floating)) else v) for k, v in zip(COLUMNS, values)}
        if with_am:
            rec[USER_AREA_TO_MASS] = float(am[i])
        yield rec


def _check_finite(rec, i):
    for k, v in rec.items():
        if isinstance(v, float) and not math.isfinite(v):
            raise InputError(f"row {i}: {k} is {v!r}; OMM needs finite values")


def write_omm_csv(path, catalog, *, force: bool = True) -> Path:
    """Write ``catalog`` as CelesTrak OMM CSV (full float precision, epoch to the microsecond)."""
    from ..io import atomic_write

    recs = list(_records(catalog))
    for i, r in enumerate(recs):
        _check_finite(r, i)
    with atomic_write(path, "w", force=force) as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(list(recs[0]) if recs else COLUMNS)
        for r in recs:
            w.writerow([repr(v) if isinstance(v, float) else v for v in r.values()])
    return Path(path)


def write_omm_json(path, catalog, *, force: bool = True) -> Path:
    """Write ``catalog`` as CelesTrak OMM JSON (an array of objects)."""
    from ..io import atomic_write

    recs = list(_records(catalog))
    for i, r in enumerate(recs):
        _check_finite(r, i)
    with atomic_write(path, "w", force=force) as fh:
        json.dump(recs, fh, indent=1)
        fh.write("\n")
    return Path(path)
