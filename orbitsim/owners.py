"""SATCAT owner codes: what they mean, which the catalog knows, and checking a user's code.

The owner of an object is the SATCAT "source" code (``US``, ``PRC``, ``CIS``, ``IND``, ``ESA``, ...;
CelesTrak SATCAT documentation). A scenario's tester and target owner must be one of these codes:
``USA`` would silently count every US payload as "others". :func:`check_owner` rejects an unknown
code and suggests the nearest ones (:func:`difflib.get_close_matches` on the codes and on the
country names). ``orbitsim catalog owners`` prints :func:`owner_table`; docs/owner-codes.md holds
the same table.

Names: ``data/satcat/owner-codes.csv`` (transcribed from CelesTrak's SATCAT source list, one row per
code of the embedded SATCAT). Counts: the embedded SATCAT.
"""

from __future__ import annotations

import csv
import difflib
from functools import lru_cache

from . import data
from .errors import InputError

#: Embedded table of owner code -> country or organisation name.
OWNER_CODES_CSV = "satcat/owner-codes.csv"


@lru_cache(maxsize=1)
def owner_names() -> dict[str, str]:
    """``{code: country or organisation name}`` of every SATCAT owner code."""
    with open(data.data_path(OWNER_CODES_CSV), newline="", encoding="utf-8") as fh:
        return {r["code"]: r["name"] for r in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def _satcat_counts() -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = {}
    with open(data.data_path(data.SATCAT_CSV), newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r.get("object_type") != "PAYLOAD":
                continue
            c = counts.setdefault(r.get("owner", ""), [0, 0])
            c[0] += 1
            c[1] += r.get("has_decayed", "") in ("0", "False", "false", "")
    return {k: (v[0], v[1]) for k, v in counts.items()}


def owner_table() -> list[dict]:
    """One row per owner code: ``code``, ``name``, ``payloads`` (SATCAT, ever launched) and
    ``payloads_on_orbit`` (not decayed at the SATCAT's date), sorted by code."""
    counts = _satcat_counts()
    names = owner_names()
    codes = sorted(set(names) | {c for c in counts if c})
    return [{"code": c, "name": names.get(c, ""), "payloads": counts.get(c, (0, 0))[0],
             "payloads_on_orbit": counts.get(c, (0, 0))[1]} for c in codes]


def known_codes(catalog=None) -> set[str]:
    """Owner codes known: the SATCAT's, plus those in ``catalog`` (a :class:`~orbitsim.catalog.Catalog`)."""
    codes = set(owner_names()) | {c for c in _satcat_counts() if c}
    if catalog is not None:
        codes |= {str(o) for o in catalog.owner if o}
    return codes


def suggest(code: str, known=None, n: int = 3) -> list[str]:
    """Codes near ``code``: close spellings of the codes, and codes whose name is close to it."""
    known = sorted(known if known is not None else known_codes())
    text = str(code).strip()
    out = difflib.get_close_matches(text.upper(), known, n=n, cutoff=0.7)
    names = owner_names()
    by_name = {names[c].lower(): c for c in known if c in names}
    for name, c in by_name.items():  # "Russia" -> CIS, "China" -> PRC
        if len(text) >= 4 and text.lower() in name and c not in out:
            out.append(c)
    for name in difflib.get_close_matches(text.lower(), list(by_name), n=n, cutoff=0.75):
        if by_name[name] not in out:
            out.append(by_name[name])
    return out[:n]


def check_owner(code: str, field: str, known=None, path=None) -> str:
    """Return ``code`` if it is a known owner code, else raise naming ``field`` (and ``path``).

    Raises
    ------
    InputError
        ``field: 'USA' is not a SATCAT owner code; did you mean US? ...``
    """
    known = known if known is not None else known_codes()
    if code in known:
        return code
    near = suggest(code, known)
    hint = f"; did you mean {' or '.join(near)}?" if near else ""
    where = f"{path}: " if path is not None else ""
    raise InputError(f"{where}{field}: {code!r} is not a SATCAT owner code{hint} "
                     "(the list: 'orbitsim catalog owners' or docs/owner-codes.md)")
