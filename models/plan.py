"""Plan models: the result of an optimisation, with everything a report needs.

Reports read only these objects (and the inputs), never the solver, so they
can be snapshot-tested.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr

from models.heat_plan import HeatPlan

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

#: Which rows ``Plan.to_frame`` returns: sites in the plan (chosen and locked-in) or excluded candidates.
FrameRows = Literal["plan", "excluded"]


class PlanStatus(StrEnum):
    """Outcome of planning.

    ``optimal``: proven optimal within the gap tolerance. ``feasible``: the solver
    stopped (time limit) with a plan that meets the targets but is not proven optimal;
    see ``gap``. ``shortfall``: the targets cannot be met under the rules; the plan
    reaches the maximum possible yield at least cost. ``no_solution``: the solver
    stopped without any plan. ``error``: the solver failed.
    """

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    SHORTFALL = "shortfall"
    NO_SOLUTION = "no_solution"
    ERROR = "error"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TargetResult(_Frozen):
    """One target: what was asked, what the plan achieves, what is missing [GWh/yr]."""

    target_gwh: float
    achieved_gwh: float
    shortfall_gwh: float


class SiteResult(_Frozen):
    """A site in the plan (locked in or chosen) with its resolved numbers."""

    site_id: str
    name: str
    kind: str
    status: str
    lik_type: str
    initiator: str
    capacity_mw: float
    yield_gwh: float
    area_ha: float
    cost_meur: float
    impact_meur: float
    chosen: bool
    #: Municipality (CBS code or name) of the site, when known.
    gemeente: str | None = None


class ExcludedSite(_Frozen):
    """A candidate that no plan may contain, and why (``reason`` is a stable code)."""

    site_id: str
    kind: str
    lik_type: str
    reason: str
    detail: str
    yield_gwh: float


class RuleUse(_Frozen):
    """How much of a rule the plan uses, and whether it binds.

    ``rule`` is the stable readable name also used for the constraint
    (``lik_area[veenontginning]``). ``blocked_yield_gwh`` is the yield of
    eligible candidates the rule keeps out of the plan.
    """

    rule: str
    family: str
    limit: float | None
    used: float | None
    unit: str
    binding: bool
    blocked_yield_gwh: float
    note: str


class MunicipalityResult(_Frozen):
    """One municipality of a region plan: what lies inside its borders [GWh/yr, ha, M€].

    ``achieved_gwh`` = ``existing_gwh`` (outside the sites layer) + locked-in and chosen sites whose
    ``gemeente`` is this municipality. ``share_of_region`` = achieved / the region's target.
    """

    gemeente: str
    name: str
    target_gwh: float | None
    existing_gwh: float
    locked_gwh: float
    chosen_gwh: float
    achieved_gwh: float
    shortfall_gwh: float
    chosen_sites: int
    chosen_field_ha: float
    chosen_turbines: int
    chosen_cost_meur: float
    share_of_region: float | None
    #: Largest yield reachable inside its borders under all rules, computed when its target is not met.
    max_reachable_gwh: float | None = None
    source: str = ""


class Plan(_Frozen):
    """An allocation plan and how it was found."""

    scenario_name: str
    status: PlanStatus
    solver: str
    solver_version: str
    #: Objective [M€ + M€-equivalent landscape impact] of the chosen candidates.
    objective_meur: float | None
    #: Best bound on the objective proven by the solver [M€].
    bound_meur: float | None
    #: Relative gap between objective and bound [-].
    gap: float | None
    solve_time_s: float
    build_time_s: float
    #: Ids of chosen candidates, sorted.
    selected: list[str]
    #: Ids of existing and planned sites, sorted.
    locked_in: list[str]
    sites: list[SiteResult]
    excluded: list[ExcludedSite]
    targets: dict[str, TargetResult]
    rules: list[RuleUse]
    #: Maximum reachable yield under all rules [GWh/yr], computed when a target is not met.
    max_reachable_gwh: float | None = None
    #: Investment in chosen candidates [M€].
    cost_meur: float
    #: Landscape impact of chosen candidates before weighting [M€-equivalent].
    impact_meur: float
    messages: list[str] = []
    #: The heat side (aardgasvrij districts) when the scenario has a ``[heat]`` section.
    heat: HeatPlan | None = None
    #: Existing production outside the sites layer (scenario ``[municipalities]``) [GWh/yr].
    existing_gwh: float = 0.0
    #: Region plans: the region's name and every municipality's part (``[municipalities]`` and
    #: the sites' ``gemeente``); empty otherwise.
    region_name: str = ""
    municipalities: list[MunicipalityResult] = []

    #: site_id → shapely geometry (EPSG:28992) of the input sites; set by ``energie.plan``, not serialised.
    _geometry: dict[str, Any] = PrivateAttr(default_factory=dict)

    def __eq__(self, other: object) -> bool:
        """Plans are equal when their fields are (the attached geometry does not count)."""
        return type(other) is type(self) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable lists inside: plans are not hashable

    def attach_geometry(self, sites: Any) -> "Plan":
        """Remember the sites' geometries (for ``to_geodataframe``); returns ``self``."""
        self._geometry = {s.site_id: s.geometry for s in sites if s.geometry is not None}
        return self

    def to_frame(self, rows: FrameRows = "plan") -> "pd.DataFrame":
        """The plan as a table: ``rows="plan"`` (default) gives one row per site in the plan with
        ``in_plan_as`` = ``chosen`` or ``locked_in``; ``rows="excluded"`` one row per excluded
        candidate with its ``reason``. Units are in the column names' docs (``models.plan``)."""
        import pandas as pd

        if rows == "plan":
            records = []
            for s in self.sites:
                r = s.model_dump()
                r["in_plan_as"] = "chosen" if r.pop("chosen") else "locked_in"
                records.append(r)
            columns = [*SiteResult.model_fields, "in_plan_as"]
            columns.remove("chosen")
        elif rows == "excluded":
            records = [e.model_dump() for e in self.excluded]
            columns = list(ExcludedSite.model_fields)
        else:
            raise ValueError(f"rows must be 'plan' or 'excluded' (got {rows!r})")
        return pd.DataFrame.from_records(records, columns=columns)

    def to_geodataframe(self, rows: FrameRows = "plan") -> "gpd.GeoDataFrame":
        """``to_frame`` with each site's geometry, EPSG:28992 (RD New); empty geometry when the plan
        was not made by ``energie.plan`` (e.g. read back from JSON) or the site had none."""
        import geopandas as gpd

        frame = self.to_frame(rows)
        geometry = [self._geometry.get(i) for i in frame["site_id"]]
        return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:28992")

    @property
    def yield_gwh_total(self) -> float:
        """Yield of locked-in plus chosen sites plus existing production outside the sites [GWh/yr]."""
        return sum(s.yield_gwh for s in self.sites) + self.existing_gwh
