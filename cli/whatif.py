"""What-if command: re-plan with edits and compare with the baseline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cli.common import (
    ExampleOpt, NoColorOpt, ScenarioOpt, SitesOpt, SolverOpt, TimeLimitOpt, app, check_solver_options,
    console, fail, heat_districts, load,
)
from models import PlannerError, PlanStatus

ListOpt = Optional[list[str]]


@app.command()
def whatif(
    example: ExampleOpt = None,
    sites: SitesOpt = None,
    scenario: ScenarioOpt = None,
    target_gwh: Annotated[Optional[float], typer.Option("--target-gwh", help="New target [GWh/yr].")] = None,
    target_scale: Annotated[Optional[float], typer.Option(
        "--target-scale", help="Multiply the target, e.g. 2.0 for the 2050 'double task'.")] = None,
    drop: Annotated[ListOpt, typer.Option("--drop", help="Site id to lock out (repeatable).")] = None,
    forbid_lik: Annotated[ListOpt, typer.Option(
        "--forbid-lik", help="Landscape type that takes no new fields or turbines (repeatable).")] = None,
    forbid_kind: Annotated[ListOpt, typer.Option(
        "--forbid-kind", help="Kind that may not be built anywhere (repeatable).")] = None,
    assignments: Annotated[ListOpt, typer.Option(
        "--set", help="Scenario key=value, e.g. lik.veenontginning.max_turbines=6 (repeatable).")] = None,
    overlays: Annotated[ListOpt, typer.Option("--overlay", help="TOML overlay file (repeatable).")] = None,
    year: Annotated[Optional[int], typer.Option(
        "--year", help="Per-year scenarios: the target year --target-gwh / --target-scale apply to.")] = None,
    districts: Annotated[Optional[Path], typer.Option(
        "--districts", help="Districts for a scenario with [heat] (default: the GeoPackage's 'districts' layer).")] = None,
    solver: SolverOpt = None,
    time_limit: TimeLimitOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """Re-plan with changed targets, dropped sites or tighter rules, and compare with the baseline.

    Works on every scenario: per-year targets (compared year by year; --target-scale scales every year
    and every municipality's share unless --year names one), [municipalities] and [heat]."""
    from energie.reports.compare import render_comparison
    from energie.scenarios.whatif import WhatIf, run_whatif

    edits = WhatIf(overlays=overlays or [], assignments=assignments or [], forbid_lik=forbid_lik or [],
                   forbid_kind=forbid_kind or [], target_gwh=target_gwh, target_scale=target_scale,
                   drop=drop or [], year=year)
    try:
        check_solver_options(solver, time_limit)
        if edits.is_empty():
            from models import InputError

            raise InputError("give at least one change: --target-gwh, --target-scale, --drop, --forbid-lik, "
                             "--forbid-kind, --set or --overlay")
        inputs = load(example, sites, scenario)
        district_list = heat_districts(inputs, sites, districts)
        comparison = run_whatif(inputs.sites, inputs.scenario, edits, solver=solver, time_limit_s=time_limit,
                                districts=district_list)
    except PlannerError as err:
        raise fail(err) from None
    console(no_color).print(render_comparison(comparison, edits.describe()))
    if comparison.variant.status is PlanStatus.SHORTFALL:
        raise typer.Exit(1)
