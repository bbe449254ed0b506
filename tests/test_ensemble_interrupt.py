"""Ctrl-C and SIGTERM stop a running ensemble: exit 130 within seconds, no worker left, nothing on disk.

Each test starts ``orbitsim simulate`` with many more members than workers in a new session (as a
terminal would start it), waits until its workers are computing, then sends SIGINT to the whole
process group (what Ctrl-C in a terminal does) or SIGTERM to the main process only (what ``kill``
does), and checks from /proc that no process of the session survives.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import _ensemble_support as sup

#: Seconds the run is given to exit after the signal ("within a few seconds", on a loaded machine).
EXIT_WITHIN_S = 15.0

#: Members asked for: far more than the run can finish before the signal.
MEMBERS = 400


@pytest.fixture(scope="module")
def small_inputs(tmp_path_factory):
    return sup.write_small_inputs(tmp_path_factory.mktemp("intr"))


def _start(toml, cat, out, *extra):
    cmd = [sys.executable, "-m", "orbitsim", "simulate", str(toml), "--members", str(MEMBERS),
           "--catalog", str(cat), "--out", str(out), "--budget-minutes", "100000", *extra]
    return subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, env=dict(os.environ, ORBITSIM_WORKER_THREADS="1"),
                            preexec_fn=_as_from_a_terminal)


def _as_from_a_terminal():
    # a shell's background job (e.g. 'make test &') inherits SIGINT ignored, and so would the run:
    # give it the default disposition that a command started from a terminal has
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for_workers(p, n: int, timeout_s: float = 90.0) -> list[int]:
    """Wait until the run has ``n`` busy worker processes (R state, or several seconds in)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        assert p.poll() is None, p.stderr.read()
        kids = sup.session_processes(p.pid)
        if len(kids) >= n and time.monotonic() - t0 > 4.0:
            time.sleep(2.0)  # members are running
            return kids
        time.sleep(0.2)
    raise AssertionError("the ensemble's workers did not start")


def _interrupt_and_check(p, out: Path, how: str, twice: bool = False, n_workers: int = 2):
    workers = _wait_for_workers(p, n_workers)
    send = (lambda: os.killpg(p.pid, signal.SIGINT)) if how == "SIGINT" else (lambda: os.kill(p.pid, signal.SIGTERM))
    status = [line for line in Path(f"/proc/{p.pid}/status").read_text().splitlines()
              if line.startswith(("SigBlk", "SigIgn", "SigCgt"))]
    t0 = time.monotonic()
    send()
    if twice:
        time.sleep(0.3)
        send()
    try:
        rc = p.wait(EXIT_WITHIN_S)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        pytest.fail(f"{how}: still running {EXIT_WITHIN_S} s after the signal (main process: {status})")
    took = time.monotonic() - t0
    err = p.stderr.read()
    time.sleep(0.5)
    left = sup.session_processes(p.pid)
    for pid in left:  # never leave them behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert rc == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert not left, f"{how}: processes {left} of the run survived (workers were {workers})"
    assert not out.exists()
    assert not [q for q in out.parent.iterdir() if q.name.startswith(f".{out.name}")]
    return took


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM"])
def test_local_workers_stop(small_inputs, tmp_path, how):
    toml, cat = small_inputs
    p = _start(toml, cat, tmp_path / "run", "--workers", "2")
    _interrupt_and_check(p, tmp_path / "run", how)


def test_local_second_ctrl_c_does_not_hang(small_inputs, tmp_path):
    toml, cat = small_inputs
    p = _start(toml, cat, tmp_path / "run", "--workers", "2")
    _interrupt_and_check(p, tmp_path / "run", "SIGINT", twice=True)


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM"])
def test_dask_local_cluster_stops(small_inputs, tmp_path, how):
    toml, cat = small_inputs
    p = _start(toml, cat, tmp_path / "run", "--executor", "dask", "--workers", "2")
    _interrupt_and_check(p, tmp_path / "run", how, twice=(how == "SIGINT"))


def test_members_in_this_process_stop_between_members(small_inputs, tmp_path):
    """--workers 1: no worker processes; the interrupt takes effect when the running member ends."""
    toml, cat = small_inputs
    p = _start(toml, cat, tmp_path / "run", "--workers", "1")
    _interrupt_and_check(p, tmp_path / "run", "SIGTERM", n_workers=0)
