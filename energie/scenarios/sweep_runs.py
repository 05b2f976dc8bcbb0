"""What a sweep's points are and how one is solved: the types and helpers every engine shares.

A point is a frozen, picklable ``ScenarioRun``; the pure, top-level ``run_scenario`` solves it, in
a process of the local pool (``energie.scenarios.sweep_local``) or on a Dask worker
(``energie.scenarios.sweep_dask``), and each engine returns a ``PointResult`` per run in the order
of the runs (``SweepEngine``). Both engines send the sites, which the points of a sweep share,
once per worker rather than with every point (``split_sites``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from energie.planner.pipeline import PlanResult, run_plan
from models import Plan, Scenario, Site
from models.heat import District

#: ``progress(done, total)`` is called in the calling process after each finished point.
ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class ScenarioRun:
    """One point of a sweep: everything ``run_scenario`` needs, picklable.

    Parameters
    ----------
    sites : validated sites with LIK types set (a tuple, so the run is immutable)
    scenario : the edited scenario of this point
    solver : ``"cbc"`` or ``"highs"``; ``None`` = the scenario's
    time_limit_s : overrides the scenario's time limit [s]; ``None`` = the scenario's
    districts : the districts of a scenario with ``[heat]``
    year : per-year scenarios: the target year the point's row reports (``None``: the last)
    """

    sites: tuple[Site, ...]
    scenario: Scenario
    solver: str | None = None
    time_limit_s: float | None = None
    districts: tuple[District, ...] = ()
    year: int | None = None


def point_plan(result: PlanResult, year: int | None = None) -> Plan:
    """The plan a sweep row reads: a one-year plan as it is; a plan over several years as it stands
    in ``year`` (default the last), with the horizon's status, objective, gap and times."""
    if isinstance(result, Plan):
        return result
    period = next((q for q in result.periods if q.year == year), result.periods[-1])
    return period.plan.model_copy(update={
        "status": result.status, "objective_meur": result.objective_meur, "gap": result.gap,
        "bound_meur": result.bound_meur, "solve_time_s": result.solve_time_s, "build_time_s": result.build_time_s,
        "heat": result.heat, "scenario_name": result.scenario_name})


def run_scenario(run: ScenarioRun) -> Plan:
    """Plan one sweep point: a pure function of ``run`` (no globals, no files).

    Top-level so that process pools (and cluster engines) can pickle it by name.
    """
    result = run_plan(list(run.sites), run.scenario, list(run.districts) or None, solver=run.solver,
                      time_limit_s=run.time_limit_s)
    return point_plan(result, run.year)


@dataclass(frozen=True)
class PointResult:
    """A finished point: its plan, or the solver's complaint (status ``error``)."""

    plan: Plan | None
    error: str | None = None


def split_sites(runs: Sequence[ScenarioRun]) -> tuple[tuple[tuple[Site, ...], ...], list[int]]:
    """The distinct site tuples of ``runs`` (by identity: runs from ``sweep_runs`` share one) and,
    per run, the index of its tuple."""
    sets: list[tuple[Site, ...]] = []
    where: dict[int, int] = {}
    index = []
    for run in runs:
        if id(run.sites) not in where:
            where[id(run.sites)] = len(sets)
            sets.append(run.sites)
        index.append(where[id(run.sites)])
    return tuple(sets), index


class SweepEngine(Protocol):
    """Solves the points of a sweep: ``sweep_local.LocalEngine`` or ``sweep_dask.DaskEngine``."""

    @property
    def name(self) -> str:
        """``local`` or ``dask``."""
        ...

    @property
    def workers(self) -> int | None:
        """Worker processes that solve (``None``: the local default for the number of points)."""
        ...

    def solve(self, runs: Sequence[ScenarioRun], progress: ProgressFn | None = None) -> list[PointResult]:
        """Every run's outcome, in the order of ``runs`` whatever the order of completion."""
        ...


__all__ = ["PointResult", "ProgressFn", "ScenarioRun", "SweepEngine", "point_plan", "run_scenario", "split_sites"]
