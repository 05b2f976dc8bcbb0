"""Options of candidate generation: the solar cell, the turbine class and the constraint layers.

``sites.candidates`` generates the candidates from them; every default comes from
``models.defaults`` with its source.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from models import InputError, Initiator
from models.defaults import (
    FLH_SOLAR_H, FLH_WIND_H, PREVAILING_WIND_FROM_DEG, SOLAR_FIELD_MEUR_PER_MWP, SOLAR_FIELD_MWP_PER_HA,
    TURBINE_CAPACITY_MW, TURBINE_HUB_HEIGHT_M, TURBINE_ROTOR_DIAMETER_M, TURBINE_SPACING_ACROSS_D,
    TURBINE_SPACING_ALONG_D, WIND_MEUR_PER_MW, WIND_SETBACK_M,
)

__all__ = ["Constraint", "SolarOptions", "TurbineClass", "build_constraints", "validate_options"]


@dataclass(frozen=True)
class SolarOptions:
    """How solar field cells are cut and costed.

    Parameters
    ----------
    cell_ha : area of one square cell [ha]
    built_up_buffer_m : distance a cell keeps from built-up place polygons [m]
    initiator : who would build it. ``energiecooperatie`` by default: under the default policy
        *nee, tenzij* only a local cooperative or interest group may build a field on farmland
    mwp_per_ha : peak power per hectare [MWp/ha] (``SOLAR_FIELD_MWP_PER_HA``, F26)
    flh_h : full-load hours [h/yr] (``FLH_SOLAR_H``, ETM 2023)
    meur_per_mwp : investment [M€/MWp] (``SOLAR_FIELD_MEUR_PER_MWP``, an assumption)
    """

    cell_ha: float = 4.0
    built_up_buffer_m: float = 0.0
    initiator: str = Initiator.ENERGIECOOPERATIE.value
    mwp_per_ha: float = SOLAR_FIELD_MWP_PER_HA
    flh_h: float = FLH_SOLAR_H
    meur_per_mwp: float = SOLAR_FIELD_MEUR_PER_MWP

    @property
    def side_m(self) -> float:
        """Side of a cell [m]."""
        return math.sqrt(self.cell_ha * 10_000.0)


@dataclass(frozen=True)
class TurbineClass:
    """One turbine type, its spacing and its setback from inhabited places.

    Parameters
    ----------
    name : written to ``turbine_type``
    capacity_mw : rated power [MW] (F25: 5.6 MW)
    rotor_diameter_m, hub_height_m : [m], illustrative defaults
    spacing_across_d, spacing_along_d : distance between turbines in a row across the wind and
        between rows along it [rotor diameters]
    setback_m : least distance to a place polygon with inhabitants [m] (F30/F31: ~400 m)
    wind_from_deg : prevailing wind [° from north] the long axis follows (KNMI: SW, 225°);
        0 gives an axis-aligned lattice (rows east–west, ``along`` north–south)
    flh_h : full-load hours [h/yr] (``FLH_WIND_H``, ETM 2023)
    meur_per_mw : investment [M€/MW] (``WIND_MEUR_PER_MW``)
    """

    name: str = "5.6 MW, rotor 150 m"
    capacity_mw: float = TURBINE_CAPACITY_MW
    rotor_diameter_m: float = TURBINE_ROTOR_DIAMETER_M
    hub_height_m: float = TURBINE_HUB_HEIGHT_M
    spacing_across_d: float = TURBINE_SPACING_ACROSS_D
    spacing_along_d: float = TURBINE_SPACING_ALONG_D
    setback_m: float = WIND_SETBACK_M
    wind_from_deg: float = PREVAILING_WIND_FROM_DEG
    flh_h: float = FLH_WIND_H
    meur_per_mw: float = WIND_MEUR_PER_MW

    @property
    def spacing_m(self) -> tuple[float, float]:
        """(across, along) distance between lattice points [m]."""
        return self.spacing_across_d * self.rotor_diameter_m, self.spacing_along_d * self.rotor_diameter_m


@dataclass(frozen=True)
class Constraint:
    """A layer that keeps candidates away.

    ``solar_m``/``wind_m``: the least distance a solar cell / turbine keeps from the layer's
    features [m]; ``0`` for a cell = interiors disjoint (an edge may be shared), for a turbine
    = not in or on the feature; ``None`` = the layer does not apply to that kind.
    ``setback``: the places with inhabitants, whose ``wind_m`` is the turbine class's
    ``setback_m`` whenever turbines are generated.
    """

    name: str
    geoms: np.ndarray
    solar_m: float | None
    wind_m: float | None
    setback: bool = False

    @property
    def applies_to(self) -> str:
        kinds = [k for k, d in (("solar_field", self.solar_m), ("wind_turbine", self.wind_m)) if d is not None]
        return " + ".join(kinds) or "none"


def _parts(frame: gpd.GeoDataFrame | None) -> np.ndarray:
    if frame is None or len(frame) == 0:
        return np.empty(0, dtype=object)
    parts = shapely.get_parts(np.asarray(frame.geometry.values, dtype=object))
    return parts[~shapely.is_empty(parts)]


def build_constraints(
    exclusions: Sequence[tuple[str, gpd.GeoDataFrame]] = (),
    places: gpd.GeoDataFrame | None = None,
    buffers: Sequence[tuple[str, gpd.GeoDataFrame, float]] = (),
    *,
    exclude_buffer_m: float = 0.0,
    built_up_buffer_m: float = 0.0,
    setback_m: float = WIND_SETBACK_M,
    places_name: str = "places",
) -> list[Constraint]:
    """Constraints from named layers.

    Parameters
    ----------
    exclusions : (name, polygons): no cell and no turbine within ``exclude_buffer_m`` [m]
    places : polygons with ``inwoners`` and ``built_up`` (``sites.geodata.read_places``):
        no cell within ``built_up_buffer_m`` [m] of a built-up polygon, no turbine closer than
        ``setback_m`` [m] to a polygon with ``inwoners`` > 0 (``TurbineClass.setback_m`` replaces it
        when turbines are generated)
    buffers : (name, any geometry, metres): no turbine closer than the metres; no cell crossed
    """
    out = [Constraint(name, _parts(frame), exclude_buffer_m, exclude_buffer_m) for name, frame in exclusions]
    if places is not None:
        built = places.loc[places["built_up"].astype(bool)]
        inhabited = places.loc[places["inwoners"].astype(float) > 0]
        out.append(Constraint(f"{places_name} (built-up)", _parts(built), built_up_buffer_m, None))
        out.append(Constraint(f"{places_name} (inhabited)", _parts(inhabited), None, setback_m, setback=True))
    out += [Constraint(name, _parts(frame), 0.0, metres) for name, frame, metres in buffers]
    return out


def _check_positive(problems: list[str], **values: float) -> None:
    for name, value in values.items():
        if not (math.isfinite(value) and value > 0):
            problems.append(f"{name} must be a number above 0 (got {value})")


def validate_options(solar: SolarOptions | None, wind: TurbineClass | None, constraints: Sequence[Constraint]) -> None:
    problems: list[str] = []
    if solar is not None:
        _check_positive(problems, cell_ha=solar.cell_ha, mwp_per_ha=solar.mwp_per_ha, flh_h=solar.flh_h)
        if solar.cell_ha > 1_000:
            problems.append(f"cell_ha must be at most 1,000 ha (got {solar.cell_ha})")
        if not solar.meur_per_mwp >= 0:
            problems.append(f"meur_per_mwp must be ≥ 0 (got {solar.meur_per_mwp})")
        if solar.initiator not in {i.value for i in Initiator}:
            problems.append(f"initiator must be one of {', '.join(i.value for i in Initiator)} "
                            f"(got '{solar.initiator}')")
    if wind is not None:
        _check_positive(problems, turbine_mw=wind.capacity_mw, rotor_m=wind.rotor_diameter_m,
                        hub_m=wind.hub_height_m, spacing_across=wind.spacing_across_d,
                        spacing_along=wind.spacing_along_d, flh_h=wind.flh_h)
        if not (math.isfinite(wind.wind_from_deg)):
            problems.append(f"wind_from_deg must be a number (got {wind.wind_from_deg})")
        if not wind.meur_per_mw >= 0:
            problems.append(f"meur_per_mw must be ≥ 0 (got {wind.meur_per_mw})")
    for c in constraints:
        for label, d in (("solar", c.solar_m), ("wind", c.wind_m)):
            if d is not None and not (math.isfinite(d) and d >= 0):
                problems.append(f"{c.name}: the {label} distance must be ≥ 0 m (got {d})")
    if problems:
        raise InputError("invalid candidate options", problems)
