"""``energie`` command: plan, example, validate."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.text import Text

from models import InputError, PlannerError, PlanStatus
from sites.inputs import PlanningInputs

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="energieplanner: where renewable energy goes, under landscape (LIK) rules.",
    pretty_exceptions_enable=False,
)

ExampleOpt = Annotated[Optional[str], typer.Option("--example", help="Built-in example, e.g. 'hardenberg'.")]
SitesOpt = Annotated[Optional[Path], typer.Option("--sites", help="GeoPackage with layers 'sites' (+ 'landscape').")]
ScenarioOpt = Annotated[Optional[Path], typer.Option("--scenario", help="Scenario TOML file.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite existing output files.")]


def _console(no_color: bool = False, stderr: bool = False) -> Console:
    return Console(stderr=stderr, no_color=no_color or bool(os.environ.get("NO_COLOR")),
                   width=None if sys.stdout.isatty() else 100, highlight=False)


def _print_error(err: PlannerError) -> None:
    kind = "input error" if isinstance(err, InputError) else "error"
    # plain Text: paths and rule names such as run[v2] or [targets] are not markup
    message = Text(f"{kind}: ", style="bold red") + Text(str(err))
    _console(stderr=True).print(message, soft_wrap=True)


def _fail(err: PlannerError) -> typer.Exit:
    _print_error(err)
    return typer.Exit(err.exit_code)


def _load(example: str | None, sites: Path | None, scenario: Path | None) -> PlanningInputs:
    from sites.inputs import example_inputs, load_inputs

    if example and (sites or scenario):
        raise InputError("give either --example or --sites with --scenario, not both")
    if example:
        return example_inputs(example)
    if not (sites and scenario):
        raise InputError("give --example NAME, or both --sites FILE.gpkg and --scenario FILE.toml")
    return load_inputs(sites, scenario)


@app.command()
def plan(
    example: ExampleOpt = None,
    sites: SitesOpt = None,
    scenario: ScenarioOpt = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write the plan as a GeoPackage.")] = None,
    json_path: Annotated[Optional[Path], typer.Option("--json", help="Write the plan as JSON.")] = None,
    solver: Annotated[Optional[str], typer.Option("--solver", help="cbc or highs (default: scenario).")] = None,
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", help="Solver time limit [s].")] = None,
    force: ForceOpt = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="Plain text report.")] = False,
) -> None:
    """Find the least-cost plan that meets the targets under the landscape rules."""
    from energie.export import plan_layers, plan_to_json
    from energie.optimise import plan_inputs
    from energie.report import render_plan
    from sites.writer import check_writable, write_gpkg, write_json

    try:
        if solver and solver not in ("cbc", "highs"):
            raise InputError(f"--solver must be 'cbc' or 'highs' (got '{solver}')")
        if time_limit is not None and not time_limit > 0:
            raise InputError(f"--time-limit must be a number of seconds above 0 (got {time_limit})")
        for target in (out, json_path):
            if target is not None:
                check_writable(target, force)
        inputs = _load(example, sites, scenario)
        result = plan_inputs(inputs, solver=solver, time_limit_s=time_limit)
        _console(no_color).print(render_plan(result))
        if json_path:
            write_json(json_path, plan_to_json(result), force=force)
        if out:
            write_gpkg(out, plan_layers(result, inputs.sites), force=force)
    except PlannerError as err:
        raise _fail(err) from None
    if result.status is PlanStatus.SHORTFALL:
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
        raise _fail(err) from None
    _console().print(Text(f"wrote {sites_path} and {scenario_path}"))


@app.command()
def validate(example: ExampleOpt = None, sites: SitesOpt = None, scenario: ScenarioOpt = None) -> None:
    """Check inputs and list every problem found, without solving."""
    from energie.presolve import consistency_warnings, inventory_lines
    from sites.inputs import PlanningInputs, load_sites
    from sites.reader import read_scenario

    console = _console()
    try:
        if example or not (sites and scenario):
            inputs = _load(example, sites, scenario)
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
                    _print_error(err)
                raise errors[-1]
            inputs = PlanningInputs(site_list, scen, landscape)
    except PlannerError as err:
        raise _fail(err) from None
    console.print(Text(f"inputs are valid: {len(inputs.sites)} sites, scenario '{inputs.scenario.name}'"))
    for line in inventory_lines(inputs.sites, inputs.scenario):
        console.print(Text(f"  {line}"), soft_wrap=True)
    for w in consistency_warnings(inputs.sites, inputs.scenario):
        console.print(Text(f"  warning: {w}"), soft_wrap=True)


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
