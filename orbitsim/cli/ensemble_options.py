"""Command-line options of an ensemble run, shared by every command that runs members.

``--members N`` (alias ``--seeds N``), ``--executor local|dask``, ``--scheduler ADDRESS`` and
``--workers W``; :func:`executor_from_args` turns them into an :class:`orbitsim.executors.Executor`
before any work starts, so that a missing dask install or a contradictory pair of options fails at
once with one line.
"""

from __future__ import annotations

import argparse

from ..executors import DEFAULT_EXECUTOR, EXECUTORS
from ._args import positive_int


def add_ensemble_options(p: argparse.ArgumentParser) -> None:
    """Add ``--members/--seeds``, ``--executor``, ``--scheduler`` and ``--workers`` to ``p``."""
    p.add_argument("--members", "--seeds", type=positive_int, metavar="N", dest="seeds",
                   help="Monte Carlo members: breakup seeds 1..N (default: the scenario's); "
                        "--seeds is the same option")
    p.add_argument("--executor", choices=EXECUTORS, default=None,
                   help=f"where the members run: 'local' processes (default) or 'dask' "
                        f"(dask.distributed; needs pip install 'orbitsim[dask]'); the outputs are the "
                        f"same bytes either way, provenance.json records which ran")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="a running dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --executor dask); "
                        "without it --executor dask starts a local cluster sized to this machine")
    p.add_argument("--workers", type=positive_int, metavar="W", default=None,
                   help="local worker processes (default 2; 1 = in this process), or the local dask "
                        "cluster's workers (default: one per core)")


def executor_from_args(args):
    """The executor the options ask for (not yet started: nothing runs or connects here).

    Raises
    ------
    orbitsim.executors.ExecutorUnavailableError
        Exit code 2: ``--scheduler`` with ``--executor local``, or dask asked for and not installed.
    """
    from ..executors import get_executor

    name = args.executor or ("dask" if args.scheduler else DEFAULT_EXECUTOR)
    return get_executor(name, scheduler=args.scheduler, workers=args.workers)
