"""Pure model building: readable constraint names, spacing pairs, no solving."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pulp

from energie.model.contributions import build_problem
from energie.model.horizon import prepare_horizon
from energie.facts.prepare import prepare
from energie.facts.spacing import pairs_within
from tests.instances import scenario, small_sites


def test_constraint_families_have_readable_names():
    sites = small_sites(40, 5)
    sc = scenario(50.0, zonneladder="strict")
    h = prepare_horizon(sites, sc)
    model = build_problem(h)
    names = set(model.constraint_names.values())
    assert "res_target[electricity]" in names
    assert "lik_turbines[veenontginning]" in names or "lik_area[veenontginning]" in names
    assert any(n.startswith("spacing[") for n in names) == bool(h.data.conflicts)
    assert model.lp.status == pulp.LpStatusNotSolved  # building never solves
    assert len(model.x) == len(h.candidates)
    assert all(v.cat == pulp.LpInteger and (v.lowBound, v.upBound) == (0, 1) for v in model.x.values())
    # every target has its shortfall variable, fixed at 0 until the planner opens it
    assert [(e.rule, e.var.upBound) for e in model.elastic] == [("res_target[electricity]", 0)]


def test_a_family_without_data_adds_nothing():
    h = prepare_horizon(small_sites(20, 2), scenario(None))
    names = set(build_problem(h).constraint_names.values())
    assert not any(n.startswith(("res_target", "municipal_target", "gas_saved", "stays", "one_choice"))
                   for n in names)


def test_per_year_constraints_carry_their_year():
    from models import Scenario

    sites = [s.model_copy(update={"gemeente": "GM0001"}) for s in small_sites(20, 4, locked_share=0.0)]
    sc = Scenario.model_validate({**scenario(10.0).model_dump(mode="json"),
                                  "targets": {"2030": {"electricity_gwh": 10}, "2050": {"electricity_gwh": 20}},
                                  "municipalities": {"GM0001": {"electricity_gwh": 5}}})
    h = prepare_horizon(sites, sc)
    assert [(n.period, n.target_gwh) for n in h.municipal] == [(0, 5.0), (1, 10.0)]  # scaled like the region
    assert all(n.need_gwh > 0 for n in h.municipal), "the instance must leave each share to candidates"
    names = set(build_problem(h).constraint_names.values())
    assert {"res_target[electricity,2030]", "res_target[electricity,2050]", "municipal_target[GM0001,2030]",
            "municipal_target[GM0001,2050]"} <= names
    assert any(n.startswith("stays[") and n.endswith(",2030]") for n in names)


def test_spacing_pairs_match_all_pairs():
    rng = random.Random(3)
    pts = np.array([(rng.uniform(0, 3000), rng.uniform(0, 3000)) for _ in range(150)])
    expected = [(i, j) for i, j in itertools.combinations(range(len(pts)), 2)
                if math.dist(pts[i], pts[j]) < 400]
    assert pairs_within(pts, None, 400) == expected
    assert pairs_within(np.array([[0.0, 0.0]]), np.array([[400.0, 0.0]]), 400) == []  # exactly 400 m is fine


def test_excluded_reasons_are_stable_codes():
    data = prepare(small_sites(60, 9), scenario(50.0))
    assert {e.reason for e in data.excluded} <= {"lik_not_allowed", "nee_tenzij", "spacing_existing",
                                                 "lik_cap_full"}
    ids = [c.site_id for c in data.candidates]
    assert ids == sorted(ids)


def test_a_zonneladder_that_cannot_open_fixes_land_at_zero_instead_of_rows():
    from models import SolarField

    sc = scenario(5.0, zonneladder="strict")
    common = dict(status="candidate", cost_meur=1.0, initiator="energiecooperatie", lik_type="heide_ontginning")
    # two multifunctional fields of 10 ha each cannot both fit the 15 ha cap of heide_ontginning,
    # so "every lower step first" can never hold and no field on land may be built
    sites = [SolarField(site_id=f"M{k}", capacity_mw=8.5, area_ha=10.0, zonneladder="multifunctioneel", **common)
             for k in (1, 2)]
    sites.append(SolarField(site_id="L1", capacity_mw=4.0, area_ha=4.0, zonneladder="landbouwgrond",
                            **{**common, "lik_type": "veenontginning"}))
    p = build_problem(prepare_horizon(sites, sc))
    land = [i for i, f in enumerate(p.horizon.candidates) if f.site_id == "L1"]
    assert [p.x[i].upBound for i in land] == [0]
    assert not any(n.startswith("zonneladder[") for n in p.constraint_names.values())
    assert any("lik_area[heide_ontginning]" in m and "20.0 ha" in m for m in p.messages), p.messages
    # one lower-step field fewer and the ladder may open again: rows, no fixing
    p2 = build_problem(prepare_horizon(sites[1:], sc))
    assert any(n.startswith("zonneladder[land,L1") for n in p2.constraint_names.values())
    assert not p2.messages
