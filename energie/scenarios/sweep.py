"""Parameter sweeps: re-plan over a range of one scenario value, in parallel worker processes.

A sweep is a list of independent runs. Each run is a frozen, picklable
``ScenarioRun`` and is solved by the pure, top-level ``run_scenario`` (both in
``energie.scenarios.sweep_runs``), so the same runs can be handed to a process
pool here or to a cluster engine.
The sites travel with every run because a ``Plan`` needs both the sites and
the scenario (the independent checker re-reads the sites); nothing is taken
from the worker's memory.

Engines (``sweep_engine``): ``local`` (the default, no cluster) is a process
pool on this machine (``energie.scenarios.sweep_local``); ``dask`` runs the same
runs on a Dask distributed cluster, an existing one
(``scheduler="tcp://host:8786"``) or a ``LocalCluster`` started for the sweep
(``energie.scenarios.sweep_dask``). Dask rather than Ray: it is pure Python
(43 MB installed against Ray's 258 MB), a local cluster starts in 0.35 s against
Ray's 3.1 s on the 2-core benchmark machine, and its futures are the
``concurrent.futures`` calls the local pool uses. Every engine returns the
points in the order of the runs, so the plans and the report do not depend on
the engine.

Marginal cost of the target (computed for target sweeps only), between
consecutive points *i − 1* and *i* that both meet their target::

    marginal [M€ per GWh/yr] = Δ investment [M€] / Δ achieved yield [GWh/yr]
    marginal [€/MWh]         = Δ investment [M€] × 1e6 × CRF / (Δ achieved yield [GWh/yr] × 1000)

with the capital recovery factor ``CRF = r / (1 − (1 + r)^−n)`` [1/yr]. An
investment is paid once while the yield comes every year, so investment per
extra annual MWh is not a price per MWh; annualising it over the lifetime makes
it one, comparable with an LCOE. Defaults: ``r`` = 4 %/yr real and ``n`` = 25
years (``energie.facts.accounting.DISCOUNT_RATE`` and ``LIFETIME_YEARS``: between
the 2.25 % real rate the Dutch government prescribes for social cost-benefit
analysis, Werkgroep Discontovoet 2020, and the higher private rates PBL
assumes in its SDE++ advice; PV and wind installations last 25–30 years).
Notes on honesty:

* The denominator is the *achieved* yield, not the target: binary choices
  overshoot, and the money buys the achieved energy.
* Investment only (no operation and maintenance, no landscape term). The
  optimiser minimises investment + weighted landscape impact, so investment
  alone may fall between points where the plan trades money for landscape.
* It is an average over the step, not a derivative; finer steps give a
  finer curve.
* No marginal cost at the first point, where the yield does not change, at a
  point that is not met (``shortfall``: beyond the maximum reachable yield
  there is no energy to buy) or that failed, or right after such a point.

Examples
--------
>>> parse_range("200:300:50")
[200.0, 250.0, 300.0]
>>> parse_range("0:1:0.4")
[0.0, 0.4, 0.8]
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import pairwise

from energie.facts.accounting import DISCOUNT_RATE, LIFETIME_YEARS, capital_recovery_factor
from energie.planner.plans import YIELD_TOL_GWH
from energie.scenarios.compare import plan_metrics
from energie.scenarios.overrides import set_target, set_value
from energie.scenarios.sweep_local import LocalEngine
from energie.scenarios.sweep_runs import PointResult, ProgressFn, ScenarioRun, SweepEngine
from models import InputError, PlanStatus, Scenario, Site
from models.heat import District

#: Most points one sweep may have (a typo such as 0:1000:0.1 should not start 10,000 solves).
MAX_POINTS = 500
#: The scenario key of the electricity target; sweeping it gives marginal costs.
TARGET_KEY = "targets.electricity_gwh"

#: The engines of ``sweep_engine``: ``local`` = a process pool here; ``dask`` = a Dask cluster.
ENGINES = ("local", "dask")
#: How long to wait for a Dask scheduler to answer and to have a worker [s].
DEFAULT_CONNECT_TIMEOUT_S = 10.0


def _number(text: str, what: str, option: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{option}: {what} '{text}' is not a number; give START:STOP:STEP, "
                         "e.g. 200:600:25") from None
    if not math.isfinite(value):
        raise InputError(f"{option}: {what} must be a finite number (got '{text}')")
    return value


def parse_range(text: str, option: str = "--values") -> list[float]:
    """``START:STOP:STEP`` → the grid START, START + STEP, … up to STOP.

    STOP is included when it falls on the grid (within 1e-9 of a step). Values
    are rounded to 12 significant digits so that 0.1-steps print as typed.

    Raises
    ------
    InputError
        When the text is not three numbers, STEP ≤ 0, STOP < START, or the
        range has more than ``MAX_POINTS`` points.
    """
    parts = text.strip().split(":")
    if len(parts) != 3:
        raise InputError(f"{option} needs START:STOP:STEP, e.g. 200:600:25 (got '{text}')")
    start, stop, step = (_number(p.strip(), w, option) for p, w in zip(parts, ("START", "STOP", "STEP")))
    if step <= 0:
        raise InputError(f"{option}: STEP must be above 0 (got {step:g}); give START:STOP:STEP with "
                         "START ≤ STOP")
    if stop < start:
        raise InputError(f"{option}: STOP ({stop:g}) is below START ({start:g}); give START:STOP:STEP "
                         "with START ≤ STOP")
    count = math.floor((stop - start) / step + 1e-9) + 1
    if count > MAX_POINTS:
        raise InputError(f"{option}: {text} has {count} points, more than {MAX_POINTS}; use a larger STEP "
                         "or split the sweep")
    return [float(f"{start + i * step:.12g}") for i in range(count)]


def _toml_number(value: float) -> str:
    """6.0 → "6" so integer keys such as ``max_turbines`` accept whole numbers."""
    return str(int(value)) if value.is_integer() else repr(value)


def sweep_scenarios(scenario: Scenario, key: str, values: Sequence[float], year: int | None = None
                    ) -> list[Scenario]:
    """One validated scenario per value of ``key`` (a scenario TOML path such as
    ``lik.veenontginning.max_turbines``); every value is checked before anything is solved. The
    target of a per-year scenario is the target of ``year``."""
    key = key.strip()
    out = []
    for value in values:
        if key == TARGET_KEY:
            out.append(set_target(scenario, value, year))
            continue
        try:
            out.append(set_value(scenario, f"{key}={_toml_number(value)}"))
        except InputError as err:
            raise InputError(f"--param {key}: the value {value:g} is refused", err.problems or [str(err)]) from None
    return out


def sweep_runs(sites: Sequence[Site], scenario: Scenario, key: str, values: Sequence[float],
               solver: str | None = None, time_limit_s: float | None = None,
               districts: Sequence[District] = (), year: int | None = None) -> list[ScenarioRun]:
    """The runs of a sweep of ``key`` over ``values``, in the order of ``values``; per-year scenarios
    report ``year`` (default the last) in each row, and a target sweep sets that year's target."""
    shared, towns = tuple(sites), tuple(districts)
    return [ScenarioRun(shared, s, solver, time_limit_s, towns, year)
            for s in sweep_scenarios(scenario, key, values, year)]


