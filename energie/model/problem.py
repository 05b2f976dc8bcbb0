"""The one planning problem: variables over the horizon, named constraints, elastic targets.

A ``Problem`` holds the PuLP problem and its variables keyed by dimension:

- ``w[(i, k)]`` ∈ {0, 1}: candidate ``i`` is in operation in period ``k`` (built then or earlier),
  from its first period on; a one-period problem names them ``x_<i>``, as every plan did before;
- ``s[(i, b)]`` ∈ {0, 1}: candidate ``i`` is built in period ``b``, only for candidates whose lifetime
  can end within the horizon (``Horizon.can_retire``); their ``w`` follows from it (``operates``).
  Every other candidate is built once and stays, so built = w[i, k] − w[i, k − 1] needs no variable;
- ``y[o]`` ∈ {0, 1}: heat option ``o`` (a district, a strategy, a switch year) is taken;
- one ``Elastic`` shortfall variable per target (region per period, municipality per period, gas
  per year), fixed at 0 until the planner opens it to explain a target that cannot be met.

Constraint names are readable and stable (``res_target[electricity,2030]``,
``municipal_target[GM0166,2050]``); PuLP replaces brackets in LP files, so ``constraint_names``
maps each safe name back. Contributions live in ``energie.model.contributions``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulp

from energie.model.horizon import Horizon


#: PuLP writes names without brackets, commas and spaces; the readable name is kept beside.
_SAFE = str.maketrans("[], -/+>", "________")


@dataclass(frozen=True)
class Elastic:
    """A target's shortfall variable [its unit], with what it belongs to.

    ``year``: the calendar year the target is for (tiers of the shortfall scheme go in time order;
    ``None`` for a one-year scenario without heat). ``weight``: the target's unit on the common
    energy scale [GWh/yr per unit]: 1 for electricity, 8.79 for a million m³ of gas.
    """

    rule: str
    var: pulp.LpVariable
    year: int | None
    weight: float
    kind: str  # "region", "municipality", "gas" or "deadline"
    key: str   # the municipality's code, "region", the gas year as text or the district id
    #: The target's figure [its unit]: the scale of the tolerance on a shortfall.
    target: float
    period: int | None = None


@dataclass
class Problem:
    """A PuLP problem over a ``Horizon`` with its variables and readable constraint names."""

    lp: pulp.LpProblem
    horizon: Horizon
    w: dict[tuple[int, int], pulp.LpVariable]
    y: dict[int, pulp.LpVariable] = field(default_factory=dict)
    elastic: list[Elastic] = field(default_factory=list)
    constraint_names: dict[str, str] = field(default_factory=dict)
    #: Readable name → the constraint as added.
    constraints: dict[str, pulp.LpConstraint] = field(default_factory=dict)
    #: Candidates that can retire within the horizon: (index, build period) → built then.
    s: dict[tuple[int, int], pulp.LpVariable] = field(default_factory=dict)
    #: The least-cost objective (investment, weighted landscape impact, policy charges, heat) [M€].
    cost: pulp.LpAffineExpression = field(default_factory=pulp.LpAffineExpression)
    #: What building the problem found and the report should say (e.g. a zonneladder that cannot open).
    messages: list[str] = field(default_factory=list)

    def add(self, readable: str, constraint: pulp.LpConstraint) -> None:
        safe = readable.translate(_SAFE).rstrip("_")
        self.lp += constraint, safe
        self.constraint_names[safe] = readable
        self.constraints[readable] = constraint

    @property
    def last(self) -> int:
        return self.horizon.n_periods - 1

    @property
    def x(self) -> dict[int, pulp.LpVariable]:
        """Candidate index → its variable in the last period (in the plan at the end of the horizon)."""
        last = self.last
        return {i: var for (i, k), var in self.w.items() if k == last}

    def operating(self, k: int, weights: list[float], only: list[int] | None = None) -> pulp.LpAffineExpression:
        """Σ weight_i × w[i, k] over candidates (``only``: these indices) [the weights' unit]."""
        idx = range(len(weights)) if only is None else only
        return pulp.LpAffineExpression([(self.w[i, k], weights[i]) for i in idx
                                        if weights[i] and (i, k) in self.w])

    def retiring(self) -> list[int]:
        """Indices of the candidates with build variables ``s`` (their lifetime can end in the horizon)."""
        return sorted({i for i, _ in self.s})

    def built_by(self, i: int, k: int) -> pulp.LpAffineExpression:
        """1 when candidate ``i`` is built in period ``k`` or earlier (retired or not), else 0."""
        if (i, k) not in self.w:
            return pulp.LpAffineExpression()
        if (i, self.horizon.candidate_from[i]) in self.s:
            return pulp.LpAffineExpression([(self.s[i, b], 1.0) for b in range(self.horizon.candidate_from[i], k + 1)])
        return pulp.LpAffineExpression([(self.w[i, k], 1.0)])

    def add_elastic(self, rule: str, year: int | None, weight: float, kind: str, key: str, target: float,
                    period: int | None = None) -> pulp.LpVariable:
        """A shortfall variable for ``rule``, fixed at 0 until opened."""
        var = self.lp.add_variable(f"short_{len(self.elastic):05d}", 0, 0)
        self.elastic.append(Elastic(rule, var, year, weight, kind, key, target, period))
        return var

    def values_on(self, values: dict[str, float]) -> dict[tuple[int, int], bool]:
        """Which candidate is in operation in which period at solved ``values``."""
        return {key: values.get(var.name, 0.0) > 0.5 for key, var in self.w.items()}


def expression_value(expr: pulp.LpAffineExpression, values: dict[str, float]) -> float:
    """An expression's value at solved ``values`` (variable name → value; a missing one is 0)."""
    return float(expr.constant) + sum(c * values.get(v.name, 0.0) for v, c in expr.items())


def new_problem(h: Horizon, name: str = "plan") -> Problem:
    """A minimising problem with ``w`` for every candidate from its first period on, and ``s`` for
    every candidate that can retire within the horizon."""
    lp = pulp.LpProblem(name, pulp.LpMinimize)
    one = h.n_periods == 1
    w: dict[tuple[int, int], pulp.LpVariable] = {}
    for i, k0 in enumerate(h.candidate_from):
        for k in range(k0, h.n_periods):
            var_name = f"x_{i:06d}" if one else f"w_{i:06d}_{h.years[k]}"
            w[i, k] = lp.add_variable(var_name, 0, 1, cat=pulp.LpBinary)
    s = {(i, b): lp.add_variable(f"b_{i:06d}_{h.years[b]}", 0, 1, cat=pulp.LpBinary)
         for i, k0 in enumerate(h.candidate_from) if h.can_retire(i) for b in range(k0, h.n_periods)}
    return Problem(lp, h, w, s=s)


__all__ = ["Elastic", "Problem", "expression_value", "new_problem"]
