"""The one place that knows PuLP and the solvers (CBC bundled with PuLP 3.x, HiGHS via highspy).

Returns our own ``SolveResult`` with an honest status: PuLP 3.x reports
"Optimal" for a run stopped at the time limit with an incumbent, so the
solution status (``sol_status``) and the solver's own gap decide between
``optimal`` and ``feasible``.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import metadata
from pathlib import Path

import pulp

from models import SolverError, SolverSettings


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"          # proven optimal within gap_rel
    FEASIBLE = "feasible"        # stopped (time limit) with an incumbent
    INFEASIBLE = "infeasible"
    NO_SOLUTION = "no_solution"  # stopped without an incumbent
    ERROR = "error"


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Silence output written to fd 1 by native code (HiGHS prints a banner even with msg=False)."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


@dataclass(frozen=True)
class SolveResult:
    """What a solve returned, solver-independent. ``values`` maps variable name → value."""

    status: SolveStatus
    objective: float | None
    bound: float | None
    gap: float | None
    solver: str
    solver_version: str
    time_s: float
    values: dict[str, float]
    #: Constraint name → dual value (shadow price); meaningful for LPs only.
    duals: dict[str, float] = field(default_factory=dict)


def solver_version(name: str) -> str:
    """Version text of the solver package (PuLP's for CBC, highspy's for HiGHS)."""
    if name == "highs":
        return f"HiGHS (highspy {metadata.version('highspy')})"
    return f"CBC 2.10.3 (bundled with PuLP {pulp.__version__}; preprocess off)"


def _relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return abs(objective - bound) / max(1e-9, abs(objective))


def _parse_cbc_log(text: str) -> tuple[float | None, bool]:
    """Best bound and whether CBC stopped early (time limit) from its log."""
    bound = None
    m = re.search(r"Lower bound:\s*([-\d.eE+]+)", text) or re.search(r"Upper bound:\s*([-\d.eE+]+)", text)
    if m:
        bound = float(m.group(1))
    stopped = bool(re.search(r"Stopped on (time|iterations|nodes)", text))
    return bound, stopped


def cbc_path() -> str:
    """The CBC binary bundled with PuLP 3.x (CBC 2.10.3), else one on PATH.

    ``PULP_CBC_CMD`` is deprecated in PuLP 3.3; ``COIN_CMD`` with the bundled path
    runs the same binary without the deprecated class. Why not the current CBC of
    ``cbcbox`` (``pulp[cbc]``): measured 26 s against 0.39 s for 2.10.3 on our 10k-site
    benchmark instance (2026-11-23, benchmarks/README.md); 2.10.3 is run with its
    integer preprocessing off, see ``CBC_OPTIONS``.
    """
    from pulp.apis import coin_api

    bundled = Path(coin_api.pulp_cbc_path)
    if bundled.is_file():
        return str(bundled.resolve())
    found = shutil.which("cbc")
    if found:
        return found
    raise SolverError("CBC not found: PuLP 3.x bundles it; reinstall energieplanner (pip install -e .) "
                      "or use --solver highs")


#: CBC 2.10.3's integer preprocessing returned a plan 4.6 % above the optimum and called it
#: optimal on a 9-binary instance of ours (tests/test_solver_regressions.py); with it off the
#: answer is right and our benchmark instances solve as fast (10k: 0.38 s vs 0.39 s; 30k: 1.21 s
#: vs 1.16 s).
CBC_OPTIONS = ["preprocess off"]


def _cbc(settings: SolverSettings, log_path: Path, warm: bool) -> pulp.LpSolver:
    return pulp.COIN_CMD(
        path=cbc_path(), msg=False, options=list(CBC_OPTIONS), timeLimit=settings.time_limit_s, gapRel=settings.gap_rel,
        threads=settings.threads, logPath=str(log_path), warmStart=warm,
    )


def _highs(settings: SolverSettings) -> pulp.LpSolver:
    return pulp.HiGHS(
        msg=False, timeLimit=settings.time_limit_s, gapRel=settings.gap_rel, threads=settings.threads,
        random_seed=0,
    )


def solve(problem: pulp.LpProblem, settings: SolverSettings,
          warm_start: dict[str, float] | None = None) -> SolveResult:
    """Solve ``problem`` with the solver named in ``settings``.

    ``warm_start`` (variable name → value) is a known feasible point; CBC starts
    from it, HiGHS through PuLP cannot (the caller keeps it as a fallback).

    Raises
    ------
    SolverError
        When the solver is not available or crashes.
    """
    name = settings.name
    start = time.perf_counter()
    bound: float | None = None
    stopped = False
    with tempfile.TemporaryDirectory(prefix="energie-") as tmp:
        log_path = Path(tmp) / "cbc.log"
        if warm_start and name == "cbc":
            for var in problem.variables():
                if var.name in warm_start:
                    # solver output can be a hair outside the bounds (−1e-16); PuLP refuses that
                    value = warm_start[var.name]
                    if var.lowBound is not None:
                        value = max(value, var.lowBound)
                    if var.upBound is not None:
                        value = min(value, var.upBound)
                    var.setInitialValue(value)
        solver = _cbc(settings, log_path, bool(warm_start)) if name == "cbc" else _highs(settings)
        if not solver.available():
            raise SolverError(f"solver '{name}' is not available; reinstall energieplanner (pip install -e .)")
        try:
            with _quiet_stdout():
                problem.solve(solver)
        except pulp.PulpSolverError as err:
            raise SolverError(f"{name} failed: {err}") from None
        if name == "cbc" and log_path.exists():
            bound, stopped = _parse_cbc_log(log_path.read_text(errors="replace"))
    elapsed = time.perf_counter() - start
    if name == "highs":
        info = problem.solverModel.getInfo()
        stopped = str(problem.solverModel.getModelStatus()).endswith("kTimeLimit")
        raw = float(info.mip_dual_bound)
        bound = raw if abs(raw) < 1e30 else None
    status = _status(problem, stopped)
    objective = pulp.value(problem.objective) if status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) else None
    if objective is not None:
        objective = float(objective)
        if bound is None and status is SolveStatus.OPTIMAL:
            bound = objective
    values = {v.name: float(v.varValue or 0.0) for v in problem.variables()} if objective is not None else {}
    duals = {}
    if objective is not None and problem.isMIP() == 0:
        duals = {str(c.name): float(c.pi) for c in problem.constraints() if c.pi is not None}
    return SolveResult(status, objective, bound, _relative_gap(objective, bound), name,
                       solver_version(name), elapsed, values, duals)


def _status(problem: pulp.LpProblem, stopped: bool) -> SolveStatus:
    if problem.status == pulp.LpStatusInfeasible or problem.sol_status == pulp.LpSolutionInfeasible:
        return SolveStatus.INFEASIBLE
    if problem.sol_status == pulp.LpSolutionOptimal and not stopped:
        return SolveStatus.OPTIMAL
    if problem.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        return SolveStatus.FEASIBLE
    if problem.sol_status == pulp.LpSolutionNoSolutionFound:
        return SolveStatus.NO_SOLUTION
    return SolveStatus.ERROR
