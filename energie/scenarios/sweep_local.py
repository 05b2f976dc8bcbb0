"""The local sweep engine: a process pool on this machine (``energie sweep --engine local``)."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace

from energie.scenarios.sweep_runs import PointResult, ProgressFn, ScenarioRun, run_scenario, split_sites
from models import InfeasibleError, InputError, Plan, Site, SolverError


def default_workers(n_points: int) -> int:
    """``min(os.cpu_count(), n_points)``, at least 1."""
    return max(1, min(os.cpu_count() or 1, n_points))


def _pool_context() -> multiprocessing.context.BaseContext:
    """``forkserver`` on POSIX, ``spawn`` elsewhere; never plain ``fork``.

    Forking a process that has threads (rich's progress refresh, HiGHS's worker pool after an
    in-process solve) can deadlock the child. The fork server is a fresh single-threaded process
    that imports the planner once (preload) and forks the workers from there, so a worker starts
    in milliseconds instead of re-importing pulp, pydantic and geopandas.
    """
    if sys.platform != "win32" and "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["energie.scenarios.sweep_local"])
        return ctx
    return multiprocessing.get_context("spawn")


def _settle(future: Future[Plan]) -> PointResult:
    """A point's outcome: a plan, or a per-point error for trouble that is the solver's.
    Input errors and bugs are raised: they would hit every point alike."""
    try:
        return PointResult(future.result())
    except (SolverError, InfeasibleError) as err:
        return PointResult(None, str(err))


#: In a pool worker: the site lists of the sweep, sent once per worker by ``_init_worker``.
_WORKER_SITES: tuple[tuple[Site, ...], ...] = ()


def _init_worker(site_sets: tuple[tuple[Site, ...], ...]) -> None:
    global _WORKER_SITES
    _WORKER_SITES = site_sets


def _run_in_worker(site_set: int, run: ScenarioRun) -> Plan:
    """``run_scenario`` with the run's sites taken from the worker's copy."""
    return run_scenario(replace(run, sites=_WORKER_SITES[site_set]))


@dataclass(frozen=True)
class LocalEngine:
    """This machine: a pool of ``workers`` processes; ``None`` = ``default_workers(len(runs))``;
    1 = solve in this process, no pool.

    Notes
    -----
    Every point is solved by ``run_scenario`` on its own ``ScenarioRun``. One saving in the pool:
    the sites, which all points of a sweep share, go to each worker once (when it starts)
    instead of with every point: pickling and unpickling 10,000 sites takes about 0.2 s, close to
    half of a point's own time at that size (benchmarks/results/sweep_2026-11-23.md). The plans
    are the same.
    """

    workers: int | None = None
    name: str = "local"

    def solve(self, runs: Sequence[ScenarioRun], progress: ProgressFn | None = None) -> list[PointResult]:
        total = len(runs)
        n = default_workers(total) if self.workers is None else self.workers
        if n < 1:
            raise InputError(f"--workers must be 1 or more (got {n})")
        n = min(n, max(1, total))
        results: list[PointResult | None] = [None] * total
        if n == 1:
            for i, run in enumerate(runs):
                try:
                    results[i] = PointResult(run_scenario(run))
                except (SolverError, InfeasibleError) as err:
                    results[i] = PointResult(None, str(err))
                if progress:
                    progress(i + 1, total)
            return [r for r in results if r is not None]
        site_sets, site_index = split_sites(runs)
        pool = ProcessPoolExecutor(max_workers=n, mp_context=_pool_context(), initializer=_init_worker,
                                   initargs=(site_sets,))
        try:
            index = {pool.submit(_run_in_worker, site_index[i], replace(run, sites=())): i
                     for i, run in enumerate(runs)}
            for done_count, future in enumerate(as_completed(index), start=1):
                results[index[future]] = _settle(future)
                if progress:
                    progress(done_count, total)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        return [r for r in results if r is not None]


__all__ = ["LocalEngine", "default_workers"]
