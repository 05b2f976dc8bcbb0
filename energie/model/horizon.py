"""The dimensions of one planning problem: periods × municipalities × heat districts.

``prepare_horizon`` turns validated inputs into the numbers every builder reads, with no solver:

- **periods**: the target years of the electricity targets (``[targets.2030]``, ...). A one-year
  scenario (``[targets] electricity_gwh``) is one period, whose year is ``None`` without heat and the
  first heat period with ``[heat]`` (the plan year the heat plan couples to);
- **sites**: ``energie.facts.prepare`` (eligibility, conflicts) with, per site, the first period it counts
  in (its ``year``) and, per locked-in site, the first it no longer counts in (``year`` +
  ``lifetime_years``); a candidate built in period b runs while year_k < year_b + lifetime. A
  candidate that repowers a site, or stands too close to a retiring turbine, is available from
  the period that site retires in. One-year scenarios ignore ``year`` and lifetimes;
- **municipalities**: each own target per period (``Scenario.municipal_target_gwh``), with its
  locked-in yield and the indices of its candidates;
- **heat districts**: ``energie.facts.heat.prepare_heat`` (options per district, strategy and year).

Everything is kept as lists indexed by candidate, period and municipality, so a builder adds a
contribution per dimension and a dimension of size one (or zero) takes no separate path.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from energie.facts.heat import HeatData, prepare_heat
from energie.facts.region import MunicipalNeed
from energie.facts.prepare import PlanningData, SiteFacts, prepare
from models import InputError, Scenario, Site
from models.errors import preview_ids
from models.heat import District
from models.site import repowering_problems
from models.targets import ResolvedTarget


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
    #: Locked-in site id → the first period it no longer counts in (``n_periods``: runs through).
    locked_until: dict[str, int] = field(default_factory=dict)
    #: Per candidate index: its technical lifetime [yr] (phased scenarios; ``None``: runs through).
    candidate_life: list[int | None] = field(default_factory=list)

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
        """Locked-in sites in operation in period ``k``: started by then, not yet retired."""
        return [f for f in self.data.locked if self.counts(f.site_id, k)]

    def counts(self, site_id: str, k: int) -> bool:
        """Whether locked-in ``site_id`` is in operation in period ``k``."""
        return self.locked_from[site_id] <= k < self.locked_until.get(site_id, self.n_periods)

    def end_period(self, i: int, b: int) -> int:
        """The first period candidate ``i`` built in period ``b`` no longer runs in (``n_periods``:
        it runs to the end): the first target year at or after year_b + lifetime."""
        life = self.candidate_life[i] if self.candidate_life else None
        year_b = self.years[b]
        if life is None or year_b is None:
            return self.n_periods
        return next((k for k in range(b + 1, self.n_periods) if (self.years[k] or 0) >= year_b + life),
                    self.n_periods)

    def can_retire(self, i: int) -> bool:
        """Whether candidate ``i``, built in its first period, retires before the last one ends."""
        return self.end_period(i, self.candidate_from[i]) < self.n_periods

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
    counts = Counter(d.district_id for d in districts)
    twice = sorted(i for i, n in counts.items() if n > 1)
    if twice:
        raise InputError(f"district ids occur more than once: {preview_ids(twice)}; make them unique")


def _municipal_needs(data: PlanningData, years: list[int | None], counts: Callable[[str, int], bool],
                     candidate_from: list[int]) -> list[MunicipalNeed]:
    scenario = data.scenario
    # one pass over the sites, grouped by municipality (not one scan per municipality and period)
    cands: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(data.candidates):
        if f.site.gemeente:
            cands[f.site.gemeente].append(i)
    locked: dict[str, list[SiteFacts]] = defaultdict(list)
    for f in data.locked:
        if f.site.gemeente:
            locked[f.site.gemeente].append(f)
    out: list[MunicipalNeed] = []
    for g, m in sorted(scenario.municipalities.items()):
        for k, year in enumerate(years):
            target = scenario.municipal_target_gwh(g, year)
            if target is None:
                continue
            locked_gwh = sum(f.yield_gwh for f in locked[g] if counts(f.site_id, k))
            idx = [i for i in cands[g] if candidate_from[i] <= k]
            out.append(MunicipalNeed(g, k, target, m.existing_gwh + locked_gwh, idx))
    return out


def prepare_horizon(sites: list[Site], scenario: Scenario, districts: list[District] | None = None) -> Horizon:
    """The horizon of ``scenario``: periods, sites with their first periods, municipal needs, heat.

    Sites whose ``year`` lies after the last target year are left out (with a message).

    Raises
    ------
    InputError
        Repeated district ids (``[heat]`` without districts is allowed: a plan without any); a
        ``repowers`` that names no existing or planned site of the same kind.
    """
    bad = repowering_problems(sites)
    if bad:
        raise InputError("repowers must name the existing or planned site of the same kind it replaces",
                         [f"site {sid}: {why}" for sid, why in bad])
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
    until: dict[str, int] = {}
    if resolved:
        until, retire_notes = retirements(sites, [t.year for t in resolved])
        messages += retire_notes
    data = prepare(sites, scenario, frozenset(sid for sid, k in until.items() if k < len(resolved)))
    if data.locked_conflicts:
        messages.append("locked-in turbines closer than the minimum distance: "
                        + ", ".join(f"{a}–{b}" for a, b in data.locked_conflicts[:5]))
    heat = None
    if scenario.heat is not None:
        _check_heat(scenario, districts or [])
        heat = prepare_heat(districts or [], scenario.heat)
    life: list[int | None] = []
    if resolved:
        years: list[int | None] = [t.year for t in resolved]
        ints = [t.year for t in resolved]
        targets: list[float | None] = [t.target_gwh for t in resolved]
        locked_from = {f.site_id: first_period(f.site.year, ints) or 0 for f in data.locked}
        candidate_from = [max([first_period(f.site.year, ints) or 0]
                              + [until[e] for e in data.near_locked.get(i, [])]
                              + ([until[f.site.repowers]] if f.site.repowers else []))
                          for i, f in enumerate(data.candidates)]
        life = [f.site.life_years for f in data.candidates]
    else:
        years = [heat.periods[0] if heat is not None else None]
        targets = [scenario.targets.electricity_gwh]
        locked_from = {f.site_id: 0 for f in data.locked}
        candidate_from = [0] * len(data.candidates)
    n = len(years)
    until = {f.site_id: until.get(f.site_id, n) for f in data.locked}

    def counts(sid: str, k: int) -> bool:
        return locked_from[sid] <= k < until[sid]

    municipal = _municipal_needs(data, years, counts, candidate_from) if scenario.municipalities else []
    return Horizon(data, years, targets, resolved, candidate_from, locked_from, municipal, heat, messages, until, life)


def retirements(sites: list[Site], years: list[int]) -> tuple[dict[str, int], list[str]]:
    """Per locked-in site: the index of the first target year at or after ``year + lifetime`` (its
    retirement; ``len(years)``: it runs through), with notes on what this assumes.

    A site without ``year`` runs through the horizon; a note names those whose lifetime is shorter
    than the horizon (they would retire within it even if they started in the first target year).

    Examples
    --------
    >>> from models import RooftopSolar
    >>> old = RooftopSolar(site_id="R", status="existing", capacity_mw=1, cost_meur=0, year=2010)
    >>> retirements([old], [2030, 2040, 2050])[0]   # 2010 + 25 = 2035: gone from 2040 on
    {'R': 1}
    """
    notes: list[str] = []
    locked = [s for s in sites if s.is_locked_in]
    until = {s.site_id: len(years) if s.year is None else
             next((k for k, t in enumerate(years) if t >= s.year + s.life_years), len(years)) for s in locked}
    gone = sorted(sid for sid, k in until.items() if k == 0)
    if gone:
        notes.append(f"sites retired before {years[0]} (year + lifetime_years) count in no period: {preview_ids(gone)}")
    unknown = sorted(s.site_id for s in locked if s.year is None and years[0] + s.life_years <= years[-1])
    if unknown:
        notes.append(f"sites without a year are taken to run through {years[-1]}, though their lifetime is "
                     f"shorter than {years[0]}–{years[-1]}; give their year of operation: {preview_ids(unknown)}")
    return until, notes


def municipal_locked_gwh(h: Horizon, k: int) -> dict[str, float]:
    """Per municipality: locked-in yield inside its borders in operation in period ``k`` [GWh/yr]."""
    out: dict[str, float] = defaultdict(float)
    for f in h.locked_in(k):
        if f.site.gemeente:
            out[f.site.gemeente] += f.yield_gwh
    return out


__all__ = ["Horizon", "MunicipalNeed", "first_period", "municipal_locked_gwh", "prepare_horizon", "retirements"]
