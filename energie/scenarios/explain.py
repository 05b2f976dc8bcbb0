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

from dataclasses import dataclass

import pulp

from energie.accounting import capital_recovery_factor, meur_per_gwh_to_eur_per_mwh
from energie.build import TARGET_RULE, build_min_cost_model
from energie.optimise import plan
from energie.prepare import prepare
from energie.regional import build_region_min_cost_model, municipal_rule
from energie.scenarios.overrides import require_single_year, set_target
from energie.solver import SolveStatus, solve
from models import Plan, PlanStatus, RuleUse, Scenario, Site, SiteKind

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
    #: Extra reachable yield when the baseline is a shortfall [GWh/yr].
    extra_reachable_gwh: float | None
    status: str


@dataclass(frozen=True)
class TargetPrice:
    """Marginal value of the target [M€ per GWh/yr and €/MWh]."""

    dual_integers_fixed_meur_per_gwh: float | None
    dual_lp_relaxation_meur_per_gwh: float | None
    step_gwh: float
    step_cost_meur_per_gwh: float | None

    def eur_per_mwh(self, meur_per_gwh: float | None) -> float | None:
        return None if meur_per_gwh is None else meur_per_gwh_to_eur_per_mwh(meur_per_gwh, 1.0)


@dataclass(frozen=True)
class Explanation:
    baseline: Plan
    prices: list[RulePrice]
    target: TargetPrice | None
    crf: float


def _relaxations(scenario: Scenario, baseline: Plan) -> list[tuple[str, str, Scenario]]:
    """(rule, words, relaxed scenario) for every binding rule of the baseline, in report order."""
    out: list[tuple[str, str, Scenario]] = []
    binding = {r.rule: r for r in baseline.rules if r.binding}
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
    out += _municipal_relaxations(scenario, binding)
    spacing = [r for r in baseline.rules if r.family in ("spacing", "spacing_existing") and r.binding]
    if spacing:
        d = scenario.policy.min_turbine_distance_m
        out.append(("spacing[min_turbine_distance]", f"−{SPACING_STEP:.0%} ({d:g} → {d * (1 - SPACING_STEP):g} m)",
                    scenario.model_copy(update={"policy": scenario.policy.model_copy(
                        update={"min_turbine_distance_m": d * (1 - SPACING_STEP)})})))
    return out


def _municipal_relaxations(scenario: Scenario, binding: dict[str, RuleUse]) -> list[tuple[str, str, Scenario]]:
    """The price of each municipality's own share and of each municipality's forbidden kinds."""
    out: list[tuple[str, str, Scenario]] = []

    def with_town(code: str, **update: object) -> Scenario:
        town = scenario.municipalities[code].model_copy(update=update)
        return scenario.model_copy(update={"municipalities": {**scenario.municipalities, code: town}})

    for code, town in sorted(scenario.municipalities.items()):
        if municipal_rule(code) in binding and town.electricity_gwh is not None:
            out.append((municipal_rule(code), f"drop {code}'s own share ({town.electricity_gwh:g} GWh)",
                        with_town(code, electricity_gwh=None)))
    if "municipality_forbids" in binding:
        for code, town in sorted(scenario.municipalities.items()):
            if town.forbid:
                out.append((f"municipality_forbids[{code}]", f"{code} admits {', '.join(town.forbid)}",
                            with_town(code, forbid=[])))
    return out


def _lp_target_dual(sites: list[Site], scenario: Scenario, baseline: Plan, fix: bool) -> float | None:
    """Dual of ``res_target`` [M€ per GWh/yr] in the LP relaxation, optionally with choices fixed."""
    target = scenario.targets.electricity_gwh
    if target is None or baseline.status is PlanStatus.SHORTFALL:
        return None
    data = prepare(sites, scenario)
    if not data.candidates:
        return None
    model = (build_region_min_cost_model(data, target) if scenario.has_municipal_targets
             else build_min_cost_model(data, target))
    chosen = set(baseline.selected)
    for i, var in model.x.items():
        var.cat = pulp.LpContinuous
        if fix:
            value = 1.0 if data.candidates[i].site_id in chosen else 0.0
            var.lowBound = var.upBound = value
    result = solve(model.problem, scenario.solver)
    if result.status is not SolveStatus.OPTIMAL:
        return None
    safe = next(k for k, v in model.constraint_names.items() if v == TARGET_RULE)
    return abs(result.duals.get(safe, 0.0))


def explain(sites: list[Site], scenario: Scenario, solver: str | None = None,
            time_limit_s: float | None = None) -> Explanation:
    """Baseline plan, the price of each binding rule, and the marginal value of the target."""
    require_single_year(scenario, "explain")
    baseline = plan(sites, scenario, solver=solver, time_limit_s=time_limit_s)
    scen = baseline_scenario = scenario
    if solver or time_limit_s:
        scen = baseline_scenario = scenario.model_copy(update={"solver": scenario.solver.model_copy(
            update={k: v for k, v in (("name", solver), ("time_limit_s", time_limit_s)) if v})})
    new_gwh = sum(s.yield_gwh for s in baseline.sites if s.chosen)
    prices = []
    for rule, words, relaxed in _relaxations(baseline_scenario, baseline):
        p = plan(sites, relaxed)
        if baseline.status is PlanStatus.SHORTFALL:
            extra = (p.max_reachable_gwh or p.yield_gwh_total) - (baseline.max_reachable_gwh or 0.0)
            prices.append(RulePrice(rule, words, p.objective_meur, None, None, extra, p.status.value))
            continue
        saving = (baseline.objective_meur or 0.0) - (p.objective_meur or 0.0)
        per_mwh = meur_per_gwh_to_eur_per_mwh(saving, new_gwh) if new_gwh > 0 else None
        prices.append(RulePrice(rule, words, p.objective_meur, saving, per_mwh, None, p.status.value))
    prices.sort(key=lambda r: (-(r.saving_meur or 0.0), -(r.extra_reachable_gwh or 0.0), r.rule))
    target_price = None
    target = scen.targets.electricity_gwh
    if target is not None and baseline.status is not PlanStatus.SHORTFALL:
        step = max(1.0, TARGET_STEP * target)
        more = plan(sites, set_target(scen, target + step))
        step_cost = None
        if more.status is not PlanStatus.SHORTFALL:
            step_cost = ((more.objective_meur or 0.0) - (baseline.objective_meur or 0.0)) / step
        target_price = TargetPrice(_lp_target_dual(sites, scen, baseline, fix=True),
                                   _lp_target_dual(sites, scen, baseline, fix=False), step, step_cost)
    return Explanation(baseline, prices, target_price, capital_recovery_factor())
