"""``energie`` command: plan, example, validate."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from cli.common import (
    ExampleOpt, ForceOpt, NoColorOpt, ScenarioOpt, SitesOpt, SolverOpt, TimeLimitOpt, app,
    check_solver_options, console, fail, load, print_error,
)
from cli.common import heat_districts as heat_districts_of
from cli.outputs import AppendOpt, HtmlOpt, MapOpt, OutputFiles, RunNameOpt, TilesOpt, XlsxOpt, write_outputs
from cli.planning import run_plan
from models import InputError, PlannerError, PlanStatus

@app.command()
def plan(
    ctx: typer.Context,
    example: ExampleOpt = None,
    sites: SitesOpt = None,
    scenario: ScenarioOpt = None,
    out: Annotated[Optional[Path], typer.Option(
        "--out", help="Write the plan as a GeoPackage (layers + runs table; open it in QGIS).")] = None,
    json_path: Annotated[Optional[Path], typer.Option("--json", help="Write the plan as JSON.")] = None,
    map_path: MapOpt = None,
    html: HtmlOpt = None,
    xlsx: XlsxOpt = None,
    districts: Annotated[Optional[Path], typer.Option(
        "--districts", help="Districts for a scenario with [heat] (default: the GeoPackage's 'districts' layer).")] = None,
    solver: SolverOpt = None,
    time_limit: TimeLimitOpt = None,
    append: AppendOpt = False,
    run_name: RunNameOpt = None,
    tiles: TilesOpt = "none",
    force: ForceOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Find the least-cost plan that meets the targets under the landscape rules.

    A scenario with per-year targets ([targets.2030], [targets.2050], ...) gets a phased plan; a
    scenario with a [heat] section plans the districts' heat strategies together with the sites."""
    files = OutputFiles(out=out, json_path=json_path, map_path=map_path, html=html, xlsx=xlsx, tiles=tiles,
                        append=append, run_name=run_name, force=force, context=ctx)
    try:
        check_solver_options(solver, time_limit)
        files.check([p for p in (sites, scenario, districts) if p is not None])
        inputs = load(example, sites, scenario)
        planned = run_plan(inputs, sites, districts, solver, time_limit)
        console(no_color).print(planned.render(planned.result))
        write_outputs(files, planned.result, inputs, render=planned.render, to_json=planned.to_json,
                      layers=planned.layers, districts=districts if planned.has_heat else None)
        status = planned.result.status
    except PlannerError as err:
        raise fail(err) from None
    if status is PlanStatus.SHORTFALL:
        raise typer.Exit(1)


@app.command()
def example(
    name: Annotated[str, typer.Argument(help="Example name, e.g. 'hardenberg'.")],
    directory: Annotated[Path, typer.Option("--dir", help="Folder to write sites.gpkg and scenario.toml to.")],
    force: ForceOpt = False,
) -> None:
    """Write a built-in example as DIR/sites.gpkg + DIR/scenario.toml (open it in QGIS)."""
    from sites.catalog import write_example

    try:
        sites_path, scenario_path = write_example(name, directory, force=force)
    except PlannerError as err:
        raise fail(err) from None
    heat_path = scenario_path.with_name("scenario-warmte.toml")
    horizon_path = scenario_path.with_name("scenario-2030-2050.toml")
    extra = f" (+ {heat_path}: the scenario with [heat], districts in the GeoPackage)" if heat_path.is_file() else ""
    if horizon_path.is_file():
        extra += f" (+ {horizon_path}: 2030 and 2050 targets with [heat], one plan over both years)"
    console().print(Text(f"wrote {sites_path} and {scenario_path}{extra}"))


@app.command()
def validate(example: ExampleOpt = None, sites: SitesOpt = None, scenario: ScenarioOpt = None,
             districts: Annotated[Optional[Path], typer.Option(
                 "--districts", help="Districts for a scenario with [heat] (default: the GeoPackage's "
                 "'districts' layer).")] = None) -> None:
    """Check inputs and list every problem found, without solving (the planning data are prepared as
    for a plan, so what `plan` would refuse is refused here too)."""
    from energie.facts.presolve import consistency_warnings, inventory_lines
    from sites.inputs import PlanningInputs, load_sites
    from sites.reader import read_scenario

    out = console()
    try:
        if example or not (sites and scenario):
            inputs = load(example, sites, scenario)
        else:
            # check the scenario and the sites independently, so one report lists both
            errors: list[InputError] = []
            try:
                scen = read_scenario(scenario)
            except InputError as found:
                errors.append(found)
            try:
                site_list, landscape = load_sites(sites)
            except InputError as found:
                errors.append(found)
            if errors:
                for err in errors[:-1]:
                    print_error(err)
                raise errors[-1]
            inputs = PlanningInputs(site_list, scen, landscape)
        from energie.model.horizon import prepare_horizon

        heat_districts = heat_districts_of(inputs, sites, districts)
        prepare_horizon(inputs.sites, inputs.scenario, heat_districts)  # what only the prepared data show
    except PlannerError as err:
        raise fail(err) from None
    out.print(Text(f"inputs are valid: {len(inputs.sites)} sites, scenario '{inputs.scenario.name}'"))
    for line in inventory_lines(inputs.sites, inputs.scenario):
        out.print(Text(f"  {line}"), soft_wrap=True)
    for w in consistency_warnings(inputs.sites, inputs.scenario):
        out.print(Text(f"  warning: {w}"), soft_wrap=True)
    if inputs.scenario.heat is not None:
        gas_mm3 = sum(d.gas_m3 for d in heat_districts) / 1e6
        dwellings = sum(d.dwellings for d in heat_districts)
        out.print(Text(f"  districts ([heat]): {len(heat_districts)}, {dwellings:,} dwellings, "
                       f"{gas_mm3:,.2f} million m³ natural gas/yr"), soft_wrap=True)


import cli.whatif  # noqa: E402,F401  (registers the what-if commands)
import cli.sweep  # noqa: E402,F401
import cli.alternatives  # noqa: E402,F401
import cli.explain  # noqa: E402,F401
import cli.heat  # noqa: E402,F401
import cli.candidates  # noqa: E402,F401
import cli.region  # noqa: E402,F401
import cli.report  # noqa: E402,F401


def main() -> None:
    """Console-script entry point: no traceback for anything we did not foresee either."""
    try:
        app()
    except Exception as err:  # a bug, not bad input: short message unless debugging
        if os.environ.get("ENERGIE_DEBUG"):
            raise
        print(f"internal error: {type(err).__name__}: {err}\n"
              "This is a bug in energieplanner; rerun with ENERGIE_DEBUG=1 and report the traceback.",
              file=sys.stderr)
        sys.exit(3)


if __name__ == "__main__":
    main()
