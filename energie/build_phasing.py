"""Pure builders of the phased MILP (see ``energie.phasing`` for the formulation). No I/O, no solving."""

from __future__ import annotations

from dataclasses import dataclass

import pulp

from energie.build import BuiltModel, add_lik_constraints, add_spacing_constraints, zonneladder_groups
from energie.prepare import PlanningData, SiteFacts, prepare
from models import Scenario, Site
from models.errors import preview_ids
from models.scenario import ResolvedTarget


def _first_period(year: int | None, years: list[int]) -> int | None:
    """Index of the first target year at or after ``year`` (0 when ``year`` is empty)."""
    if year is None:
        return 0
    return next((k for k, t in enumerate(years) if t >= year), None)


@dataclass(frozen=True)
class PhasedData:
    """Planning data over the horizon plus, per site, the first period it may count in."""

    data: PlanningData
    targets: list[ResolvedTarget]
    #: Locked-in site id → index of the first period it counts in.
    locked_from: dict[str, int]
    #: Per candidate index: the first period it may be built in.
    candidate_from: list[int]
    messages: list[str]

    @property
    def years(self) -> list[int]:
        return [t.year for t in self.targets]

    def locked_in(self, k: int) -> list[SiteFacts]:
        return [f for f in self.data.locked if self.locked_from[f.site_id] <= k]

    def locked_yield_gwh(self, k: int) -> float:
        return sum(f.yield_gwh for f in self.locked_in(k))

    def upper_gwh(self, k: int) -> float:
        """Locked-in yield in period ``k`` plus every candidate available by then [GWh/yr]."""
        return self.locked_yield_gwh(k) + sum(
            f.yield_gwh for f, k0 in zip(self.data.candidates, self.candidate_from, strict=True) if k0 <= k)


def prepare_phased(sites: list[Site], scenario: Scenario) -> PhasedData:
    """Resolve the targets and prepare the horizon: sites whose ``year`` is after the last target
    year are left out (with a message); exclusions use every locked-in site of the horizon."""
    targets = scenario.targets.resolved()
    if not targets:
        raise ValueError("prepare_phased needs a scenario with per-year targets ([targets.2030], ...)")
    years = [t.year for t in targets]
    late = [s for s in sites if _first_period(s.year, years) is None]
    late_ids = {s.site_id for s in late}
    data = prepare([s for s in sites if s.site_id not in late_ids], scenario)
    messages = []
    if late:
        messages.append(f"sites with a year after {years[-1]} are left out of every period: "
                        f"{preview_ids(sorted(late_ids))}")
    if data.locked_conflicts:
        messages.append("locked-in turbines closer than the minimum distance: "
                        + ", ".join(f"{a}–{b}" for a, b in data.locked_conflicts[:5]))
    locked_from = {f.site_id: _first_period(f.site.year, years) or 0 for f in data.locked}
    candidate_from = [_first_period(f.site.year, years) or 0 for f in data.candidates]
    return PhasedData(data, targets, locked_from, candidate_from, messages)


# ---------------------------------------------------------------------------------------- model


@dataclass
class PhasedModel:
    """A PuLP problem with ``w[(candidate index, period index)]``; ``view`` holds the last period's
    variables as a ``BuiltModel`` for the single-year builders, and every constraint name."""

    view: BuiltModel
    w: dict[tuple[int, int], pulp.LpVariable]

    @property
    def problem(self) -> pulp.LpProblem:
        return self.view.problem


def new_phased_model(pd: PhasedData, sense: int, name: str) -> PhasedModel:
    """One binary ``w_<index>_<year>`` per candidate and period from its first period on."""
    prob = pulp.LpProblem(name, sense)
    last = len(pd.years) - 1
    w = {(i, k): prob.add_variable(f"w_{i:06d}_{pd.years[k]}", 0, 1, cat=pulp.LpBinary)
         for i, k0 in enumerate(pd.candidate_from) for k in range(k0, last + 1)}
    return PhasedModel(BuiltModel(prob, {i: w[i, last] for i in range(len(pd.candidate_from))}), w)


def _operating(model: PhasedModel, pd: PhasedData, k: int, weight: list[float]) -> pulp.LpAffineExpression:
    return pulp.LpAffineExpression([(model.w[i, k], c) for i, c in enumerate(weight)
                                    if c and (i, k) in model.w])


def add_stay_constraints(model: PhasedModel, pd: PhasedData) -> None:
    """A candidate in operation in one period is in operation in the next: w[i, t] ≤ w[i, t+1]."""
    for (i, k), var in model.w.items():
        if (i, k + 1) in model.w:
            model.view.add(f"stays[{pd.data.candidates[i].site_id},{pd.years[k]}]", var - model.w[i, k + 1] <= 0)


