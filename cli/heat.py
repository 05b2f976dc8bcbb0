"""``energie heat``: which districts leave natural gas, how and when (coupled with the sites)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from cli.common import (
    ExampleOpt, ForceOpt, NoColorOpt, ScenarioOpt, SitesOpt, SolverOpt, TimeLimitOpt, app,
    check_solver_options, console, fail,
)
from models import InputError, PlannerError, PlanStatus

BuurtenOpt = Annotated[Optional[Path], typer.Option(
    "--buurten", "--districts",
    help="Districts: the ETLocal/CBS buurt CSV, or a district CSV/GeoPackage (see README).")]


@app.command()
def heat(
    example: ExampleOpt = None,
    buurten: BuurtenOpt = None,
    gemeente: Annotated[Optional[str], typer.Option("--gemeente", help="CBS code, e.g. GM0160.")] = None,
    calibrate_to: Annotated[Optional[Path], typer.Option(
        "--calibrate-to", help="ETLocal municipal CSV: scale dwellings and gas to its 2023 totals.")] = None,
    scenario: ScenarioOpt = None,
    sites: SitesOpt = None,
    map_path: Annotated[Optional[Path], typer.Option("--map", help="Write a PNG map of the strategies.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write the plan as a GeoPackage.")] = None,
    json_path: Annotated[Optional[Path], typer.Option("--json", help="Write the plan as JSON.")] = None,
    solver: SolverOpt = None,
    time_limit: TimeLimitOpt = None,
    force: ForceOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Choose each district's heat strategy (all-electric, heat network, green gas) and year.

    Without --scenario: 20 % less gas by 2030 and every home aardgasvrij by 2050, default
    strategies. With --sites and a scenario with an electricity target, sites and districts are
    planned together (heat pumps raise the electricity the sites must deliver)."""
    from energie.planner.plans import plan_with_heat
    from energie.reports.export import heat_layers, plan_layers, plan_to_json
    from energie.reports.heat_map import heat_map_png
    from energie.reports.terminal import render_plan
    from energie.reports.horizon import horizon_layers, horizon_to_json, render_horizon
    from models.phasing import PhasedPlan
    from sites.heat_inputs import example_heat_inputs, load_heat_inputs
    from sites.writer import check_writable, write_gpkg, write_json

    out_console = console(no_color)
    try:
        check_solver_options(solver, time_limit)
        for target in (out, json_path, map_path):
            if target is not None:
                check_writable(target, force)
        if calibrate_to is not None and not gemeente:
            raise InputError("--calibrate-to needs --gemeente (the municipality whose totals to match)")
        if example and (buurten or scenario or sites):
            raise InputError("give either --example or --buurten (with --scenario/--sites), not both")
        if example:
            inputs = example_heat_inputs(example)
        elif buurten is None:
            raise InputError("give --example NAME or --buurten FILE (the ETLocal buurt CSV or a district table)")
        else:
            inputs = load_heat_inputs(buurten, gemeente, calibrate_to, scenario, sites)
        for line in inputs.messages:
            out_console.print(Text(f"note: {line}"), soft_wrap=True)
        result = plan_with_heat(inputs.sites, inputs.districts, inputs.scenario, solver=solver,
                                time_limit_s=time_limit)
        if isinstance(result, PhasedPlan):  # per-year targets: the whole horizon, heat included
            out_console.print(render_horizon(result))
            if json_path:
                write_json(json_path, horizon_to_json(result), force=force)
            if out:
                write_gpkg(out, horizon_layers(result, inputs.sites, inputs.districts), force=force)
        else:
            out_console.print(render_plan(result))
            if json_path:
                write_json(json_path, plan_to_json(result), force=force)
            if out:
                layers = {**(plan_layers(result, inputs.sites) if inputs.sites else {}),
                          **heat_layers(result, inputs.districts)}
                write_gpkg(out, layers, force=force)
        if map_path:
            assert result.heat is not None
            heat_map_png(result.heat, inputs.districts, map_path, f"{inputs.scenario.name}: heat strategies",
                         force=force)
            out_console.print(Text(f"wrote {map_path}"))
    except PlannerError as err:
        raise fail(err) from None
    if result.status is PlanStatus.SHORTFALL:
        raise typer.Exit(1)
