"""Modelling to generate alternatives: slack, checker, brute-force distance, determinism, solvers, CLI."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from cli.main import app
from energie.check.plan import check_plan
from energie.planner.plans import plan
from energie.facts.prepare import prepare
from energie.reports.alternatives import alternatives_text
from energie.scenarios.alternatives import (
    build_alternative_model, generate_alternatives, hamming, parse_slack,
)
from models import InputError, Plan, PlanStatus, RooftopSolar, TargetResult
from sites.inputs import example_inputs
from tests.conftest import check_snapshot
from tests.instances import scenario, small_sites

runner = CliRunner()
TOL = 1e-6


@pytest.fixture(scope="module")
def hb():
    return example_inputs("hardenberg")


@pytest.fixture(scope="module")
def hb_result(hb):
    return generate_alternatives(hb.sites, hb.scenario, k=3, slack=0.05)


def _yield(s, sc):
    return s.yield_gwh if s.yield_gwh is not None else s.capacity_mw * sc.full_load_hours.for_kind(s.kind) / 1000


def _objective(s, sc):
    rule = sc.rule_for(s.lik_type)
    impact = 0.0
    if s.kind == "solar_field":
        impact = (rule.impact_per_ha or 0.0) * s.area_ha
    elif s.kind == "wind_turbine":
        impact = rule.impact_per_turbine or 0.0
    return s.cost_meur + sc.objective.landscape_weight * impact


def _assert_sound(sites, sc, r):
    """Every alternative passes the independent checker, stays within the slack and is new."""
    cap = (1 + r.slack) * r.optimum.objective_meur
    assert r.cost_cap_meur == pytest.approx(cap)
    seen = [set(r.optimum.selected)]
    for a in r.alternatives:
        assert check_plan(sites, sc, a.plan) == []
        assert a.plan.objective_meur <= cap + TOL * max(1.0, cap)
        assert a.differs_from_optimum == hamming(a.plan, r.optimum) >= 1
        assert a.min_distance == min(len(set(a.plan.selected) ^ s) for s in seen) >= 1
        seen.append(set(a.plan.selected))


def _small(seed, max_candidates=12):
    """``small_sites`` cut to at most ``max_candidates`` candidates (brute force enumerates them all)."""
    out, n = [], 0
    for s in small_sites(16, seed):
        if not s.is_locked_in:
            n += 1
            if n > max_candidates:
                continue
        out.append(s)
    return out


def _target(sites, share, **policy):
    """``share`` of the way from the locked-in yield to the most the rules admit [GWh/yr]."""
    sc = scenario(None, **policy)
    locked = sum(_yield(s, sc) for s in sites if s.is_locked_in)
    most = plan(sites, scenario(1e9, **policy)).max_reachable_gwh
    return round(locked + share * (most - locked), 3)


def _brute_force_max_distance(sites, sc, optimum: Plan, cap: float) -> int:
    """Largest Hamming distance to the optimum over every subset of candidates that the independent
    checker accepts and that costs at most ``cap``: a third implementation of the model."""
    cands = [s for s in sites if not s.is_locked_in]
    assert len(cands) <= 12
    locked_gwh = sum(_yield(s, sc) for s in sites if s.is_locked_in)
    base = set(optimum.selected)
    best = -1
    for mask in range(1 << len(cands)):
        chosen = [c for k, c in enumerate(cands) if mask >> k & 1]
        ids = {c.site_id for c in chosen}
        distance = len(ids ^ base)
        if distance <= best or sum(_objective(c, sc) for c in chosen) > cap + 1e-9:
            continue
        achieved = locked_gwh + sum(_yield(c, sc) for c in chosen)
        target = sc.targets.electricity_gwh
        fake = optimum.model_copy(update={
            "selected": sorted(ids), "cost_meur": sum(c.cost_meur for c in chosen),
            "targets": {"electricity": TargetResult(target_gwh=target, achieved_gwh=achieved,
                                                    shortfall_gwh=max(0.0, target - achieved))}})
        if not check_plan(sites, sc, fake):
            best = distance
    return best


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("text, value", [("5%", 0.05), ("5 %", 0.05), ("0.05", 0.05), ("2,5%", 0.025),
                                         ("0", 0.0), ("100%", 1.0), (".1", 0.1)])
def test_parse_slack_accepts_percent_and_fraction(text, value):
    assert parse_slack(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["abc", "", "-5%", "5%%", "150%", "5", "1.5", "nan", "inf"])
def test_parse_slack_refuses_the_rest(text):
    with pytest.raises(InputError, match="--slack"):
        parse_slack(text)


def test_k_and_slack_out_of_range_are_input_errors(hb):
    with pytest.raises(InputError, match="-k"):
        generate_alternatives(hb.sites, hb.scenario, k=0)
    with pytest.raises(InputError, match="--slack"):
        generate_alternatives(hb.sites, hb.scenario, k=1, slack=1.5)


# --------------------------------------------------------------------------- the model


def test_model_has_readable_mga_constraints():
    from energie.model.contributions import build_problem
    from energie.model.horizon import prepare_horizon

    sites = _small(1)
    model = build_problem(prepare_horizon(sites, scenario(_target(sites, 0.5))))
    d = build_alternative_model(model, 50.0, [("optimum", {0, 1}), ("alt_1", {2})])
    names = set(model.constraint_names.values())
    assert {"mga_cost_cap", "mga_distance[optimum]", "mga_distance[alt_1]", "res_target[electricity]"} <= names
    assert d.name == "mga_min_distance" and d.cat == "Integer"


# --------------------------------------------------------------------------- Hardenberg


def test_hardenberg_alternatives_are_sound_and_genuinely_different(hb, hb_result):
    r = hb_result
    assert r.optimum.status is PlanStatus.OPTIMAL
    assert len(r.alternatives) == 3 and not r.messages
    _assert_sound(hb.sites, hb.scenario, r)
    assert all(a.plan.status is PlanStatus.OPTIMAL for a in r.alternatives)
    # not near-copies: the first alternative differs in many sites
    assert r.alternatives[0].differs_from_optimum >= 10
    for k in range(len(r.plans)):
        assert r.min_difference(k) >= 1
    # the max-min difference cannot grow as plans accumulate
    distances = [a.min_distance for a in r.alternatives]
    assert distances == sorted(distances, reverse=True)


def test_zero_slack_on_hardenberg_finds_no_alternative(hb):
    r = generate_alternatives(hb.sites, hb.scenario, k=2, slack=0.0)
    assert r.alternatives == []
    assert any("no plan within 0.0 %" in m and "stopped after 0" in m for m in r.messages)


# --------------------------------------------------------------------------- small instances


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("ladder", ["off", "strict"])
def test_first_alternative_is_as_different_as_brute_force_allows(seed, ladder):
    sites = _small(seed)
    sc = scenario(_target(sites, 0.5, zonneladder=ladder), zonneladder=ladder)
    r = generate_alternatives(sites, sc, k=2, slack=0.15)
    _assert_sound(sites, sc, r)
    best = _brute_force_max_distance(sites, sc, r.optimum, r.cost_cap_meur)
    if best == 0:
        assert r.alternatives == [] and r.messages
    else:
        assert r.alternatives[0].differs_from_optimum == best
        assert r.alternatives[0].min_distance == best


def test_unique_optimum_with_zero_slack_gives_no_alternative_and_says_so():
    roofs = [RooftopSolar(site_id=f"R{i}", status="candidate", capacity_mw=6, cost_meur=c)
             for i, c in enumerate([5.0, 5.1, 9.0])]
    sc = scenario(5.0)
    r = generate_alternatives(roofs, sc, k=3, slack=0.0)
    assert r.optimum.selected == ["R0"] and r.alternatives == []
    assert r.messages == ["no plan within 0.0 % of the optimum differs from the optimum: stopped after 0 "
                          "alternative(s); a larger --slack may open more"]
    assert "stopped after 0 alternative(s)" in alternatives_text(r).replace("\n", " ")
    r = generate_alternatives(roofs, sc, k=3, slack=0.05)
    assert [a.plan.selected for a in r.alternatives] == [["R1"]]
    assert "stopped after 1 alternative(s)" in r.messages[0]


def test_shortfall_alternatives_reach_the_same_maximum():
    sites = _small(3)
    sc = scenario(10_000.0)
    r = generate_alternatives(sites, sc, k=2, slack=0.2)
    assert r.optimum.status is PlanStatus.SHORTFALL
    _assert_sound(sites, sc, r)
    for a in r.alternatives:
        assert a.plan.status is PlanStatus.SHORTFALL
        assert a.plan.yield_gwh_total == pytest.approx(r.optimum.max_reachable_gwh, abs=1e-6)


def _stable_text(text):
    """Solve times and the solver's version normalised out."""
    return re.sub(r"Solver   .*; time .* in all", "Solver   SOLVER; time T in all", text)


