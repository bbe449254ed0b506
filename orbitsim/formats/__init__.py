"""Readers and writers of orbital interchange formats: TLE/3LE, CCSDS OMM (CSV, JSON), SATCAT/UCS.

Every reader returns plain columns (a dict of equal-length numpy arrays, the field names of
:class:`orbitsim.catalog.Catalog`) plus a list of :class:`RejectedRecord` for each record it could
not use. Readers never raise on bad content in the default mode; with ``strict=True`` they raise
:class:`orbitsim.errors.ParseError` naming the file and line of the first bad record.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from ..errors import InputError, ParseError


class RejectedRecord(NamedTuple):
    """A record a reader did not use: ``file`` name, 1-based ``line`` (0: the whole file), ``reason``."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.reason}"


def raise_first(rejected: list[RejectedRecord], path) -> None:
    """Raise :class:`ParseError` for the earliest rejected record, if any (strict mode)."""
    if rejected:
        first = min(rejected, key=lambda r: r.line)
        raise ParseError(first.reason, path, first.line or None)


def read_bytes(path) -> bytes:
    """Read a whole file as bytes (``FileNotFoundError`` etc. propagate to the caller)."""
    return Path(path).read_bytes()


def sniff(data: bytes) -> str:
    """Guess a file's format from its first bytes: ``"omm_json"``, ``"omm_csv"``, ``"tle"``, ``"binary"``.

    ``"empty"`` for a file with nothing but whitespace.
    """
    head = data[:4096]
    if b"\x00" in head:
        return "binary"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        return "empty"
    if stripped[:1] in (b"[", b"{"):
        return "omm_json"
    first = stripped.split(b"\n", 1)[0].upper()
    if b"NORAD_CAT_ID" in first and b"," in first:
        return "omm_csv"
    return "tle"


def read_file(path, *, strict: bool = False):
    """Read one TLE/3LE, OMM CSV or OMM JSON file (format sniffed from content): ``(fields, rejected)``.

    Also reads those formats gzip-compressed or in UTF-16 with a byte-order mark.
    """
    from . import omm as _omm
    from . import tle as _tle

    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path} is a folder; pass the element-set files inside it")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":  # gzip-compressed (e.g. a downloaded .tle.gz)
        import gzip
        import zlib

        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            bad = [RejectedRecord(path.name, 0, f"corrupt gzip data: {exc}")]
            if strict:
                raise ParseError(bad[0].reason, path.name)
            return _tle.parse_tle(b"", path.name)[0], bad
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with a byte-order mark
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            pass  # reported below as binary data
    kind = sniff(raw)
    if kind == "omm_csv":
        return _omm.parse_omm_csv(raw, path.name, strict=strict)
    if kind == "omm_json":
        return _omm.parse_omm_json(raw, path.name, strict=strict)
    return _tle.parse_tle(raw, path.name, strict=strict)


__all__ = ["RejectedRecord", "raise_first", "read_bytes", "read_file", "sniff"]
