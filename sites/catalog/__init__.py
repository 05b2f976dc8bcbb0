"""Built-in example datasets, written by the project (see each example's README).

Each example is a Python module that builds a ``sites`` and a ``landscape``
GeoDataFrame in EPSG:28992, plus a scenario TOML file beside it.
"""

from __future__ import annotations

import importlib
from importlib import resources
from pathlib import Path

import geopandas as gpd

from models import InputError

EXAMPLES: tuple[str, ...] = ("hardenberg",)


def _check(name: str) -> str:
    if name not in EXAMPLES:
        raise InputError(f"unknown example '{name}'; available: {', '.join(EXAMPLES)}")
    return name


def example_frames(name: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The example's ``sites`` and ``landscape`` layers."""
    module = importlib.import_module(f"sites.catalog.{_check(name)}")
    return module.build_sites(), module.build_landscape()


def example_scenario_text(name: str) -> str:
    """The example's scenario TOML text."""
    return resources.files("sites.catalog").joinpath(f"{_check(name)}.toml").read_text(encoding="utf-8")


def example_heat_text(name: str) -> str:
    """The example's scenario TOML with its ``[heat]`` section appended."""
    heat = resources.files("sites.catalog").joinpath(f"{name}_heat.toml")
    if not heat.is_file():
        raise InputError(f"example '{name}' has no districts")
    return example_scenario_text(name) + heat.read_text(encoding="utf-8")


def example_horizon_text(name: str) -> str:
    """The example's scenario with per-year targets (``{name}_horizon.toml``) instead of its one plan
    year, and its ``[heat]`` section: the whole question (2030 and 2050, sites and districts)."""
    horizon = resources.files("sites.catalog").joinpath(f"{name}_horizon.toml")
    if not horizon.is_file():
        raise InputError(f"example '{name}' has no per-year targets")
    lines = example_heat_text(name).splitlines(keepends=True)
    start = next(k for k, line in enumerate(lines) if line.strip() == "[targets]")
    end = next(k for k in range(start + 1, len(lines)) if lines[k].startswith("["))
    body = [line for line in lines[:start] if not line.startswith(("name =", "description ="))]
    head = [f'name = "{name}-2030-2050"\n',
            f'description = "{name.capitalize()} 2030 and 2050 with aardgasvrij districts: one plan over both '
            'target years (illustrative sites)"\n\n']
    first = body[0].replace("plan year 2030", "target years 2030 and 2050, with [heat]")
    return "".join([first] + head + body[1:] + [horizon.read_text(encoding="utf-8"), "\n"] + lines[end:])


def write_example(name: str, directory: str | Path, force: bool = False) -> tuple[Path, Path]:
    """Write ``DIR/sites.gpkg`` and ``DIR/scenario.toml`` for the example; return both paths.

    An example with districts also gets a ``districts`` layer and ``DIR/scenario-warmte.toml`` (the
    scenario with its ``[heat]`` section), for ``energie plan --scenario DIR/scenario-warmte.toml``; one
    with per-year targets ``DIR/scenario-2030-2050.toml`` (2030 and 2050 targets and ``[heat]``)."""
    from sites.writer import check_writable, write_gpkg, write_text

    _check(name)
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise InputError("--dir is a file, not a folder; give a folder name", source=str(directory))
    directory.mkdir(parents=True, exist_ok=True)
    sites_path, scenario_path = directory / "sites.gpkg", directory / "scenario.toml"
    for p in (sites_path, scenario_path):
        check_writable(p, force)
    sites, landscape = example_frames(name)
    layers = {"sites": sites, "landscape": landscape}
    heat_path, horizon_path = directory / "scenario-warmte.toml", directory / "scenario-2030-2050.toml"
    has_heat = resources.files("sites.catalog").joinpath(f"{name}_heat.toml").is_file()
    has_horizon = has_heat and resources.files("sites.catalog").joinpath(f"{name}_horizon.toml").is_file()
    if has_heat:
        check_writable(heat_path, force)
    if has_horizon:
        check_writable(horizon_path, force)
        layers["districts"] = importlib.import_module(f"sites.catalog.{name}_districts").build_districts()
    write_gpkg(sites_path, layers, force=force)
    write_text(scenario_path, example_scenario_text(name), force=force)
    if has_heat:
        write_text(heat_path, example_heat_text(name), force=force)
    if has_horizon:
        write_text(horizon_path, example_horizon_text(name), force=force)
    return sites_path, scenario_path