def _normalised(r):
    return _stable_text(alternatives_text(r))


def test_same_input_same_alternatives():
    sites = small_sites(30, 5)
    sc = scenario(_target(sites, 0.4, zonneladder="strict"), zonneladder="strict")
    a = generate_alternatives(sites, sc, k=3, slack=0.1)
    b = generate_alternatives(list(reversed(sites)), sc, k=3, slack=0.1)
    assert [x.plan.selected for x in a.alternatives] == [x.plan.selected for x in b.alternatives]
    assert _normalised(a) == _normalised(b)


@pytest.mark.parametrize("seed", range(4))
def test_cbc_and_highs_give_the_same_distances(seed):
    sites = small_sites(40, 40 + seed)
    target = _target(sites, 0.4)
    runs = [generate_alternatives(sites, scenario(target, solver=name), k=3, slack=0.25) for name in ("cbc", "highs")]
    cbc, highs = ([(a.differs_from_optimum, a.min_distance) for a in r.alternatives] for r in runs)
    assert cbc == highs and cbc
    assert runs[0].optimum.objective_meur == pytest.approx(runs[1].optimum.objective_meur, abs=1e-6)
    for r in runs:
        _assert_sound(sites, scenario(target), r)


def test_cbc_and_highs_agree_on_hardenberg(hb, hb_result):
    highs = generate_alternatives(hb.sites, hb.scenario, k=3, slack=0.05, solver="highs")
    assert [(a.differs_from_optimum, a.min_distance) for a in highs.alternatives] == [
        (a.differs_from_optimum, a.min_distance) for a in hb_result.alternatives]
    _assert_sound(hb.sites, hb.scenario, highs)


