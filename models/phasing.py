"""Phased plan models: a plan over several target years (2030 → 2040 → 2050).

A site built in one period stays in every later one until its lifetime ends (then it retires; a
repowering candidate may take its place). Each period carries the
plan *as it stands in that year* (a cumulative ``Plan``: sites in operation,
candidates built up to then), so the single-year checker and reports apply per
period. Reports read only these objects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from models.heat_plan import HeatPlan
from models.plan import ExcludedSite, FrameRows, Plan, PlanStatus, SiteResult
from models.targets import ResolvedTarget


if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PeriodResult(_Frozen):
    """One period, ending in a target year: what is asked, what is in operation, what is new."""

    year: int
    target: ResolvedTarget
    #: Yield of every site in operation in ``year`` [GWh/yr].
    achieved_gwh: float
    #: max(0, target − achieved) [GWh/yr].
    shortfall_gwh: float
    #: Most yield reachable in ``year`` under the rules, given the earlier periods [GWh/yr]; set
    #: when the target of this period cannot be met.
    max_reachable_gwh: float | None = None
    #: Candidates built in this period (in operation from ``year`` on), sorted.
    built: list[str]
    #: Existing and planned sites that start counting in this period, sorted.
    started: list[str]
    #: Sites in operation in the previous period that no longer count in ``year``: their lifetime
    #: ended (``year`` + ``lifetime_years``, a candidate's build year + lifetime), sorted.
    retired: list[str] = []
    #: Repowering candidates built in this period → the site each replaces.
    repowered: dict[str, str] = {}
    #: The cumulative plan in ``year``: ``selected`` = built up to and in this period,
    #: ``locked_in`` = existing and planned sites in operation; ``targets["electricity"]``.
    plan: Plan

    @property
    def status(self) -> PlanStatus:
        return self.plan.status

    def new_sites(self) -> list[SiteResult]:
        """The candidates built in this period, as site results."""
        built = set(self.built)
        return [s for s in self.plan.sites if s.site_id in built]


class PhasedPlan(_Frozen):
    """A plan over several target years and how it was found.

    ``status``: ``shortfall`` when any period misses its target, else ``optimal`` or ``feasible``
    (the last solve stopped at its time limit; see ``gap``).
    """

    scenario_name: str
    status: PlanStatus
    solver: str
    solver_version: str
    #: Objective [M€ + M€-equivalent]: Σ over built candidates of the discounted investment plus the
    #: weighted landscape impact (and the soft-zonneladder charge).
    objective_meur: float | None
    bound_meur: float | None
    gap: float | None
    #: Real discount rate the objective used [1/yr]; 0 = undiscounted.
    discount_rate_per_yr: float
    solve_time_s: float
    build_time_s: float
    periods: list[PeriodResult]
    #: Candidates that no plan may contain, and why (decided for the whole horizon).
    excluded: list[ExcludedSite]
    #: Investment in all built candidates, undiscounted [M€].
    cost_meur: float
    #: Landscape impact of all built candidates before weighting [M€-equivalent].
    impact_meur: float
    messages: list[str] = []
    #: The heat side (aardgasvrij districts) when the scenario has a ``[heat]`` section; each period's
    #: electricity target is the scenario's plus what the heat plan adds by then (``heat.couplings``).
    heat: HeatPlan | None = None
    #: Region plans: the region's name (each period's ``plan.municipalities`` has the municipalities).
    region_name: str = ""

    @property
    def years(self) -> list[int]:
        return [p.year for p in self.periods]

    def plan_in(self, year: int | None = None) -> Plan:
        """The plan as it stands in target ``year`` (default: the last)."""
        if year is None:
            return self.periods[-1].plan
        for q in self.periods:
            if q.year == year:
                return q.plan
        raise ValueError(f"{year} is not a target year of this plan (years: {', '.join(map(str, self.years))})")

    def to_frame(self, rows: FrameRows = "plan", year: int | None = None) -> "pd.DataFrame":
        """``Plan.to_frame`` of the plan as it stands in ``year`` (default the last target year), with
        ``in_operation_from``: the target year from which each site counts."""
        frame = self.plan_in(year).to_frame(rows)
        if rows == "plan":
            start = {sid: q.year for q in reversed(self.periods) for sid in (*q.built, *q.started)}
            frame["in_operation_from"] = [start.get(sid) for sid in frame["site_id"]]
        return frame

    def to_geodataframe(self, rows: FrameRows = "plan", year: int | None = None) -> "gpd.GeoDataFrame":
        """``to_frame`` with each site's geometry, EPSG:28992 (RD New)."""
        import geopandas as gpd

        frame = self.to_frame(rows, year)
        shapes = self.plan_in(year)._geometry
        return gpd.GeoDataFrame(frame, geometry=[shapes.get(i) for i in frame["site_id"]], crs="EPSG:28992")

    def built_in(self) -> dict[str, int]:
        """Candidate id → the target year of the period it is built in."""
        return {sid: p.year for p in self.periods for sid in p.built}
