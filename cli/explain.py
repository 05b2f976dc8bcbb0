"""``energie explain``: the price of each binding rule and of the target."""

from __future__ import annotations

from cli.common import (
    ExampleOpt, NoColorOpt, ScenarioOpt, SitesOpt, SolverOpt, TimeLimitOpt, app, check_solver_options,
    console, fail, load,
)
from models import PlannerError


@app.command()
def explain(
    example: ExampleOpt = None,
    sites: SitesOpt = None,
    scenario: ScenarioOpt = None,
    solver: SolverOpt = None,
    time_limit: TimeLimitOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """The price of landscape protection: what each binding rule costs, by re-solving without it."""
    from energie.reports.explain import render_explanation
    from energie.scenarios.explain import explain as run_explain

    try:
        check_solver_options(solver, time_limit)
        inputs = load(example, sites, scenario)
        result = run_explain(inputs.sites, inputs.scenario, solver=solver, time_limit_s=time_limit)
    except PlannerError as err:
        raise fail(err) from None
    console(no_color).print(render_explanation(result))
