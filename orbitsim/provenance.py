"""What every table records about how it was made.

A number in a policy paper must be traceable: package version, the catalog files and their SHA-256,
the catalog epoch, seeds and parameters. :func:`provenance` builds that record as a plain dict.
"""

from __future__ import annotations

import platform
from pathlib import Path
from typing import Iterable, Mapping

from ._version import __version__
from .data import sha256


def file_record(path: str | Path) -> dict:
    """Return ``{"file": name, "sha256": hex}`` for one input file (name only, not the local path)."""
    p = Path(path)
    return {"file": p.name, "sha256": sha256(p)}


def provenance(*, inputs: Iterable[str | Path] = (), epoch: str | None = None, seed=None,
               parameters: Mapping | None = None, hypothetical: bool | None = None,
               command: str | None = None) -> dict:
    """Return the provenance record of one output.

    Parameters
    ----------
    inputs : iterable of path
        Files read (catalogs, scenario files); each is fingerprinted with SHA-256.
    epoch : str, optional
        ISO 8601 UTC epoch of the catalog or scenario.
    seed : int or list of int, optional
        Random seed(s) used.
    parameters : mapping, optional
        Every parameter that changes the numbers.
    hypothetical : bool, optional
        True when the scenario is hypothetical (not one of the real tests as it happened).
    command : str, optional
        The command or function that made the output.
    """
    rec = {
        "orbitsim_version": __version__,
        "python": platform.python_version(),
        "inputs": [file_record(p) for p in inputs],
    }
    if command is not None:
        rec["command"] = command
    if epoch is not None:
        rec["epoch_utc"] = epoch
    if seed is not None:
        rec["seed"] = seed
    if parameters is not None:
        rec["parameters"] = dict(parameters)
    if hypothetical is not None:
        rec["hypothetical_scenario"] = bool(hypothetical)
    return rec
