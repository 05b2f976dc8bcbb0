"""Region-wide planning: a RES region's municipalities, each with its own share.

A scenario for a region (``[region]``) keeps the region's total in ``[targets]``
and gives municipalities their own rows (``[municipalities.GM0166]``). Only sites
whose ``gemeente`` is the municipality's code count for its own target; every
site counts for the region. Existing production that is not in the sites layer
(e.g. Klimaatmonitor's figure per municipality) is given per municipality as
``existing_gwh`` and counts for the municipality and the region alike.

Examples
--------
>>> m = MunicipalityTarget(name="Kampen", electricity_gwh=244, source="F05")
>>> m.existing_gwh
0.0
>>> normalise_gemeente(" gm0166 ")
'GM0166'
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]
_GM_CODE = re.compile(r"(?i)gm\d{4}")


def normalise_gemeente(value: str) -> str:
    """A municipality key as written in files: CBS codes upper case (``GM0166``), names stripped."""
    value = str(value).strip()
    return value.upper() if _GM_CODE.fullmatch(value) else value


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Region(_Strict):
    """The region a scenario plans (``[region]``); its total target is ``[targets] electricity_gwh``."""

    #: E.g. "RES West-Overijssel".
    name: str = ""
    #: CBS RES-region code, e.g. ``ES05``.
    code: str = ""


class MunicipalityTarget(_Strict):
    """One municipality of the region (``[municipalities.<CBS code>]``)."""

    name: str = ""
    #: Its own share [GWh/yr]: existing_gwh + locked-in and chosen sites whose ``gemeente`` is this
    #: municipality must reach it. Empty: no own target; the report still shows what lies inside.
    electricity_gwh: NonNeg | None = None
    #: Phased scenarios: its own share per target year [GWh/yr] (``[municipalities.GM0166.
    #: electricity_gwh_by_year]`` with ``2030 = 244``, ``2050 = 488``); every key must be a target year
    #: of the scenario. A target year without an entry takes ``electricity_gwh`` scaled like the
    #: region's target (``Scenario.municipal_target_gwh``).
    electricity_gwh_by_year: dict[Annotated[int, Field(ge=2020, le=2100)], NonNeg] = Field(default_factory=dict)
    #: Production that exists but is not in the sites layer [GWh/yr] (e.g. Klimaatmonitor 2023
    #: wind + solar parks + roofs); counts for this municipality and for the region.
    existing_gwh: NonNeg = 0.0
    #: Site kinds the municipality does not want inside its borders (e.g. ``["wind_turbine"]``: the
    #: RES choice of Steenwijkerland and Olst-Wijhe); such candidates are excluded from every plan.
    forbid: list[Literal["solar_field", "rooftop_solar", "wind_turbine"]] = Field(default_factory=list)
    #: Where the figures come from (a URL or fact id); shown in the report.
    source: str = ""


__all__ = ["MunicipalityTarget", "Region", "normalise_gemeente"]
