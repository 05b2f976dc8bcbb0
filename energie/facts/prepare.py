"""From validated inputs to planning data: eligibility, locked-in use, conflicts.

Rules that can be decided per site (LIK ``allow``, *nee, tenzij*, spacing to a
locked-in turbine, a cap already used up) exclude a candidate before the model
is built, each with a stable reason code that reports count. Rules that depend
on the combination of choices (caps, zonneladder, spacing between candidates,
the target) become constraints.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from energie.facts.accounting import field_area_ha, impact_meur, on_land, yield_gwh
from energie.facts.spacing import pairs_within
from models import ExcludedSite, Scenario, Site, SiteKind
from models.site import LOCAL_INITIATORS

#: Reason codes for excluded candidates, with the words reports use.
EXCLUSION_REASONS: dict[str, str] = {
    "lik_not_allowed": "landscape type does not admit this kind",
    "nee_tenzij": "solar on land, initiator not local (nee, tenzij)",
    "spacing_existing": "closer than the minimum distance to a locked-in turbine",
    "lik_cap_full": "landscape cap left after locked-in sites is too small",
    "municipality_forbids": "the municipality does not want this kind ([municipalities] forbid)",
    "repowers_in_operation": "repowers a site that does not retire within the plan's years",
}


@dataclass(frozen=True)
class SiteFacts:
    """A site with its resolved numbers [GWh/yr, ha, M€]."""

    site: Site
    yield_gwh: float
    area_ha: float
    impact_meur: float
    #: Objective coefficient: cost + landscape_weight × impact (+ soft-zonneladder charge) [M€].
    objective_meur: float
    on_land: bool

    @property
    def site_id(self) -> str:
        return self.site.site_id

    @property
    def kind(self) -> str:
        return self.site.kind

    @property
    def lik_type(self) -> str:
        return self.site.lik_type


@dataclass(frozen=True)
class PlanningData:
    """Everything the model builders need; candidates are sorted by site id."""

    scenario: Scenario
    locked: list[SiteFacts]
    candidates: list[SiteFacts]
    excluded: list[ExcludedSite]
    #: Candidate index pairs closer than the minimum turbine distance.
    conflicts: list[tuple[int, int]]
    locked_area_ha: dict[str, float] = field(default_factory=dict)
    locked_turbines: dict[str, int] = field(default_factory=dict)
    locked_conflicts: list[tuple[str, str]] = field(default_factory=list)
    #: Candidate index → the retiring locked-in turbines closer than the minimum distance (it may
    #: be in operation only once they have retired; ``prepare(retiring=...)``).
    near_locked: dict[int, list[str]] = field(default_factory=dict)

    @property
    def existing_gwh(self) -> float:
        """Existing production outside the sites layer (scenario ``[municipalities]``) [GWh/yr]."""
        return self.scenario.existing_gwh

    @property
    def locked_yield_gwh(self) -> float:
        """Locked-in sites plus existing production outside the sites layer [GWh/yr]."""
        return sum(f.yield_gwh for f in self.locked) + self.existing_gwh

    @property
    def candidate_yield_gwh(self) -> float:
        return sum(f.yield_gwh for f in self.candidates)

    def remaining_area_ha(self, lik_type: str) -> float | None:
        cap = self.scenario.rule_for(lik_type).max_solar_field_ha
        return None if cap is None else cap - self.locked_area_ha.get(lik_type, 0.0)

    def remaining_turbines(self, lik_type: str) -> int | None:
        cap = self.scenario.rule_for(lik_type).max_turbines
        return None if cap is None else cap - self.locked_turbines.get(lik_type, 0)


def site_facts(site: Site, scenario: Scenario) -> SiteFacts:
    """Resolve a site's yield, area, impact and objective coefficient."""
    impact = impact_meur(site, scenario)
    y = yield_gwh(site, scenario)
    land = on_land(site)
    obj = site.cost_meur + scenario.objective.landscape_weight * impact
    if land and scenario.policy.zonneladder == "soft":
        obj += scenario.objective.zonneladder_penalty_meur_per_gwh * y
    return SiteFacts(site, y, field_area_ha(site), impact, obj, land)


def _exclusion(f: SiteFacts, scenario: Scenario, data_locked_area: dict[str, float],
               data_locked_turbines: dict[str, int]) -> tuple[str, str] | None:
    site = f.site
    town = scenario.municipalities.get(site.gemeente) if site.gemeente else None
    if town is not None and site.kind in town.forbid:
        return "municipality_forbids", f"{site.gemeente} forbids {site.kind}"
    rule = scenario.rule_for(site.lik_type)
    if site.kind not in rule.allow:
        allowed = ", ".join(rule.allow) or "nothing"
        return "lik_not_allowed", f"{site.lik_type} admits {allowed}"
    if (
        f.on_land
        and scenario.policy.solar_on_land == "nee_tenzij"
        and site.initiator not in LOCAL_INITIATORS
    ):
        return "nee_tenzij", f"initiator {site.initiator} on {site.zonneladder}"  # type: ignore[union-attr]
    if site.kind == SiteKind.SOLAR_FIELD and rule.max_solar_field_ha is not None:
        left = rule.max_solar_field_ha - data_locked_area.get(site.lik_type, 0.0)
        if f.area_ha > left + 1e-9:
            return "lik_cap_full", f"{f.area_ha:.1f} ha > {max(left, 0):.1f} ha left in {site.lik_type}"
    if site.kind == SiteKind.WIND_TURBINE and rule.max_turbines is not None:
        if data_locked_turbines.get(site.lik_type, 0) >= rule.max_turbines:
            return "lik_cap_full", f"{site.lik_type} turbine cap {rule.max_turbines} used by locked-in turbines"
    return None


