"""Shared test fixtures. Nothing here downloads anything."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest

from orbitsim import data


@pytest.fixture(scope="session")
def data_root():
    return data.data_root()


@pytest.fixture(scope="session")
def sgp4_verification_files():
    """Vallado's SGP4-VER.TLE and tcppver.out, read from the installed ``sgp4`` package."""
    from importlib import resources

    base = resources.files("sgp4")
    return base / "SGP4-VER.TLE", base / "tcppver.out"
