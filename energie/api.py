"""The Python API for notebooks and scripts: ``energie.plan(sites, scenario) -> Plan`` (or ``PhasedPlan``).

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
from models.heat import District
from models.phasing import PhasedPlan
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


def _districts(districts: list[District] | str | Path | None, sites: list[Site] | str | Path,
               scenario: Scenario) -> list[District] | None:
    from sites.districts import read_districts
    from sites.heat_inputs import districts_for_plan

    if scenario.heat is None:
        if districts:
            raise InputError(f"districts were given but scenario '{scenario.name}' has no [heat] section")
        return None
    if districts is None:
        if not isinstance(sites, (str, Path)):
            raise InputError(f"scenario '{scenario.name}' has a [heat] section: give districts= (a list of "
                             "District, or a GeoPackage/CSV path), or sites as a GeoPackage with a 'districts' layer")
        return districts_for_plan(Path(sites), None)
    if isinstance(districts, (str, Path)):
        return read_districts(districts).districts
    return list(districts)


def plan(sites: list[Site] | str | Path, scenario: Scenario | str | Path | Mapping[str, Any], *,
         districts: list[District] | str | Path | None = None, solver: str | None = None,
         time_limit_s: float | None = None) -> Plan | PhasedPlan:
    """Least-cost plan of ``sites`` (a list of ``Site`` or a GeoPackage path) under ``scenario`` (a
    ``Scenario``, a TOML path or a dict in the TOML's shape), checked independently.

    Any scenario: one plan year gives a ``Plan``; per-year targets a ``PhasedPlan`` (``.periods[k].plan``
    per target year); ``[municipalities]`` adds each municipality's rows; ``[heat]`` plans the
    ``districts`` too (a list of ``District``, a GeoPackage/CSV path, or, when left out, the sites
    GeoPackage's ``districts`` layer). ``solver`` (``"cbc"``/``"highs"``) and ``time_limit_s`` override
    the scenario's solver settings. Raises ``InputError`` for bad inputs and ``SolverError`` when the
    solver fails."""
    from energie.planner.pipeline import run_plan

    scen = _scenario(scenario)
    site_list = _sites(sites)
    return run_plan(site_list, scen, _districts(districts, sites, scen), solver=solver, time_limit_s=time_limit_s)


def example(name: str) -> tuple[list[Site], Scenario]:
    """A built-in example's sites (with landscape types) and scenario, e.g. ``"hardenberg"``."""
    from sites.inputs import example_inputs

    inputs = example_inputs(name)
    return inputs.sites, inputs.scenario
