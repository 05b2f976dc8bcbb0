"""What the solved values say, per period: in operation, built, targets met, shortfalls, reach."""

from __future__ import annotations

from energie.facts.heat import HeatOption
from energie.planner.heat_results import assemble_heat_plan, coupling_for
from energie.model.contributions import heat_coupling
from energie.model.problem import Problem, expression_value
from energie.planner.elastic import SHORT_TOL, Solved, max_in_period
from energie.engines.budget import TimeBudget
from models.heat_plan import ElectricityCoupling, HeatPlan


class Outcome:
    """What the solved values say, per period: in operation, built, targets, shortfalls, reach."""

    def __init__(self, p: Problem, solved: Solved, budget: TimeBudget) -> None:
        h = self.h = p.horizon
        self.p, self.solved = p, solved
        values = solved.values
        on = p.values_on(values)
        #: Candidate index → the periods it is in operation in (built in the first; a candidate that
        #: can retire stops when its lifetime ends, every other one stays).
        self.running: dict[int, list[int]] = {}
        for (i, k), v in sorted(on.items(), key=lambda kv: kv[0][1]):
            if v:
                self.running.setdefault(i, []).append(k)
        self.built_at: dict[int, int] = {i: ks[0] for i, ks in self.running.items()}
        self.options: list[HeatOption] = ([h.heat.options[o] for o, var in p.y.items() if values.get(var.name, 0.0) > 0.5]
                                          if h.heat is not None else [])
        self.added_gwh = [expression_value(heat_coupling(p, k), values) for k in range(h.n_periods)]
        self.spent: list[float] = []
        self.region_reach: list[float | None] = [None] * h.n_periods
        self.municipal_max: list[dict[str, float]] = [{} for _ in range(h.n_periods)]
        if solved.elastic:
            self._reach(budget)

    def chosen(self, k: int) -> set[int]:
        """Candidates in operation in period ``k``."""
        return {i for i, ks in self.running.items() if k in ks}

    def target_gwh(self, k: int) -> float | None:
        """Period ``k``'s electricity target, moved by the heat plan [GWh/yr]."""
        base = self.h.targets_gwh[k]
        return None if base is None else max(0.0, base + self.added_gwh[k])

    def achieved_gwh(self, k: int) -> float:
        return self.h.locked_yield_gwh(k) + sum(self.h.candidates[i].yield_gwh for i in self.chosen(k))

    def region_short(self, k: int) -> bool:
        t = self.target_gwh(k)
        return t is not None and self.achieved_gwh(k) < t - SHORT_TOL * max(1.0, t)

    def _reach(self, budget: TimeBudget) -> None:
        """The most each short target could reach: the region's in its period with the earlier periods
        as reached, a municipality's inside its borders under every rule (one solve each)."""
        h = self.h
        yields = [f.yield_gwh for f in h.candidates]
        for k in range(h.n_periods):
            if self.region_short(k):
                values = max_in_period(self.p, budget, yields, k, self.spent, before=h.heat_year(k))
                if values is not None:
                    got = h.locked_yield_gwh(k) + sum(yields[i] for (i, kk), var in self.p.w.items()
                                                      if kk == k and values.get(var.name, 0.0) > 0.5)
                    self.region_reach[k] = max(got, self.achieved_gwh(k))
        chosen = {k: self.chosen(k) for k in range(h.n_periods)}
        for need in h.municipal:
            k = need.period
            got = need.locked_gwh + sum(yields[i] for i in need.candidates if i in chosen[k])
            if got >= need.target_gwh - SHORT_TOL * max(1.0, need.target_gwh):
                continue
            values = max_in_period(self.p, budget, yields, k, self.spent, only=need.candidates)
            if values is not None:
                self.municipal_max[k][need.gemeente] = need.locked_gwh + sum(
                    yields[i] for i in need.candidates if values.get(self.p.w[i, k].name, 0.0) > 0.5)

    def gas_short_years(self) -> set[int]:
        return {int(e.key) for e in self.p.elastic
                if e.kind == "gas" and self.solved.values.get(e.var.name, 0.0) > SHORT_TOL}

    def missed_deadlines(self) -> set[str]:
        """Ids of the start districts that do not convert by their deadline in the plan."""
        hd = self.h.heat
        if hd is None:
            return set()
        year = {o.district: o.year for o in self.options}
        return {d.district_id for k, d in enumerate(hd.districts)
                if d.deadline_year is not None and year.get(k, d.deadline_year + 1) > d.deadline_year}

    def heat_short(self) -> bool:
        """A gas target or a start district's deadline is missed."""
        return bool(self.gas_short_years() or self.missed_deadlines())

    def heat_plan(self) -> HeatPlan | None:
        h = self.h
        if h.heat is None:
            return None
        couplings: list[ElectricityCoupling] = []
        for k, base in enumerate(h.targets_gwh):
            year = h.heat_year(k)
            if base is not None and year is not None:
                couplings.append(coupling_for(h.heat, self.options, year, base, self.added_gwh[k]))
        return assemble_heat_plan(h.heat, self.options, couplings, self.gas_short_years())


__all__ = ["Outcome"]
