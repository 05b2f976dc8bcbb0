"""Plan the loaded inputs the way the scenario asks (single year, phased, or with [heat])."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sites.inputs import PlanningInputs


@dataclass(frozen=True)
class Planned:
    """A plan (or phased plan) with how to render, serialise and lay it out."""

    result: Any
    render: Callable[[Any], object]
    to_json: Callable[[Any], dict[str, Any]]
    layers: Callable[[Any, list[Any]], dict[str, Any]]
    has_heat: bool = False


def run_plan(inputs: PlanningInputs, sites: Path | None, districts: Path | None, solver: str | None,
             time_limit: float | None) -> Planned:
    from energie.heat_optimise import plan_with_heat
    from energie.optimise import plan_inputs
    from energie.phasing import plan_phased
    from energie.reports.export import heat_layers, plan_layers, plan_to_json
    from energie.reports.phasing import phased_plan_layers, phased_plan_to_json, render_phased_plan
    from energie.reports.terminal import render_plan
    from sites.heat_inputs import districts_for_plan

    if inputs.scenario.heat is not None:
        assert sites is not None  # the built-in examples' plan scenarios have no [heat]
        district_list = districts_for_plan(sites, districts)
        result = plan_with_heat(inputs.sites, district_list, inputs.scenario, solver=solver, time_limit_s=time_limit)
        return Planned(result, render_plan, plan_to_json,
                       lambda p, s: {**plan_layers(p, s), **heat_layers(p, district_list)}, has_heat=True)
    if inputs.scenario.targets.is_phased:
        phased = plan_phased(inputs.sites, inputs.scenario, solver=solver, time_limit_s=time_limit)
        return Planned(phased, render_phased_plan, phased_plan_to_json, phased_plan_layers)
    result = plan_inputs(inputs, solver=solver, time_limit_s=time_limit)
    return Planned(result, render_plan, plan_to_json, plan_layers)
