"""Region-wide facts: each municipality's own share, what its sites can give, notes on shares no site serves.

A municipality's own target counts only the sites inside its borders (``gemeente``) plus its
existing production outside the sites layer (``existing_gwh``); every site counts for the region.
The constraints are contributions of the one problem (``municipal_target[<gemeente>(,<year>)]`` in
``energie.model.contributions``); the result rows are assembled in ``energie.planner.municipalities``.

Examples
--------
>>> from models import Scenario, RooftopSolar
>>> roofs = [RooftopSolar(site_id=f"R{g}", status="candidate", capacity_mw=10, cost_meur=8,
...                       gemeente=g) for g in ("GM0001", "GM0002")]
>>> s = Scenario(name="region", targets={"electricity_gwh": 5},
...              municipalities={"GM0002": {"electricity_gwh": 5}})
>>> from energie.facts.prepare import prepare
>>> [(n.gemeente, n.target_gwh, n.candidates) for n in municipal_needs(prepare(roofs, s))]
[('GM0002', 5.0, [1])]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from energie.facts.prepare import PlanningData
from models import InputError

#: Sites without a ``gemeente`` are shown under this key.
NO_GEMEENTE = "(none)"


@dataclass(frozen=True)
class MunicipalNeed:
    """A municipality's own target in one period [GWh/yr]."""

    gemeente: str
    period: int
    target_gwh: float
    #: existing_gwh + locked-in sites inside its borders in operation in the period [GWh/yr].
    locked_gwh: float
    #: Indices of eligible candidates inside its borders.
    candidates: list[int]

    @property
    def need_gwh(self) -> float:
        return self.target_gwh - self.locked_gwh


def region_messages(data: PlanningData) -> list[str]:
    """Notes on municipal targets the sites cannot serve; ``InputError`` when no site has a gemeente."""
    targets = {g for g, m in data.scenario.municipalities.items() if m.electricity_gwh is not None}
    if not targets:
        return []
    facts = data.locked + data.candidates
    present = {f.site.gemeente for f in facts if f.site.gemeente}
    if not present:
        raise InputError(
            f"the scenario gives {len(targets)} municipality target(s) ([municipalities]) but no site has a "
            "gemeente: add a 'gemeente' column (CBS code such as GM0166) to the sites layer, or generate "
            "the candidates with `energie candidates`, which fills it from the municipal boundaries")
    return [f"municipality {g} has a target but no eligible or locked-in site inside its borders (sites' "
            "gemeente column); only its existing_gwh counts" for g in sorted(targets - present)]


def municipal_needs(data: PlanningData) -> list[MunicipalNeed]:
    """One ``MunicipalNeed`` per municipality with a target, sorted by key."""
    locked: dict[str, float] = defaultdict(float)
    for f in data.locked:
        if f.site.gemeente:
            locked[f.site.gemeente] += f.yield_gwh
    idx: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(data.candidates):
        if f.site.gemeente:
            idx[f.site.gemeente].append(i)
    return [MunicipalNeed(g, 0, m.electricity_gwh, m.existing_gwh + locked[g], idx[g])
            for g, m in sorted(data.scenario.municipalities.items()) if m.electricity_gwh is not None]


__all__ = ["MunicipalNeed", "NO_GEMEENTE", "municipal_needs", "region_messages"]
