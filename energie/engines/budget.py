"""One checked solve, one time budget and the solver overrides every planner shares."""

from __future__ import annotations

import time

import pulp

from energie.engines.solver import SolveResult, SolveStatus, solve, solver_version
from models import SolverError
from models.scenario import Scenario, SolverSettings


class TimeBudget:
    """The scenario's time limit shared by every solve of one plan (at least 1 s per solve)."""

    def __init__(self, settings: SolverSettings) -> None:
        self.settings = settings
        self.deadline = time.perf_counter() + settings.time_limit_s

    def next(self) -> SolverSettings:
        left = max(1.0, self.deadline - time.perf_counter())
        return self.settings.model_copy(update={"time_limit_s": left})


def empty_result(settings: SolverSettings) -> SolveResult:
    """The result of a problem without variables: nothing to choose, optimal at 0."""
    return SolveResult(SolveStatus.OPTIMAL, 0.0, 0.0, 0.0, settings.name, solver_version(settings.name), 0.0, {})


def checked_solve(problem: pulp.LpProblem, settings: SolverSettings,
                  warm_start: dict[str, float] | None = None) -> SolveResult:
    """``energie.engines.solver.solve`` with an empty problem answered at once and an unknown status refused."""
    if not problem.variables():
        return empty_result(settings)
    result = solve(problem, settings, warm_start)
    if result.status is SolveStatus.ERROR:
        raise SolverError(f"{settings.name} returned an unknown status; try the other solver (--solver)")
    return result


def keep_cheaper_warm_start(result: SolveResult, warm: dict[str, float], warm_cost: float,
                            messages: list[str], what: str) -> SolveResult:
    """The solver's result, or the known feasible warm start when the solver did no better in time."""
    if result.objective is not None and result.objective <= warm_cost + 1e-9:
        return result
    messages.append(f"the cheapest plan reaching {what} was not found within the time limit; this plan "
                    "reaches it but its cost is not minimised")
    return SolveResult(SolveStatus.FEASIBLE, warm_cost, None, None, result.solver, result.solver_version,
                       result.time_s, warm)


def raise_if_no_solution(result: SolveResult, settings: SolverSettings) -> None:
    """A ``SolverError`` with advice when the solver stopped without any plan."""
    if result.status is SolveStatus.NO_SOLUTION:
        other = "highs" if settings.name == "cbc" else "cbc"
        raise SolverError(f"{settings.name} found no plan within {settings.time_limit_s:.0f} s; raise "
                          f"solver.time_limit_s or try --solver {other}")


def with_solver_overrides(scenario: Scenario, solver: str | None,
                          time_limit_s: float | None) -> tuple[Scenario, SolverSettings]:
    """The scenario with ``solver`` and ``time_limit_s`` [s] (when given) in its solver settings."""
    updates: dict[str, object] = {"name": solver} if solver else {}
    if time_limit_s is not None:
        updates["time_limit_s"] = time_limit_s  # validated by SolverSettings (> 0)
    settings = SolverSettings.model_validate({**scenario.solver.model_dump(), **updates})
    return (scenario.model_copy(update={"solver": settings}) if updates else scenario), settings


__all__ = ["TimeBudget", "checked_solve", "empty_result", "keep_cheaper_warm_start", "raise_if_no_solution",
           "with_solver_overrides"]
