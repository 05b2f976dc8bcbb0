"""Heat planning data: one option per (district, strategy, period) with its numbers. No solver.

``prepare_heat`` lists each district's eligible options (``energie.facts.heat_accounting``) with their
objective coefficient: weight × (1 + r)^−(period − first period) × investment [M€], where ``weight``
is the scenario's green-gas preference (1 for other strategies). The constraints they take part in
(one choice per district, gas saved per target year, green gas per year, the coupling to the
electricity targets) are contributions to the one problem: ``energie.model.contributions``.

Heat over the years, as a Transitievisie Warmte plans it: ``capacity_limits`` gives, per municipality
and period, the dwellings it can convert (``[heat] max_dwellings_per_yr`` × the period's years), and
``check_deadlines`` refuses a start district whose deadline no eligible option can meet.
"""

from __future__ import annotations

from dataclasses import dataclass

from energie.facts.heat_accounting import (
    NOT_ELIGIBLE_REASONS,
    StrategyFacts,
    discount_factor,
    not_eligible_reason,
    open_periods,
    strategy_facts,
)
from models import InputError
from models.errors import preview_ids
from models.heat import GAS_KWH_PER_M3, NO_GEMEENTE, District, HeatSettings, HeatStrategy

#: GWh of natural gas per million m³ (8.79 GWh): puts gas and electricity shortfalls on one scale.
GWH_PER_MM3 = GAS_KWH_PER_M3


@dataclass(frozen=True)
class CapacityLimit:
    """Dwellings one municipality can convert in one period: ``rate_per_yr`` × ``years``."""

    #: ``District.gemeente``, or ``NO_GEMEENTE`` for the districts without one.
    gemeente: str
    year: int
    #: Years the period spans [yr]: from the previous period year (or the conversion start year).
    years: int
    rate_per_yr: float
    #: Indices of the districts of this municipality.
    districts: list[int]

    @property
    def limit_dwellings(self) -> float:
        """The period's capacity [dwellings]."""
        return self.rate_per_yr * self.years


@dataclass(frozen=True)
class HeatOption:
    """District ``district`` (index) converting to ``facts.strategy`` in period ``year``."""

    district: int
    year: int
    facts: StrategyFacts
    #: Objective coefficient [M€]: weight × discount factor × investment.
    objective_meur: float


@dataclass(frozen=True)
class HeatData:
    """Everything the heat builders need; districts sorted by id."""

    districts: list[District]
    settings: HeatSettings
    options: list[HeatOption]
    #: district id → [(strategy, reason code)] for strategies it may not use.
    not_eligible: dict[str, list[tuple[HeatStrategy, str]]]
    green_gas_cap_m3: float

    @property
    def periods(self) -> list[int]:
        return self.settings.periods

    @property
    def gas_m3(self) -> float:
        return sum(d.gas_m3 for d in self.districts)

    def target_mm3(self, year: int) -> float:
        return self.settings.gas_saved_share[year] * self.gas_m3 / 1e6

    def capacity_limits(self) -> list[CapacityLimit]:
        """Per municipality with a conversion rate and per period, its capacity; empty without one."""
        s = self.settings
        if not s.has_capacity:
            return []
        groups: dict[str, list[int]] = {}
        for k, d in enumerate(self.districts):
            groups.setdefault(d.gemeente, []).append(k)
        out = []
        for gemeente, members in sorted(groups.items()):
            rate = s.dwellings_per_yr(gemeente)
            if rate is None:
                continue
            for year, years in s.period_years():
                out.append(CapacityLimit(gemeente or NO_GEMEENTE, year, years, rate, members))
        return out

    def deadline_period(self, district: int) -> int | None:
        """The last period year at or before the district's deadline; ``None`` without a deadline."""
        deadline = self.districts[district].deadline_year
        if deadline is None:
            return None
        return max((p for p in self.periods if p <= deadline), default=None)


def prepare_heat(districts: list[District], settings: HeatSettings) -> HeatData:
    """Eligible options per district, with their numbers and objective coefficients."""
    ordered = sorted(districts, key=lambda d: d.district_id)
    first = settings.periods[0]
    options: list[HeatOption] = []
    not_eligible: dict[str, list[tuple[HeatStrategy, str]]] = {}
    for k, d in enumerate(ordered):
        years = open_periods(d, settings.periods)
        for s in HeatStrategy:
            reason = not_eligible_reason(d, s, settings)
            if reason is not None:
                not_eligible.setdefault(d.district_id, []).append((s, reason))
                continue
            facts = strategy_facts(d, s, settings)
            for year in years:
                disc = discount_factor(year, first, settings.discount_rate_per_yr)
                options.append(HeatOption(k, year, facts, facts.weight * disc * facts.cost_meur))
    dwellings = sum(d.dwellings for d in ordered)
    hd = HeatData(ordered, settings, options, not_eligible, settings.green_gas_cap_m3(dwellings))
    check_capacity_keys(hd)
    check_deadlines(hd)
    return hd


def check_capacity_keys(hd: HeatData) -> None:
    """``InputError`` for a ``max_dwellings_per_yr_by_gemeente`` key that no district has (a typo)."""
    known = {d.gemeente for d in hd.districts}
    unknown = sorted(set(hd.settings.max_dwellings_per_yr_by_gemeente) - known)
    if unknown and hd.districts:
        raise InputError(f"[heat] max_dwellings_per_yr_by_gemeente names municipalities no district has: "
                         f"{preview_ids(unknown)}; use the districts' gemeente values "
                         f"({preview_ids(sorted(known - {''})) or 'none set'})")


def check_deadlines(hd: HeatData) -> None:
    """``InputError`` listing every start district whose ``deadline_year`` cannot be met by any option:
    before the first period, before its ``earliest_year``, no period between them, no eligible strategy."""
    first = hd.periods[0]
    years = {(o.district, o.year) for o in hd.options}
    problems = []
    for k, d in enumerate(hd.districts):
        deadline = d.deadline_year
        if deadline is None:
            continue
        if deadline < first:
            problems.append(f"{d.district_id}: deadline_year {deadline} is before the first period {first}; "
                            f"add a period ≤ {deadline} to [heat] periods (with conversion_start_year before "
                            f"it, default 2025) or move the deadline")
        elif d.earliest_year is not None and deadline < d.earliest_year:
            problems.append(f"{d.district_id}: deadline_year {deadline} is before its earliest_year "
                            f"{d.earliest_year}; one of the two is wrong")
        elif len(hd.not_eligible.get(d.district_id, [])) == len(HeatStrategy):
            reasons = "; ".join(f"{s.value}: {NOT_ELIGIBLE_REASONS[r]}" for s, r in hd.not_eligible[d.district_id])
            problems.append(f"{d.district_id}: a deadline but no eligible strategy ({reasons}); allow one "
                            "(forbid, heat_sources, area_ha) or remove the deadline")
        elif not any(dk == k and year <= deadline for dk, year in years):
            problems.append(f"{d.district_id}: no period between its earliest_year {d.earliest_year} and its "
                            f"deadline_year {deadline}; add a period in between to [heat] periods")
    if problems:
        raise InputError(f"{len(problems)} start district(s) cannot meet their deadline whatever the plan",
                         problems)


__all__ = ["GWH_PER_MM3", "NO_GEMEENTE", "CapacityLimit", "HeatData", "HeatOption", "check_capacity_keys",
           "check_deadlines", "prepare_heat"]
