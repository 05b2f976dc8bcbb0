"""``energie alternatives``: genuinely different plans within a cost slack of the optimum."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cli.common import (
    ExampleOpt, ForceOpt, NoColorOpt, ScenarioOpt, SitesOpt, SolverOpt, TimeLimitOpt, app, check_solver_options,
    console, fail, heat_districts, load,
)
from models import PlannerError, PlanStatus


@app.command()
def alternatives(
    example: ExampleOpt = None,
    sites: SitesOpt = None,
    scenario: ScenarioOpt = None,
    k: Annotated[int, typer.Option("-k", "--count", help="How many alternatives to look for (1-20).")] = 3,
    slack: Annotated[str, typer.Option(
        "--slack", help="Extra cost allowed over the optimum: a percentage (5%) or a fraction (0.05).")] = "5%",
    json_path: Annotated[Optional[Path], typer.Option("--json", help="Write every plan as JSON.")] = None,
    districts: Annotated[Optional[Path], typer.Option(
        "--districts", help="Districts for a scenario with [heat] (default: the GeoPackage's 'districts' layer).")] = None,
    solver: SolverOpt = None,
    time_limit: TimeLimitOpt = None,
    force: ForceOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Up to k plans within the slack of the optimum that differ from it, and from each other, in as many
    sites as possible (modelling to generate alternatives). Works on every scenario: over several target
    years the plans differ in the sites built over the horizon; [heat] districts are re-planned too."""
    from energie.reports.alternatives import alternatives_to_json, render_alternatives
    from energie.scenarios.alternatives import generate_alternatives, parse_slack
    from sites.writer import check_writable, write_json

    try:
        check_solver_options(solver, time_limit)
        fraction = parse_slack(slack)
        if json_path is not None:
            check_writable(json_path, force)
        inputs = load(example, sites, scenario)
        result = generate_alternatives(inputs.sites, inputs.scenario, k=k, slack=fraction, solver=solver,
                                       time_limit_s=time_limit, districts=heat_districts(inputs, sites, districts))
        console(no_color).print(render_alternatives(result))
        if json_path is not None:
            write_json(json_path, alternatives_to_json(result), force=force)
    except PlannerError as err:
        raise fail(err) from None
    if result.optimum.status is PlanStatus.SHORTFALL:
        raise typer.Exit(1)  # as plan and whatif: the target cannot be met
