"""UTC instants as the SGP4 world writes them: a Julian date split in two floats.

``sgp4`` takes time as ``jd`` (a whole-and-a-half Julian date) plus ``fr`` (the fraction of the
day), which keeps microsecond precision in float64. These helpers convert ISO 8601 strings and
``numpy.datetime64`` values to and from that pair, vectorized, with no leap-second table (UTC as
SGP4 users treat it). For frames and TT/UT1 use astropy or skyfield at the API boundary.
"""

from __future__ import annotations

import numpy as np

from .errors import InputError

#: Julian date of 1970-01-01T00:00:00 UTC.
JD_UNIX_EPOCH = 2440587.5
_US_PER_DAY = 86_400_000_000


def parse_iso(text: str, field: str = "time") -> np.datetime64:
    """Parse an ISO 8601 UTC instant (``2021-11-15T02:47:00``, ``2021-11-15``, trailing ``Z`` ok).

    Raises
    ------
    InputError
        Naming ``field`` and the expected form, if ``text`` is not an ISO 8601 instant.
    """
    s = str(text).strip()
    if s.endswith(("Z", "z")):
        s = s[:-1]
    s = s.replace(" ", "T", 1)
    try:
        value = np.datetime64(s, "us")
    except (ValueError, TypeError):
        value = None
    if value is None or np.isnat(value):
        raise InputError(f"{field}: {text!r} is not an ISO 8601 UTC time such as 2021-11-15T02:47:00")
    return value


def datetime64_to_jd(t) -> tuple[np.ndarray, np.ndarray]:
    """Convert ``datetime64`` values (any unit) to ``(jd, fr)`` arrays as ``sgp4`` takes them."""
    us = np.asarray(t, dtype="datetime64[us]").astype(np.int64)
    days, rem = np.divmod(us, _US_PER_DAY)
    jd = JD_UNIX_EPOCH + days.astype(np.float64)
    fr = rem.astype(np.float64) / _US_PER_DAY
    return jd, fr


def jd_to_datetime64(jd, fr=0.0) -> np.ndarray:
    """Convert ``(jd, fr)`` to ``datetime64[us]``, rounding to the microsecond."""
    jd = np.asarray(jd, dtype=np.float64)
    fr = np.asarray(fr, dtype=np.float64)
    whole = np.floor(jd - JD_UNIX_EPOCH)
    frac = (jd - JD_UNIX_EPOCH - whole) + fr
    us = whole.astype(np.int64) * _US_PER_DAY + np.round(frac * _US_PER_DAY).astype(np.int64)
    return us.astype("datetime64[us]")


def iso(t) -> np.ndarray | str:
    """Format ``datetime64`` value(s) as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (UTC)."""
    arr = np.asarray(t, dtype="datetime64[us]")
    out = np.char.add(np.datetime_as_string(arr, unit="us"), "Z")
    return str(out) if out.ndim == 0 else out


def jd_to_iso(jd, fr=0.0):
    """Format ``(jd, fr)`` as ISO 8601 UTC strings with microseconds."""
    return iso(jd_to_datetime64(jd, fr))


def time_grid(start: np.datetime64, duration_s: float, step_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(jd, fr)`` of ``start, start + step, ...`` up to and including ``start + duration``.

    Raises
    ------
    InputError
        If ``step_s <= 0`` or ``duration_s < 0``.
    """
    if not np.isfinite(step_s) or step_s <= 0:
        raise InputError(f"step: {step_s!r} s; expected a positive number of seconds")
    if not np.isfinite(duration_s) or duration_s < 0:
        raise InputError(f"duration: {duration_s!r}; expected zero or a positive length")
    n = int(np.floor(duration_s / step_s + 1e-9)) + 1
    offsets_us = np.round(np.arange(n) * step_s * 1e6).astype(np.int64)
    t = np.datetime64(start, "us") + offsets_us.astype("timedelta64[us]")
    return datetime64_to_jd(t)