# --------------------------------------------------------------------------- CLI


def test_cli_alternatives_report_snapshot_and_json(tmp_path):
    out = tmp_path / "alt.json"
    args = ["alternatives", "--example", "hardenberg", "-k", "3", "--slack", "5%", "--no-color", "--json", str(out)]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output
    assert max(len(line) for line in r.output.splitlines()) <= 100
    text = "\n".join(line.rstrip() for line in r.output.splitlines()) + "\n"
    check_snapshot("alternatives_hardenberg.txt", _stable_text(text))
    doc = json.loads(out.read_text())
    assert doc["found"] == 3 and doc["slack"] == pytest.approx(0.05)
    assert [a["differs_from_optimum"] for a in doc["alternatives"]] == doc["distances"][0][1:]
    assert all(a["plan"]["objective"] <= doc["cost_cap_meur"] + 1e-6 for a in doc["alternatives"])
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(app, args + ["--force"]).exit_code == 0


def test_cli_alternatives_bad_options_exit_2():
    r = runner.invoke(app, ["alternatives", "--example", "hardenberg", "--slack", "abc"])
    assert r.exit_code == 2 and "--slack" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["alternatives", "--example", "hardenberg", "-k", "0"])
    assert r.exit_code == 2 and "-k" in r.output
    r = runner.invoke(app, ["alternatives", "--example", "hardenberg", "--solver", "gurobi"])
    assert r.exit_code == 2 and "--solver" in r.output
    r = runner.invoke(app, ["alternatives"])
    assert r.exit_code == 2 and "--example" in r.output
