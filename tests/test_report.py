"""Snapshot tests of the terminal report (100 columns, no colour) and the JSON export."""

from __future__ import annotations

import json

from energie.planner.plans import plan_inputs
from energie.reports.export import plan_to_json
from energie.reports.terminal import plan_report_text
from sites import load_inputs
from tests.conftest import check_snapshot


def _stable(p):
    """Remove what legitimately varies between machines: times and solver version."""
    return p.model_copy(update={"solve_time_s": 0.0, "build_time_s": 0.0, "solver_version": "SOLVER"})


def test_report_snapshot_tiny(tiny_paths):
    p = plan_inputs(load_inputs(*tiny_paths))
    text = plan_report_text(_stable(p), width=100)
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "\x1b[" not in text  # no colour codes
    for words in ("res_target[electricity]", "lik_turbines[veenontginning]", "nee_tenzij", "Locked-in sites"):
        assert words in text
    check_snapshot("tiny_report.txt", text)


def test_report_is_deterministic_across_solvers(tiny_paths):
    inputs = load_inputs(*tiny_paths)
    a = plan_report_text(_stable(plan_inputs(inputs, solver="cbc")))
    b = plan_report_text(_stable(plan_inputs(inputs, solver="highs")))
    assert a == b


def test_shortfall_report_names_maximum(tiny_paths):
    inputs = load_inputs(*tiny_paths)
    sc = inputs.scenario.model_copy(update={"targets": inputs.scenario.targets.model_copy(
        update={"electricity_gwh": 500.0})})
    from energie.planner.plans import plan

    p = plan(inputs.sites, sc)
    text = plan_report_text(_stable(p))
    assert "shortfall" in text and "Maximum reachable under the rules" in text


def test_json_export_contract(tiny_paths):
    p = plan_inputs(load_inputs(*tiny_paths))
    doc = json.loads(json.dumps(plan_to_json(p)))
    for key in ("status", "objective", "gap", "bound", "solver", "selected", "yield_gwh_total", "targets",
                "by_lik", "by_kind", "binding"):
        assert key in doc
    assert doc["selected"] == sorted(doc["selected"])
    t = doc["targets"]["electricity"]
    assert set(t) == {"target", "achieved", "shortfall"}
    assert abs(doc["yield_gwh_total"] - t["achieved"]) < 1e-9
    kinds = doc["by_kind"]
    assert sum(v["chosen"]["sites"] for v in kinds.values()) == len(doc["selected"])
