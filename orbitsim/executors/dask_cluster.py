"""The dask executor: members as tasks on a ``distributed`` cluster.

With a scheduler address the executor connects to a running cluster (``dask scheduler`` and
``dask worker`` processes, or one started by dask-jobqueue on Slurm/PBS); the workers need orbitsim
installed and, for ``--catalog FILE``, the file at the same path (the embedded catalog is loaded
from the package on each worker). Without an address it starts a ``distributed.LocalCluster`` of
one-thread worker processes, one per core by default, and closes it when done.

Each member is one task (``client.submit``) of a module-level function and a small argument;
``retries=1`` lets the scheduler run a failed member once more. Results are gathered as members
finish and placed by member index. In a worker process members run one at a time (a lock: numba's
default threading layer must not be entered from two threads at once), with numba's thread count
set to the host's cores divided by the worker processes the scheduler knows on that host.

On an interrupt the client is closed, which releases every task it submitted (pending members are
cancelled; a member already running on a remote worker finishes there, since a thread cannot be
killed). A ``LocalCluster`` started here is closed, and any of its processes still alive after
:data:`STOP_GRACE_S` is killed.
"""

from __future__ import annotations

import os
import threading
import uuid
from typing import Callable, Sequence

from ..progress import progress
from . import MAX_ATTEMPTS, Executor, MemberFailure, MembersFailedError, format_error
from . import threads_per_worker
from .signals import ignoring_interrupts, spawning

#: Seconds given to the client and a local cluster to close before their processes are killed.
STOP_GRACE_S = 3.0

#: Seconds to wait for a scheduler to answer when connecting to a running cluster.
CONNECT_TIMEOUT_S = 10.0

_member_lock = threading.Lock()
_setup_done: set = set()


def _run_member(arg, member_func: Callable, setup, threads: dict, default_threads: int):
    """Task run on a dask worker: one-time setup, numba threads, then ``func(arg)``."""
    with _member_lock:
        os.environ.setdefault("MPLBACKEND", "Agg")
        if setup is not None and repr(setup) not in _setup_done:
            _setup_done.add(repr(setup))
            from .local import _run_setup

            _run_setup(setup)
        try:
            from distributed import get_worker

            n = threads.get(get_worker().address, default_threads)
        except Exception:
            n = default_threads
        from .local import _set_numba_threads

        _set_numba_threads(n)  # numba's thread count is per calling thread: set it in the task's
        return member_func(arg)


class DaskExecutor(Executor):
    """Members as tasks on a dask.distributed cluster (``scheduler`` address, or a LocalCluster)."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None):
        self.scheduler = scheduler
        self.workers = workers
        self._cluster = None
        self._client = None
        self._own_pids: set[int] = set()

    # -- cluster -----------------------------------------------------------------------------------
    def _connect(self):
        if self._client is not None:
            return self._client
        from distributed import Client, LocalCluster

        from ..errors import InputError

        if self.scheduler:
            try:
                self._client = Client(self.scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise InputError(f"--scheduler {self.scheduler}: cannot reach a dask scheduler there within "
                                 f"{CONNECT_TIMEOUT_S:g} s ({format_error(exc)})") from None
            return self._client
        import psutil

        n = self.workers or os.cpu_count() or 1
        before = {p.pid for p in psutil.Process().children(recursive=True)}
        with spawning():  # worker processes start with SIGINT ignored: this process stops them
            self._cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                         dashboard_address=None)
        self._own_pids = {p.pid for p in psutil.Process().children(recursive=True)} - before
        self._client = Client(self._cluster)
        return self._client

    def _threads(self, client) -> tuple[dict, int]:
        info = client.scheduler_info().get("workers", {})
        per_host: dict = {}
        for addr, w in info.items():
            per_host.setdefault(w.get("host", addr), []).append(addr)
        threads = {}
        for host, addrs in per_host.items():
            for a in addrs:
                threads[a] = threads_per_worker(len(addrs))
        return threads, 1

    def close(self) -> None:
        with ignoring_interrupts():
            client, cluster = self._client, self._cluster
            self._client = self._cluster = None
            if client is not None:
                try:
                    client.close(timeout=STOP_GRACE_S)
                except Exception:
                    pass
            if cluster is not None:
                try:
                    cluster.close(timeout=STOP_GRACE_S)
                except Exception:
                    pass
            self._kill_leftovers()

    def _kill_leftovers(self) -> None:
        """Kill processes of a LocalCluster started here (and their children) that outlived close()."""
        if not self._own_pids:
            return
        import psutil

        procs = []
        for pid in self._own_pids:
            try:
                p = psutil.Process(pid)
                procs += [p] + p.children(recursive=True)
            except psutil.Error:
                pass
        for p in procs:
            try:
                p.terminate()
            except psutil.Error:
                pass
        _, alive = psutil.wait_procs(procs, timeout=STOP_GRACE_S)
        for p in alive:
            try:
                p.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(alive, timeout=1.0)
        self._own_pids = set()

    # -- members -----------------------------------------------------------------------------------
    def map(self, func: Callable, args: Sequence, *, setup: tuple | None = None, desc: str = "members",
            progress_bar: bool | None = None, labels: Sequence[str] | None = None) -> list:
        args = list(args)
        if not args:
            return []
        try:
            return self._map(func, args, setup, desc, progress_bar, labels)
        except BaseException:
            self.close()
            raise

    def _map(self, func, args, setup, desc, progress_bar, labels) -> list:
        from distributed import as_completed

        client = self._connect()
        threads, default_threads = self._threads(client)
        run = uuid.uuid4().hex[:12]
        keys = [f"orbitsim-member-{run}-{i}" for i in range(len(args))]
        futures = client.map(_run_member, args, member_func=func, setup=setup, threads=threads,
                             default_threads=default_threads, key=keys, pure=False,
                             retries=MAX_ATTEMPTS - 1)
        index = {f.key: i for i, f in enumerate(futures)}
        results: list = [None] * len(args)
        failures = []
        with progress(total=len(args), desc=desc, enabled=progress_bar) as bar:
            for fut in as_completed(futures):
                i = index[fut.key]
                if fut.status == "error":
                    failures.append(MemberFailure(i, format_error(fut.exception())))
                else:
                    results[i] = fut.result()
                fut.release()
                bar.update(1)
        if failures:
            raise MembersFailedError(sorted(failures, key=lambda f: f.index), results, labels)
        return results
