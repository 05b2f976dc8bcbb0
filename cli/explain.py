"""``energie explain``: the price of each binding rule and of the target."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cli.common import (
    ExampleOpt, NoColorOpt, ScenarioOpt, SitesOpt, SolverOpt, TimeLimitOpt, app, check_solver_options,
    console, fail, heat_districts, load,
)
from models import PlannerError


@app.command()
def explain(
    example: ExampleOpt = None,
    sites: SitesOpt = None,
    scenario: ScenarioOpt = None,
    solver: SolverOpt = None,
    time_limit: TimeLimitOpt = None,
    districts: Annotated[Optional[Path], typer.Option(
        "--districts", help="Districts for a scenario with [heat] (default: the GeoPackage's 'districts' layer).")] = None,
    no_color: NoColorOpt = False,
) -> None:
    """The price of landscape protection: what each binding rule costs, by re-solving without it.

    Works on every scenario: per-year targets (each municipality's share and the target priced per
    year), [municipalities] and [heat] (the districts are re-planned with every relaxation)."""
    from energie.reports.explain import render_explanation
    from energie.scenarios.explain import explain as run_explain

    try:
        check_solver_options(solver, time_limit)
        inputs = load(example, sites, scenario)
        result = run_explain(inputs.sites, inputs.scenario, solver=solver, time_limit_s=time_limit,
                             districts=heat_districts(inputs, sites, districts))
    except PlannerError as err:
        raise fail(err) from None
    console(no_color).print(render_explanation(result))