@contextmanager
def sweep_engine(engine: str = "local", workers: int | None = None, scheduler: str | None = None,
                 connect_timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S) -> Iterator[SweepEngine]:
    """The engine that solves a sweep's points, open for the ``with`` block.

    Parameters
    ----------
    engine : ``"local"`` (a process pool on this machine, no cluster needed) or ``"dask"``
    workers : local: worker processes (``None`` = CPUs, at most one per point; 1 = no pool);
        dask without ``scheduler``: workers of the local cluster (``None`` = CPUs)
    scheduler : dask only: the address of a running scheduler, e.g. ``tcp://10.0.0.5:8786``;
        ``None`` = start a ``LocalCluster`` here for this sweep
    connect_timeout_s : dask: how long to wait for the scheduler and for a first worker [s]

    Raises
    ------
    InputError
        For an unknown engine or options that do not go together; for ``dask``: when Dask
        distributed is not installed, the scheduler cannot be reached or has no workers, or a
        worker runs another energieplanner (see ``energie.scenarios.sweep_dask``).

    Examples
    --------
    >>> with sweep_engine("local", workers=1) as engine:
    ...     engine.solve([])
    []
    """
    name = engine.strip().lower()
    if name not in ENGINES:
        raise InputError(f"--engine must be one of {', '.join(ENGINES)} (got '{engine}')")
    if workers is not None and workers < 1:
        raise InputError(f"--workers must be 1 or more (got {workers})")
    if name == "local":
        if scheduler is not None:
            raise InputError("--scheduler is the address of a Dask scheduler; give it with --engine dask")
        yield LocalEngine(workers)
        return
    if scheduler is not None and workers is not None:
        raise InputError("--workers sets the size of a local Dask cluster; with --scheduler the cluster's "
                         "own workers solve, so leave --workers out")
    if not connect_timeout_s > 0:
        raise InputError(f"--connect-timeout must be a number of seconds above 0 (got {connect_timeout_s:g})")
    from energie.scenarios.sweep_dask import open_dask_engine

    with open_dask_engine(scheduler, workers, connect_timeout_s) as dask_engine:
        yield dask_engine


def run_sweep(runs: Sequence[ScenarioRun], workers: int | None = None,
              progress: ProgressFn | None = None, engine: SweepEngine | None = None) -> list[PointResult]:
    """Solve every run; results in the order of ``runs`` whatever the order of completion.

    Parameters
    ----------
    runs : the points
    workers : worker processes of the local pool; ``None`` = ``default_workers(len(runs))``;
        1 = solve in this process, no pool
    progress : called as ``progress(done, total)`` after each point, in this process
    engine : an engine from ``sweep_engine`` (then ``workers`` is the engine's); ``None`` =
        ``LocalEngine(workers)``
    """
    if engine is None:
        engine = LocalEngine(workers)
    elif workers is not None:
        raise ValueError("run_sweep: give the workers to sweep_engine, not with an engine")
    return engine.solve(runs, progress)


