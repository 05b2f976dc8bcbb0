"""Compare two plans: which sites come and go, what changes in GWh, ha, turbines, M€ and rules.

Pure: reads two ``Plan`` objects (and the dropped sites), no solver. Plans over several target
years compare year by year (``compare_horizons``); heat plans add the districts whose strategy or
switch year changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models import Plan, RuleUse, SiteResult
from models.heat_plan import HeatPlan
from models.phasing import PhasedPlan

METRICS = ("yield_gwh", "area_ha", "turbines", "cost_meur", "impact_meur", "objective_meur")


def plan_metrics(plan: Plan) -> dict[str, float]:
    """Headline figures of a plan: total yield [GWh/yr], new field area [ha], new turbines,
    investment and landscape impact of chosen candidates [M€], objective [M€]."""
    chosen = [s for s in plan.sites if s.chosen]
    return {
        "yield_gwh": plan.yield_gwh_total,
        "area_ha": sum(s.area_ha for s in chosen),
        "turbines": float(sum(s.kind == "wind_turbine" for s in chosen)),
        "cost_meur": plan.cost_meur,
        "impact_meur": plan.impact_meur,
        "objective_meur": plan.objective_meur or 0.0,
    }


@dataclass(frozen=True)
class RuleChange:
    rule: str
    base: RuleUse | None
    variant: RuleUse | None


@dataclass(frozen=True)
class Replacement:
    """How the sites a user dropped were replaced [GWh/yr]."""

    dropped_ids: list[str]
    dropped_yield_gwh: float
    added_yield_gwh: float
    removed_other_yield_gwh: float

    @property
    def net_replacement_gwh(self) -> float:
        return self.added_yield_gwh - self.removed_other_yield_gwh

    @property
    def same_yield(self) -> bool:
        """Whether the new sites give at least the yield that was dropped ("met eenzelfde opbrengst")."""
        return self.net_replacement_gwh >= self.dropped_yield_gwh - 1e-6


@dataclass(frozen=True)
class DistrictChange:
    """A district whose heat strategy or switch year differs between two plans (``None``: stays on gas)."""

    district_id: str
    name: str
    base_strategy: str | None
    base_year: int | None
    variant_strategy: str | None
    variant_year: int | None


def district_changes(base: HeatPlan | None, variant: HeatPlan | None) -> list[DistrictChange]:
    """Districts whose strategy or year differ, sorted by id."""
    if base is None or variant is None:
        return []
    other = {r.district_id: r for r in variant.districts}
    out = []
    for r in base.districts:
        v = other.get(r.district_id)
        if v is not None and (r.strategy, r.year) != (v.strategy, v.year):
            out.append(DistrictChange(r.district_id, r.name, r.strategy, r.year, v.strategy, v.year))
    return sorted(out, key=lambda c: c.district_id)


@dataclass(frozen=True)
class PlanComparison:
    base: Plan
    variant: Plan
    added: list[SiteResult]
    removed: list[SiteResult]
    metrics_base: dict[str, float]
    metrics_variant: dict[str, float]
    rule_changes: list[RuleChange] = field(default_factory=list)
    replacement: Replacement | None = None
    district_changes: list[DistrictChange] = field(default_factory=list)

    def delta(self, metric: str) -> float:
        return self.metrics_variant[metric] - self.metrics_base[metric]


def _rule_key(r: RuleUse) -> tuple[float | None, float | None, bool]:
    """A rule's use, limit and binding, rounded past solver noise (a heat-coupled target differs by 1e-12)."""
    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 6)

    return rounded(r.used), rounded(r.limit), r.binding


def compare_plans(base: Plan, variant: Plan, dropped: list[str] | None = None) -> PlanComparison:
    """Differences from ``base`` to ``variant``; ``dropped`` = site ids the user removed."""
    base_sites = {s.site_id: s for s in base.sites}
    var_sites = {s.site_id: s for s in variant.sites}
    added = [var_sites[i] for i in sorted(set(var_sites) - set(base_sites))]
    removed = [base_sites[i] for i in sorted(set(base_sites) - set(var_sites))]
    base_rules = {r.rule: r for r in base.rules}
    var_rules = {r.rule: r for r in variant.rules}
    changes = []
    for name in sorted(set(base_rules) | set(var_rules)):
        a, b = base_rules.get(name), var_rules.get(name)
        if a is None or b is None or _rule_key(a) != _rule_key(b):
            changes.append(RuleChange(name, a, b))
    replacement = None
    if dropped:
        gone = set(dropped)
        replacement = Replacement(
            dropped_ids=sorted(gone),
            dropped_yield_gwh=sum(s.yield_gwh for s in removed if s.site_id in gone),
            added_yield_gwh=sum(s.yield_gwh for s in added),
            removed_other_yield_gwh=sum(s.yield_gwh for s in removed if s.site_id not in gone),
        )
    return PlanComparison(base, variant, added, removed, plan_metrics(base), plan_metrics(variant),
                          changes, replacement, district_changes(base.heat, variant.heat))


@dataclass(frozen=True)
class HorizonComparison:
    """Two plans over the same target years: one ``PlanComparison`` per year (each year's plan as it
    stands then), the horizon's objective and investment, and the districts that changed."""

    base: PhasedPlan
    variant: PhasedPlan
    years: list[tuple[int, PlanComparison]]
    district_changes: list[DistrictChange] = field(default_factory=list)

    @property
    def objective_delta_meur(self) -> float:
        return (self.variant.objective_meur or 0.0) - (self.base.objective_meur or 0.0)


Comparison = PlanComparison | HorizonComparison


def compare_results(base: Plan | PhasedPlan, variant: Plan | PhasedPlan, dropped: list[str] | None = None
                    ) -> Comparison:
    """``compare_plans`` for one-year plans; year by year for plans over several target years."""
    if isinstance(base, Plan) and isinstance(variant, Plan):
        return compare_plans(base, variant, dropped)
    if not isinstance(base, PhasedPlan) or not isinstance(variant, PhasedPlan):
        raise TypeError("compare a one-year plan with a one-year plan, a phased plan with a phased plan")
    by_year = {q.year: q for q in variant.periods}
    years = [(q.year, compare_plans(q.plan, by_year[q.year].plan, dropped)) for q in base.periods
             if q.year in by_year]
    return HorizonComparison(base, variant, years, district_changes(base.heat, variant.heat))
