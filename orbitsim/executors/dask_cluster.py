"""The dask executor: members as tasks on a ``distributed`` cluster.

With a scheduler address the executor connects to a running cluster (``dask scheduler`` and
``dask worker`` processes, or one started by dask-jobqueue on Slurm/PBS); the workers need orbitsim
installed and, for ``--catalog FILE``, the file at the same path (the embedded catalog is loaded
from the package on each worker). Without an address it starts a ``distributed.LocalCluster`` of
one-thread worker processes, one per core by default, and closes it when done.

Each member is one task (``client.submit``) of a module-level function and a small argument;
``retries=1`` lets the scheduler run a failed member once more. Members are submitted a window at a
time (:data:`SUBMIT_PER_THREAD` per worker thread), not all at once, so that 100,000 members cost
the scheduler nothing until they are due and an interrupt has only a window to cancel. Results are
gathered as members finish and placed by member index. In a worker process members run one at a
time (a lock: numba's default threading layer must not be entered from two threads at once), with
numba's thread count set to the host's cores divided by the worker processes the scheduler knows
on that host.

SIGINT and SIGTERM are noted while members run and raised by the waiting loop (never inside the
client's own code). On an interrupt the client is closed, which releases every task it submitted
(pending members are cancelled; a member already running on a remote worker finishes there, since
a thread cannot be killed). A ``LocalCluster`` started here is closed, and any of its processes still alive after
:data:`STOP_GRACE_S` is killed.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from typing import Callable, Sequence

from ..progress import progress
from . import MAX_ATTEMPTS, Executor, MemberFailure, MembersFailedError, format_error
from . import threads_per_worker
from .signals import deferred_interrupts, ignoring_interrupts, spawning

#: Seconds given to the client and a local cluster to close before their processes are killed.
STOP_GRACE_S = 3.0

#: Members kept submitted ahead of the results: this many per worker thread, at least SUBMIT_MIN.
SUBMIT_PER_THREAD = 4
SUBMIT_MIN = 8

#: Seconds between checks for finished members (and for signals).
POLL_S = 0.1

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
        self._before: set[int] | None = None  # our child processes before a LocalCluster started

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
        self._before = {p.pid for p in psutil.Process().children(recursive=True)}
        with spawning():  # worker processes start with SIGINT ignored: this process stops them
            self._cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                         dashboard_address=None, silence_logs=logging.ERROR)
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
            # tearing down on purpose: the comms that close under a running member log errors
            # (CommClosedError tracebacks) that say nothing to the user
            for name in ("distributed", "tornado", "asyncio"):
                logging.getLogger(name).setLevel(logging.CRITICAL)
            client, cluster = self._client, self._cluster
            self._client = self._cluster = None
            if client is not None:
                try:
                    client.close(timeout=STOP_GRACE_S)  # releases (cancels) every member not yet run
                except Exception:
                    pass
            if cluster is not None:
                self._stop_own_processes()  # members running there are thrown away: do not wait for them
                try:
                    cluster.close(timeout=STOP_GRACE_S)
                except Exception:
                    pass
                self._stop_own_processes()  # any worker a nanny restarted meanwhile

    def _stop_own_processes(self) -> None:
        """SIGTERM, then SIGKILL after :data:`STOP_GRACE_S`, to the LocalCluster processes started here.

        multiprocessing's resource tracker is left alone: it ignores SIGTERM and exits by itself
        when this process does.
        """
        if self._before is None:
            return
        import psutil

        procs = []
        try:
            for p in psutil.Process().children(recursive=True):
                if p.pid in self._before:
                    continue
                try:
                    if any("resource_tracker" in part for part in p.cmdline()):
                        continue
                except psutil.Error:
                    continue
                procs.append(p)
        except psutil.Error:
            return
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
        results: list = [None] * len(args)
        failures = []
        index: dict = {}
        next_i = 0

        def submit_upto(n_inflight: int) -> list:
            nonlocal next_i
            new = []
            while next_i < len(args) and len(index) < n_inflight:
                f = client.submit(_run_member, args[next_i], member_func=func, setup=setup, threads=threads,
                                  default_threads=default_threads, key=f"orbitsim-member-{run}-{next_i}",
                                  pure=False, retries=MAX_ATTEMPTS - 1)
                index[f.key] = next_i
                new.append(f)
                next_i += 1
            return new

        done = as_completed(submit_upto(self._window(client)))
        # signals are noted and raised here, between polls, never inside the client's own code
        with progress(total=len(args), desc=desc, enabled=progress_bar) as bar, deferred_interrupts() as intr:
            while not done.is_empty():
                intr.check()
                if not done.has_ready():
                    time.sleep(POLL_S)
                    continue
                for fut in done.next_batch(block=False):
                    i = index.pop(fut.key)
                    if fut.status == "error":
                        failures.append(MemberFailure(i, format_error(fut.exception())))
                    else:
                        results[i] = fut.result()
                    fut.release()
                    bar.update(1)
                done.update(submit_upto(self._window(client)))
        if failures:
            raise MembersFailedError(sorted(failures, key=lambda f: f.index), results, labels)
        return results

    @staticmethod
    def _window(client) -> int:
        """Members submitted ahead: a few per worker thread, so an interrupt has little to cancel."""
        try:
            info = client.scheduler_info().get("workers", {})
            nthreads = sum(int(w.get("nthreads", 1)) for w in info.values())
        except Exception:
            nthreads = 1
        return max(SUBMIT_MIN, SUBMIT_PER_THREAD * nthreads)
