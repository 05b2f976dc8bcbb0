"""Sweeps on a real Dask distributed cluster: same rows as the local pool, clear errors, per-point failures.

One ``LocalCluster`` of two single-threaded worker processes serves the module (no mocks); the
CLI reaches it through ``--scheduler``, as it would reach a scheduler on another machine.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from cli.main import app
from energie.scenarios.sweep import TARGET_KEY, parse_range, run_sweep, sweep_engine, sweep_runs
from energie.scenarios.sweep_runs import PointResult, ScenarioRun, run_scenario
from models import InputError, Plan
from sites.inputs import example_inputs

# Imported, not importorskip'ed: dask[distributed] is in the test extra, and a missing install must
# fail CI rather than skip the only test of the cluster engine.
import dask
import distributed
from energie.scenarios.sweep_dask import (
    INSTALL_HINT, DaskEngine, identity_problems, open_dask_engine, worker_identity,
)

runner = CliRunner()
RANGE = "420:460:20"  # Hardenberg: two points that meet the target, one shortfall (max 449.6 GWh)
KILLER_TARGET_GWH = 440.0


def _cluster(**worker_kwargs: object) -> distributed.LocalCluster:
    # dashboard_address=":0": a free port for the scheduler's HTTP server (None would still take 8787)
    return distributed.LocalCluster(n_workers=worker_kwargs.pop("n_workers", 2), processes=True,
                                    threads_per_worker=1, dashboard_address=":0", **worker_kwargs)


@pytest.fixture(scope="module")
def cluster() -> Iterator[distributed.LocalCluster]:
    # allowed-failures 0: a point whose worker dies is reported at once (default: retried 3 times);
    # worker-saturation 1.0: a worker holds only the point it runs, so a death takes no bystander
    with dask.config.set({"distributed.scheduler.allowed-failures": 0,
                          "distributed.scheduler.worker-saturation": 1.0}):
        with _cluster() as c:
            yield c


@pytest.fixture(scope="module")
def runs() -> list[ScenarioRun]:
    hb = example_inputs("hardenberg")
    return sweep_runs(hb.sites, hb.scenario, TARGET_KEY, parse_range(RANGE), solver="cbc")


@pytest.fixture(scope="module")
def local_points(runs) -> list[PointResult]:
    return run_sweep(runs, workers=1)


def _same(a: Plan, b: Plan) -> bool:
    times = {"solve_time_s": 0.0, "build_time_s": 0.0}
    return a.model_copy(update=times) == b.model_copy(update=times)


def test_dask_cluster_gives_the_local_plans(cluster, runs, local_points):
    calls: list[tuple[int, int]] = []
    with sweep_engine("dask", scheduler=cluster.scheduler_address) as engine:
        assert engine.name == "dask" and engine.workers == 2
        points = run_sweep(runs, progress=lambda done, total: calls.append((done, total)), engine=engine)
    assert calls == [(i, 3) for i in range(1, 4)]
    assert [p.plan.status.value for p in points if p.plan] == ["optimal", "optimal", "shortfall"]
    for mine, local, value in zip(points, local_points, parse_range(RANGE), strict=True):
        assert mine.plan is not None and local.plan is not None and mine.error is None
        assert mine.plan.targets["electricity"].target_gwh == value  # run order, not completion order
        assert _same(mine.plan, local.plan)  # objective, selected sites, status, every figure


def test_cli_dask_prints_the_local_report(cluster, tmp_path):
    args = ["sweep", "--example", "hardenberg", "--target-gwh", RANGE, "--solver", "cbc", "--no-color",
            "--no-times"]
    local = runner.invoke(app, [*args, "--workers", "1", "--csv", str(tmp_path / "local.csv")])
    remote = runner.invoke(app, [*args, "--engine", "dask", "--scheduler", cluster.scheduler_address,
                                 "--csv", str(tmp_path / "dask.csv")])
    own = runner.invoke(app, [*args, "--engine", "dask", "--workers", "1"])  # starts its own local cluster
    assert local.exit_code == remote.exit_code == own.exit_code == 0, remote.output + own.output
    assert remote.stdout == local.stdout == own.stdout and "shortfall" in remote.stdout
    assert _rows_without_times(tmp_path / "dask.csv") == _rows_without_times(tmp_path / "local.csv")


def _rows_without_times(path) -> list[dict[str, str]]:
    return [{k: v for k, v in row.items() if k != "solve_s"}
            for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))]


def _die_at_killer_target(run: ScenarioRun) -> Plan:
    """Solves like ``run_scenario``, but the worker process dies at one target (top-level: pickled by name)."""
    if run.scenario.targets.electricity_gwh == KILLER_TARGET_GWH:
        os._exit(13)
    return run_scenario(run)


def test_a_dying_worker_fails_its_point_only(cluster, runs, local_points):
    with open_dask_engine(cluster.scheduler_address, None, 10.0) as engine:
        points = engine.solve(runs, fn=_die_at_killer_target)
        assert [p.plan is None for p in points] == [False, True, False]
        assert "worker process died" in (points[1].error or "")
        assert all(_same(p.plan, q.plan) for p, q in zip(points, local_points) if p.plan and q.plan)
        # a worker whose planner differs (here: told so) refuses every point, with the difference
        other = DaskEngine(engine.client, engine.workers, engine.description,
                           {**engine.identity, "source": "0123456789ab"})
        refused = other.solve(runs[:1])
    assert refused[0].plan is None and "source" in (refused[0].error or "")
    assert "another energieplanner" in (refused[0].error or "")


def test_cli_unreachable_scheduler_exits_2():
    r = runner.invoke(app, ["sweep", "--example", "hardenberg", "--target-gwh", RANGE, "--engine", "dask",
                            "--scheduler", "tcp://127.0.0.1:1", "--connect-timeout", "0.5"])
    assert r.exit_code == 2, r.output
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1 within 0.5 s" in r.output
    assert "--connect-timeout" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("args, message", [
    (["--engine", "ray"], "--engine must be one of local, dask"),
    (["--scheduler", "tcp://127.0.0.1:8786"], "give it with --engine dask"),
    (["--engine", "dask", "--scheduler", "host-without-port"], "give tcp://HOST:PORT"),
    (["--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--workers", "2"], "leave --workers out"),
    (["--engine", "dask", "--connect-timeout", "0"], "--connect-timeout"),
])
def test_cli_engine_options_exit_2(args, message):
    r = runner.invoke(app, ["sweep", "--example", "hardenberg", "--target-gwh", RANGE, *args])
    assert r.exit_code == 2, r.output
    assert message in r.output and "Traceback" not in r.output


def test_scheduler_without_workers_is_an_input_error():
    with _cluster(n_workers=0) as empty, pytest.raises(InputError, match="has no workers after 0.5 s"):
        with sweep_engine("dask", scheduler=empty.scheduler_address, connect_timeout_s=0.5):
            pass


def test_worker_without_the_planner_is_refused_by_name():
    # The worker process imports with 'energie' blocked, as on a machine where it is not installed.
    blocked = "import sys\nsys.modules['energie'] = None\n"
    with _cluster(n_workers=1, preload=[blocked]) as bad:
        worker = next(iter(bad.scheduler_info["workers"]))
        with pytest.raises(InputError) as err, sweep_engine("dask", scheduler=bad.scheduler_address):
            pass
    text = str(err.value)
    assert "1 of 1 Dask workers" in text and f"{worker}: energieplanner is not installed there" in text


def test_identity_problems_name_what_differs():
    here = worker_identity()
    there = {**here, "energieplanner": "0.0.9", "pulp": "2.9.0"}
    problems = identity_problems(here, {"tcp://b:1": there, "tcp://a:1": here,
                                        "tcp://c:1": Exception("ModuleNotFoundError(\"No module named 'models'\")")})
    assert problems == [
        f"tcp://b:1: energieplanner 0.0.9 (here {here['energieplanner']}), pulp 2.9.0 (here {here['pulp']})",
        "tcp://c:1: energieplanner is not installed there (ModuleNotFoundError(\"No module named 'models'\"))",
    ]


def test_missing_dask_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    with pytest.raises(InputError, match="not installed") as err:
        with sweep_engine("dask", workers=1):
            pass
    assert INSTALL_HINT in str(err.value)
