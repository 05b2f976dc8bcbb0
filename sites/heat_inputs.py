"""Inputs of a heat plan: districts (real buurt data, our own table or an example), the scenario
with its ``[heat]`` section, and optionally the sites to plan with them."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from models import InputError, Scenario, Site
from models.heat import District
from sites.calibration import calibrate_to_municipality
from sites.catalog import example_heat_text
from sites.districts import (
    districts_from_frame,
    read_districts,
)
from sites.reader import read_scenario
from sites.scenario_io import scenario_from_dict

#: The scenario ``energie heat`` uses without --scenario: Hardenberg's goals (20 % less gas in
#: homes by 2030, every home aardgasvrij by 2050) with the default strategies.
DEFAULT_HEAT_SCENARIO = {"name": "aardgasvrij", "description": "20 % less gas by 2030, aardgasvrij by 2050",
                         "heat": {"gas_saved_share": {2030: 0.2, 2050: 1.0}}}
DISTRICTS_LAYER = "districts"


@dataclass(frozen=True)
class HeatInputs:
    """Validated sites (may be empty), districts and a scenario with ``[heat]``, plus notes."""

    sites: list[Site]
    districts: list[District]
    scenario: Scenario
    messages: list[str] = field(default_factory=list)


def example_districts(name: str) -> list[District]:
    """The example's districts (``sites/catalog/<name>_districts.py``)."""
    import importlib

    module = importlib.import_module(f"sites.catalog.{name}_districts")
    return districts_from_frame(module.build_districts(), f"example '{name}' (layer 'districts')").districts


def example_heat_inputs(name: str) -> HeatInputs:
    """Sites, districts and the coupled scenario of a built-in example."""
    from sites.inputs import example_inputs

    scenario = scenario_from_dict(tomllib.loads(example_heat_text(name)), f"example '{name}'")
    return HeatInputs(example_inputs(name).sites, example_districts(name), scenario)


def _without_electricity(scenario: Scenario, messages: list[str]) -> Scenario:
    if scenario.targets.electricity_gwh is None:
        return scenario
    messages.append("no --sites: the scenario's electricity target is left out (heat only); give --sites "
                    "to plan sites and districts together")
    return scenario.model_copy(update={"targets": type(scenario.targets)()})


def load_heat_inputs(districts_path: Path, gemeente: str | None, calibrate_to: Path | None,
                     scenario_path: Path | None, sites_path: Path | None) -> HeatInputs:
    """Districts from a file (optionally one gemeente, optionally calibrated to ETLocal 2023), the
    scenario (``DEFAULT_HEAT_SCENARIO`` when none is given) and the sites when given."""
    from sites.inputs import load_sites

    ds = read_districts(districts_path, gemeente)
    if calibrate_to is not None:
        assert gemeente is not None
        ds = calibrate_to_municipality(ds, calibrate_to, gemeente)
    messages = list(ds.messages)
    if scenario_path is None:
        scenario = scenario_from_dict(DEFAULT_HEAT_SCENARIO, "the default heat scenario")
    else:
        scenario = read_scenario(scenario_path)
        if scenario.heat is None:
            raise InputError("the scenario has no [heat] section; add one, e.g. [heat] with "
                             "gas_saved_share = { 2030 = 0.2, 2050 = 1.0 }", source=str(scenario_path))
    sites: list[Site] = []
    if sites_path is not None:
        sites, _ = load_sites(sites_path)
    else:
        scenario = _without_electricity(scenario, messages)
    return HeatInputs(sites, ds.districts, scenario, messages)


def districts_for_plan(sites_path: Path, districts_path: Path | None) -> list[District]:
    """Districts for ``energie plan`` with a ``[heat]`` scenario: ``--districts`` or the sites
    GeoPackage's ``districts`` layer."""
    import pyogrio

    if districts_path is not None:
        return read_districts(districts_path).districts
    layers = [str(n) for n, _ in pyogrio.list_layers(sites_path)]
    if DISTRICTS_LAYER not in layers:
        raise InputError("the scenario has a [heat] section but the GeoPackage has no 'districts' layer; add "
                         "one or give --districts FILE", source=str(sites_path))
    return read_districts(sites_path).districts
