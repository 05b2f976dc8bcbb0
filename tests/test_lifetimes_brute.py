"""Lifetimes and repowering: brute force = MILP on small instances (CBC and HiGHS).

The brute force is a third implementation of the rules: it enumerates, for every candidate, the
period it is built in (or none) and checks every target year on its own — locked-in sites count
from their ``year`` until ``year + lifetime_years``, a candidate built in period b runs while
year_k < year_b + lifetime, a repowering candidate (and one too close to a retiring turbine) may be
built once that site has retired, caps and spacing hold among what is in operation that year.
Its least objective must equal the MILP's.
"""

from __future__ import annotations

import functools
import itertools
import math
import random

import pytest

from energie.check.phasing import check_phased_plan
from energie.planner.pipeline import run_plan
from models import PlanStatus, Scenario, WindTurbine
from models.phasing import PhasedPlan
from tests.instances import LOCAL, RULES, site_yield, small_sites

YEARS = (2030, 2040, 2050)
K = len(YEARS)


def _copy(site, **update):
    return type(site).model_validate({**site.model_dump(), **update})


@functools.lru_cache(maxsize=None)
def instance(seed: int, discount: float) -> tuple[list, Scenario]:
    rng = random.Random(seed)
    sites = []
    for s in small_sites(8, seed, locked_share=0.35):
        if s.is_locked_in:
            sites.append(_copy(s, year=rng.choice([2005, 2012, 2020, None]), lifetime_years=rng.choice([20, 25, 30])))
        else:
            sites.append(_copy(s, year=rng.choice([None, None, 2040]), lifetime_years=rng.choice([10, 15, 25])))
    for n, old in enumerate([s for s in sites if s.is_locked_in][:2]):
        # the first two locked-in sites retire within the horizon (2012 + 20 or 25) and get a repowering
        old_at = _copy(old, year=2012, lifetime_years=rng.choice([20, 25]), lik_type="veenontginning")
        sites[sites.index(old)] = old_at
        extra = {"x_m": old.x_m + 20} if isinstance(old, WindTurbine) else {}
        sites.append(_copy(old_at, site_id=f"{old.site_id}R", status="candidate", year=None, lifetime_years=25,
                           repowers=old.site_id, capacity_mw=round(old.capacity_mw * 1.6, 3), yield_gwh=None,
                           initiator="energiecooperatie", cost_meur=round(rng.uniform(1.0, 4.0), 3), **extra))
    sc = Scenario.model_validate({
        "name": "lifetimes", "targets": {str(y): {"electricity_gwh": 1.0} for y in YEARS},
        "policy": {"solar_on_land": "nee_tenzij", "zonneladder": "off", "min_turbine_distance_m": 400},
        "objective": {"discount_rate_per_yr": discount}, "lik": RULES,
        "solver": {"gap_rel": 0.0, "time_limit_s": 60}})
    locked_yield = [sum(site_yield(s, sc) for s in sites if s.is_locked_in and _locked_runs(s, k)) for k in range(K)]
    pool = sum(site_yield(s, sc) for s in sites if not s.is_locked_in)
    targets = {str(y): {"electricity_gwh": round(locked_yield[k] + rng.uniform(0.05, 0.35) * pool, 3)}
               for k, y in enumerate(YEARS)}
    return sites, sc.model_copy(update={"targets": Scenario.model_validate(
        {"name": "t", "targets": targets}).targets})


def _first(year: int | None) -> int:
    return 0 if year is None else next(k for k, y in enumerate(YEARS) if y >= year)


def _until(s) -> int:
    """The first period a locked-in site no longer runs in."""
    if s.year is None:
        return K
    return next((k for k, y in enumerate(YEARS) if y >= s.year + s.life_years), K)


def _locked_runs(s, k: int) -> bool:
    return _first(s.year) <= k < _until(s)


def _end(c, b: int) -> int:
    return next((k for k in range(b + 1, K) if YEARS[k] >= YEARS[b] + c.life_years), K)


def _impact(c, sc) -> float:
    rule = sc.rule_for(c.lik_type)
    return rule.impact_per_ha * c.area_ha if c.kind == "solar_field" else (
        rule.impact_per_turbine if c.kind == "wind_turbine" else 0.0)


