"""A real dask cluster of separate processes: ``dask scheduler`` and ``dask worker`` on 127.0.0.1.

``orbitsim sweep --scheduler tcp://127.0.0.1:PORT`` connects to it; the run directory must be the
same bytes as the local executor's (provenance.json apart from its ``executor`` field). The
scheduler and worker are started in their own sessions with bounded waits and always stopped.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import _ensemble_support as sup
from orbitsim.cli import main as cli_main

#: Seconds allowed for the scheduler and the worker to come up, and to go down.
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 15.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dask_cli() -> list[str]:
    exe = Path(sys.executable).with_name("dask")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "dask"]


def _stop(procs) -> None:
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for p in procs:
        try:
            p.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        for pid in sup.session_processes(p.pid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def dask_cluster(tmp_path):
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = open(tmp_path / "dask.log", "w")
    procs = []
    try:
        procs.append(subprocess.Popen(_dask_cli() + ["scheduler", "--host", "127.0.0.1", "--port", str(port),
                                                     "--no-dashboard"],
                                      start_new_session=True, stdout=log, stderr=subprocess.STDOUT))
        procs.append(subprocess.Popen(_dask_cli() + ["worker", address, "--nworkers", "2", "--nthreads", "1",
                                                     "--no-dashboard", "--death-timeout", "60"],
                                      start_new_session=True, stdout=log, stderr=subprocess.STDOUT,
                                      env=dict(os.environ, PYTHONPATH=str(Path(__file__).parent))))
        with Client(address, timeout=f"{START_TIMEOUT_S}s") as c:
            c.wait_for_workers(2, timeout=START_TIMEOUT_S)
        yield address
    finally:
        _stop(procs)
        log.close()
    assert all(p.poll() is not None for p in procs)


def test_sweep_on_separate_scheduler_and_workers_same_bytes(dask_cluster, tmp_path):
    toml, cat = sup.write_small_inputs(tmp_path / "inputs")
    common = ["sweep", "--target", str(toml), "--altitudes", "400", "800", "--members", "2", "--catalog", str(cat)]
    assert cli_main(common + ["--workers", "2", "--out", str(tmp_path / "local")]) == 0
    assert cli_main(common + ["--scheduler", dask_cluster, "--out", str(tmp_path / "cluster")]) == 0
    sup.compare_runs(tmp_path / "local", tmp_path / "cluster")
