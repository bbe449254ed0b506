"""Executors: the same results in member order whatever runs them, retries, and the options' errors.

The dask tests start a real ``distributed.LocalCluster`` (processes, 2 workers) and, in
test_ensemble_cluster.py, ``dask scheduler`` and ``dask worker`` processes. dask is part of what
``make test`` installs (the ``dask`` extra); without it these tests fail, by design.
"""

from __future__ import annotations

import json
import os

import pytest

import _ensemble_support as sup
from orbitsim import ensemble, executors, scenario
from orbitsim.cli import main as cli_main
from orbitsim.executors import MembersFailedError, get_executor


@pytest.fixture(scope="module")
def small_inputs(tmp_path_factory):
    return sup.write_small_inputs(tmp_path_factory.mktemp("ens"))


@pytest.fixture(scope="module")
def dask_ex():
    """One LocalCluster of 2 worker processes for the module's dask tests."""
    import cloudpickle

    cloudpickle.register_pickle_by_value(sup)  # workers need not import the test helpers
    ex = get_executor("dask", workers=2)
    yield ex
    ex.close()


def _order_case(ex):
    # later members finish first; results must still come back in member order
    args = [(0.6 - 0.1 * k, k) for k in range(6)]
    out = ex.map(sup.sleep_then_return, args)
    assert [v for v, _ in out] == list(range(6))
    return {pid for _, pid in out}


def test_local_results_in_member_order_and_off_this_process():
    pids = _order_case(get_executor("local", workers=2))
    assert os.getpid() not in pids and len(pids) == 2


def test_dask_results_in_member_order(dask_ex):
    pids = _order_case(dask_ex)
    assert os.getpid() not in pids and len(pids) == 2


@pytest.mark.parametrize("name", ["local-pool", "local-here", "dask"])
def test_failing_member_retried_once_then_reported_by_index(name, tmp_path, request):
    ex = {"local-pool": lambda: get_executor("local", workers=2),
          "local-here": lambda: get_executor("local", workers=1),
          "dask": lambda: request.getfixturevalue("dask_ex")}[name]()
    # member 1 fails once (the retry succeeds), member 3 fails every time
    args = [(str(tmp_path), i, {1: 1, 3: 99}.get(i, 0)) for i in range(5)]
    with pytest.raises(MembersFailedError) as info:
        ex.map(sup.flaky, args, labels=[f"m{i}" for i in range(5)])
    err = info.value
    assert [f.index for f in err.failures] == [3]
    assert "planned failure 2 of member 3" in err.failures[0].error
    assert "m3" in str(err) and "1 of 5 members failed twice" in str(err)
    assert err.results == [0, 10, 20, None, 40]  # the others' results are kept
    attempts = sorted(p.split("-")[0] for p in os.listdir(tmp_path))
    assert attempts.count("1") == 2 and attempts.count("3") == 2 and attempts.count("0") == 1


def test_threads_per_worker_divides_the_cores(monkeypatch):
    monkeypatch.delenv("ORBITSIM_WORKER_THREADS", raising=False)
    assert executors.threads_per_worker(2, cores=2) == 1
    assert executors.threads_per_worker(1, cores=8) == 8
    assert executors.threads_per_worker(3, cores=8) == 2
    assert executors.threads_per_worker(16, cores=8) == 1
    monkeypatch.setenv("ORBITSIM_WORKER_THREADS", "3")
    assert executors.threads_per_worker(2, cores=2) == 3


def test_missing_dask_is_one_line_exit_2(small_inputs, tmp_path, monkeypatch, capsys):
    toml, cat = small_inputs
    monkeypatch.setattr(executors, "dask_available", lambda: False)
    rc = cli_main(["simulate", str(toml), "--members", "1", "--executor", "dask", "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and "pip install 'orbitsim[dask]'" in err and "Traceback" not in err
    assert not (tmp_path / "r").exists()
    rc = cli_main(["simulate", str(toml), "--executor", "local", "--scheduler", "tcp://127.0.0.1:1",
                   "--out", str(tmp_path / "r")])
    assert rc == 2 and "--scheduler needs --executor dask" in capsys.readouterr().err


def test_unreachable_scheduler_is_one_line_exit_1(small_inputs, tmp_path, capsys, monkeypatch):
    from orbitsim.executors import dask_cluster

    monkeypatch.setattr(dask_cluster, "CONNECT_TIMEOUT_S", 2.0)
    toml, cat = small_inputs
    rc = cli_main(["sweep", "--target", str(toml), "--altitudes", "400", "--members", "1",
                   "--scheduler", "tcp://127.0.0.1:9", "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert rc == 1 and "cannot reach a dask scheduler" in err and "tcp://127.0.0.1:9" in err
    assert not (tmp_path / "r").exists()


def test_simulate_local_and_dask_same_bytes(small_inputs, tmp_path):
    toml, cat = small_inputs
    common = ["simulate", str(toml), "--members", "3", "--catalog", str(cat)]
    assert cli_main(common + ["--workers", "2", "--out", str(tmp_path / "local")]) == 0
    assert cli_main(common + ["--executor", "dask", "--workers", "2", "--out", str(tmp_path / "dask")]) == 0
    sup.compare_runs(tmp_path / "local", tmp_path / "dask")


def test_python_api_run_same_results_any_executor(small_inputs, dask_ex):
    toml, cat = small_inputs
    s = scenario.load(toml)
    here = ensemble.run(s, 2, executor="local", workers=1, catalog_path=str(cat))
    there = ensemble.run([s], [1, 2], executor=dask_ex, catalog_path=str(cat))
    assert len(here) == len(there) == 1
    assert here[0].scenario.seeds == there[0].scenario.seeds == (1, 2)
    assert json.dumps(here[0].row, sort_keys=True, default=str) == json.dumps(there[0].row, sort_keys=True,
                                                                                default=str)
