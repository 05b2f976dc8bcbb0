"""What every command shares: the Typer app, consoles, error handling, input loading."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.text import Text

from models import InputError, PlannerError
from models.heat import District
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
SolverOpt = Annotated[Optional[str], typer.Option("--solver", help="cbc or highs (default: scenario).")]
TimeLimitOpt = Annotated[Optional[float], typer.Option("--time-limit", help="Solver time limit [s].")]
NoColorOpt = Annotated[bool, typer.Option("--no-color", help="Plain text report.")]


def console(no_color: bool = False, stderr: bool = False) -> Console:
    """A console that is 100 columns wide when not on a terminal (files, pipes, CI)."""
    return Console(stderr=stderr, no_color=no_color or bool(os.environ.get("NO_COLOR")),
                   width=None if sys.stdout.isatty() else 100, highlight=False)


def print_error(err: PlannerError) -> None:
    kind = "input error" if isinstance(err, InputError) else "error"
    # plain Text: paths and rule names such as run[v2] or [targets] are not markup
    message = Text(f"{kind}: ", style="bold red") + Text(str(err))
    console(stderr=True).print(message, soft_wrap=True)


def fail(err: PlannerError) -> typer.Exit:
    print_error(err)
    return typer.Exit(err.exit_code)


def check_solver_options(solver: str | None, time_limit: float | None) -> None:
    if solver and solver not in ("cbc", "highs"):
        raise InputError(f"--solver must be 'cbc' or 'highs' (got '{solver}')")
    if time_limit is not None and not time_limit > 0:
        raise InputError(f"--time-limit must be a number of seconds above 0 (got {time_limit})")


def load(example: str | None, sites: Path | None, scenario: Path | None) -> PlanningInputs:
    """Inputs from a built-in example or from files."""
    from sites.inputs import example_inputs, load_inputs

    if example and (sites or scenario):
        raise InputError("give either --example or --sites with --scenario, not both")
    if example:
        return example_inputs(example)
    if not (sites and scenario):
        raise InputError("give --example NAME, or both --sites FILE.gpkg and --scenario FILE.toml")
    return load_inputs(sites, scenario)


def heat_districts(inputs: PlanningInputs, sites: Path | None, districts: Path | None) -> list[District]:
    """The districts of a scenario with ``[heat]`` (``--districts`` or the GeoPackage's layer); none else."""
    if inputs.scenario.heat is None:
        return []
    from sites.heat_inputs import districts_for_plan

    if sites is None:
        raise InputError("a scenario with [heat] needs --sites (a GeoPackage with a 'districts' layer) or "
                         "--districts FILE; the built-in examples' scenarios have no [heat]")
    return districts_for_plan(sites, districts)
