"""Two-line element sets (TLE, 3LE): a vectorized reader that validates, and a writer.

Reading
-------
:func:`parse_tle` groups lines into records (optional name line, with or without the ``0 `` prefix
of Space-Track 3LE; line 1; line 2), tolerant of CRLF/LF/CR, blank lines and trailing blanks, then
slices the fixed columns of all records at once as a ``(n, 69)`` byte matrix. Every record is
checked for: 69 columns, the blanks and decimal points of the column layout, the modulo-10
checksum of both lines, digits in numeric fields, the same catalog number on both lines, an epoch
day within its year, ``0 <= inclination <= 180``, ``0 <= RAAN, arg. perigee, mean anomaly <= 360``,
``mean motion > 0`` (eccentricity is ``0 <= e < 1`` by construction of its field). A record that
fails is reported as :class:`~orbitsim.formats.RejectedRecord` and left out.

Field values are decoded exactly as ``sgp4``'s ``Satrec.twoline2rv`` decodes them (implied decimal
points, ``mantissa * pow(10, exponent)`` for B* and the second derivative) and the epoch pair
``(epoch_jd, epoch_fr)`` reproduces ``Satrec.jdsatepoch`` / ``jdsatepochF`` bit for bit: the day
fraction is rebuilt through the same hours/minutes/seconds steps as Vallado's ``days2mdhms`` and
``jday`` and rounded to the 8 decimals a TLE holds, as the ``sgp4`` wrapper does.

Catalog numbers use Alpha-5 (``A0000`` = 100000 ... ``Z9999`` = 339999; letters I and O skipped).
Reference: CelesTrak, "A New Way to Obtain GP Data" and the Alpha-5 note (celestrak.org/NORAD/documentation).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np

from ..errors import InputError
from . import RejectedRecord, raise_first, sniff

_strings = getattr(np, "strings", np.char)  # vectorized string functions (numpy >= 2; np.char before)

#: Columns of one TLE line.
WIDTH = 69

_SPACE, _DOT, _PLUS, _MINUS = 32, 46, 43, 45
_IS_DIGIT = np.zeros(256, bool)
_IS_DIGIT[48:58] = True
_IS_NUM = _IS_DIGIT.copy()
_IS_NUM[[_SPACE, _DOT, _PLUS, _MINUS]] = True
_IS_ALPHA5 = np.zeros(256, bool)
_IS_ALPHA5[[c for c in range(65, 91) if c not in (73, 79)]] = True  # A-Z without I, O
_ALPHA5_VALUE = np.zeros(256, np.int64)
for _c in range(65, 91):
    _ALPHA5_VALUE[_c] = _c - 65 + 10 - (_c > 73) - (_c > 79)
# pow(10, k) from the C library, as Vallado's twoline2rv uses (numpy's vectorized power differs in the
# last bit for some k).
_POW10 = np.array([math.pow(10.0, k) for k in range(-9, 10)])
_CHECK_VALUE = np.zeros(256, np.int64)
_CHECK_VALUE[48:58] = np.arange(10)
_CHECK_VALUE[_MINUS] = 1
_CHECK_U8 = _CHECK_VALUE.astype(np.uint8)
_IS_BLANK = np.zeros(256, bool)
_IS_BLANK[[9, 11, 12, 13, 28, 29, 30, 31, 32]] = True  # what bytes.rstrip/str.strip remove (and CR)

# Layout (0-based columns): blanks and decimal points every valid TLE line has.
_BLANKS = {1: (1, 8, 17, 32, 43, 52, 61, 63), 2: (1, 7, 16, 25, 33, 42, 51)}
_DOTS = {1: (23,), 2: (11, 20, 37, 46, 54)}

#: Fields the reader returns, in Catalog names.
FIELDS = (
    "norad_id", "name", "intl_designator", "classification", "epoch_jd", "epoch_fr",
    "mean_motion_rev_per_day", "eccentricity", "inclination_deg", "raan_deg", "arg_perigee_deg",
    "mean_anomaly_deg", "bstar_per_earth_radii", "mean_motion_dot", "mean_motion_ddot",
    "ephemeris_type", "element_set_no", "rev_at_epoch", "source_file", "source_line",
)


# --------------------------------------------------------------------------------------- Alpha-5
def alpha5_encode(norad_id: int) -> str:
    """Return the 5-character TLE catalog number of ``norad_id`` (Alpha-5 above 99,999).

    Raises
    ------
    InputError
        If ``norad_id`` is negative or above 339,999 (``Z9999``), which TLE text cannot hold.
    """
    n = int(norad_id)
    if n < 0 or n > 339_999:
        raise InputError(f"norad_id {n}: TLE catalog numbers hold 0..339999 (Alpha-5); use OMM for larger ids")
    if n < 100_000:
        return f"{n:05d}"
    lead, rest = divmod(n, 10_000)
    code = lead - 10 + 65
    code += code >= 73  # skip I
    code += code >= 79  # skip O
    return f"{chr(code)}{rest:04d}"


def alpha5_decode(text: str) -> int:
    """Return the NORAD id of a 5-character TLE catalog number (digits, blanks or Alpha-5).

    Raises
    ------
    InputError
        If ``text`` is not a catalog number.
    """
    s = str(text).strip()
    if not s or len(s) > 5:
        raise InputError(f"catalog number {text!r}: expected 1 to 5 characters")
    if s[0].isdigit() and s.isdigit():
        return int(s)
    c = s[0].upper()
    if len(s) == 5 and _IS_ALPHA5[ord(c)] and s[1:].isdigit():
        return int(_ALPHA5_VALUE[ord(c)]) * 10_000 + int(s[1:])
    raise InputError(f"catalog number {text!r}: expected digits or Alpha-5 (a letter other than I/O, then 4 digits)")


def checksum(line: str) -> int:
    """TLE checksum of the first 68 columns: digits count their value, ``-`` counts 1, modulo 10."""
    return sum(int(c) if c.isdigit() else (c == "-") for c in line[:68]) % 10


# ----------------------------------------------------------------------------------------- reading
def _decode_name(raw: bytes) -> str:
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError:
        s = raw.decode("latin-1")
    s = s.strip()
    if not s.isprintable():
        s = "".join(ch if ch.isprintable() else "?" for ch in s)
    if s.startswith("0 "):
        s = s[2:].strip()
    return s


def _cut(line: bytes) -> bytes:
    """Drop what follows column 69 after a blank (e.g. Vallado's start/stop/step columns)."""
    return line[:WIDTH] if len(line) > WIDTH and line[WIDTH:WIDTH + 1] in (b" ", b"\t") else line


def _group_fast(lines: list[bytes]):
    """Group a well-formed file (every record: optional name, line 1, line 2) without a Python loop
    per line; ``None`` if the file is not that regular (then :func:`_group` finds what is wrong)."""
    stripped = [ln.rstrip() for ln in lines]
    keep = [i for i, ln in enumerate(stripped) if ln and ln[:1] != b"#"]
    ls = [stripped[i] for i in keep]
    n = len(ls)
    if n < 2:
        return None
    heads = np.array([ln[:2] for ln in ls], dtype="S2")
    is1, is2 = heads == b"1 ", heads == b"2 "
    i1 = np.flatnonzero(is1)
    if len(i1) == 0 or i1[-1] + 1 >= n or not is2[i1 + 1].all() or is2.sum() != len(i1):
        return None
    iname = np.flatnonzero(~is1 & ~is2)
    if len(iname) and (iname[-1] + 1 >= n or not is1[iname + 1].all()):
        return None
    named = np.zeros(len(i1), bool)
    named[1:] = ~is1[i1[1:] - 1] & ~is2[i1[1:] - 1]
    named[0] = i1[0] > 0
    names = [ls[i - 1] if h else b"" for i, h in zip(i1.tolist(), named.tolist())]
    l1 = [ls[i] for i in i1.tolist()]
    l2 = [ls[i] for i in (i1 + 1).tolist()]
    l1 = [x if len(x) <= WIDTH else _cut(x) for x in l1]
    l2 = [x if len(x) <= WIDTH else _cut(x) for x in l2]
    line_no = np.asarray(keep, np.int64) + 1
    first = np.where(named, line_no[np.maximum(i1 - 1, 0)], line_no[i1])
    return list(zip(names, l1, l2, first.tolist()))


def _lines_fast(data: bytes):
    """Records of a well-formed file found with numpy on the raw bytes: no Python object per line.

    Returns ``(M1, M2, names, first_line)``: the ``(n, 69)`` byte matrices of lines 1 and 2, the raw
    name line of each record (``b""`` if none) and its 1-based first line; or ``None`` when the file
    is not that regular (a line 1 or 2 not exactly 69 columns or ending in a blank, CR-only line
    breaks, a line starting with a blank, a record out of order, ...): then :func:`_group` reads it
    line by line, with its reports. Blank and ``#`` lines are skipped, as :func:`_group` skips them.
    """
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None
    buf = np.frombuffer(data, np.uint8)
    nl = np.flatnonzero(buf == 10)
    starts = np.r_[0, nl + 1]
    ends = np.r_[nl, len(buf)]
    ends = ends - ((ends > starts) & (buf[np.maximum(ends - 1, 0)] == 13))  # CRLF
    length = ends - starts
    padded = np.zeros(len(buf) + WIDTH, np.uint8)
    padded[:len(buf)] = buf
    head = padded[np.minimum(starts, len(buf))[:, None] + np.arange(2)]
    head[length < 2, 1] = 0
    head[length < 1, 0] = 0
    keep = (length > 0) & (head[:, 0] != ord("#"))
    if _IS_BLANK[head[keep, 0]].any():  # blank-only lines or names starting with a blank
        return None
    is1 = keep & (head[:, 0] == ord("1")) & (head[:, 1] == _SPACE)
    is2 = keep & (head[:, 0] == ord("2")) & (head[:, 1] == _SPACE)
    kept = np.flatnonzero(keep)
    if len(kept) < 2:
        return None
    k1, k2 = is1[kept], is2[kept]
    i1 = np.flatnonzero(k1)  # positions among kept lines
    if len(i1) == 0 or i1[-1] + 1 >= len(kept) or not k2[i1 + 1].all() or k2.sum() != len(i1):
        return None
    iname = np.flatnonzero(~k1 & ~k2)
    if len(iname) and (iname[-1] + 1 >= len(kept) or not k1[iname + 1].all()):
        return None
    l1, l2 = kept[i1], kept[i1 + 1]  # file line indices
    if not ((length[l1] == WIDTH).all() and (length[l2] == WIDTH).all()):
        return None
    if _IS_BLANK[buf[ends[l1] - 1]].any() or _IS_BLANK[buf[ends[l2] - 1]].any():
        return None
    window = np.lib.stride_tricks.as_strided(padded, shape=(len(buf), WIDTH), strides=(1, 1), writeable=False)
    M1, M2 = window[starts[l1]], window[starts[l2]]
    named = np.zeros(len(i1), bool)
    named[1:] = ~k1[i1[1:] - 1] & ~k2[i1[1:] - 1]
    named[0] = i1[0] > 0
    name_line = kept[np.maximum(i1 - 1, 0)]
    names = [data[a:b] if h else b"" for a, b, h in
             zip(starts[name_line].tolist(), ends[name_line].tolist(), named.tolist())]
    first = np.where(named, name_line, l1) + 1
    return M1, M2, names, first.astype(np.int64)


_ZERO_PREFIX = re.compile(r"(?m)^\s*0 ")


def _decode_names(raws: list[bytes]) -> list[str]:
    """Decode name lines in one go (UTF-8, else per name with a Latin-1 fallback); drop ``0 ``."""
    if not raws:
        return []
    try:
        text = b"\n".join(raws).decode("utf-8")
    except UnicodeDecodeError:
        return [_decode_name(r) for r in raws]
    if not text.replace("\n", "").isprintable():
        return [_decode_name(r) for r in raws]
    out = list(map(str.strip, text.split("\n")))
    if _ZERO_PREFIX.search(text):  # Space-Track 3LE: "0 NAME"
        out = [t[2:].strip() if t.startswith("0 ") else t for t in out]
    return out


def _group(lines: list[bytes], filename: str, rejected: list):
    """Group lines into (raw name, line1, line2, first_line_no) records, reporting stray lines."""
    fast = _group_fast(lines)
    if fast is not None:
        return fast
    out = []
    n = len(lines)
    pend = None  # (line_no, raw) of a name line waiting for its element lines
    i = 0
    while i < n:
        s = lines[i].rstrip()
        if not s.strip() or s[:1] == b"#":  # blank lines and '#' comment lines carry no record
            i += 1
            continue
        if s[:2] == b"1 ":
            j = i + 1
            while j < n and not lines[j].strip():
                j += 1
            if j < n and lines[j].lstrip()[:2] == b"2 ":
                name = pend[1] if pend else b""
                first = pend[0] if pend else i + 1
                out.append((name, _cut(s), _cut(lines[j].strip()), first))
                i = j + 1
            else:
                where = "end of file" if j >= n else f"line {j + 1}"
                rejected.append(RejectedRecord(filename, pend[0] if pend else i + 1,
                                               f"line 1 at line {i + 1} is not followed by a line 2 "
                                               f"(found {where}; truncated record?)"))
                i += 1
            pend = None
        elif s.lstrip()[:2] == b"2 ":
            rejected.append(RejectedRecord(filename, pend[0] if pend else i + 1,
                                           f"line 2 at line {i + 1} has no line 1 before it"))
            pend = None
            i += 1
        else:
            if pend is not None:
                rejected.append(RejectedRecord(filename, pend[0],
                                               f"{_decode_name(pend[1])[:40]!r} is neither a TLE line "
                                               "nor followed by one"))
            pend = (i + 1, s)
            i += 1
    if pend is not None:
        rejected.append(RejectedRecord(filename, pend[0],
                                       f"name line {_decode_name(pend[1])[:40]!r} at end of file has "
                                       "no element lines (truncated file?)"))
    return out


class _Checker:
    """Collects the first failure reason of each row while columns are decoded."""

    def __init__(self, n: int, line_no: np.ndarray):
        self.reason = np.full(n, None, dtype=object)
        self.line_no = line_no

    def flag(self, mask, message) -> None:
        """Record ``message(i)`` (or the string) for rows in ``mask`` that have no reason yet."""
        if not np.any(mask):
            return
        for i in np.flatnonzero(mask & np.equal(self.reason, None)):
            self.reason[i] = message(i) if callable(message) else message

    @property
    def ok(self) -> np.ndarray:
        return np.equal(self.reason, None)


def _text(M, i, a, b) -> str:
    return bytes(M[i, a:b]).decode("latin-1")


def _floats(M, a, b, chk: _Checker, label: str) -> np.ndarray:
    """Decode columns ``a:b`` of all rows as float64 (NaN and a reason where not a number)."""
    sub = np.ascontiguousarray(M[:, a:b])
    good = _IS_NUM[sub].all(axis=1) & (sub != _SPACE).any(axis=1) & (sub >= 48).any(axis=1)
    strs = sub.view(f"S{b - a}").ravel()
    out = np.full(len(sub), np.nan)
    try:
        out[good] = strs[good].astype(np.float64)
    except ValueError:
        for i in np.flatnonzero(good):
            try:
                out[i] = float(strs[i])
            except ValueError:
                good[i] = False
    chk.flag(~good, lambda i: f"{label} (columns {a + 1}-{b}): {_text(M, i, a, b)!r} is not a number")
    return out


def _ints(M, a, b, chk: _Checker, label: str, blank_ok: bool = False) -> np.ndarray:
    """Decode columns ``a:b`` as a non-negative integer; leading blanks allowed (all blank: 0 if ok)."""
    sub = M[:, a:b]
    lead = np.cumprod(sub == _SPACE, axis=1).astype(bool)
    good = (_IS_DIGIT[sub] | lead).all(axis=1)
    if not blank_ok:
        good &= ~lead[:, -1]
    digits = np.where(_IS_DIGIT[sub], sub.astype(np.int64) - 48, 0)
    out = digits @ (10 ** np.arange(b - a - 1, -1, -1, dtype=np.int64))
    chk.flag(~good, lambda i: f"{label} (columns {a + 1}-{b}): {_text(M, i, a, b)!r} is not an integer")
    return out


def _catalog_numbers(M, chk: _Checker, label: str) -> np.ndarray:
    sub = M[:, 2:7]
    lead = np.cumprod(sub == _SPACE, axis=1).astype(bool)
    first_alpha = _IS_ALPHA5[sub[:, 0]]
    good = (_IS_DIGIT[sub] | lead).all(axis=1) & ~lead[:, -1]
    good |= first_alpha & _IS_DIGIT[sub[:, 1:]].all(axis=1)
    digits = np.where(_IS_DIGIT[sub], sub.astype(np.int64) - 48, 0)
    out = digits @ np.array([10_000, 1000, 100, 10, 1], dtype=np.int64)
    out += np.where(first_alpha, _ALPHA5_VALUE[sub[:, 0]] * 10_000, 0)
    chk.flag(~good, lambda i: f"{label} catalog number {_text(M, i, 2, 7)!r} is not digits or Alpha-5")
    return out


def _implied(M, sign_col, chk: _Checker, label: str) -> np.ndarray:
    """Decode an ``SMMMMMSE`` field (sign, 5 mantissa digits with implied point, signed exponent)."""
    n = len(M)
    sub = M[:, sign_col:sign_col + 8].copy()
    sign_ok = np.isin(sub[:, 0], (_SPACE, _PLUS, _MINUS))
    body = sub[:, 1:6]
    body[body == _SPACE] = 48  # blanks in the mantissa read as zeros, as Vallado's twoline2rv does
    exp_sign_ok = np.isin(sub[:, 6], (_SPACE, _PLUS, _MINUS))
    sub[:, 7][sub[:, 7] == _SPACE] = 48
    good = sign_ok & _IS_DIGIT[body].all(axis=1) & exp_sign_ok & _IS_DIGIT[sub[:, 7]]
    mant = np.empty((n, 7), np.uint8)
    mant[:, 0] = np.where(sub[:, 0] == _MINUS, _MINUS, _SPACE)
    mant[:, 1] = _DOT
    mant[:, 2:] = np.where(good[:, None], body, 48)
    mantissa = mant.view("S7").ravel().astype(np.float64)
    exponent = np.where(_IS_DIGIT[sub[:, 7]], sub[:, 7].astype(np.int64) - 48, 0)
    exponent = np.where(sub[:, 6] == _MINUS, -exponent, exponent)
    chk.flag(~good, lambda i: f"{label} (columns {sign_col + 1}-{sign_col + 8}): "
                              f"{_text(M, i, sign_col, sign_col + 8)!r} is not a TLE exponent field")
    return mantissa * _POW10[exponent + 9]


def _matrix(lines: list[bytes], lengths: np.ndarray) -> np.ndarray:
    if np.all(lengths == WIDTH):
        buf = b"".join(lines)
    else:
        buf = b"".join(line[:WIDTH].ljust(WIDTH) for line in lines)
    return np.frombuffer(buf, dtype=np.uint8).reshape(len(lines), WIDTH)


def epoch_from_tle(year: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Epoch ``(jd, fr)`` as sgp4's ``twoline2rv`` sets ``jdsatepoch``, ``jdsatepochF``.

    Parameters
    ----------
    year : int array
        Four-digit year.
    days : float array
        Day of year with fraction, 1-based, as written in the TLE.

    Returns
    -------
    jd, fr, fr_unrounded : float arrays
        Midnight Julian date, the fraction rounded to 8 decimals (what the ``sgp4`` wrapper keeps),
        and the unrounded fraction Vallado's ``jday`` computes (the epoch ``twoline2rv`` hands to
        ``sgp4init``).
    """
    year = np.asarray(year, np.int64)
    days = np.asarray(days, np.float64)
    dayofyr = np.floor(days)
    jan1 = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    jd = 2440587.5 + (jan1 + dayofyr.astype(np.int64) - 1).astype(np.float64)
    # Vallado days2mdhms + jday, operation by operation (SGP4.cpp).
    temp = (days - dayofyr) * 24.0
    hr = np.floor(temp)
    temp = (temp - hr) * 60.0
    minute = np.floor(temp)
    sec = (temp - minute) * 60.0
    frac = (sec + minute * 60.0 + hr * 3600.0) / 86400.0
    fr = np.floor(frac * 1e8 + 0.5) / 1e8  # C round() of a non-negative value
    return jd, fr, frac


def parse_tle(data: bytes, filename: str = "<tle>", *, strict: bool = False):
    """Parse TLE/3LE text.

    Parameters
    ----------
    data : bytes
        The file's content (any newline convention; ASCII, names may be UTF-8 or Latin-1).
    filename : str
        Name used in :class:`RejectedRecord` and error messages, and as ``source_file``.
    strict : bool
        Raise :class:`~orbitsim.errors.ParseError` on the first bad record instead of reporting.

    Returns
    -------
    fields : dict of numpy arrays
        The :data:`FIELDS` columns, in file order.
    rejected : list of RejectedRecord
    """
    rejected: list[RejectedRecord] = []
    kind = sniff(data)
    if kind == "binary":
        rejected.append(RejectedRecord(filename, 0, "binary data (NUL bytes), not TLE text"))
        records = []
    elif kind == "empty":
        rejected.append(RejectedRecord(filename, 0, "empty file: no element sets"))
        records = []
    else:
        fast = _lines_fast(data)
        if fast is not None:
            fields, bad = _decode_matrices(*fast, filename)
            rejected.extend(bad)
            rejected.sort(key=lambda r: r.line)
            if strict:
                raise_first(rejected, filename)
            return fields, rejected
        records = _group(data.splitlines(), filename, rejected)
    fields, bad = _decode(records, filename)
    rejected.extend(bad)
    if kind == "tle" and not records and not rejected:
        rejected.append(RejectedRecord(filename, 0, "no element sets found"))
    rejected.sort(key=lambda r: r.line)
    if strict:
        raise_first(rejected, filename)
    return fields, rejected


def _decode(records, filename):
    n = len(records)
    first_line = np.array([r[3] for r in records], dtype=np.int64)
    chk = _Checker(n, first_line)
    l1 = [r[1] for r in records]
    l2 = [r[2] for r in records]
    matrices = []
    for k, lines in ((1, l1), (2, l2)):
        lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
        chk.flag(lengths != WIDTH, lambda i, k=k, lengths=lengths:
                 f"line {k} has {lengths[i]} columns, expected {WIDTH}"
                 + (" (truncated?)" if lengths[i] < WIDTH else ""))
        matrices.append(_matrix(lines, lengths))
    return _decode_matrices(*matrices, [r[0] for r in records], first_line, filename, chk)


def _decode_matrices(M1, M2, raw_names, first_line, filename, chk=None):
    """Validate and decode the ``(n, 69)`` byte matrices of lines 1 and 2 (see :func:`parse_tle`)."""
    n = len(M1)
    if chk is None:
        chk = _Checker(n, first_line)
    for k, M in ((1, M1), (2, M2)):
        if n == 0:
            continue
        cols = list(_BLANKS[k])
        if (M[:, cols] != _SPACE).any():
            for c in cols:
                chk.flag(M[:, c] != _SPACE, lambda i, c=c, k=k, M=M:
                         f"line {k} column {c + 1}: expected a blank, found {_text(M, i, c, c + 1)!r} (columns shifted?)")
        cols = list(_DOTS[k])
        if (M[:, cols] != _DOT).any():
            for c in cols:
                chk.flag(M[:, c] != _DOT, lambda i, c=c, k=k, M=M:
                         f"line {k} column {c + 1}: expected '.', found {_text(M, i, c, c + 1)!r} (columns shifted?)")
        want = _CHECK_U8[M[:, :68]].sum(axis=1, dtype=np.int64) % 10
        have = M[:, 68].astype(np.int64) - 48
        chk.flag(want != have, lambda i, k=k, want=want, M=M:
                 f"line {k} checksum: column 69 is {_text(M, i, 68, 69)!r}, the checksum is {want[i]}")
    ids1 = _catalog_numbers(M1, chk, "line 1")
    ids2 = _catalog_numbers(M2, chk, "line 2")
    chk.flag(ids1 != ids2, lambda i: f"catalog numbers differ: {ids1[i]} on line 1, {ids2[i]} on line 2")
    yy = _ints(M1, 18, 20, chk, "epoch year")
    days = _floats(M1, 20, 32, chk, "epoch day")
    year = np.where(yy < 57, 2000 + yy, 1900 + yy)
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    chk.flag(~((days >= 1.0) & (days < 366.0 + leap)), lambda i: f"epoch day {days[i]!r} is outside year {year[i]}")
    ndot = _floats(M1, 33, 43, chk, "mean motion dot")
    nddot = _implied(M1, 44, chk, "mean motion ddot")
    bstar = _implied(M1, 53, chk, "B*")
    ephtype = np.where(M1[:, 62] == _SPACE, 0, M1[:, 62].astype(np.int64) - 48) if n else np.zeros(0, np.int64)
    chk.flag(~(_IS_DIGIT[M1[:, 62]] | (M1[:, 62] == _SPACE)), "ephemeris type (column 63) is not a digit")
    elnum = _ints(M1, 64, 68, chk, "element set number", blank_ok=True)
    incl = _floats(M2, 8, 16, chk, "inclination")
    raan = _floats(M2, 17, 25, chk, "RAAN")
    ecc_digits = np.ascontiguousarray(M2[:, 26:33]).copy()
    ecc_digits[ecc_digits == _SPACE] = 48  # blanks read as zeros, as Vallado's twoline2rv does
    ecc_text = np.empty((n, 9), np.uint8)
    ecc_text[:, 0], ecc_text[:, 1] = 48, _DOT
    ecc_good = _IS_DIGIT[ecc_digits].all(axis=1)
    ecc_text[:, 2:] = np.where(ecc_good[:, None], ecc_digits, 48)
    ecc = ecc_text.view("S9").ravel().astype(np.float64) if n else np.zeros(0)
    chk.flag(~ecc_good, lambda i: f"eccentricity (columns 27-33): {_text(M2, i, 26, 33)!r} is not 7 digits")
    argp = _floats(M2, 34, 42, chk, "argument of perigee")
    mean_anom = _floats(M2, 43, 51, chk, "mean anomaly")
    n_rev = _floats(M2, 52, 63, chk, "mean motion")
    revnum = _ints(M2, 63, 68, chk, "revolution number", blank_ok=True)
    chk.flag(~((incl >= 0) & (incl <= 180)), lambda i: f"inclination {incl[i]!r} deg is outside 0..180")
    for label, v in (("RAAN", raan), ("argument of perigee", argp), ("mean anomaly", mean_anom)):
        chk.flag(~((v >= 0) & (v <= 360)), lambda i, v=v, label=label: f"{label} {v[i]!r} deg is outside 0..360")
    chk.flag(~(n_rev > 0), lambda i: f"mean motion {n_rev[i]!r} rev/day is not positive")

    ok = chk.ok
    bad = [RejectedRecord(filename, int(first_line[i]), str(chk.reason[i])) for i in np.flatnonzero(~ok)]
    jd, fr, _ = epoch_from_tle(year, np.where(ok, days, 1.0))
    keep = np.flatnonzero(ok)
    fields = {
        "norad_id": ids1[keep],
        "name": _objects(_decode_names([raw_names[i] for i in keep])),
        "intl_designator": _intl_many(M1[keep]),
        "classification": _classification(M1[keep, 7]),
        "epoch_jd": jd[keep], "epoch_fr": fr[keep],
        "mean_motion_rev_per_day": n_rev[keep], "eccentricity": ecc[keep],
        "inclination_deg": incl[keep], "raan_deg": raan[keep], "arg_perigee_deg": argp[keep],
        "mean_anomaly_deg": mean_anom[keep], "bstar_per_earth_radii": bstar[keep],
        "mean_motion_dot": ndot[keep], "mean_motion_ddot": nddot[keep],
        "ephemeris_type": ephtype[keep].astype(np.int64), "element_set_no": elnum[keep],
        "rev_at_epoch": revnum[keep],
        "source_file": np.full(len(keep), filename, dtype=object),
        "source_line": first_line[keep],
        "element_format": np.full(len(keep), "TLE", dtype=object),
    }
    return fields, bad


def _objects(items: list) -> np.ndarray:
    arr = np.empty(len(items), dtype=object)
    arr[:] = items
    return arr


def _intl_many(M: np.ndarray) -> np.ndarray:
    """International designators of all rows: columns 10-17 as ``YYYY-NNNPPP`` (see :func:`_intl`)."""
    n = len(M)
    if n == 0:
        return _objects([])
    full = _IS_DIGIT[M[:, 9:14]].all(axis=1)
    yy = (M[:, 9].astype(np.int64) - 48) * 10 + (M[:, 10].astype(np.int64) - 48)
    # "YYYY-NNNPPP" built as Latin-1 code points (a byte is its own code point), then stripped
    mat = np.empty((n, 11), np.uint32)
    mat[:, 0:2] = np.where((yy < 57)[:, None], [50, 48], [49, 57])  # "20" or "19"
    mat[:, 2:4] = M[:, 9:11]
    mat[:, 4] = 45
    mat[:, 5:11] = M[:, 11:17]
    out = _strings.rstrip(mat.view("U11").ravel()).astype(object)
    for i in np.flatnonzero(~full):  # blank or irregular designators: the text as written, stripped
        out[i] = bytes(M[i, 9:17]).decode("latin-1").strip()
    return out


def _classification(col: np.ndarray) -> np.ndarray:
    out = np.full(len(col), "U", dtype=object)
    for code in np.unique(col):
        if code != _SPACE:
            out[col == code] = chr(code)
    return out


def _intl(raw: bytes) -> str:
    """``b'82092Q  '`` -> ``'1982-092Q'``; ``''`` when blank; the raw text when not that form."""
    s = raw.decode("latin-1").strip()
    if not s:
        return ""
    if len(s) >= 5 and s[:5].isdigit():
        yy = int(s[:2])
        return f"{2000 + yy if yy < 57 else 1900 + yy}-{s[2:5]}{s[5:]}"
    return s


def read_tle(path, *, strict: bool = False):
    """Read a TLE/3LE file; see :func:`parse_tle`. ``source_file`` is the file's name."""
    path = Path(path)
    return parse_tle(path.read_bytes(), path.name, strict=strict)


# ----------------------------------------------------------------------------------------- writing
def _exp_field(value: float, what: str) -> str:
    """Format ``value`` as the 8-column ``SMMMMMSE`` TLE field (implied leading decimal point)."""
    v = float(value)
    if not math.isfinite(v):
        raise InputError(f"{what} {value!r} is not finite")
    if v == 0.0:
        return " 00000+0"
    mant, exp = f"{abs(v):.4e}".split("e")
    digits = mant.replace(".", "")
    e = int(exp) + 1
    if e < -9:  # below 0.1e-9: denormalise the mantissa at exponent -9 (fewer digits, or zero)
        m = round(abs(v) * 1e14)
        return f"{'-' if v < 0 and m else ' '}{m:05d}-9" if m else " 00000+0"
    if e > 9:
        raise InputError(f"{what} {value!r} is too large for a TLE")
    return f"{'-' if v < 0 else ' '}{digits}{'-' if e < 0 else '+'}{abs(e)}"


def _angle(value: float, what: str, upper: float = 360.0) -> str:
    v = float(value)
    if not math.isfinite(v) or v < 0 or v > upper:
        raise InputError(f"{what} {value!r} deg is outside 0..{upper:g}")
    return f"{v:8.4f}"


def _get(src, key, i, default):
    try:
        col = src[key] if isinstance(src, dict) else getattr(src, key)
    except (KeyError, AttributeError):
        return default
    return col[i]


def format_tle(src, i: int = 0) -> tuple[str, str]:
    """Return the two 69-column lines (with checksums, Alpha-5 ids) of row ``i`` of a Catalog or dict.

    Parameters
    ----------
    src : Catalog or mapping of arrays
        Needs the element fields of :class:`orbitsim.catalog.Catalog`; optional ``intl_designator``,
        ``classification``, ``ephemeris_type``, ``element_set_no``, ``rev_at_epoch``.
    i : int
        Row index.

    Raises
    ------
    InputError
        If a value does not fit its TLE field (id above 339999, e >= 1, angle out of range, ...).
    """
    g = lambda k, d=None: _get(src, k, i, d)  # noqa: E731
    sat = alpha5_encode(int(g("norad_id")))
    cls = (str(g("classification", "U") or "U").strip() or "U")[0]
    intl = str(g("intl_designator", "") or "")
    if len(intl) >= 9 and intl[4] == "-" and intl[:4].isdigit():
        intl = intl[2:4] + intl[5:]
    intl = intl[:8]
    # Epoch: (jd, fr) -> two-digit year and day of year with 8 decimals, carrying rounding upward.
    jd, fr = float(g("epoch_jd")), float(g("epoch_fr", 0.0))
    if not (math.isfinite(jd) and math.isfinite(fr)):
        raise InputError(f"row {i}: epoch is not finite")
    # jd may carry a day fraction of its own (it ends in .5 when it follows the sgp4 convention).
    jd_days = jd - 2440587.5
    whole = math.floor(jd_days)
    fr = fr + (jd_days - whole)
    whole_fr = math.floor(fr)
    ticks = round((fr - whole_fr) * 1e8)
    day = int(whole) + int(whole_fr)
    extra, ticks = divmod(ticks, 100_000_000)
    day += extra
    d = np.datetime64(day, "D")
    year = int(d.astype("datetime64[Y]").astype(np.int64)) + 1970
    if not 1957 <= year <= 2056:
        raise InputError(f"row {i}: epoch year {year} cannot be written as a two-digit TLE year (1957..2056)")
    doy = int((d - d.astype("datetime64[Y]").astype("datetime64[D]")).astype(np.int64)) + 1
    epoch = f"{year % 100:02d}{doy:03d}.{ticks:08d}"
    ndot = float(g("mean_motion_dot", 0.0))
    if not (math.isfinite(ndot) and abs(ndot) < 1):
        raise InputError(f"row {i}: mean_motion_dot {ndot!r} does not fit a TLE (|x| < 1)")
    ndot_s = f"{ndot:.8f}".replace("0.", ".", 1).rjust(10)
    if ndot_s == "-.00000000":
        ndot_s = " .00000000"
    line1 = (f"1 {sat}{cls} {intl:<8} {epoch} {ndot_s} "
             f"{_exp_field(g('mean_motion_ddot', 0.0), 'mean_motion_ddot')} "
             f"{_exp_field(g('bstar_per_earth_radii', 0.0), 'B*')} "
             f"{int(g('ephemeris_type', 0) or 0) % 10} {int(g('element_set_no', 999) or 0) % 10000:4d}")
    ecc = float(g("eccentricity"))
    ecc_ticks = round(ecc * 1e7) if math.isfinite(ecc) else -1
    if not 0 <= ecc_ticks < 10_000_000:
        raise InputError(f"row {i}: eccentricity {ecc!r} is outside 0..1 (7 digits)")
    n = float(g("mean_motion_rev_per_day"))
    if not (math.isfinite(n) and 0 < n < 100):
        raise InputError(f"row {i}: mean motion {n!r} rev/day does not fit a TLE (0 < n < 100)")
    line2 = (f"2 {sat} {_angle(g('inclination_deg'), 'inclination', 180.0)} "
             f"{_angle(g('raan_deg'), 'RAAN')} {ecc_ticks:07d} "
             f"{_angle(g('arg_perigee_deg'), 'argument of perigee')} "
             f"{_angle(g('mean_anomaly_deg'), 'mean anomaly')} {n:11.8f}"
             f"{int(g('rev_at_epoch', 0) or 0) % 100000:5d}")
    return line1 + str(checksum(line1)), line2 + str(checksum(line2))


def write_tle(path, catalog, names: bool = True, *, force: bool = True) -> Path:
    """Write ``catalog`` as 3LE (``names=True``: name line, then lines 1 and 2) or plain TLE.

    Written atomically; raises :class:`InputError` before writing if any row does not fit a TLE.
    """
    from ..io import atomic_write

    out = []
    for i in range(len(catalog)):
        l1, l2 = format_tle(catalog, i)
        if names:
            out.append(str(_get(catalog, "name", i, "") or "").strip()[:69] or l1[2:7])
        out += [l1, l2]
    with atomic_write(path, "w", force=force) as fh:
        fh.write("\n".join(out) + ("\n" if out else ""))
    return Path(path)
