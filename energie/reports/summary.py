"""Aggregations of a plan by kind and by landscape type, shared by reports and exports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass

from models import Plan, SiteResult


@dataclass
class Totals:
    """Sums over a group of sites [count, MW, GWh/yr, ha, M€]."""

    sites: int = 0
    turbines: int = 0
    capacity_mw: float = 0.0
    yield_gwh: float = 0.0
    area_ha: float = 0.0
    cost_meur: float = 0.0
    impact_meur: float = 0.0

    def add(self, s: SiteResult) -> None:
        self.sites += 1
        self.turbines += s.kind == "wind_turbine"
        self.capacity_mw += s.capacity_mw
        self.yield_gwh += s.yield_gwh
        self.area_ha += s.area_ha
        if s.chosen:
            self.cost_meur += s.cost_meur
            self.impact_meur += s.impact_meur

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 6) if isinstance(v, float) else v for k, v in asdict(self).items()}


def totals_by(plan: Plan, key: str) -> dict[str, dict[str, Totals]]:
    """``{group: {"locked_in": Totals, "chosen": Totals}}`` grouped by a ``SiteResult`` field."""
    out: dict[str, dict[str, Totals]] = defaultdict(lambda: {"locked_in": Totals(), "chosen": Totals()})
    for s in plan.sites:
        out[getattr(s, key)]["chosen" if s.chosen else "locked_in"].add(s)
    return dict(sorted(out.items()))


def excluded_counts(plan: Plan) -> dict[str, tuple[int, float]]:
    """``{reason: (count, yield_gwh)}`` of excluded candidates."""
    out: dict[str, list[float]] = defaultdict(list)
    for e in plan.excluded:
        out[e.reason].append(e.yield_gwh)
    return {r: (len(v), sum(v)) for r, v in sorted(out.items())}
