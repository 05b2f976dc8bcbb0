"""Plan the loaded inputs: every scenario (one year or per year, municipalities, heat) by one planner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
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
    #: The districts planned (scenarios with ``[heat]``), for what-ifs on the same inputs.
    districts: list[Any] = field(default_factory=list)


def run_plan(inputs: PlanningInputs, sites: Path | None, districts: Path | None, solver: str | None,
             time_limit: float | None) -> Planned:
    from energie.planner.pipeline import run_plan as plan_any
    from energie.reports.export import heat_layers, plan_layers, plan_to_json
    from energie.reports.horizon import horizon_layers, horizon_to_json, render_horizon
    from energie.reports.terminal import render_plan
    from models import Plan
    from cli.common import heat_districts

    district_list = heat_districts(inputs, sites, districts)
    result = plan_any(inputs.sites, inputs.scenario, district_list, solver=solver, time_limit_s=time_limit)
    has_heat = inputs.scenario.heat is not None
    if isinstance(result, Plan):
        return Planned(result, render_plan, plan_to_json,
                       lambda p, s: {**plan_layers(p, s), **heat_layers(p, district_list)}, has_heat=has_heat,
                       districts=district_list)
    return Planned(result, render_horizon, horizon_to_json,
                   lambda p, s: horizon_layers(p, s, district_list), has_heat=has_heat, districts=district_list)
