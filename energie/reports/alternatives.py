"""Terminal report of ``alternatives``: the optimum and its most different near-optimal plans.

Reads only the result (plans and differences), never the solver; ≤ 100 columns without colour.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from energie import fmt
from energie.reports.rich_tables import SHORT_KIND, render_to_text, row, table
from energie.reports.export import plan_to_json
from energie.scenarios.alternatives import Alternative, AlternativesResult, hamming
from energie.scenarios.compare import compare_plans, plan_metrics
from models import PlanStatus, SiteResult


def _headline(r: AlternativesResult) -> Text:
    opt = r.optimum
    text = Text(f"Alternatives within {fmt.pct(r.slack)} of the optimum (modelling to generate alternatives)\n",
                style="bold")
    text.append(f"Scenario {opt.scenario_name}\n"
                f"Optimum  {fmt.num(opt.objective_meur, 2)} M€ ({opt.status.value}); cost cap "
                f"{fmt.num(r.cost_cap_meur, 2)} M€ = optimum + {fmt.pct(r.slack)}\n"
                f"Found    {len(r.alternatives)} of the {r.requested} alternative(s) asked for\n"
                f"Solver   {opt.solver_version}; time {fmt.seconds(r.time_s)} in all\n")
    if opt.status is PlanStatus.SHORTFALL:
        text.append(f"The target cannot be met: every plan reaches the maximum of {fmt.num(opt.max_reachable_gwh)} "
                    "GWh under the rules.\n", style="bold")
    text.append("Each alternative has the most sites that differ from the optimum and from every alternative "
                "before it, and is the cheapest such plan; locked-in sites are in every plan.\n")
    return text


def _plans(r: AlternativesResult) -> Table:
    # short two-line headers: rich fits a table that is too wide by truncating cells, not by wrapping words
    t = table("Plans", "plan", "status", "objective\nM€", "vs\noptimum", "invest.\nM€", "GWh", "new\nha",
              "new\nwt", "sites\n≠ opt.", "min. ≠\nother", text_cols=2)
    base = r.optimum.objective_meur or 0.0
    for k, p in enumerate(r.plans):
        m = plan_metrics(p)
        extra = (m["objective_meur"] - base) / base if base else None
        others = r.min_difference(k)
        row(t, "optimum" if k == 0 else f"alt {k}", p.status.value, fmt.num(m["objective_meur"], 2),
            "" if k == 0 else "+" + fmt.pct(extra), fmt.num(m["cost_meur"]), fmt.num(m["yield_gwh"]),
            fmt.num(m["area_ha"]), fmt.num(m["turbines"], 0),
            "" if k == 0 else str(r.alternatives[k - 1].differs_from_optimum),
            "–" if others is None else str(others))
    t.caption = ("invest.: investment in new sites; wt: turbines; sites ≠ opt.: candidate sites chosen in "
                 "either this plan or the optimum, not both; min. ≠ other: the fewest such sites between this "
                 "plan and any other in the table")
    t.caption_justify = "left"
    return t


def _groups(sites: list[SiteResult]) -> dict[tuple[str, str], list[SiteResult]]:
    groups: dict[tuple[str, str], list[SiteResult]] = defaultdict(list)
    for s in sites:
        groups[(SHORT_KIND.get(s.kind, s.kind), s.lik_type)].append(s)
    return dict(sorted(groups.items()))


def _changes(r: AlternativesResult, k: int, alt: Alternative) -> Group:
    c = compare_plans(r.optimum, alt.plan)
    base = r.optimum.objective_meur or 0.0
    extra = ((alt.plan.objective_meur or 0.0) - base) / base if base else None
    title = Text(f"alt {k} vs the optimum: {alt.differs_from_optimum} sites differ (+{len(c.added)} added, "
                 f"−{len(c.removed)} removed); objective {fmt.num(alt.plan.objective_meur, 2)} M€ "
                 f"(+{fmt.pct(extra)})", style="bold")
    t = table("", "", "kind", "landscape", "sites", "GWh", "M€", text_cols=4)
    t.title = None  # a table title wraps at the table's width; the heading above it does not
    for sign, group in (("+", c.added), ("−", c.removed)):
        for (kind, lik), sites in _groups(group).items():
            row(t, sign, kind, lik, ", ".join(s.site_id for s in sites), fmt.num(sum(s.yield_gwh for s in sites)),
                fmt.num(sum(s.cost_meur for s in sites)))
    return Group(Text(), title, t)


def render_alternatives(r: AlternativesResult) -> Group:
    """All sections as one rich renderable."""
    parts: list[object] = [_headline(r), _plans(r)]
    parts += [_changes(r, k, a) for k, a in enumerate(r.alternatives, start=1)]
    if r.messages:
        parts.append(Text("Notes:\n" + "\n".join(f"  ! {m}" for m in r.messages), style="yellow"))
    return Group(*parts)  # type: ignore[arg-type]


def alternatives_text(r: AlternativesResult, width: int = 100) -> str:
    """Plain text (no colour) for snapshots and files."""
    return render_to_text(render_alternatives(r), width)


def alternatives_to_json(r: AlternativesResult) -> dict[str, Any]:
    """The ``--json`` document: the optimum and each alternative as ``plan_to_json`` writes a plan,
    with the differences in sites."""
    base = set(r.optimum.selected)
    return {
        "schema_version": 1,
        "slack": r.slack,
        "cost_cap_meur": r.cost_cap_meur,
        "requested": r.requested,
        "found": len(r.alternatives),
        "messages": r.messages,
        "optimum": plan_to_json(r.optimum),
        "alternatives": [{
            "differs_from_optimum": a.differs_from_optimum,
            "min_distance": a.min_distance,
            "distance_bound": a.distance_bound,
            "added": sorted(set(a.plan.selected) - base),
            "removed": sorted(base - set(a.plan.selected)),
            "plan": plan_to_json(a.plan),
        } for a in r.alternatives],
        "distances": [[hamming(p, q) for q in r.plans] for p in r.plans],
    }
