"""Compare two plans: which sites come and go, what changes in GWh, ha, turbines, M€ and rules.

Pure: reads two ``Plan`` objects (and the dropped sites), no solver.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models import Plan, RuleUse, SiteResult

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
class PlanComparison:
    base: Plan
    variant: Plan
    added: list[SiteResult]
    removed: list[SiteResult]
    metrics_base: dict[str, float]
    metrics_variant: dict[str, float]
    rule_changes: list[RuleChange] = field(default_factory=list)
    replacement: Replacement | None = None

    def delta(self, metric: str) -> float:
        return self.metrics_variant[metric] - self.metrics_base[metric]


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
        if a is None or b is None or (a.used, a.limit, a.binding) != (b.used, b.limit, b.binding):
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
                          changes, replacement)
