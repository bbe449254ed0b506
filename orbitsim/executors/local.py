"""The local executor: a small pool of spawned worker processes owned by this process.

Each worker gets one member at a time over its own pipe, so members not yet started never leave
this process: an interrupt cancels them by simply not sending them, and a queue of 100,000 members
costs nothing to drop. Workers ignore SIGINT (the terminal sends Ctrl-C to the whole process group;
the parent decides), take SIGTERM's default action, and exit by themselves if this process
disappears (checked twice a second). A worker that dies in a member (killed, out of memory) counts
as a failed attempt of that member and is replaced. On an interrupt or an error every worker is
sent SIGTERM, and SIGKILL if it has not exited within :data:`STOP_GRACE_S`.

Processes are started with the ``spawn`` method (no fork after numba's threads have started).
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import threading
import time
from multiprocessing.connection import wait
from typing import Callable, Sequence

from ..progress import progress
from . import DEFAULT_WORKERS, MAX_ATTEMPTS, Executor, MemberFailure, MembersFailedError, format_error
from . import threads_per_worker
from .signals import child_ready, deferred_interrupts, ignoring_interrupts, spawning

#: Seconds a worker is given to exit after SIGTERM before it is killed.
STOP_GRACE_S = 2.0

#: Seconds a worker is given to exit after being told the work is done.
DONE_GRACE_S = 5.0


def _watch_parent(parent_pid: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent_pid:
            os._exit(1)


def _run_setup(setup) -> None:
    if setup is None:
        return
    fn, fargs = setup
    try:
        fn(*fargs)
    except Exception:  # the member that needs it raises it again, with a proper report
        pass


def _set_numba_threads(threads: int) -> None:
    try:
        from ..core._jit import set_threads

        set_threads(threads)
    except Exception:  # numba missing or disabled: nothing to set
        pass


def _worker_main(conn, setup, threads: int, parent_pid: int) -> None:
    """Worker loop: receive ``(index, func, arg)``, send ``(index, ok, result_or_error)``; ``None`` ends."""
    child_ready()
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    os.environ.setdefault("MPLBACKEND", "Agg")
    _set_numba_threads(threads)
    _run_setup(setup)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        i, func, arg = msg
        try:
            reply = (i, True, func(arg))
        except Exception as exc:  # a failed member, reported to the parent; not KeyboardInterrupt
            reply = (i, False, format_error(exc))
        try:
            conn.send(reply)
        except Exception as exc:  # the result could not be pickled
            conn.send((i, False, f"result not sendable: {format_error(exc)}"))


class _Worker:
    """One worker process and its pipe. Create it, put it where :func:`_stop` will find it, then
    :meth:`start` it: a signal that arrives during start-up is raised only once it is registered."""

    def __init__(self, ctx, setup, threads: int):
        self.conn, self._child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(self._child, setup, threads, os.getpid()), daemon=True)
        self.busy: int | None = None
        self.alive = True

    def start(self) -> "_Worker":
        try:
            with spawning():
                self.proc.start()
        finally:
            self._child.close()
        return self


class LocalExecutor(Executor):
    """Members in local worker processes (default 2, at most one per member; ``0`` or ``1``: in
    this process, where an interrupt takes effect between members)."""

    name = "local"

    def __init__(self, workers: int | None = None):
        self.workers = DEFAULT_WORKERS if workers is None else int(workers)

    def map(self, func: Callable, args: Sequence, *, setup: tuple | None = None, desc: str = "members",
            progress_bar: bool | None = None, labels: Sequence[str] | None = None) -> list:
        args = list(args)
        if self.workers <= 1 or not args:
            return self._map_here(func, args, setup, desc, progress_bar, labels)
        # even one member runs in a worker process: only there can an interrupt stop it at once
        return self._map_pool(func, args, min(self.workers, len(args)), setup, desc, progress_bar, labels)

    # -- in this process ---------------------------------------------------------------------------
    def _map_here(self, func, args, setup, desc, progress_bar, labels) -> list:
        _run_setup(setup)
        results, failures = [None] * len(args), []
        with progress(total=len(args), desc=desc, enabled=progress_bar) as bar, deferred_interrupts() as intr:
            for i, a in enumerate(args):
                intr.check()
                for attempt in range(MAX_ATTEMPTS):
                    try:
                        results[i] = func(a)
                        break
                    except Exception as exc:
                        if attempt == MAX_ATTEMPTS - 1:
                            failures.append(MemberFailure(i, format_error(exc)))
                bar.update(1)
            intr.check()
        if failures:
            raise MembersFailedError(failures, results, labels)
        return results

    # -- worker processes --------------------------------------------------------------------------
    def _map_pool(self, func, args, n, setup, desc, progress_bar, labels) -> list:
        ctx = multiprocessing.get_context("spawn")
        threads = threads_per_worker(n)
        pending = collections.deque(range(len(args)))
        attempts = [0] * len(args)
        results: list = [None] * len(args)
        failures: dict[int, str] = {}
        remaining = len(args)
        workers: list[_Worker] = []
        bar = progress(total=len(args), desc=desc, enabled=progress_bar)

        def failed(i: int, error: str) -> None:
            nonlocal remaining
            attempts[i] += 1
            if attempts[i] < MAX_ATTEMPTS:
                pending.append(i)
            else:
                failures[i] = error
                remaining -= 1
                bar.update(1)

        def lost(w: _Worker) -> None:
            if not w.alive:
                return
            w.alive = False
            w.proc.join(0.1)
            if w.busy is not None:
                code = w.proc.exitcode
                failed(w.busy, f"worker process died (exit code {code}"
                               + ("; killed, out of memory?" if code is not None and code < 0 else "") + ")")
                w.busy = None

        try:
            for _ in range(n):
                workers.append(_Worker(ctx, setup, threads))
                workers[-1].start()
            while remaining:
                for w in workers:
                    if w.alive and w.busy is None and pending:
                        i = pending.popleft()
                        try:
                            w.conn.send((i, func, args[i]))
                            w.busy = i
                        except (BrokenPipeError, OSError):
                            pending.appendleft(i)
                            lost(w)
                # replace dead workers while work is left
                workers[:] = [w for w in workers if w.alive]
                while len(workers) < min(n, remaining):
                    workers.append(_Worker(ctx, setup, threads))
                    workers[-1].start()
                busy = [w for w in workers if w.busy is not None]
                if not busy:
                    continue
                ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy]))
                for w in busy:
                    if w.conn in ready:
                        try:
                            i, ok, payload = w.conn.recv()
                        except (EOFError, OSError):
                            lost(w)
                            continue
                        w.busy = None
                        if ok:
                            results[i] = payload
                            remaining -= 1
                            bar.update(1)
                        else:
                            failed(i, payload)
                    elif w.proc.sentinel in ready:
                        lost(w)
        except BaseException:
            with ignoring_interrupts():
                bar.close()
                _stop(workers, graceful=False)
            raise
        with ignoring_interrupts():
            bar.close()
            _stop(workers, graceful=True)
        if failures:
            raise MembersFailedError([MemberFailure(i, e) for i, e in sorted(failures.items())], results, labels)
        return results


def _stop(workers: list[_Worker], *, graceful: bool) -> None:
    """End every worker: politely when the work is done, SIGTERM otherwise; SIGKILL after a grace."""
    workers = [w for w in workers if w.proc.pid is not None]  # started
    for w in workers:
        if graceful and w.proc.is_alive():
            try:
                w.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        elif w.proc.is_alive():
            w.proc.terminate()
    deadline = time.monotonic() + (DONE_GRACE_S if graceful else STOP_GRACE_S)
    for w in workers:
        w.proc.join(max(0.0, deadline - time.monotonic()))
    for w in workers:
        if w.proc.is_alive():
            w.proc.kill()
            w.proc.join(1.0)
        w.conn.close()
