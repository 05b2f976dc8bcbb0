"""Terminal report of a plan (rich). Reads only the plan; reads well at 100 columns without colour."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from energie import fmt
from energie.facts.accounting import gwh_to_tj
from energie.facts.prepare import EXCLUSION_REASONS
from energie.reports.heat import render_heat_group
from energie.reports.rich_tables import MAX_SITE_ROWS, SHORT_KIND, render_to_text, row, table
from energie.reports.summary import excluded_counts, totals_by
from models import Plan, PlanStatus
from models.phasing import PhasedPlan

_STATUS_STYLE = {
    PlanStatus.OPTIMAL: ("green", "optimal: proven least-cost plan (within the gap tolerance)"),
    PlanStatus.FEASIBLE: ("yellow", "feasible: the solver stopped at its time limit; not proven optimal"),
    PlanStatus.SHORTFALL: ("red", "shortfall: the target cannot be met under the rules"),
}


def status_head(scenario_name: str, style: str, words: str) -> Text:
    """The first two header lines: scenario name and status in words."""
    lines = Text()
    lines.append(f"Scenario {scenario_name}\n", style="bold")
    lines.append("Status   ")
    lines.append(words, style=f"bold {style}")
    return lines


def solver_time_text(p: Plan | PhasedPlan, basis: str = "") -> str:
    """Header lines on the solver (objective, bound, gap) and the time taken."""
    basis = f" ({basis})" if basis else ""
    return (f"Solver   {p.solver_version}; objective {fmt.num(p.objective_meur, 2)} M€{basis}, "
            f"bound {fmt.num(p.bound_meur, 2)} M€, gap {fmt.gap(p.gap)}\n"
            f"Time     solve {fmt.seconds(p.solve_time_s)}, build and check {fmt.seconds(p.build_time_s)}")


def _header(plan: Plan) -> Panel:
    style, words = _STATUS_STYLE.get(plan.status, ("red", plan.status.value))
    lines = status_head(plan.scenario_name, style, words)
    lines.append("\n" + solver_time_text(plan))
    return Panel(lines, title="energieplanner: allocation plan", title_align="left", box=box.ASCII)


def _targets(plan: Plan) -> Table:
    t = table("Targets (annual renewable electricity)", "target", "target GWh", "achieved GWh",
              "achieved TJ", "met", "shortfall GWh")
    for name, r in plan.targets.items():
        met = r.achieved_gwh / r.target_gwh if r.target_gwh else None
        row(t, name, fmt.num(r.target_gwh), fmt.num(r.achieved_gwh), fmt.num(gwh_to_tj(r.achieved_gwh)),
                 fmt.pct(met), fmt.num(r.shortfall_gwh))
    notes = []
    if plan.existing_gwh:
        notes.append(f"Achieved includes {fmt.num(plan.existing_gwh)} GWh of existing production outside "
                     "the sites layer ([municipalities] existing_gwh).")
    if plan.max_reachable_gwh is not None:
        notes.append(f"Maximum reachable under the rules: {fmt.num(plan.max_reachable_gwh)} GWh")
    if notes:
        t.caption = Text("\n".join(notes))
        t.caption_justify = "left"
    return t


def _municipalities(plan: Plan) -> Table:
    title = "Municipalities (only sites inside its borders count for a municipality's own target)"
    if plan.region_name:
        title = f"{plan.region_name}: " + title[0].lower() + title[1:]
    t = table(title, "gemeente", "name", "target", "before", "new", "total", "met", "share", "ha", "wt",
              "M€", text_cols=2)
    for m in plan.municipalities:
        met = m.achieved_gwh / m.target_gwh if m.target_gwh else None
        row(t, m.gemeente, m.name[:16], fmt.num(m.target_gwh), fmt.num(m.existing_gwh + m.locked_gwh),
            fmt.num(m.chosen_gwh), fmt.num(m.achieved_gwh), fmt.pct(met), fmt.pct(m.share_of_region),
            fmt.num(m.chosen_field_ha, 0), str(m.chosen_turbines), fmt.num(m.chosen_cost_meur))
    notes = ["GWh/yr. before = existing production + locked-in sites; new = chosen sites; total = before + "
             "new; share = total / the region's target; ha, wt, M€ = the chosen fields' area, turbines and "
             "investment."]
    for m in plan.municipalities:
        if m.max_reachable_gwh is not None:
            notes.append(f"{m.gemeente} {m.name}: short by {fmt.num(m.shortfall_gwh)} GWh; at most "
                         f"{fmt.num(m.max_reachable_gwh)} GWh is reachable inside its borders under the rules.")
    sources = sorted({f"{m.gemeente}: {m.source}" for m in plan.municipalities if m.source})
    if sources:
        notes.append("Sources: " + "; ".join(sources))
    t.caption = Text("\n".join(notes))
    t.caption_justify = "left"
    return t


def _group_table(plan: Plan, key: str, title: str) -> Table:
    t = table(title, key.replace("_", " "), "locked n", "locked GWh", "chosen n", "chosen MW",
              "chosen GWh", "chosen ha", "wt", "M€", "impact")
    for group, parts in totals_by(plan, key).items():
        lk, ch = parts["locked_in"], parts["chosen"]
        row(t, group, str(lk.sites), fmt.num(lk.yield_gwh), str(ch.sites), fmt.num(ch.capacity_mw),
                 fmt.num(ch.yield_gwh), fmt.num(ch.area_ha), str(ch.turbines), fmt.num(ch.cost_meur),
                 fmt.num(ch.impact_meur, 2))
    return t


def _chosen_sites(plan: Plan) -> Table:
    t = table("Chosen sites (names in --json / --out)", "site", "kind", "landscape", "initiator", "MW",
              "GWh", "ha", "M€", text_cols=4)
    chosen = [s for s in plan.sites if s.chosen]
    for s in chosen[:MAX_SITE_ROWS]:
        row(t, s.site_id, SHORT_KIND.get(s.kind, s.kind), s.lik_type, s.initiator, fmt.num(s.capacity_mw),
            fmt.num(s.yield_gwh), fmt.num(s.area_ha) if s.kind == "solar_field" else "", fmt.num(s.cost_meur))
    if len(chosen) > MAX_SITE_ROWS:
        t.caption = f"… and {len(chosen) - MAX_SITE_ROWS} more (see --json or --out)"
        t.caption_justify = "left"
    return t


def excluded_table(plan: Plan) -> Table:
    """The candidates excluded before solving, counted by reason."""
    t = table("Excluded candidates (never in any plan)", "reason", "sites", "GWh", "meaning")
    for reason, (n, y) in excluded_counts(plan).items():
        row(t, reason, str(n), fmt.num(y), EXCLUSION_REASONS.get(reason, ""))
    return t


def rules_group(plan: Plan) -> Group:
    """The rules that shape the plan (exclusions left out: ``excluded_table`` shows them), then a
    note for each binding rule."""
    t = table("Rules that shape the plan (binding = keeps eligible yield out)", "rule", "used", "limit",
              "unit", "binding", "blocked GWh", text_cols=1)
    notes = Text()
    for r in plan.rules:
        if r.family in EXCLUSION_REASONS:
            continue  # shown in the exclusions table
        row(t, r.rule, fmt.num(r.used), fmt.num(r.limit), r.unit, "yes" if r.binding else "no",
            fmt.num(r.blocked_yield_gwh))
        if r.binding:
            notes.append(f"  {r.rule}: {r.note}\n")
    return Group(t, notes)


def _locked(plan: Plan) -> Table:
    t = table("Locked-in sites (existing and planned; in every plan)", "site", "kind", "status",
              "landscape", "MW", "GWh", "ha", text_cols=4)
    locked = [s for s in plan.sites if not s.chosen]
    for s in locked[:MAX_SITE_ROWS]:
        row(t, f"{s.site_id} {s.name}".strip()[:40], SHORT_KIND.get(s.kind, s.kind), s.status, s.lik_type,
            fmt.num(s.capacity_mw),
            fmt.num(s.yield_gwh), fmt.num(s.area_ha) if s.kind == "solar_field" else "")
    if len(locked) > MAX_SITE_ROWS:
        t.caption = f"… and {len(locked) - MAX_SITE_ROWS} more"
        t.caption_justify = "left"
    return t


def render_plan(plan: Plan) -> Group:
    """All report sections as one rich renderable."""
    parts: list[object] = [_header(plan)]
    if plan.heat is None or plan.sites or plan.excluded or plan.targets:
        # a heat-only plan (no sites, no electricity target) skips the empty site sections
        parts += [_targets(plan)]
        if plan.municipalities:
            parts.append(_municipalities(plan))
        parts += [_group_table(plan, "kind", "Sites by kind (locked-in = existing + planned)"),
                  _group_table(plan, "lik_type", "Sites by landscape type (LIK)"),
                  _chosen_sites(plan), _locked(plan), excluded_table(plan), rules_group(plan)]
    if plan.messages:
        parts.append(Text("Notes:\n" + "\n".join(f"  ! {m}" for m in plan.messages), style="yellow"))
    if plan.heat is not None:
        parts.append(render_heat_group(plan.heat))
    return Group(*parts)  # type: ignore[arg-type]


def plan_report_text(plan: Plan, width: int = 100) -> str:
    """The report as plain text (no colour) at ``width`` columns, for snapshots and files."""
    return render_to_text(render_plan(plan), width)
