"""One call from files (or frames) to validated planning inputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from models import Scenario, Site
from sites.landscape import assign_lik_types
from sites.reader import (
    RD_NEW,
    SITES_LAYER,
    read_landscape,
    read_municipalities,
    read_scenario,
    read_sites_frame,
    sites_from_frame,
)


@dataclass(frozen=True)
class PlanningInputs:
    """Validated sites (with LIK types) and scenario, plus where they came from."""

    sites: list[Site]
    scenario: Scenario
    landscape: gpd.GeoDataFrame | None = None
    sources: dict[str, str] = field(default_factory=dict)


def _fill_from_polygons(frame: gpd.GeoDataFrame, column: str, polygons: gpd.GeoDataFrame, key: str,
                        missing: str | None) -> None:
    """Fill ``frame[column]`` where it is empty with the ``key`` of the polygon each site stands in
    (``sites.landscape.assign_lik_types``: the polygon holding a point, the largest overlap of a polygon)."""
    if column in frame.columns:
        given = frame[column].astype("object")
        empty = ~(given.notna() & (given.astype(str).str.strip() != "")).to_numpy()
    else:
        given = pd.Series([None] * len(frame), index=frame.index, dtype="object")
        empty = np.ones(len(frame), dtype=bool)
    values = given.tolist()
    rows = np.flatnonzero(empty)
    if len(rows):
        # only the empty rows are looked up: a candidates file has every gemeente filled in already
        computed = assign_lik_types(list(frame.geometry.values[rows]), list(polygons.geometry.values),
                                    list(polygons[key]))
        for r, c in zip(rows.tolist(), computed, strict=True):
            values[r] = missing if c == "onbekend" else c
    frame[column] = values


def enrich_sites(
    sites_frame: gpd.GeoDataFrame, landscape: gpd.GeoDataFrame | None, source: str,
    municipalities: gpd.GeoDataFrame | None = None,
) -> list[Site]:
    """Validate a sites frame and set each site's LIK type (and municipality).

    A non-empty ``lik_type`` in the sites layer is the user's explicit choice and
    wins; otherwise the type comes from the landscape layer (or ``onbekend``). Likewise
    an empty ``gemeente`` comes from the ``municipalities`` layer when there is one.
    """
    frame = sites_frame.copy()
    if landscape is not None and len(landscape):
        _fill_from_polygons(frame, "lik_type", landscape, "lik_type", "onbekend")
    if municipalities is not None and len(municipalities):
        _fill_from_polygons(frame, "gemeente", municipalities, "gemeente", None)
    return sites_from_frame(frame, source)


def load_sites(sites_path: str | Path) -> tuple[list[Site], gpd.GeoDataFrame | None]:
    """Read and validate a GeoPackage's sites (with LIK types) and its landscape layer."""
    frame = read_sites_frame(sites_path)
    landscape = read_landscape(sites_path)
    towns = read_municipalities(sites_path)
    return enrich_sites(frame, landscape, f"{sites_path} (layer '{SITES_LAYER}')", towns), landscape


def load_inputs(sites_path: str | Path, scenario_path: str | Path) -> PlanningInputs:
    """Read a GeoPackage and a scenario TOML into ``PlanningInputs``."""
    scenario = read_scenario(scenario_path)
    sites, landscape = load_sites(sites_path)
    return PlanningInputs(
        sites=sites,
        scenario=scenario,
        landscape=landscape,
        sources={"sites": str(sites_path), "scenario": str(scenario_path), "crs": RD_NEW},
    )


def example_inputs(name: str) -> PlanningInputs:
    """Planning inputs of a built-in example, straight from memory (no files written)."""
    from sites.catalog import example_frames, example_scenario_text
    from sites.scenario_io import scenario_from_dict
    import tomllib

    frame, landscape = example_frames(name)
    scenario = scenario_from_dict(tomllib.loads(example_scenario_text(name)), f"example '{name}'")
    sites = enrich_sites(frame, landscape, f"example '{name}' (layer 'sites')")
    return PlanningInputs(
        sites=sites, scenario=scenario, landscape=landscape, sources={"example": name, "crs": RD_NEW}
    )
