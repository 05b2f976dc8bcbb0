"""Where the composed region model's solver time goes: the composed scenario of ``bench_horizon.py``
with one part changed at a time, each planned in-process by ``run_plan`` with the same time limit.

Usage (inputs written by ``bench_horizon.py --workdir DIR``, e.g. at 16 ha)::

    python benchmarks/bench_coupling.py --workdir DIR --cell-ha 16 --time-limit 60

Variants: ``as_is`` (heat pumps' electricity in every year's target), ``tie_break`` (plus
10⁻⁶ × M€ × years against building early, to test whether the symmetry of build periods under a zero
discount rate is what stalls the bound), ``uncoupled`` (``[heat] electricity_coupling = "none"``) and
``no_shares`` (the municipalities' own shares left out). Prints one Markdown row per variant.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pulp

import energie.model.contributions as contributions
from energie.model.problem import Problem
from energie.planner.pipeline import run_plan
from models import Scenario
from sites.districts import read_districts
from sites.inputs import load_inputs

VARIANTS = ("as_is", "tie_break", "uncoupled", "no_shares")


def _with_tie_break(p: Problem) -> None:
    _set_cost(p)
    h = p.horizon
    years = [y for y in h.years if y is not None]
    extra = [(var, 1e-6 * (h.candidates[i].site.cost_meur + 1e-3) * (years[k + 1] - years[k]))
             for (i, k), var in p.w.items() if k < p.last]
    p.cost = p.cost + pulp.LpAffineExpression(extra)
    p.lp.setObjective(p.cost)


_set_cost = contributions.set_cost_objective


def variant_scenario(scenario: Scenario, variant: str) -> Scenario:
    if variant == "uncoupled":
        assert scenario.heat is not None
        return scenario.model_copy(update={"heat": scenario.heat.model_copy(update={"electricity_coupling": "none"})})
    if variant == "no_shares":
        towns = {g: m.model_copy(update={"electricity_gwh": None, "electricity_gwh_by_year": {}})
                 for g, m in scenario.municipalities.items()}
        return scenario.model_copy(update={"municipalities": towns})
    return scenario


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workdir", type=Path, required=True, help="bench_horizon.py's inputs")
    ap.add_argument("--cell-ha", type=float, default=16.0)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--solver", choices=["highs", "cbc"], default="highs")
    ap.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    args = ap.parse_args()
    inputs = load_inputs(args.workdir / f"es05_{args.cell_ha:g}ha.gpkg", args.workdir / "composed.toml")
    districts = read_districts(args.workdir / "districts.gpkg").districts
    print("| variant | status | objective M€ | gap | s |\n|---|---|---:|---:|---:|")
    for variant in args.variants:
        contributions.set_cost_objective = _with_tie_break if variant == "tie_break" else _set_cost
        t = time.perf_counter()
        r = run_plan(inputs.sites, variant_scenario(inputs.scenario, variant), districts, solver=args.solver,
                     time_limit_s=args.time_limit)
        gap = "–" if r.gap is None else f"{100 * r.gap:.3g} %"
        print(f"| {variant} | {r.status.value} | {r.objective_meur:,.2f} | {gap} | {time.perf_counter() - t:.1f} |",
              flush=True)
    contributions.set_cost_objective = _set_cost


if __name__ == "__main__":
    main()
