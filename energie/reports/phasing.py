"""Report and JSON of a phased plan (2030 → 2040 → 2050). Reads only the plan; 100 columns, no colour.

The report says for every target year which reading the figure comes from (a number, a multiple
of an earlier year, a share of projected energy use), what the plan achieves, what is new in the
period, what retires and what repowers it, and, when a target cannot be met, the most the rules admit.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
from rich import box
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from energie import fmt
from energie.reports.export import plan_layers
from energie.reports.summary import excluded_counts
from energie.reports.rich_tables import MAX_SITE_ROWS, SHORT_KIND, render_to_text, row, table
from energie.reports.terminal import excluded_table, rules_group, solver_time_text, status_head
from models import PlanStatus, Site
from models.defaults import TJ_PER_GWH
from models.phasing import PeriodResult, PhasedPlan
from models.targets import ResolvedTarget

JSON_SCHEMA_VERSION = 1


def reading_short(t: ResolvedTarget) -> str:
    """The reading in a few words, for the table: "as given", "2.00 × 2030", "100.0 % of use"."""
    if t.reading == "multiple":
        return f"{fmt.num(t.factor, 2)} × {t.multiple_of}"
    if t.reading == "share":
        return f"{fmt.pct(t.share)} of use"
    return "as given"


def reading_text(t: ResolvedTarget) -> str:
    """How the figure of a target year was found, in one sentence with its numbers."""
    head = f"{t.year}: {fmt.num(t.target_gwh)} GWh"
    if t.reading == "multiple":
        return (f"{head} = {fmt.num(t.factor, 2)} × the {t.multiple_of} target of {fmt.num(t.reference_gwh)} GWh "
                f"(targets.{t.year}.multiple_of, factor)")
    if t.reading == "share":
        return (f"{head} = {fmt.pct(t.share)} of the energy use projected for {t.year}, "
                f"{fmt.num(t.energy_use_tj)} TJ, ÷ {fmt.num(TJ_PER_GWH)} TJ/GWh (targets.{t.year}."
                f"share_of_energy_use). Projection: {fmt.num(t.base_energy_use_tj)} TJ in {t.base_year}, "
                f"lowered by {fmt.pct(t.savings_until_2024)}/yr up to 2024 and {fmt.pct(t.savings_after_2024)}"
                "/yr after")
    return f"{head}, as given (targets.{t.year}.electricity_gwh)"


def _status_words(p: PhasedPlan) -> tuple[str, str]:
    short = [str(q.year) for q in p.periods if q.status is PlanStatus.SHORTFALL]
    if short:
        return "red", f"shortfall: the target of {', '.join(short)} cannot be met under the rules"
    if p.status is PlanStatus.FEASIBLE:
        return "yellow", "feasible: every target is met; the solver stopped at its time limit, not proven optimal"
    return "green", "optimal: every target is met by the proven least-cost phasing (within the gap tolerance)"


def _header(p: PhasedPlan) -> Panel:
    style, words = _status_words(p)
    first = p.periods[0]
    locked = [s for s in first.plan.sites if not s.chosen]
    if p.discount_rate_per_yr:
        basis = f"investments discounted at {fmt.pct(p.discount_rate_per_yr)}/yr to {first.year}"
    else:
        basis = "undiscounted; each site is built as late as the targets allow"
    lines = status_head(p.scenario_name, style, words)
    outside = first.plan.existing_gwh
    extra = f" + {fmt.num(outside)} GWh existing outside the sites layer" if outside else ""
    lines.append(f"\nPeriods  {' → '.join(str(y) for y in p.years)}; in operation from {first.year}: "
                 f"{len(locked)} existing and planned sites, {fmt.num(sum(s.yield_gwh for s in locked))} GWh"
                 f"{extra}\n" + solver_time_text(p, basis))
    return Panel(lines, title="energieplanner: phased plan", title_align="left", box=box.ASCII)


def _periods(p: PhasedPlan) -> Table:
    t = table("Targets and plan per period (annual renewable electricity; new = built in the period)", "year",
              "target GWh", "reading", "achieved GWh", "short GWh", "new n", "new GWh", "new ha", "new wt",
              "new M€")
    t.columns[2].justify = "left"
    t.columns[2].no_wrap = True
    for q in p.periods:
        new = q.new_sites()
        row(t, str(q.year), fmt.num(q.target.target_gwh), reading_short(q.target), fmt.num(q.achieved_gwh),
            fmt.num(q.shortfall_gwh), str(len(new)), fmt.num(sum(s.yield_gwh for s in new)),
            fmt.num(sum(s.area_ha for s in new)), str(sum(s.kind == "wind_turbine" for s in new)),
            fmt.num(sum(s.cost_meur for s in new)))
    short = [q for q in p.periods if q.max_reachable_gwh is not None]
    if short:
        t.caption = "\n".join(
            f"{q.year}: the target cannot be met; maximum reachable under the rules "
            f"{fmt.num(q.max_reachable_gwh)} GWh (short {fmt.num(q.shortfall_gwh)} GWh)" for q in short)
        t.caption_justify = "left"
    return t


def _readings(p: PhasedPlan) -> Text:
    text = Text("How the targets are read\n", style="bold")
    for q in p.periods:
        text.append(f"  {reading_text(q.target)}\n")
    return text


def _new_sites(p: PhasedPlan) -> Table:
    t = table("Sites built per period (in operation from that year on)", "year", "site", "kind", "landscape",
              "initiator", "MW", "GWh", "ha", "M€", text_cols=5)
    rows = [(q.year, s) for q in p.periods for s in q.new_sites()]
    for year, s in rows[:MAX_SITE_ROWS]:
        row(t, str(year), s.site_id, SHORT_KIND.get(s.kind, s.kind), s.lik_type, s.initiator,
            fmt.num(s.capacity_mw), fmt.num(s.yield_gwh), fmt.num(s.area_ha) if s.kind == "solar_field" else "",
            fmt.num(s.cost_meur))
    if len(rows) > MAX_SITE_ROWS:
        t.caption = f"… and {len(rows) - MAX_SITE_ROWS} more (see --json)"
        t.caption_justify = "left"
    return t


def _later_locked(p: PhasedPlan) -> Table | None:
    rows = [(q, s) for q in p.periods[1:] for s in q.plan.sites if s.site_id in set(q.started)]
    if not rows:
        return None
    t = table("Existing and planned sites that count from a later period (their year)", "year", "site", "kind",
              "status", "landscape", "MW", "GWh", text_cols=5)
    for q, s in rows:
        row(t, str(q.year), s.site_id, SHORT_KIND.get(s.kind, s.kind), s.status, s.lik_type,
            fmt.num(s.capacity_mw), fmt.num(s.yield_gwh))
    return t


def _retired(p: PhasedPlan) -> Table | None:
    """What stops counting in each period (its lifetime ended) and what repowers it; ``None`` when nothing retires."""
    rows = [(q, sid) for q in p.periods for sid in q.retired]
    rows += [(q, sid) for q in p.periods for sid in q.repowered.values() if sid not in q.retired]
    if not rows:
        return None
    t = table("Sites that retire per period (year + lifetime_years) and what repowers them", "year", "site",
              "kind", "retired", "repowered by", "GWh lost", "GWh new", text_cols=5)
    for q, sid in sorted(rows, key=lambda r: (r[0].year, r[1])):
        before = next((s for r in p.periods for s in r.plan.sites if s.site_id == sid), None)
        by = sorted(new for new, old in q.repowered.items() if old == sid)
        new_gwh = sum(s.yield_gwh for s in q.plan.sites if s.site_id in by)
        row(t, str(q.year), sid, SHORT_KIND.get(before.kind, before.kind) if before else "",
            "yes" if sid in q.retired else "earlier", ", ".join(by) or "-",
            fmt.num(before.yield_gwh) if before and sid in q.retired else "", fmt.num(new_gwh) if by else "")
    return t


def render_phased_plan(p: PhasedPlan) -> Group:
    """All sections of the phased report as one rich renderable."""
    last = p.periods[-1]
    periods = _periods(p)
    # a caption ends the table without the blank line a table gives
    readings = Text("\n") + _readings(p) if periods.caption else _readings(p)
    parts: list[object] = [_header(p), periods, readings, _new_sites(p)]
    later = _later_locked(p)
    if later is not None:
        parts.append(later)
    retired = _retired(p)
    if retired is not None:
        parts.append(retired)
    parts += [excluded_table(last.plan),
              Text(f"In {last.year}, with every site of the plan in operation:", style="bold"),
              rules_group(last.plan)]
    if p.messages:
        parts.append(Text("Notes:\n" + "\n".join(f"  ! {m}" for m in p.messages), style="yellow"))
    return Group(*parts)  # type: ignore[arg-type]


def phased_report_text(p: PhasedPlan, width: int = 100) -> str:
    """The phased report as plain text at ``width`` columns, for snapshots and files."""
    return render_to_text(render_phased_plan(p), width)


def _period_json(q: PeriodResult) -> dict[str, Any]:
    new = q.new_sites()
    return {
        "status": q.status.value,
        "target": q.target.target_gwh, "achieved": q.achieved_gwh, "shortfall": q.shortfall_gwh,
        "reading": q.target.reading, "reading_text": reading_text(q.target),
        "max_reachable_gwh": q.max_reachable_gwh,
        "built": q.built, "started": q.started, "retired": q.retired, "repowered": q.repowered,
        "selected": q.plan.selected, "locked_in": q.plan.locked_in,
        "new_yield_gwh": sum(s.yield_gwh for s in new), "new_area_ha": sum(s.area_ha for s in new),
        "new_turbines": sum(s.kind == "wind_turbine" for s in new), "new_cost_meur": sum(s.cost_meur for s in new),
        "binding": [r.model_dump() for r in q.plan.rules if r.binding],
    }


def _used(q: PeriodResult) -> float:
    used = q.plan.targets.get("electricity")
    return q.target.target_gwh if used is None else used.target_gwh


def phased_plan_to_json(p: PhasedPlan) -> dict[str, Any]:
    """The ``--json`` document of a phased plan (see README, "Phasing 2030 → 2040 → 2050")."""
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "phased": True,
        "scenario": p.scenario_name,
        "status": p.status.value,
        "objective": p.objective_meur,
        "gap": p.gap,
        "bound": p.bound_meur,
        "solver": p.solver_version,
        "solve_time_s": round(p.solve_time_s, 3),
        "discount_rate_per_yr": p.discount_rate_per_yr,
        "years": p.years,
        "selected": sorted(p.built_in()),
        "built_in": dict(sorted(p.built_in().items())),
        "cost_meur": p.cost_meur,
        "impact_meur": p.impact_meur,
        # target: the scenario's; target_used: what the plan was held to (raised by the heat plan where
        # [heat] couples to it), which the shortfall is measured against
        "targets": {str(q.year): {"target": q.target.target_gwh, "target_used": _used(q), "achieved": q.achieved_gwh,
                                  "shortfall": q.shortfall_gwh, "reading": q.target.reading} for q in p.periods},
        "periods": {str(q.year): _period_json(q) for q in p.periods},
        "excluded": {r: {"sites": n, "yield_gwh": y} for r, (n, y) in excluded_counts(p.periods[-1].plan).items()},
        "messages": p.messages,
    }


def phased_plan_layers(p: PhasedPlan, sites: list[Site]) -> dict[str, gpd.GeoDataFrame]:
    """The ``--out`` layers of the last period's plan, with ``in_operation_from``: the target year
    from which each site counts (built candidates: the year of their period)."""
    layers = plan_layers(p.periods[-1].plan, sites)
    start = {sid: q.year for q in reversed(p.periods) for sid in (*q.built, *q.started)}
    frame = layers["plan_sites"]
    frame["in_operation_from"] = [start.get(sid) for sid in frame["site_id"]] if len(frame) else []
    return layers
