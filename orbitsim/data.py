"""Where the packaged data files live, and how to fingerprint them.

An installed wheel carries the data as ``orbitsim/_data/``; a source checkout (editable install)
reads the top-level ``data/`` folder. Nothing is ever downloaded: every path here is local.
Provenance and terms of every file are in ``data/README.md``.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent

#: File names, relative to the data root, of the embedded default catalog and its companions.
ACTIVE_OMM = "tle/celestrak-active-2026-07.csv"
DEBRIS_DIR = "tle/celestrak-debris-2025-02"
ASAT_PRE_EVENT_TLE = "tle/asat-targets-pre-event.tle"
SATCAT_CSV = "satcat/celestrak-satcat-2025-03.csv"
UCS_CSV = "satcat/ucs-satellite-database-2023-01.csv"
SPACE_WEATHER_CSV = "space_weather/SW-All-2026-04.csv"
JB2008_CSV = "atmosphere/jb2008_monthly_density_2020_2224.csv"


@lru_cache(maxsize=1)
def data_root() -> Path:
    """Return the folder that holds the embedded data.

    Returns
    -------
    pathlib.Path
        ``orbitsim/_data`` inside an installed wheel, else ``data/`` beside the package.

    Raises
    ------
    FileNotFoundError
        If neither location holds the data (a broken install).
    """
    for candidate in (_PACKAGE_DIR / "_data", _PACKAGE_DIR.parent / "data"):
        if (candidate / ACTIVE_OMM).is_file():
            return candidate
    raise FileNotFoundError(
        "orbitsim's embedded data was not found in orbitsim/_data or ./data; reinstall the package"
    )


def data_path(relative: str) -> Path:
    """Return the absolute path of an embedded data file, e.g. ``data_path(ACTIVE_OMM)``."""
    path = data_root() / relative
    if not path.exists():
        raise FileNotFoundError(f"embedded data file {relative!r} is missing from {data_root()}")
    return path


def debris_files() -> list[Path]:
    """Return the CelesTrak debris 3LE files (Fengyun-1C, Cosmos 2251, Iridium 33, Cosmos 1408)."""
    return sorted(data_path(DEBRIS_DIR).glob("*.txt"))


def default_catalog_files() -> list[Path]:
    """Return the files of the embedded default catalog: active payloads, then debris groups."""
    return [data_path(ACTIVE_OMM), *debris_files()]


@lru_cache(maxsize=64)
def _sha256_cached(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256(path: str | Path) -> str:
    """Return the SHA-256 hex digest of a file (cached by path, size and modification time)."""
    p = Path(path)
    st = p.stat()
    return _sha256_cached(str(p.resolve()), st.st_size, st.st_mtime_ns)
