"""Pure model building: readable constraint names, spacing pairs, no solving."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pulp

from energie.build import build_max_yield_model, build_min_cost_model
from energie.prepare import prepare
from energie.spacing import pairs_within
from tests.instances import scenario, small_sites


def test_constraint_families_have_readable_names():
    sites = small_sites(40, 5)
    data = prepare(sites, scenario(50.0, zonneladder="strict"))
    model = build_min_cost_model(data, 50.0)
    names = set(model.constraint_names.values())
    assert "res_target[electricity]" in names
    assert "lik_turbines[veenontginning]" in names or "lik_area[veenontginning]" in names
    assert any(n.startswith("spacing[") for n in names) == bool(data.conflicts)
    assert model.problem.status == pulp.LpStatusNotSolved  # building never solves
    assert len(model.x) == len(data.candidates)
    assert all(v.cat == pulp.LpInteger and (v.lowBound, v.upBound) == (0, 1) for v in model.x.values())


def test_max_yield_model_has_no_target():
    data = prepare(small_sites(20, 2), scenario(50.0))
    assert "res_target[electricity]" not in build_max_yield_model(data).constraint_names.values()


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