def locked_use(locked: list[SiteFacts]) -> tuple[dict[str, float], dict[str, int]]:
    """Per landscape type: the solar-field area [ha] and the turbines of ``locked``."""
    area: dict[str, float] = defaultdict(float)
    turbines: dict[str, int] = defaultdict(int)
    for f in locked:
        area[f.lik_type] += f.area_ha
        turbines[f.lik_type] += f.kind == SiteKind.WIND_TURBINE
    return area, turbines


def _turbine_xy(facts: list[SiteFacts]) -> np.ndarray:
    xy = [(f.site.x_m, f.site.y_m) for f in facts]  # type: ignore[union-attr]
    return np.array(xy, dtype=float).reshape(-1, 2)


def prepare(sites: list[Site], scenario: Scenario, retiring: frozenset[str] = frozenset()) -> PlanningData:
    """Split sites into locked-in and eligible candidates and find spacing conflicts.

    ``retiring``: ids of locked-in sites that retire within the horizon (phased scenarios with
    lifetimes; empty for one plan year, which ignores lifetimes). A candidate that repowers a site
    not in it is excluded (``repowers_in_operation``); one closer than the minimum distance to a
    retiring turbine only is kept, with that turbine in ``near_locked`` (the horizon lets it run once
    the turbine has retired); one closer to a turbine that stays is excluded (``spacing_existing``).
    """
    ordered = sorted(sites, key=lambda s: s.site_id)
    facts = [site_facts(s, scenario) for s in ordered]
    locked = [f for f in facts if f.site.is_locked_in]
    # caps left for candidates: beside the locked-in sites that stay (in operation at the horizon's
    # end); where a retiring site still stands, the per-period caps of the horizon hold them
    locked_area, locked_turbines = locked_use([f for f in locked if f.site_id not in retiring])

    excluded: list[ExcludedSite] = []
    eligible: list[SiteFacts] = []
    for f in facts:
        if f.site.is_locked_in:
            continue
        why = _exclusion(f, scenario, locked_area, locked_turbines)
        if why is None and f.site.repowers is not None and f.site.repowers not in retiring:
            why = "repowers_in_operation", f"replaces {f.site.repowers}, in operation to the last target year"
        if why:
            excluded.append(ExcludedSite(site_id=f.site_id, kind=f.kind, lik_type=f.lik_type,
                                         reason=why[0], detail=why[1], yield_gwh=f.yield_gwh))
        else:
            eligible.append(f)

    dist = scenario.policy.min_turbine_distance_m
    locked_wt = [f for f in locked if f.kind == SiteKind.WIND_TURBINE]
    cand_wt_idx = [i for i, f in enumerate(eligible) if f.kind == SiteKind.WIND_TURBINE]
    cand_wt = [eligible[i] for i in cand_wt_idx]
    too_close: dict[int, str] = {}
    near: dict[int, list[str]] = defaultdict(list)
    for a, b in pairs_within(_turbine_xy(cand_wt), _turbine_xy(locked_wt), dist):
        if locked_wt[b].site_id in retiring:
            near[cand_wt_idx[a]].append(locked_wt[b].site_id)
        else:
            too_close.setdefault(cand_wt_idx[a], locked_wt[b].site_id)
    candidates: list[SiteFacts] = []
    near_locked: dict[int, list[str]] = {}
    for i, f in enumerate(eligible):
        if i in too_close:
            excluded.append(ExcludedSite(
                site_id=f.site_id, kind=f.kind, lik_type=f.lik_type, reason="spacing_existing",
                detail=f"< {dist:.0f} m from {too_close[i]}", yield_gwh=f.yield_gwh))
        else:
            if i in near:
                near_locked[len(candidates)] = sorted(near[i])
            candidates.append(f)
    cand_wt_idx = [i for i, f in enumerate(candidates) if f.kind == SiteKind.WIND_TURBINE]
    pairs = pairs_within(_turbine_xy([candidates[i] for i in cand_wt_idx]), None, dist)
    conflicts = [(cand_wt_idx[a], cand_wt_idx[b]) for a, b in pairs]
    locked_pairs = pairs_within(_turbine_xy(locked_wt), None, dist)
    return PlanningData(
        scenario=scenario,
        locked=locked,
        candidates=candidates,
        excluded=sorted(excluded, key=lambda e: e.site_id),
        conflicts=conflicts,
        locked_area_ha=dict(locked_area),
        locked_turbines=dict(locked_turbines),
        locked_conflicts=[(locked_wt[a].site_id, locked_wt[b].site_id) for a, b in locked_pairs],
        near_locked=near_locked,
    )


def zonneladder_groups(data: PlanningData) -> tuple[list[int], list[int]]:
    """Indices of eligible candidates on the lower steps (roofs, fields on built-up or
    multifunctional land) and of candidate fields on land (farmland, nature)."""
    lower = [i for i, f in enumerate(data.candidates)
             if f.kind == SiteKind.ROOFTOP_SOLAR or (f.kind == SiteKind.SOLAR_FIELD and not f.on_land)]
    land = [i for i, f in enumerate(data.candidates) if f.on_land]
    return lower, land
