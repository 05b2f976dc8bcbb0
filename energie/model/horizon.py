"""The dimensions of one planning problem: periods × municipalities × heat districts.

``prepare_horizon`` turns validated inputs into the numbers every builder reads, with no solver:

- **periods**: the target years of the electricity targets (``[targets.2030]``, ...). A one-year
  scenario (``[targets] electricity_gwh``) is one period, whose year is ``None`` without heat and the
  first heat period with ``[heat]`` (the plan year the heat plan couples to);
- **sites**: ``energie.prepare`` (eligibility, conflicts) with, per site, the first period it counts
  in (its ``year``; one-year scenarios ignore it);
- **municipalities**: each own target per period (``Scenario.municipal_target_gwh``), with its
  locked-in yield and the indices of its candidates;
- **heat districts**: ``energie.build_heat.prepare_heat`` (options per district, strategy and year).

Everything is kept as lists indexed by candidate, period and municipality, so a builder adds a
contribution per dimension and a dimension of size one (or zero) takes no separate path.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from energie.build_heat import HeatData, prepare_heat
from energie.prepare import PlanningData, SiteFacts, prepare
from models import InputError, Scenario, Site
from models.errors import preview_ids
from models.heat import District
from models.scenario import ResolvedTarget


def first_period(year: int | None, years: list[int]) -> int | None:
    """Index of the first target year at or after ``year`` (0 when ``year`` is empty); ``None``
    when ``year`` is after the last one.

    Examples
    --------
    >>> first_period(2035, [2030, 2040, 2050]), first_period(None, [2030]), first_period(2051, [2050])
    (1, 0, None)
    """
    if year is None:
        return 0
    return next((k for k, t in enumerate(years) if t >= year), None)


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


@dataclass(frozen=True)
class Horizon:
    """Everything the builders need, over every dimension of the scenario."""

    data: PlanningData
    #: Electricity periods: target years (``[None]`` for a one-year scenario without heat).
    years: list[int | None]
    #: The region's target per period [GWh/yr], ``None`` where the scenario gives none.
    targets_gwh: list[float | None]
    #: Per-year scenarios: the resolved targets (readings for reports); empty for one year.
    resolved: list[ResolvedTarget]
    #: Per candidate index: the first period it may be built in.
    candidate_from: list[int]
    #: Locked-in site id → the first period it counts in.
    locked_from: dict[str, int]
    municipal: list[MunicipalNeed]
    heat: HeatData | None
    messages: list[str] = field(default_factory=list)

    @property
    def scenario(self) -> Scenario:
        return self.data.scenario

    @property
    def candidates(self) -> list[SiteFacts]:
        return self.data.candidates

    @property
    def n_periods(self) -> int:
        return len(self.years)

    @property
    def is_phased(self) -> bool:
        return bool(self.resolved)

    def label(self, k: int) -> str:
        """``,2030`` for constraint names of a per-year scenario, empty for one plan year."""
        return f",{self.years[k]}" if self.is_phased else ""

    def locked_in(self, k: int) -> list[SiteFacts]:
        return [f for f in self.data.locked if self.locked_from[f.site_id] <= k]

    def locked_yield_gwh(self, k: int) -> float:
        """Locked-in sites in operation in period ``k`` plus existing production outside the sites."""
        return sum(f.yield_gwh for f in self.locked_in(k)) + self.data.existing_gwh

    def upper_gwh(self, k: int) -> float:
        """Locked-in yield in period ``k`` plus every candidate available by then [GWh/yr]."""
        return self.locked_yield_gwh(k) + sum(
            f.yield_gwh for f, k0 in zip(self.candidates, self.candidate_from, strict=True) if k0 <= k)

    def heat_year(self, k: int) -> int | None:
        """The calendar year heat options count toward period ``k`` by (options with year ≤ it)."""
        year = self.years[k]
        if year is None and self.heat is not None:
            return self.heat.periods[0]
        return year


def _check_heat(scenario: Scenario, districts: list[District]) -> None:
    ids = [d.district_id for d in districts]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise InputError(f"district ids occur more than once: {preview_ids(twice)}; make them unique")


def _municipal_needs(data: PlanningData, years: list[int | None], locked_from: dict[str, int],
                     candidate_from: list[int]) -> list[MunicipalNeed]:
    scenario = data.scenario
    out: list[MunicipalNeed] = []
    for g, m in sorted(scenario.municipalities.items()):
        for k, year in enumerate(years):
            target = scenario.municipal_target_gwh(g, year)
            if target is None:
                continue
            locked = sum(f.yield_gwh for f in data.locked if f.site.gemeente == g and locked_from[f.site_id] <= k)
            idx = [i for i, f in enumerate(data.candidates) if f.site.gemeente == g and candidate_from[i] <= k]
            out.append(MunicipalNeed(g, k, target, m.existing_gwh + locked, idx))
    return out


def prepare_horizon(sites: list[Site], scenario: Scenario, districts: list[District] | None = None) -> Horizon:
    """The horizon of ``scenario``: periods, sites with their first periods, municipal needs, heat.

    Sites whose ``year`` lies after the last target year are left out (with a message).

    Raises
    ------
    InputError
        Repeated district ids; ``[heat]`` without districts is allowed (a plan without any).
    """
    messages: list[str] = []
    resolved = scenario.targets.resolved()
    if resolved:
        target_years = [t.year for t in resolved]
        late = sorted(s.site_id for s in sites if first_period(s.year, target_years) is None)
        if late:
            messages.append(f"sites with a year after {target_years[-1]} are left out of every period: "
                            f"{preview_ids(late)}")
            left_out = set(late)
            sites = [s for s in sites if s.site_id not in left_out]
    data = prepare(sites, scenario)
    if data.locked_conflicts:
        messages.append("locked-in turbines closer than the minimum distance: "
                        + ", ".join(f"{a}–{b}" for a, b in data.locked_conflicts[:5]))
    heat = None
    if scenario.heat is not None:
        _check_heat(scenario, districts or [])
        heat = prepare_heat(districts or [], scenario.heat)
    if resolved:
        years: list[int | None] = [t.year for t in resolved]
        ints = [t.year for t in resolved]
        targets: list[float | None] = [t.target_gwh for t in resolved]
        locked_from = {f.site_id: first_period(f.site.year, ints) or 0 for f in data.locked}
        candidate_from = [first_period(f.site.year, ints) or 0 for f in data.candidates]
    else:
        years = [heat.periods[0] if heat is not None else None]
        targets = [scenario.targets.electricity_gwh]
        locked_from = {f.site_id: 0 for f in data.locked}
        candidate_from = [0] * len(data.candidates)
    municipal = _municipal_needs(data, years, locked_from, candidate_from) if scenario.municipalities else []
    return Horizon(data, years, targets, resolved, candidate_from, locked_from, municipal, heat, messages)


def municipal_locked_gwh(h: Horizon, k: int) -> dict[str, float]:
    """Per municipality: locked-in yield inside its borders in operation in period ``k`` [GWh/yr]."""
    out: dict[str, float] = defaultdict(float)
    for f in h.locked_in(k):
        if f.site.gemeente:
            out[f.site.gemeente] += f.yield_gwh
    return out


__all__ = ["Horizon", "MunicipalNeed", "first_period", "municipal_locked_gwh", "prepare_horizon"]
