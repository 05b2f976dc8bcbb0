"""The Python API for notebooks and scripts: ``energie.plan(sites, scenario) -> Plan``.

>>> import energie
>>> sites, scenario = energie.example("hardenberg")
>>> p = energie.plan(sites, scenario)
>>> p.status.value, round(p.yield_gwh_total)  # doctest: +SKIP
('optimal', 434)
>>> p.to_geodataframe().explore()  # doctest: +SKIP

Files work too: ``energie.plan("sites.gpkg", "scenario.toml")``. Every plan is re-checked by the
independent checker before it is returned, as on the command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from models import InputError, Plan, Scenario, Site
from models.site import SiteBase


def _scenario(scenario: Scenario | str | Path | Mapping[str, Any]) -> Scenario:
    from sites.scenario_io import read_scenario, scenario_from_dict

    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, (str, Path)):
        return read_scenario(scenario)
    if isinstance(scenario, Mapping):
        return scenario_from_dict(dict(scenario), "scenario (dict)")
    raise InputError(f"scenario must be a Scenario, a TOML file path or a dict (got {type(scenario).__name__})")


def _sites(sites: list[Site] | str | Path) -> list[Site]:
    from sites.inputs import load_sites

    if isinstance(sites, (str, Path)):
        return load_sites(sites)[0]
    sites = list(sites)
    bad = [i for i, s in enumerate(sites) if not isinstance(s, SiteBase)]
    if bad:
        raise InputError(f"sites must be a GeoPackage path or a list of Site objects; item {bad[0]} is a "
                         f"{type(sites[bad[0]]).__name__}")
    return sites


def plan(sites: list[Site] | str | Path, scenario: Scenario | str | Path | Mapping[str, Any], *,
         solver: str | None = None, time_limit_s: float | None = None) -> Plan:
    """Least-cost plan of ``sites`` (a list of ``Site`` or a GeoPackage path) under ``scenario`` (a
    ``Scenario``, a TOML path or a dict in the TOML's shape), checked independently.

    ``solver`` (``"cbc"``/``"highs"``) and ``time_limit_s`` override the scenario's solver settings.
    A scenario with per-year targets needs ``energie.plan_phased``; one with ``[heat]`` needs the
    districts (``energie plan --scenario`` on the command line). Raises ``InputError`` for bad
    inputs and ``SolverError`` when the solver fails."""
    from energie.optimise import plan as optimise_plan

    scen = _scenario(scenario)
    if scen.targets.is_phased:
        raise InputError(f"scenario '{scen.name}' has per-year targets; use energie.plan_phased(sites, scenario)")
    return optimise_plan(_sites(sites), scen, solver=solver, time_limit_s=time_limit_s)


def example(name: str) -> tuple[list[Site], Scenario]:
    """A built-in example's sites (with landscape types) and scenario, e.g. ``"hardenberg"``."""
    from sites.inputs import example_inputs

    inputs = example_inputs(name)
    return inputs.sites, inputs.scenario