def _options(c, sc, locked) -> list[int | None]:
    """The build periods open to candidate ``c`` (``None``: not built)."""
    rule = sc.lik.get(c.lik_type)
    allow = {"rooftop_solar"} if rule is None else set(rule.allow)
    if c.kind not in allow or (c.kind == "solar_field" and c.on_land and c.initiator not in LOCAL):
        return [None]
    staying = [s for s in locked if _until(s) == K and s.lik_type == c.lik_type]
    if rule is not None and c.kind == "solar_field" and rule.max_solar_field_ha is not None:
        if c.area_ha > rule.max_solar_field_ha - sum(s.area_ha for s in staying if s.kind == "solar_field") + 1e-9:
            return [None]
    if rule is not None and c.kind == "wind_turbine" and rule.max_turbines is not None:
        if sum(s.kind == "wind_turbine" for s in staying) >= rule.max_turbines:
            return [None]
    start = _first(c.year)
    if c.repowers is not None:
        old = next(s for s in locked if s.site_id == c.repowers)
        if _until(old) == K:
            return [None]
        start = max(start, _until(old))
    if c.kind == "wind_turbine":
        for s in locked:
            if s.kind == "wind_turbine" and math.hypot(s.x_m - c.x_m, s.y_m - c.y_m) < 400 - 1e-6:
                if _until(s) == K:
                    return [None]
                start = max(start, _until(s))
    return [None, *range(start, K)]


def _period_ok(on, k: int, sc, targets: list[float]) -> bool:
    """Caps, spacing and the target among the sites in operation in period ``k``."""
    for lik, rule in sc.lik.items():
        here = [s for s in on if s.lik_type == lik]
        new_kinds = {s.kind for s in here if not s.is_locked_in}
        if rule.max_solar_field_ha is not None and "solar_field" in new_kinds:
            if sum(s.area_ha for s in here if s.kind == "solar_field") > rule.max_solar_field_ha + 1e-9:
                return False
        if rule.max_turbines is not None and "wind_turbine" in new_kinds:
            if sum(s.kind == "wind_turbine" for s in here) > rule.max_turbines:
                return False
    wts = [s for s in on if s.kind == "wind_turbine"]
    for a, b in itertools.combinations(wts, 2):
        if (not a.is_locked_in or not b.is_locked_in) and math.hypot(a.x_m - b.x_m, a.y_m - b.y_m) < 400 - 1e-6:
            return False
    return sum(site_yield(s, sc) for s in on) >= targets[k] - 1e-9


@functools.lru_cache(maxsize=None)
def brute_force(seed: int, discount: float) -> float | None:
    sites, sc = instance(seed, discount)
    locked = [s for s in sites if s.is_locked_in]
    cands = [s for s in sites if not s.is_locked_in]
    targets = [t.target_gwh for t in sc.targets.resolved()]
    d = [(1 + discount) ** -(y - YEARS[0]) for y in YEARS]
    best = None
    for schedule in itertools.product(*[_options(c, sc, locked) for c in cands]):
        cost = sum(d[b] * c.cost_meur + sc.objective.landscape_weight * _impact(c, sc)
                   for c, b in zip(cands, schedule, strict=True) if b is not None)
        if best is not None and cost >= best - 1e-12:
            continue
        ok = True
        for k in range(K):
            on = [s for s in locked if _locked_runs(s, k)]
            on += [c for c, b in zip(cands, schedule, strict=True) if b is not None and b <= k < _end(c, b)]
            if not _period_ok(on, k, sc, targets):
                ok = False
                break
        if ok:
            best = cost
    return best


@pytest.mark.parametrize("solver", ["cbc", "highs"])
@pytest.mark.parametrize("discount", [0.0, 0.04])
@pytest.mark.parametrize("seed", range(10))
def test_lifetimes_milp_equals_brute_force(seed, discount, solver):
    sites, sc = instance(seed, discount)
    expected = brute_force(seed, discount)
    p = run_plan(sites, sc, solver=solver)
    assert isinstance(p, PhasedPlan)
    if expected is None:
        assert p.status is PlanStatus.SHORTFALL
    else:
        assert p.status is PlanStatus.OPTIMAL
        assert p.objective_meur == pytest.approx(expected, abs=1e-6)
    assert check_phased_plan(sites, sc, p) == []


def test_the_instances_exercise_retirement_repowering_and_both_outcomes():
    """Else the comparison above proves little: some sites retire, some repowering is built, some
    instances are feasible and some short."""
    outcomes, retired, repowered = set(), 0, 0
    for seed in range(6):
        sites, sc = instance(seed, 0.0)
        outcomes.add(brute_force(seed, 0.0) is None)
        p = run_plan(sites, sc)
        retired += sum(len(q.retired) for q in p.periods)
        repowered += sum(len(q.repowered) for q in p.periods)
    assert outcomes == {True, False} and retired > 0 and repowered > 0
