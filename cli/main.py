"""``energie`` command: plan, example, validate."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer
from rich.text import Text

from cli.common import (
    ExampleOpt, ForceOpt, NoColorOpt, ScenarioOpt, SitesOpt, SolverOpt, TimeLimitOpt, app,
    check_solver_options, console, fail, load, print_error,
)
from models import InputError, PlannerError, PlanStatus

@app.command()
def plan(
    example: ExampleOpt = None,
    sites: SitesOpt = None,
    scenario: ScenarioOpt = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write the plan as a GeoPackage.")] = None,
    json_path: Annotated[Optional[Path], typer.Option("--json", help="Write the plan as JSON.")] = None,
    districts: Annotated[Optional[Path], typer.Option(
        "--districts", help="Districts for a scenario with [heat] (default: the GeoPackage's 'districts' layer).")] = None,
    solver: SolverOpt = None,
    time_limit: TimeLimitOpt = None,
    force: ForceOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Find the least-cost plan that meets the targets under the landscape rules.

    A scenario with per-year targets ([targets.2030], [targets.2050], ...) gets a phased plan; a
    scenario with a [heat] section plans the districts' heat strategies together with the sites."""
    from energie.export import heat_layers, plan_layers, plan_to_json
    from energie.heat_optimise import plan_with_heat
    from energie.optimise import plan_inputs
    from energie.phasing import plan_phased
    from energie.report import render_plan
    from energie.report_phasing import phased_plan_layers, phased_plan_to_json, render_phased_plan
    from sites.heat_inputs import districts_for_plan
    from sites.writer import check_writable, write_gpkg, write_json

    try:
        check_solver_options(solver, time_limit)
        for target in (out, json_path):
            if target is not None:
                check_writable(target, force)
        inputs = load(example, sites, scenario)
        result: Any
        render: Callable[[Any], Any]
        to_json: Callable[[Any], dict[str, Any]]
        layers: Callable[[Any, list[Any]], dict[str, Any]]
        if inputs.scenario.heat is not None:
            assert sites is not None  # the built-in examples' plan scenarios have no [heat]
            district_list = districts_for_plan(sites, districts)
            result = plan_with_heat(inputs.sites, district_list, inputs.scenario, solver=solver,
                                    time_limit_s=time_limit)
            render, to_json = render_plan, plan_to_json
            layers = lambda p, s: {**plan_layers(p, s), **heat_layers(p, district_list)}  # noqa: E731
        elif inputs.scenario.targets.is_phased:
            result = plan_phased(inputs.sites, inputs.scenario, solver=solver, time_limit_s=time_limit)
            render, to_json, layers = render_phased_plan, phased_plan_to_json, phased_plan_layers
        else:
            result = plan_inputs(inputs, solver=solver, time_limit_s=time_limit)
            render, to_json, layers = render_plan, plan_to_json, plan_layers
        console(no_color).print(render(result))
        if json_path:
            write_json(json_path, to_json(result), force=force)
        if out:
            write_gpkg(out, layers(result, inputs.sites), force=force)
        status = result.status
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
    extra = f" (+ {heat_path}: the scenario with [heat], districts in the GeoPackage)" if heat_path.is_file() else ""
    console().print(Text(f"wrote {sites_path} and {scenario_path}{extra}"))


@app.command()
def validate(example: ExampleOpt = None, sites: SitesOpt = None, scenario: ScenarioOpt = None) -> None:
    """Check inputs and list every problem found, without solving."""
    from energie.presolve import consistency_warnings, inventory_lines
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
    except PlannerError as err:
        raise fail(err) from None
    out.print(Text(f"inputs are valid: {len(inputs.sites)} sites, scenario '{inputs.scenario.name}'"))
    for line in inventory_lines(inputs.sites, inputs.scenario):
        out.print(Text(f"  {line}"), soft_wrap=True)
    for w in consistency_warnings(inputs.sites, inputs.scenario):
        out.print(Text(f"  warning: {w}"), soft_wrap=True)
    if inputs.scenario.heat is not None and sites is not None:
        from sites.heat_inputs import districts_for_plan

        try:
            heat_districts = districts_for_plan(sites, None)
        except PlannerError as err:
            raise fail(err) from None
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
