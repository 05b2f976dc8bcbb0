"""``energie report``: plan, compare what-ifs, and write the results to share."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cli.common import (
    ExampleOpt, ForceOpt, NoColorOpt, ScenarioOpt, SitesOpt, SolverOpt, TimeLimitOpt, app, check_solver_options,
    console, fail, load,
)
from cli.outputs import (
    AppendOpt, HtmlOpt, MapOpt, OutputFiles, RunNameOpt, TilesOpt, Variant, XlsxOpt, write_outputs,
)
from cli.planning import run_plan
from models import InputError, PlannerError, PlanStatus


@app.command()
def report(
    ctx: typer.Context,
    example: ExampleOpt = None,
    sites: SitesOpt = None,
    scenario: ScenarioOpt = None,
    whatif: Annotated[Optional[list[str]], typer.Option(
        "--whatif", help="A what-if to compare, e.g. 'target-scale=2' or 'forbid-lik=beekdal; drop=ZV-03' "
                         "(keys: target-gwh, target-scale, drop, forbid-lik, forbid-kind, set, overlay); "
                         "repeatable, one section each.")] = None,
    html: HtmlOpt = None,
    xlsx: XlsxOpt = None,
    map_path: MapOpt = None,
    out: Annotated[Optional[Path], typer.Option(
        "--out", help="Write the plan and every what-if as runs in a GeoPackage (open it in QGIS).")] = None,
    json_path: Annotated[Optional[Path], typer.Option("--json", help="Write the plan as JSON.")] = None,
    districts: Annotated[Optional[Path], typer.Option(
        "--districts", help="Districts for a scenario with [heat] (default: the GeoPackage's 'districts' layer).")] = None,
    tiles: TilesOpt = "none",
    append: AppendOpt = False,
    run_name: RunNameOpt = None,
    solver: SolverOpt = None,
    time_limit: TimeLimitOpt = None,
    force: ForceOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Plan, compare what-ifs, print the report and write it to share: --html (one self-contained page
    with maps and sortable tables), --xlsx, --map (PNG) and --out (GeoPackage with a runs table)."""
    from energie.reports.compare import render_comparison
    from energie.scenarios.compare import HorizonComparison
    from energie.scenarios.whatif import compare_variant, parse_whatif

    files = OutputFiles(out=out, json_path=json_path, map_path=map_path, html=html, xlsx=xlsx, tiles=tiles,
                        append=append, run_name=run_name, force=force, context=ctx)
    out_console = console(no_color)
    try:
        check_solver_options(solver, time_limit)
        edits = [(text, parse_whatif(text)) for text in whatif or []]
        files.check([p for p in (sites, scenario, districts) if p is not None])
        inputs = load(example, sites, scenario)
        planned = run_plan(inputs, sites, districts, solver, time_limit)
        out_console.print(planned.render(planned.result))
        variants = []
        for text, edit in edits:
            comparison, variant_sites = compare_variant(planned.result, inputs.sites, inputs.scenario, edit,
                                                        solver=solver, time_limit_s=time_limit,
                                                        districts=planned.districts)
            rendered = render_comparison(comparison, edit.describe())
            out_console.print(rendered)
            # a plan over several years is shared as it stands in its last year (as the main plan is)
            shown = (comparison.variant.periods[-1].plan if isinstance(comparison, HorizonComparison)
                     else comparison.variant)
            variants.append(Variant(f"What if: {edit.describe()}", rendered, shown, variant_sites))
        write_outputs(files, planned.result, inputs, render=planned.render, to_json=planned.to_json,
                      layers=planned.layers, variants=variants, districts=districts if planned.has_heat else None)
        for flag, path in files.named():
            out_console.print(f"wrote {path} ({flag})", highlight=False, markup=False)
        status = planned.result.status
    except PlannerError as err:
        raise fail(err) from None
    if status is PlanStatus.SHORTFALL:
        raise typer.Exit(1)