@dataclass(frozen=True)
class SweepRow:
    """One point as the report, the CSV and the chart show it. ``None`` = not available."""

    value: float
    target_gwh: float | None
    status: str
    achieved_gwh: float | None
    shortfall_gwh: float | None
    cost_meur: float | None
    objective_meur: float | None
    impact_meur: float | None
    sites_chosen: int | None
    area_ha: float | None
    turbines: int | None
    solve_s: float | None
    gap: float | None
    marginal_meur_per_gwh: float | None = None
    marginal_eur_per_mwh: float | None = None
    error: str | None = None


@dataclass(frozen=True)
class SweepResult:
    """A finished sweep: what was swept, the rows, and how it was run."""

    scenario_name: str
    key: str
    range_text: str
    rows: list[SweepRow]
    discount_rate: float
    lifetime_years: int
    workers: int
    wall_s: float
    solver: str
    #: Which engine ran the points: ``local`` (process pool) or ``dask``.
    engine: str = "local"
    #: Per-year scenarios: the target year the rows report (and a target sweep sets); ``None``: one year.
    year: int | None = None

    @property
    def is_target_sweep(self) -> bool:
        return self.key == TARGET_KEY

    @property
    def crf(self) -> float:
        """Capital recovery factor used for €/MWh [1/yr]."""
        return capital_recovery_factor(self.discount_rate, self.lifetime_years)

    @property
    def max_reachable_gwh(self) -> float | None:
        """In a target sweep with a shortfall point, the maximum reachable yield [GWh/yr]."""
        return next((r.achieved_gwh for r in self.rows if r.status == PlanStatus.SHORTFALL.value), None)


def _row(value: float, point: PointResult) -> SweepRow:
    p = point.plan
    if p is None:
        return SweepRow(value, None, "error", None, None, None, None, None, None, None, None, None, None,
                        error=point.error)
    m = plan_metrics(p)
    target = p.targets.get("electricity")
    return SweepRow(
        value=value, target_gwh=None if target is None else target.target_gwh, status=p.status.value,
        achieved_gwh=m["yield_gwh"], shortfall_gwh=None if target is None else target.shortfall_gwh,
        cost_meur=m["cost_meur"], objective_meur=m["objective_meur"], impact_meur=m["impact_meur"],
        sites_chosen=len(p.selected), area_ha=m["area_ha"], turbines=int(m["turbines"]),
        solve_s=p.solve_time_s, gap=p.gap)


_MEETS = (PlanStatus.OPTIMAL.value, PlanStatus.FEASIBLE.value)


def with_marginals(rows: Sequence[SweepRow], rate: float = DISCOUNT_RATE,
                   years: int = LIFETIME_YEARS) -> list[SweepRow]:
    """Rows with the marginal cost from the previous row (see the module docstring)."""
    crf = capital_recovery_factor(rate, years)
    out = [rows[0]] if rows else []
    for prev, row in pairwise(rows):
        marginal: float | None = None
        if (prev.status in _MEETS and row.status in _MEETS and prev.achieved_gwh is not None
                and row.achieved_gwh is not None and prev.cost_meur is not None and row.cost_meur is not None
                and abs(row.achieved_gwh - prev.achieved_gwh) > YIELD_TOL_GWH):
            marginal = (row.cost_meur - prev.cost_meur) / (row.achieved_gwh - prev.achieved_gwh)
        per_mwh = None if marginal is None else marginal * 1e6 * crf / 1000.0
        out.append(replace(row, marginal_meur_per_gwh=marginal, marginal_eur_per_mwh=per_mwh))
    return out


def summarise(scenario: Scenario, key: str, range_text: str, values: Sequence[float],
              points: Sequence[PointResult], workers: int, wall_s: float, solver: str | None = None,
              rate: float = DISCOUNT_RATE, years: int = LIFETIME_YEARS, engine: str = "local",
              year: int | None = None) -> SweepResult:
    """The rows of a finished sweep, with marginal costs when ``key`` is the target."""
    rows = [_row(v, p) for v, p in zip(values, points, strict=True)]
    if key == TARGET_KEY:
        rows = with_marginals(rows, rate, years)
    if year is None and scenario.targets.is_phased:
        year = max(scenario.targets.years)  # the rows report the last target year
    return SweepResult(scenario.name, key, range_text, rows, rate, years, workers, wall_s,
                       solver or scenario.solver.name, engine, year)


__all__ = [
    "DEFAULT_CONNECT_TIMEOUT_S", "ENGINES", "MAX_POINTS", "TARGET_KEY", "SweepResult", "SweepRow", "parse_range",
    "run_sweep", "summarise", "sweep_engine", "sweep_runs", "sweep_scenarios", "with_marginals",
]
