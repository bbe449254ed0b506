"""Where ensemble members run: local processes (the default) or a dask.distributed cluster.

An executor maps one module-level function over a list of small, picklable arguments (one per
member) and returns the results in the order of the arguments, whatever order the members finish
in. Both executors share one contract:

- a member that raises is retried once; a member that fails twice is reported by its index in
  :class:`MembersFailedError`, which still carries every other member's result;
- ``setup = (callable, args)`` runs once in each worker process before its first member (the
  pipeline loads the catalog there, so that it is read once per worker, not once per member);
- numba's thread count is set explicitly in every worker (:func:`threads_per_worker`: the cores of
  the machine divided among the worker processes on it, so that workers do not oversubscribe the
  cores; ``ORBITSIM_WORKER_THREADS`` overrides);
- a progress bar advances as members finish (off when stderr is not a terminal);
- Ctrl-C (SIGINT) or SIGTERM stops every worker process the executor started within a few seconds,
  cancels the members not yet run and re-raises :class:`KeyboardInterrupt`; signals that arrive
  during that clean-up are ignored, so a second Ctrl-C never hangs it.

``local`` (:mod:`orbitsim.executors.local`) is a pool of spawned processes owned by this process.
``dask`` (:mod:`orbitsim.executors.dask_cluster`) submits members to a ``distributed`` scheduler: a
running cluster given by its address, or a ``distributed.LocalCluster`` sized to the machine. dask
is an optional extra (``pip install 'orbitsim[dask]'``) and is imported only when asked for.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from typing import Callable, Sequence

from ..errors import OrbitsimError

#: Executor names accepted by :func:`get_executor` and ``--executor``.
EXECUTORS = ("local", "dask")

#: Executor used when none is named.
DEFAULT_EXECUTOR = "local"

#: Default number of local worker processes (the machine's stated 2 cores).
DEFAULT_WORKERS = 2

#: Attempts per member: the first run and one retry.
MAX_ATTEMPTS = 2


class ExecutorUnavailableError(OrbitsimError):
    """The executor asked for cannot run in this installation (exit code 2: a bad command line)."""

    exit_code = 2


@dataclass(frozen=True)
class MemberFailure:
    """One member that failed on every attempt: its index in the argument list and the last error."""

    index: int
    error: str


class MembersFailedError(OrbitsimError):
    """Members failed twice; ``results`` holds the others' results (``None`` where one failed).

    Exit code 70: a member that fails on valid input is a bug or a resource limit, not bad input.
    """

    exit_code = 70

    def __init__(self, failures: Sequence[MemberFailure], results: list, labels: Sequence[str] | None = None):
        self.failures = list(failures)
        self.results = results
        shown = []
        for f in self.failures[:5]:
            label = labels[f.index] if labels is not None else f"member {f.index}"
            shown.append(f"{label}: {f.error}")
        more = f" (and {len(self.failures) - 5} more)" if len(self.failures) > 5 else ""
        super().__init__(f"{len(self.failures)} of {len(results)} members failed twice; "
                         + "; ".join(shown) + more)


def threads_per_worker(workers_on_host: int, cores: int | None = None) -> int:
    """numba threads for each of ``workers_on_host`` worker processes sharing ``cores`` cores.

    ``ORBITSIM_WORKER_THREADS`` (a positive integer) overrides the division.
    """
    env = os.environ.get("ORBITSIM_WORKER_THREADS", "").strip()
    if env:
        try:
            if int(env) > 0:
                return int(env)
        except ValueError:
            pass
    cores = cores or os.cpu_count() or 1
    return max(1, cores // max(1, int(workers_on_host)))


def format_error(exc: BaseException) -> str:
    """One line for a member's error: the exception type and message."""
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


class Executor:
    """Runs ``func(a)`` for each ``a`` of a list; see the module docstring for the contract."""

    #: The name recorded in provenance.
    name = "executor"

    def map(self, func: Callable, args: Sequence, *, setup: tuple | None = None, desc: str = "members",
            progress_bar: bool | None = None, labels: Sequence[str] | None = None) -> list:
        """Results of ``func(a)`` in the order of ``args``.

        Parameters
        ----------
        func : callable
            A module-level (picklable) function of one argument.
        args : sequence
            One small picklable argument per member.
        setup : (callable, tuple), optional
            Run once in each worker process before its first member; its errors are ignored (the
            member that needs it then raises them itself).
        desc : str
            Progress bar label.
        progress_bar : bool, optional
            Force the bar on or off; default: on only when stderr is a terminal.
        labels : sequence of str, optional
            How failures name each member (default ``member <index>``).

        Raises
        ------
        MembersFailedError
            If some members failed twice (after every other member has run).
        KeyboardInterrupt
            On SIGINT (or SIGTERM under :func:`orbitsim.executors.signals.sigterm_as_interrupt`),
            once every worker started here has stopped.
        """
        raise NotImplementedError

    def close(self) -> None:
        """Release what the executor holds (processes, cluster connections)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def dask_available() -> bool:
    """Whether ``dask.distributed`` can be imported (without importing it)."""
    return importlib.util.find_spec("distributed") is not None


def get_executor(name: str | None = None, *, scheduler: str | None = None,
                 workers: int | None = None) -> Executor:
    """The executor called ``name`` (``"local"`` or ``"dask"``).

    Parameters
    ----------
    name : str, optional
        ``"local"`` (default; ``"dask"`` when only ``scheduler`` is given) or ``"dask"``.
    scheduler : str, optional
        Address of a running dask scheduler (e.g. ``tcp://10.0.0.5:8786``); without one the dask
        executor starts a ``distributed.LocalCluster`` of ``workers`` processes.
    workers : int, optional
        Local worker processes (default 2; ``0`` or ``1`` runs in this process) or the
        ``LocalCluster``'s worker count (default: the machine's cores). Ignored with ``scheduler``.

    Raises
    ------
    ExecutorUnavailableError
        For an unknown name, ``scheduler`` with the local executor, or dask asked for but not
        installed.
    """
    if name is None:
        name = "dask" if scheduler else DEFAULT_EXECUTOR
    if name not in EXECUTORS:
        raise ExecutorUnavailableError(f"--executor: {name!r}; expected one of {', '.join(EXECUTORS)}")
    if workers is not None and workers < 0:
        raise ExecutorUnavailableError(f"--workers: {workers}; expected 0 or more")
    if name == "local":
        if scheduler:
            raise ExecutorUnavailableError("--scheduler needs --executor dask (the local executor has no scheduler)")
        from .local import LocalExecutor

        return LocalExecutor(workers=workers)
    if not dask_available():
        raise ExecutorUnavailableError("--executor dask needs dask.distributed, which is not installed: "
                                       "pip install 'orbitsim[dask]'")
    from .dask_cluster import DaskExecutor

    return DaskExecutor(scheduler=scheduler, workers=workers)


__all__ = ["EXECUTORS", "DEFAULT_EXECUTOR", "DEFAULT_WORKERS", "Executor", "ExecutorUnavailableError",
           "MemberFailure", "MembersFailedError", "get_executor", "threads_per_worker", "dask_available"]
