"""Writing outputs safely: atomic files and folders, CSV tables with provenance.

Nothing a user already has is lost: every output is written to a temporary file in the same folder
and renamed over the target only once complete, so an interrupted run leaves either the old file or
the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator, Mapping

import numpy as np

from .errors import OutputExistsError


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", *, force: bool = True, **open_kwargs) -> Iterator:
    """Open a temporary file beside ``path``; rename it to ``path`` when the block succeeds.

    Parameters
    ----------
    path : str or Path
        The final file name.
    mode : str
        ``"w"`` (text, UTF-8, ``\\n`` newlines) or ``"wb"``.
    force : bool
        If false and ``path`` exists, raise :class:`OutputExistsError` before writing anything.
    """
    path = Path(path)
    if not force and path.exists():
        raise OutputExistsError(f"{path} exists; pass --force to overwrite it")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    if "b" not in mode:
        open_kwargs.setdefault("encoding", "utf-8")
        open_kwargs.setdefault("newline", "")
    try:
        with open(tmp, mode, **open_kwargs) as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def check_output_dir(path: str | Path, *, force: bool = False) -> Path:
    """Refuse an existing non-empty output folder (or a file in its place) unless ``force``.

    Call it before long work so that a run does not fail only at the end; :func:`atomic_dir`
    calls it again when it writes.

    Raises
    ------
    OutputExistsError
        Naming ``path``, if it exists, is not an empty folder and ``force`` is false.
    """
    path = Path(path)
    if path.exists() and not force and (not path.is_dir() or any(path.iterdir())):
        raise OutputExistsError(f"{path} exists; pass --force to replace it")
    return path


@contextlib.contextmanager
def atomic_dir(path: str | Path, *, force: bool = False) -> Iterator[Path]:
    """Build a folder under a temporary name; move it to ``path`` when the block succeeds.

    With ``force``, an existing ``path`` is replaced only after the new folder is complete.
    Without it, an existing non-empty ``path`` raises :class:`OutputExistsError` before any work.
    """
    path = check_output_dir(path, force=force)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        yield tmp
        if path.exists():
            old = path.with_name(f".{path.name}.old-{os.getpid()}")
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _format_column(values) -> list[str]:
    arr = np.asarray(values)
    if arr.dtype.kind == "f":
        # repr() of a Python float is the shortest string that round-trips: full precision.
        return ["" if not np.isfinite(x) else repr(float(x)) for x in arr]
    if arr.dtype.kind == "b":
        return ["true" if x else "false" for x in arr]
    if arr.dtype.kind in "iu":
        return [str(int(x)) for x in arr]
    return ["" if x is None else str(x) for x in arr]


def write_csv(path: str | Path, columns: Mapping[str, object], provenance: Mapping | None = None,
              *, force: bool = True) -> Path:
    """Write a table of equal-length columns as plain CSV, floats at full precision.

    The CSV itself is plain (first line: column names) so that every tool reads it. Provenance, if
    given, goes to a sidecar ``<path>.provenance.json`` written the same atomic way.

    Parameters
    ----------
    path : str or Path
        Output file.
    columns : mapping of str to array-like
        Column name (with units, e.g. ``miss_km``) to values. NaN floats are written as empty cells.
    provenance : mapping, optional
        See :func:`orbitsim.provenance.provenance`.
    force : bool
        Overwrite an existing file.
    """
    path = Path(path)
    names = list(columns)
    cols = [_format_column(columns[k]) for k in names]
    n = len(cols[0]) if cols else 0
    for name, col in zip(names, cols):
        if len(col) != n:
            raise ValueError(f"column {name!r} has {len(col)} rows, expected {n}")
    with atomic_write(path, "w", force=force) as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(names)
        w.writerows(zip(*cols))
    if provenance is not None:
        write_json(path.with_name(path.name + ".provenance.json"), provenance, force=True)
    return path


def write_json(path: str | Path, obj, *, force: bool = True) -> Path:
    """Write ``obj`` as indented, key-sorted JSON atomically (same object, same bytes)."""
    with atomic_write(path, "w", force=force) as fh:
        json.dump(obj, fh, indent=2, sort_keys=True, default=_json_default)
        fh.write("\n")
    return Path(path)


def _json_default(o):
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"not JSON serializable: {type(o).__name__}")
