"""Argument types and shared steps of the CLI: a bad value is a bad command line (exit code 2)."""

from __future__ import annotations

import argparse
import math
import sys


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1."""
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"{text!r}; expected a positive integer (1 or more)")
    return v


def positive_float(text: str) -> float:
    """argparse type: a finite number > 0."""
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (math.isfinite(v) and v > 0):
        raise argparse.ArgumentTypeError(f"{text!r}; expected a positive number")
    return v


def cli_time(text: str, option: str):
    """A UTC time given on the command line (ISO 8601); a bad one is a bad command line (exit 2)."""
    from ..errors import InputError, UsageError
    from ..timeutil import parse_iso

    try:
        return parse_iso(text, option)
    except InputError as exc:
        raise UsageError(str(exc)) from None


def note(message: str, kind: str = "note") -> None:
    """Print a one-line note or warning to the terminal (stderr)."""
    print(f"orbitsim: {kind}: {message}", file=sys.stderr)
