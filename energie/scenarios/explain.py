"""The price of landscape protection: what each binding rule costs, found by re-solving.

For every rule that binds in the baseline plan, the rule is relaxed by one step
and the plan re-solved: a landscape turbine cap +1 turbine, an area cap +10 ha,
a landscape type that admits only roofs opened to fields and turbines, *nee,
tenzij* → ``ja``, the zonneladder → ``off``, the turbine distance −10 %. The
saving is the rule's price. For the energy target three marginal values are
given: the dual of the target in the LP with the integer choices fixed (as the
literature defines it for MILPs; zero whenever the fixed plan overshoots the
target, which binary choices nearly always do), the dual of the LP relaxation
(the value of the cheapest fractional site at the margin), and the cost of one
more step of target found by re-solving (the number to put before a council).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulp

from energie.facts.accounting import capital_recovery_factor, meur_per_gwh_to_eur_per_mwh
from energie.rules.names import TARGET_RULE
from energie.model.contributions import build_problem
from energie.model.horizon import prepare_horizon
from energie.model.problem import Problem
from energie.planner.pipeline import PlanResult, run_plan
from energie.engines.budget import with_solver_overrides
from energie.rules.names import municipal_rule
from energie.scenarios.overrides import set_target
from energie.engines.solver import SolveStatus, solve
from energie.facts.heat import GWH_PER_MM3
from models import Plan, PlanStatus, RuleUse, Scenario, Site, SiteKind
from models.heat import District
from models.phasing import PhasedPlan

AREA_STEP_HA = 10.0
TURBINE_STEP = 1
SPACING_STEP = 0.10
TARGET_STEP = 0.01


@dataclass(frozen=True)
class RulePrice:
    """A relaxed rule and what the plan gains from it."""

    rule: str
    relaxation: str
    objective_meur: float | None
    saving_meur: float | None
    #: Annualised saving per MWh the baseline plan's new sites produce [€/MWh].
    saving_eur_per_mwh: float | None
    #: When the baseline is a shortfall: how much of its shortfall the relaxation closes, every target
    #: and year together (one year, region only: the extra reachable yield) [GWh/yr-equivalent].
    extra_reachable_gwh: float | None
    status: str


@dataclass(frozen=True)
class TargetPrice:
    """Marginal value of the target [M€ per GWh/yr and €/MWh]."""

    dual_integers_fixed_meur_per_gwh: float | None
    dual_lp_relaxation_meur_per_gwh: float | None
    step_gwh: float
    step_cost_meur_per_gwh: float | None
    #: The target year priced (per-year scenarios); ``None`` for one plan year.
    year: int | None = None

    def eur_per_mwh(self, meur_per_gwh: float | None) -> float | None:
        return None if meur_per_gwh is None else meur_per_gwh_to_eur_per_mwh(meur_per_gwh, 1.0)


@dataclass(frozen=True)
class Explanation:
    baseline: PlanResult
    prices: list[RulePrice]
    #: One plan year: the target's marginal value.
    target: TargetPrice | None
    crf: float
    #: Per-year scenarios: each target year's marginal value.
    targets_by_year: list[TargetPrice] = field(default_factory=list)


def _binding(baseline: PlanResult) -> dict[str, RuleUse]:
    """Rules that bind in the plan (in any target year, the last year's use shown)."""
    plans = [baseline] if isinstance(baseline, Plan) else [q.plan for q in baseline.periods]
    out: dict[str, RuleUse] = {}
    for p in plans:
        out.update({r.rule: r for r in p.rules if r.binding and not r.rule.startswith("municipal_target[")})
    return out


def _relaxations(scenario: Scenario, baseline: PlanResult) -> list[tuple[str, str, Scenario]]:
    """(rule, words, relaxed scenario) for every binding rule of the baseline, in report order."""
    out: list[tuple[str, str, Scenario]] = []
    binding = _binding(baseline)
    for name, r in binding.items():
        if r.family == "landscape_cap" and name.startswith(("lik_area[", "lik_turbines[")):
            lik = name[name.index("[") + 1:-1]
            rule = scenario.rule_for(lik)
            if name.startswith("lik_area[") and rule.max_solar_field_ha is not None:
                new = rule.model_copy(update={"max_solar_field_ha": rule.max_solar_field_ha + AREA_STEP_HA})
                words = f"+{AREA_STEP_HA:g} ha ({rule.max_solar_field_ha:g} → {rule.max_solar_field_ha + AREA_STEP_HA:g})"
            elif name.startswith("lik_turbines[") and rule.max_turbines is not None:
                new = rule.model_copy(update={"max_turbines": rule.max_turbines + TURBINE_STEP})
                words = f"+{TURBINE_STEP} turbine ({rule.max_turbines} → {rule.max_turbines + TURBINE_STEP})"
            else:
                continue
            out.append((name, words, scenario.model_copy(update={"lik": {**scenario.lik, lik: new}})))
        elif r.family == "lik_not_allowed":
            lik = name[name.index("[") + 1:-1]
            rule = scenario.rule_for(lik)
            opened = rule.model_copy(update={"allow": list(SiteKind)})
            out.append((name, f"open {lik} to fields and turbines",
                        scenario.model_copy(update={"lik": {**scenario.lik, lik: opened}})))
        elif r.family == "lik_cap_full":
            lik = name[name.index("[") + 1:-1]
            rule = scenario.rule_for(lik)
            update: dict[str, object] = {}
            if rule.max_solar_field_ha is not None:
                update["max_solar_field_ha"] = rule.max_solar_field_ha + AREA_STEP_HA
            if rule.max_turbines is not None:
                update["max_turbines"] = rule.max_turbines + TURBINE_STEP
            if update and f"lik_area[{lik}]" not in binding and f"lik_turbines[{lik}]" not in binding:
                out.append((name, f"{lik} caps +{AREA_STEP_HA:g} ha, +{TURBINE_STEP} turbine",
                            scenario.model_copy(update={"lik": {**scenario.lik, lik: rule.model_copy(update=update)}})))
        elif r.family == "nee_tenzij":
            out.append((name, "solar_on_land = ja", scenario.model_copy(
                update={"policy": scenario.policy.model_copy(update={"solar_on_land": "ja"})})))
        elif r.family == "zonneladder":
            out.append((name, "zonneladder = off", scenario.model_copy(
                update={"policy": scenario.policy.model_copy(update={"zonneladder": "off"})})))
    out += _municipal_relaxations(scenario, baseline, binding)
    spacing = [r for r in binding.values() if r.family in ("spacing", "spacing_existing")]
    if spacing:
        d = scenario.policy.min_turbine_distance_m
        out.append(("spacing[min_turbine_distance]", f"−{SPACING_STEP:.0%} ({d:g} → {d * (1 - SPACING_STEP):g} m)",
                    scenario.model_copy(update={"policy": scenario.policy.model_copy(
                        update={"min_turbine_distance_m": d * (1 - SPACING_STEP)})})))
    return out


def _municipal_relaxations(scenario: Scenario, baseline: PlanResult,
                           binding: dict[str, RuleUse]) -> list[tuple[str, str, Scenario]]:
    """The price of each municipality's own share (per target year for per-year scenarios) and of
    each municipality's forbidden kinds."""
    out: list[tuple[str, str, Scenario]] = []

    def with_town(code: str, **update: object) -> Scenario:
        town = scenario.municipalities[code].model_copy(update=update)
        return scenario.model_copy(update={"municipalities": {**scenario.municipalities, code: town}})

    if isinstance(baseline, Plan):
        own = {r.rule for r in baseline.rules if r.binding}
        for code, town in sorted(scenario.municipalities.items()):
            if municipal_rule(code) in own and town.electricity_gwh is not None:
                out.append((municipal_rule(code), f"drop {code}'s own share ({town.electricity_gwh:g} GWh)",
                            with_town(code, electricity_gwh=None)))
    else:
        years = scenario.targets.years
        for q in baseline.periods:
            own = {r.rule for r in q.plan.rules if r.binding}
            for code in sorted(scenario.municipalities):
                share = scenario.municipal_target_gwh(code, q.year)
                if municipal_rule(code) not in own or share is None:
                    continue
                by_year = {y: v for y in years if (v := scenario.municipal_target_gwh(code, y)) is not None}
                by_year[q.year] = 0.0
                out.append((f"municipal_target[{code},{q.year}]", f"drop {code}'s own share in {q.year} "
                            f"({share:g} GWh)", with_town(code, electricity_gwh=None, electricity_gwh_by_year=by_year)))
    if "municipality_forbids" in binding:
        for code, town in sorted(scenario.municipalities.items()):
            if town.forbid:
                out.append((f"municipality_forbids[{code}]", f"{code} admits {', '.join(town.forbid)}",
                            with_town(code, forbid=[])))
    return out


def _fix_to(p: Problem, baseline: PlanResult) -> None:
    """Fix every choice of ``p`` to the baseline: sites in operation per period, heat options taken."""
    h = p.horizon
    plans = [baseline] if isinstance(baseline, Plan) else [q.plan for q in baseline.periods]
    for k, plan_k in enumerate(plans):
        chosen = set(plan_k.selected)
        for i, f in enumerate(h.candidates):
            if (i, k) in p.w:
                p.w[i, k].lowBound = p.w[i, k].upBound = float(f.site_id in chosen)
    heat = baseline.heat
    if h.heat is not None and heat is not None:
        taken = {(r.district_id, r.strategy, r.year) for r in heat.districts if r.strategy}
        for o, opt in enumerate(h.heat.options):
            key = (h.heat.districts[opt.district].district_id, opt.facts.strategy.value, opt.year)
            p.y[o].lowBound = p.y[o].upBound = float(key in taken)


def target_duals(sites: list[Site], scenario: Scenario, baseline: PlanResult, fix: bool,
                 districts: list[District] | None = None) -> dict[str, float]:
    """Dual of each region target (``res_target[electricity(,<year>)]``) [M€ per GWh/yr] in the LP
    relaxation of the one problem, optionally with every choice fixed to the baseline's."""
    if baseline.status is PlanStatus.SHORTFALL:
        return {}
    p = build_problem(prepare_horizon(sites, scenario, districts))
    if not p.w and not p.y:
        return {}
    for var in [*p.w.values(), *p.y.values()]:
        var.cat = pulp.LpContinuous
    if fix:
        _fix_to(p, baseline)
    result = solve(p.lp, scenario.solver)
    if result.status is not SolveStatus.OPTIMAL:
        return {}
    safe = {readable: name for name, readable in p.constraint_names.items()}
    return {e.rule: abs(result.duals.get(safe[e.rule], 0.0)) for e in p.elastic if e.kind == "region"}


def _new_gwh(baseline: PlanResult) -> float:
    last = baseline if isinstance(baseline, Plan) else baseline.periods[-1].plan
    return sum(s.yield_gwh for s in last.sites if s.chosen)


def total_shortfall_gwh(p: PlanResult) -> float:
    """Every target's shortfall on one energy scale [GWh/yr-equivalent]: the region's and each
    municipality's in every target year, and the districts' gas at 8.79 GWh per million m³."""
    plans = [p] if isinstance(p, Plan) else [q.plan for q in p.periods]
    out = 0.0
    for plan in plans:
        out += sum(t.shortfall_gwh for t in plan.targets.values())
        out += sum(m.shortfall_gwh for m in plan.municipalities if m.target_gwh is not None)
    if p.heat is not None:
        out += GWH_PER_MM3 * sum(g.shortfall_mm3 for g in p.heat.gas_targets)
    return out


def _extra_reach(base: PlanResult, relaxed: PlanResult) -> float:
    """How much of the baseline's shortfall the relaxed plan closes [GWh/yr-equivalent]. For one
    year and the region's target alone this is the extra reachable yield; with municipal shares,
    several years or heat it is the fall of every target's shortfall together (``total_shortfall_gwh``),
    so dropping a share that cannot be met counts what it frees, not what the region then builds."""
    return total_shortfall_gwh(base) - total_shortfall_gwh(relaxed)


def _target_price(sites: list[Site], scen: Scenario, baseline: PlanResult, districts: list[District] | None,
                  year: int | None, target: float, duals: tuple[dict[str, float], dict[str, float]]
                  ) -> TargetPrice:
    step = max(1.0, TARGET_STEP * target)
    more = run_plan(sites, set_target(scen, target + step, year), districts)
    step_cost = None
    if more.status is not PlanStatus.SHORTFALL:
        step_cost = ((more.objective_meur or 0.0) - (baseline.objective_meur or 0.0)) / step
    rule = TARGET_RULE if year is None else f"res_target[electricity,{year}]"
    return TargetPrice(duals[0].get(rule), duals[1].get(rule), step, step_cost, year)


def explain(sites: list[Site], scenario: Scenario, solver: str | None = None,
            time_limit_s: float | None = None, districts: list[District] | None = None) -> Explanation:
    """Baseline plan, the price of each binding rule, and the marginal value of the target (per
    target year for per-year scenarios), for any scenario (municipalities, heat)."""
    scen, _ = with_solver_overrides(scenario, solver, time_limit_s)
    baseline = run_plan(sites, scen, districts)
    new_gwh = _new_gwh(baseline)
    prices = []
    for rule, words, relaxed in _relaxations(scen, baseline):
        p = run_plan(sites, relaxed, districts)
        if baseline.status is PlanStatus.SHORTFALL:
            prices.append(RulePrice(rule, words, p.objective_meur, None, None, _extra_reach(baseline, p),
                                    p.status.value))
            continue
        saving = (baseline.objective_meur or 0.0) - (p.objective_meur or 0.0)
        per_mwh = meur_per_gwh_to_eur_per_mwh(saving, new_gwh) if new_gwh > 0 else None
        prices.append(RulePrice(rule, words, p.objective_meur, saving, per_mwh, None, p.status.value))
    prices.sort(key=lambda r: (-(r.saving_meur or 0.0), -(r.extra_reachable_gwh or 0.0), r.rule))
    targets: list[TargetPrice] = []
    if baseline.status is not PlanStatus.SHORTFALL:
        duals = (target_duals(sites, scen, baseline, True, districts),
                 target_duals(sites, scen, baseline, False, districts))
        if scen.targets.is_phased:
            for t in scen.targets.resolved():
                targets.append(_target_price(sites, scen, baseline, districts, t.year, t.target_gwh, duals))
        elif scen.targets.electricity_gwh is not None:
            targets.append(_target_price(sites, scen, baseline, districts, None, scen.targets.electricity_gwh, duals))
    return Explanation(baseline, prices, targets[0] if len(targets) == 1 else None, capital_recovery_factor(),
                       targets if len(targets) > 1 else [])
