"""Signals around parallel work: SIGTERM as Ctrl-C, clean-up that a second Ctrl-C cannot break.

Python turns SIGINT into :class:`KeyboardInterrupt`; SIGTERM's default action kills the process
at once, leaving worker processes and half-written temporary folders behind.
:func:`sigterm_as_interrupt` makes SIGTERM raise :class:`KeyboardInterrupt` too, so that both go
through the same clean-up. :func:`ignoring_interrupts` holds SIGINT and SIGTERM off while workers
are being stopped (a second Ctrl-C then does nothing instead of interrupting the clean-up), and
:func:`spawning` starts child processes with SIGINT ignored, so that a Ctrl-C in the terminal (sent
to the whole process group) reaches only the parent, which then stops the children itself.

All three only act in the main thread (signal handlers can be set nowhere else).
"""

from __future__ import annotations

import contextlib
import signal
import threading

_HANDLED = (signal.SIGINT, signal.SIGTERM)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")


@contextlib.contextmanager
def sigterm_as_interrupt():
    """Within the block, SIGTERM raises :class:`KeyboardInterrupt` like Ctrl-C does."""
    if not _main_thread():
        yield
        return
    old = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


@contextlib.contextmanager
def ignoring_interrupts():
    """Within the block, SIGINT and SIGTERM are ignored (for bounded clean-up only)."""
    if not _main_thread():
        yield
        return
    old = {s: signal.signal(s, signal.SIG_IGN) for s in _HANDLED}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


@contextlib.contextmanager
def spawning():
    """Start child processes in this block: they inherit SIGINT ignored, nothing is lost here.

    SIGINT is blocked in this process for the (short) block, so a Ctrl-C that arrives meanwhile is
    delivered when it ends rather than dropped, and its disposition is "ignore" while children are
    created, which survives ``exec`` and is kept by Python at start-up. SIGTERM is left alone, so
    that a child can be terminated even before it has finished starting.
    """
    if not _main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def ignore_interrupts_from_now() -> None:
    """Ignore SIGINT and SIGTERM for the rest of the process (a command exiting after an interrupt)."""
    if _main_thread():
        for s in _HANDLED:
            signal.signal(s, signal.SIG_IGN)


def child_ready() -> None:
    """In a child started under :func:`spawning`: keep ignoring SIGINT, take SIGTERM's default, unblock."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HANDLED)


class deferred_interrupts:
    """Within the block, SIGINT and SIGTERM are noted, not raised; :meth:`check` raises them.

    For members run in this process: compiled (numba) kernels cannot be interrupted, and raising
    :class:`KeyboardInterrupt` around one can crash the interpreter, so the interrupt is raised
    between members instead. A second signal raises at once.
    """

    def __init__(self):
        self.hit = None
        self._old = {}

    def _note(self, signum, frame):
        if self.hit is not None:
            raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")
        self.hit = signum

    def check(self) -> None:
        """Raise :class:`KeyboardInterrupt` if a signal arrived."""
        if self.hit is not None:
            raise KeyboardInterrupt(f"signal {signal.Signals(self.hit).name}")

    def __enter__(self):
        if _main_thread():
            self._old = {s: signal.signal(s, self._note) for s in _HANDLED
                         if signal.getsignal(s) not in (signal.SIG_IGN, None)}
        return self

    def __exit__(self, *exc):
        for s, h in self._old.items():
            signal.signal(s, h)
        self._old = {}
