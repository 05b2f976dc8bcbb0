"""``energie sweep``: re-plan over a range of the target or of any scenario value."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from cli.common import (
    ExampleOpt, ForceOpt, NoColorOpt, ScenarioOpt, SitesOpt, SolverOpt, TimeLimitOpt, app, check_solver_options,
    console, fail, heat_districts, load,
)
from energie.facts.accounting import DISCOUNT_RATE, LIFETIME_YEARS
from energie.scenarios.sweep import DEFAULT_CONNECT_TIMEOUT_S
from energie.scenarios.sweep_runs import ProgressFn
from models import InputError, PlannerError

RangeText = Optional[str]


def _what_to_sweep(target_gwh: str | None, param: str | None, values: str | None) -> tuple[str, str, str]:
    """(scenario key, range text, option name) from the options, or an InputError that says how."""
    from energie.scenarios.sweep import TARGET_KEY

    if target_gwh is not None and (param is not None or values is not None):
        raise InputError("give either --target-gwh START:STOP:STEP or --param KEY --values START:STOP:STEP, "
                         "not both")
    if target_gwh is not None:
        return TARGET_KEY, target_gwh, "--target-gwh"
    if param is None or values is None:
        raise InputError("give --target-gwh START:STOP:STEP (e.g. 200:600:25), or --param KEY with "
                         "--values START:STOP:STEP (e.g. --param lik.veenontginning.max_turbines --values 5:12:1)")
    return param.strip(), values, "--values"


def _check_numbers(discount_rate: float, lifetime_years: int, workers: int | None) -> None:
    if not 0 <= discount_rate < 1:
        raise InputError(f"--discount-rate is a fraction per year, 0 ≤ rate < 1, e.g. 0.04 for 4 % "
                         f"(got {discount_rate:g})")
    if lifetime_years < 1:
        raise InputError(f"--lifetime-years must be 1 or more (got {lifetime_years})")
    if workers is not None and workers < 1:
        raise InputError(f"--workers must be 1 or more (got {workers})")


@contextmanager
def _progress(no_color: bool, total: int) -> Iterator[ProgressFn]:
    """A progress bar on stderr; silent when stderr is not a terminal or with --no-color."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("sweep"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=console(no_color, stderr=True), transient=True,
                   disable=no_color or not sys.stderr.isatty())
    with bar:
        task = bar.add_task("sweep", total=total)
        yield lambda done, _total: bar.update(task, completed=done)


@app.command()
def sweep(
    example: ExampleOpt = None,
    sites: SitesOpt = None,
    scenario: ScenarioOpt = None,
    target_gwh: Annotated[RangeText, typer.Option(
        "--target-gwh", help="Targets to plan for, START:STOP:STEP [GWh/yr], e.g. 200:600:25.")] = None,
    param: Annotated[Optional[str], typer.Option(
        "--param", help="Scenario key to sweep, e.g. lik.veenontginning.max_turbines.")] = None,
    values: Annotated[RangeText, typer.Option("--values", help="Values of --param, START:STOP:STEP.")] = None,
    csv_path: Annotated[Optional[Path], typer.Option("--csv", help="Write one row per point as CSV.")] = None,
    png: Annotated[Optional[Path], typer.Option("--png", help="Write a chart of cost and land use (PNG).")] = None,
    workers: Annotated[Optional[int], typer.Option(
        "--workers", help="Worker processes here (default: CPUs, at most one per point; 1 = no pool); with "
        "--engine dask and no --scheduler, the workers of the local Dask cluster.")] = None,
    engine: Annotated[str, typer.Option(
        "--engine", help="Where the points are solved: 'local' (a process pool on this computer, no cluster "
        "needed) or 'dask' (a Dask distributed cluster; needs pip install 'energieplanner\\[distributed]').")
    ] = "local",
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", help="With --engine dask: a running Dask scheduler, e.g. tcp://10.0.0.5:8786, whose workers "
        "have this energieplanner installed (default: start a local cluster of --workers processes).")] = None,
    connect_timeout: Annotated[float, typer.Option(
        "--connect-timeout", help="With --engine dask: seconds to wait for the scheduler and a first worker.")
    ] = DEFAULT_CONNECT_TIMEOUT_S,
    discount_rate: Annotated[float, typer.Option(
        "--discount-rate", help="Real discount rate for €/MWh [1/yr].")] = DISCOUNT_RATE,
    lifetime_years: Annotated[int, typer.Option(
        "--lifetime-years", help="Economic lifetime for €/MWh [yr].")] = LIFETIME_YEARS,
    year: Annotated[Optional[int], typer.Option(
        "--year", help="Per-year scenarios: the target year the rows report and --target-gwh sets.")] = None,
    districts: Annotated[Optional[Path], typer.Option(
        "--districts", help="Districts for a scenario with [heat] (default: the GeoPackage's 'districts' layer).")] = None,
    solver: SolverOpt = None,
    time_limit: TimeLimitOpt = None,
    force: ForceOpt = False,
    no_color: NoColorOpt = False,
    no_times: Annotated[bool, typer.Option(
        "--no-times", help="Leave solve and wall times out of the table (reproducible output).")] = False,
) -> None:
    """Re-plan over a range of the target (or any scenario value): cost, marginal cost and land use.

    Points run in parallel here, or on a Dask cluster (--engine dask); the rows are the same either way.
    Works on every scenario: with per-year targets each row is the plan as it stands in --year (default
    the last target year) with the objective over all years; [heat] plans the districts at each point.
    """
    from energie.reports.sweep import render_sweep, save_sweep_chart, sweep_csv
    from energie.scenarios.sweep import parse_range, run_sweep, summarise, sweep_engine, sweep_runs
    from energie.scenarios.sweep_local import default_workers
    from sites.writer import check_writable, write_many

    try:
        check_solver_options(solver, time_limit)
        _check_numbers(discount_rate, lifetime_years, workers)
        key, range_text, option = _what_to_sweep(target_gwh, param, values)
        points = parse_range(range_text, option)
        for target in (csv_path, png):
            if target is not None:
                check_writable(target, force)  # before the solves, not after them
        if scheduler is None:
            workers = min(workers, len(points)) if workers is not None else default_workers(len(points))
        t_open = time.perf_counter()
        # the engine first: an unreachable scheduler is reported before a long input load
        with sweep_engine(engine, workers, scheduler, connect_timeout) as solver_engine:
            open_s = time.perf_counter() - t_open
            inputs = load(example, sites, scenario)
            runs = sweep_runs(inputs.sites, inputs.scenario, key, points, solver=solver, time_limit_s=time_limit,
                              districts=heat_districts(inputs, sites, districts), year=year)
            t0 = time.perf_counter()
            with _progress(no_color, len(runs)) as progress:
                results = run_sweep(runs, progress=progress, engine=solver_engine)
            wall_s = open_s + time.perf_counter() - t0  # cluster start and solves, not the input load
        result = summarise(inputs.scenario, key, range_text.strip(), points, results, solver_engine.workers or 1,
                           wall_s, solver, discount_rate, lifetime_years, engine=solver_engine.name, year=year)
        console(no_color).print(render_sweep(result, show_times=not no_times))
        writers = []
        if csv_path is not None:
            text = sweep_csv(result)
            writers.append((csv_path, lambda tmp: tmp.write_text(text, encoding="utf-8")))
        if png is not None:
            writers.append((png, lambda tmp: save_sweep_chart(result, tmp)))
        write_many(writers, force=force)
    except PlannerError as err:
        raise fail(err) from None
    if any(r.status == "error" for r in result.rows):
        raise typer.Exit(1)