def add_period_target_constraints(model: PhasedModel, pd: PhasedData, levels: list[float]) -> None:
    """Per period: locked-in yield in operation + Σ yield × w ≥ level [GWh/yr]."""
    yields = [f.yield_gwh for f in pd.data.candidates]
    for k, level in enumerate(levels):
        model.view.add(f"res_target[electricity,{pd.years[k]}]",
                       _operating(model, pd, k, yields) >= level - pd.locked_yield_gwh(k))


def add_period_zonneladder_constraints(model: PhasedModel, pd: PhasedData) -> None:
    """Strict zonneladder per period, on the candidates available by then: a field on land in
    operation ⇒ every lower-step candidate in operation (via ``lower_steps_full_<year>`` ∈ [0, 1])."""
    if pd.data.scenario.policy.zonneladder != "strict":
        return
    lower, land = zonneladder_groups(pd.data)
    for k, year in enumerate(pd.years):
        lower_k = [i for i in lower if (i, k) in model.w]
        land_k = [i for i in land if (i, k) in model.w]
        if not lower_k or not land_k:
            continue
        full = model.problem.add_variable(f"lower_steps_full_{year}", 0, 1)
        for i in lower_k:
            model.view.add(f"zonneladder[lower,{pd.data.candidates[i].site_id},{year}]", full - model.w[i, k] <= 0)
        for i in land_k:
            model.view.add(f"zonneladder[land,{pd.data.candidates[i].site_id},{year}]", model.w[i, k] - full <= 0)


def add_phased_rule_constraints(model: PhasedModel, pd: PhasedData) -> None:
    """Staying, caps and spacing over the horizon, the zonneladder per period."""
    add_stay_constraints(model, pd)
    add_lik_constraints(model.view, pd.data)
    add_spacing_constraints(model.view, pd.data)
    add_period_zonneladder_constraints(model, pd)


def discount_factors(pd: PhasedData) -> list[float]:
    """(1 + r)^−(t − first year) per period [-]."""
    r = pd.data.scenario.objective.discount_rate_per_yr
    return [(1.0 + r) ** -(t - pd.years[0]) for t in pd.years]


def build_coefficient(f: SiteFacts, discount: float) -> float:
    """Objective coefficient of building ``f`` in a period with discount factor ``discount`` [M€]:
    the investment discounted, landscape impact and soft-ladder charge not."""
    return f.objective_meur - (1.0 - discount) * f.site.cost_meur


def set_phased_cost_objective(model: PhasedModel, pd: PhasedData) -> None:
    """Minimise Σ coefficient(i, t) × built[i, t], written on w: built = w[t] − w[t−1]."""
    d = discount_factors(pd)
    last = len(pd.years) - 1
    terms = []
    for (i, k), var in model.w.items():
        f = pd.data.candidates[i]
        later = build_coefficient(f, d[k + 1]) if k < last else 0.0
        terms.append((var, build_coefficient(f, d[k]) - later))
    model.problem.setObjective(pulp.LpAffineExpression([(v, c) for v, c in terms if c]))


def build_phased_min_cost_model(pd: PhasedData, levels: list[float]) -> PhasedModel:
    """Least-cost phased plan whose yield in each period reaches ``levels`` [GWh/yr]."""
    model = new_phased_model(pd, pulp.LpMinimize, "phased_min_cost")
    set_phased_cost_objective(model, pd)
    add_period_target_constraints(model, pd, levels)
    add_phased_rule_constraints(model, pd)
    return model


def build_phased_max_yield_model(pd: PhasedData, k: int, earlier_levels: list[float]) -> PhasedModel:
    """Most yield in period ``k`` with each earlier period at its level [GWh/yr]."""
    model = new_phased_model(pd, pulp.LpMaximize, f"phased_max_yield_{pd.years[k]}")
    model.problem.setObjective(_operating(model, pd, k, [f.yield_gwh for f in pd.data.candidates]))
    add_period_target_constraints(model, pd, earlier_levels)
    add_phased_rule_constraints(model, pd)
    return model


def build_latest_build_model(pd: PhasedData, levels: list[float], final: set[int]) -> PhasedModel:
    """With the final set fixed, build each site as late as the levels allow: minimise
    Σ_i cost_i × Σ_{t < last} w[i, t] × (next year − t), the M€-years invested early."""
    model = new_phased_model(pd, pulp.LpMinimize, "phased_latest_build")
    last = len(pd.years) - 1
    for i, var in model.view.x.items():
        var.lowBound = var.upBound = float(i in final)
    # + 1 k€ so that a free site is not built early for nothing either
    terms = [(var, (pd.data.candidates[i].site.cost_meur + 1e-3) * (pd.years[k + 1] - pd.years[k]))
             for (i, k), var in model.w.items() if k < last and i in final]
    model.problem.setObjective(pulp.LpAffineExpression(terms))
    add_period_target_constraints(model, pd, levels)
    add_stay_constraints(model, pd)
    add_period_zonneladder_constraints(model, pd)
    return model


# ---------------------------------------------------------------------------------------- solve
