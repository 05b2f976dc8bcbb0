"""Terminal report of a heat plan (aardgasvrij districts). Reads only the ``HeatPlan``; 100 columns, no colour.

Sections: a headline (dwellings, natural gas use, investment), the gas targets, totals per period
(dwellings new in the period and by then), the conversion capacity per municipality and period and
the start districts' deadlines (when the scenario has them, with which bind), totals per strategy,
how the heat plan moved the electricity target, and the districts one by one.
"""

from __future__ import annotations

import textwrap

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from energie import fmt
from energie.reports.rich_tables import MAX_SITE_ROWS, render_to_text, row, table
from models.heat import DEFAULT_STRATEGIES, GAS_MJ_PER_M3, NO_GEMEENTE, HeatStrategy
from models.heat_plan import DeadlineResult, DistrictResult, ElectricityCoupling, HeatPlan

#: Short strategy names for the strategy and district tables: Startanalyse code and a few words.
SHORT_STRATEGY = {
    HeatStrategy.ALL_ELECTRIC: "S1 all-electric",
    HeatStrategy.HEAT_NETWORK_HT: "S2 network HT",
    HeatStrategy.HEAT_NETWORK_LT: "S3 network LT",
    HeatStrategy.GREEN_GAS_HYBRID: "S4 hybrid",
    HeatStrategy.GREEN_GAS_BOILER: "S5 green gas",
}
ON_GAS = "stays on gas"
MM3 = "mln m³/yr"
MAX_NAME_CHARS = 15
#: The width the report is laid out for [characters].
REPORT_COLUMNS = 100


def mm3_to_tj(gas_mm3: float) -> float:
    """Natural gas [million m³/yr] as energy [TJ/yr]: × 31.65 MJ/m³ (``models.heat.GAS_MJ_PER_M3``)."""
    return gas_mm3 * GAS_MJ_PER_M3


def strategy_short(strategy: str | None) -> str:
    """The short name of a strategy value ("S1 all-electric"); ON_GAS for a district that stays on gas."""
    if strategy is None:
        return ON_GAS
    try:
        return SHORT_STRATEGY[HeatStrategy(strategy)]
    except ValueError:
        return strategy


def strategy_legend() -> str:
    """The short names' full labels, one sentence: "S1 = all-electric (heat pump); S2 = …"."""
    return "; ".join(f"{spec.startanalyse} = {spec.label}" for spec in DEFAULT_STRATEGIES.values())


def _header_lines(header: str, width: int) -> int:
    return len(textwrap.wrap(header, width, break_long_words=False))


def _fit_headers(t: Table, columns: int = REPORT_COLUMNS) -> Table:
    """Wrap the headers between words so the table fits in ``columns`` [characters] without cutting
    a header word or a number ("electricity / added / GWh/yr", not "electri…").

    Every column starts at its longest header word or cell; the room left goes, cheapest first, to the
    column whose header loses a line for the fewest extra characters.
    """
    headers = [str(col.header) for col in t.columns]
    widths = [max([len(w) for w in h.split()] + [cell_len(str(c)) for c in col.cells])
              for h, col in zip(headers, t.columns, strict=True)]
    # a space either side of each column but the outer ones, a separator between columns, two edges;
    # when even the narrowest layout is too wide, one space of padding between columns instead of two
    room = columns - (3 * len(widths) - 1) - sum(widths)
    if room < 0:
        t.collapse_padding = True
        room += len(widths) - 1
    while room > 0:
        steps = []
        for i, h in enumerate(headers):
            lines = _header_lines(h, widths[i])
            wider = next((w for w in range(widths[i] + 1, len(h) + 1) if _header_lines(h, w) < lines), None)
            if wider is not None and wider - widths[i] <= room:
                steps.append((wider - widths[i], i, wider))
        if not steps:
            break
        cost, i, wider = min(steps)
        widths[i], room = wider, room - cost
    for h, w, col in zip(headers, widths, t.columns, strict=True):
        col.header = "\n".join(textwrap.wrap(h, w, break_long_words=False))
    return t


def _header(heat: HeatPlan) -> Panel:
    dwellings = sum(d.dwellings for d in heat.districts)
    on_gas = [d for d in heat.districts if d.strategy is None]
    first, last = heat.periods[0], heat.periods[-1]
    stay = f", {len(on_gas)} stay{'s' if len(on_gas) == 1 else ''} on it" if on_gas else ""
    lines = Text()
    lines.append(f"Districts   {fmt.num(len(heat.districts), 0)} with {fmt.num(dwellings, 0)} dwellings; "
                 f"{fmt.num(len(heat.districts) - len(on_gas), 0)} leave natural gas by {last}{stay}\n")
    lines.append(f"Periods     {' → '.join(str(y) for y in heat.periods)}\n")
    lines.append(f"Gas use     {fmt.num(heat.gas_mm3, 2)} million m³/yr natural gas now = "
                 f"{fmt.num(mm3_to_tj(heat.gas_mm3))} TJ/yr\n")
    lines.append(f"Investment  {fmt.num(heat.cost_meur)} M€ nominal; {fmt.num(heat.cost_pv_meur)} M€ present "
                 f"value at {fmt.pct(heat.discount_rate_per_yr)}/yr to {first}")
    return Panel(lines, title="energieplanner: heat plan (aardgasvrij districts)", title_align="left",
                 box=box.ASCII)


def _gas_targets(heat: HeatPlan) -> Table:
    t = table("Gas targets (natural gas saved by the year, of the districts' use now)", "year", "share %",
              f"target {MM3}", f"saved {MM3}", f"short {MM3}", f"max reachable {MM3}")
    for g in heat.gas_targets:
        reach = fmt.num(g.max_reachable_mm3, 2) if g.max_reachable_mm3 is not None else ""
        row(t, str(g.year), fmt.num(100.0 * g.share), fmt.num(g.target_mm3, 2), fmt.num(g.saved_mm3, 2),
            fmt.num(g.shortfall_mm3, 2), reach)
    short = [g for g in heat.gas_targets if g.shortfall_mm3 > 0]
    if short:
        t.caption = "\n".join(f"{g.year}: the gas target cannot be met under the rules" + (
            f"; at most {fmt.num(g.max_reachable_mm3, 2)} {MM3} can be saved"
            if g.max_reachable_mm3 is not None else "") for g in short)
        t.caption_justify = "left"
    return t


def _periods(heat: HeatPlan) -> Table:
    t = table("Per period (every district converted by the year)", "year", "new dwellings n",
              "dwellings converted n", f"gas saved {MM3}", f"green gas used {MM3}", f"green gas cap {MM3}",
              "electricity added GWh/yr", "energy use change TJ/yr")
    for y in heat.years:
        row(t, str(y.year), fmt.num(y.dwellings_new, 0), fmt.num(y.dwellings_converted, 0), fmt.num(y.gas_saved_mm3, 2),
            fmt.num(y.green_gas_mm3, 2), fmt.num(y.green_gas_cap_mm3, 2), fmt.num(y.electricity_added_gwh),
            fmt.num(y.energy_use_change_tj))
    return t


def _capacity(heat: HeatPlan) -> Table:
    t = table("Conversion capacity (dwellings a municipality can convert per period)", "gemeente", "period",
              "years", "rate dwellings/yr", "capacity n", "converted n", "used %", "full")
    for c in heat.capacity:
        used = c.converted_dwellings / c.limit_dwellings if c.limit_dwellings else None
        row(t, c.gemeente, str(c.year), str(c.years), fmt.num(c.rate_per_yr, 0), fmt.num(c.limit_dwellings, 0),
            fmt.num(c.converted_dwellings, 0), fmt.pct(used, 0), "yes" if c.binding else "no")
    full = [f"{c.gemeente} {c.year}" for c in heat.capacity if c.binding]
    t.caption = ("Full = binding: a district that could convert in the period converts later (or not) because "
                 f"it does not fit in what is left: {', '.join(full)}." if full else
                 "No capacity keeps a district out of a period.")
    t.caption_justify = "left"
    return t


def deadline_status(d: DeadlineResult) -> str:
    """"met", "met, binding" (converts in the last period its deadline allows) or "missed"."""
    if not d.met:
        return "missed"
    return "met, binding" if d.binding else "met"


def _deadline_reason(d: DeadlineResult, heat: HeatPlan) -> str:
    """Why a deadline is missed, read from its municipality's capacity in the periods up to it."""
    group = d.gemeente or NO_GEMEENTE
    rows = [c for c in heat.capacity if c.gemeente == group and c.year <= d.deadline_year]
    if not rows:
        return ("an earlier year's target (gas saved, electricity with the heat pumps' demand) or the green gas "
                "cap comes first")
    most = max(rows, key=lambda c: c.limit_dwellings)
    if d.dwellings > most.limit_dwellings:
        return (f"its {fmt.num(d.dwellings, 0)} dwellings exceed {group}'s capacity in every period up to it "
                f"(at most {fmt.num(most.limit_dwellings, 0)}, in {most.year})")
    used = ", ".join(f"{fmt.num(c.converted_dwellings, 0)} of {fmt.num(c.limit_dwellings, 0)} in {c.year}" for c in rows)
    return f"{group}'s capacity up to it is taken by other districts ({used}); it has {fmt.num(d.dwellings, 0)}"


def _deadlines(heat: HeatPlan) -> Table:
    t = table("Start districts (aardgasvrij by their deadline)", "district", "name", "deadline", "converts by",
              "dwellings n", "status", f"gas still used {MM3}", text_cols=2)
    t.columns[5].justify = "left"
    for d in heat.deadlines:
        row(t, d.district_id, _name(d.name), str(d.deadline_year), str(d.year) if d.year is not None else "–",
            fmt.num(d.dwellings, 0), deadline_status(d), fmt.num(d.shortfall_mm3, 2))
    missed = [d for d in heat.deadlines if not d.met]
    lines = [f"{d.district_id}: the deadline {d.deadline_year} cannot be met: {_deadline_reason(d, heat)}"
             for d in missed]
    lines.append("Binding: the district converts in the last period its deadline allows; without it, later.")
    t.caption = "\n".join(lines)
    t.caption_justify = "left"
    return t


def _strategies(heat: HeatPlan) -> Table:
    t = table("Per strategy (over the horizon)", "strategy", "districts n", "dwellings n", "investment M€",
              f"gas saved {MM3}", f"green gas {MM3}", "electricity added GWh/yr")
    for s in heat.strategies:
        row(t, strategy_short(s.strategy), str(s.districts), fmt.num(s.dwellings, 0),
            fmt.num(s.cost_meur), fmt.num(s.gas_saved_mm3, 2), fmt.num(s.green_gas_mm3, 2),
            fmt.num(s.electricity_added_gwh))
    on_gas = [d for d in heat.districts if d.strategy is None]
    if on_gas:
        row(t, ON_GAS, str(len(on_gas)), fmt.num(sum(d.dwellings for d in on_gas), 0), fmt.num(0.0),
            fmt.num(0.0, 2), fmt.num(0.0, 2), fmt.num(0.0))
    if t.rows:
        t.rows[-1].end_section = True
    ss = heat.strategies
    row(t, "total", str(sum(s.districts for s in ss) + len(on_gas)),
        fmt.num(sum(s.dwellings for s in ss) + sum(d.dwellings for d in on_gas), 0),
        fmt.num(sum(s.cost_meur for s in ss)), fmt.num(sum(s.gas_saved_mm3 for s in ss), 2),
        fmt.num(sum(s.green_gas_mm3 for s in ss), 2), fmt.num(sum(s.electricity_added_gwh for s in ss)))
    t.caption = f"Strategies of PBL's Startanalyse (2020): {strategy_legend()}."
    t.caption_justify = "left"
    return t


def coupling_sentence(c: ElectricityCoupling) -> str:
    """What the coupling mode does to the electricity target, in plain words with its numbers."""
    if c.mode == "add_heat_demand":
        return (f"The electricity target of {c.year} is raised by the electricity the heat plan adds by then "
                f"({fmt.num(c.heat_electricity_gwh)} GWh/yr): the heat pumps' electricity must be renewable too.")
    if c.mode == "share_of_energy_use":
        return (f"The electricity target of {c.year} is a share of total energy use, which the heat plan changes "
                f"by {fmt.num(c.energy_use_change_tj)} TJ/yr (electricity, green gas and network heat added, "
                f"natural gas saved); the target follows: {fmt.num(c.base_target_gwh)} → "
                f"{fmt.num(c.target_gwh)} GWh/yr.")
    if c.mode == "none":
        return f"The heat plan leaves the electricity target of {c.year} alone."
    return f"Coupling mode {c.mode}."


def _coupling(couplings: list[ElectricityCoupling]) -> Table:
    """One row per electricity target year (one for a one-year plan: the plan year)."""
    year_col = "plan year" if len(couplings) == 1 else "year"
    t = table("Electricity coupling (the heat plan and the electricity target)", "mode", year_col,
              "base target GWh/yr", "heat plan adds GWh/yr", "energy use change TJ/yr", "target used GWh/yr")
    for c in couplings:
        row(t, c.mode, str(c.year), fmt.num(c.base_target_gwh), fmt.num(c.heat_electricity_gwh),
            fmt.num(c.energy_use_change_tj), fmt.num(c.target_gwh))
    t.caption = coupling_sentence(couplings[-1])
    t.caption_justify = "left"
    return t


def district_order(districts: list[DistrictResult]) -> list[DistrictResult]:
    """Districts by year, then id; those that stay on natural gas last."""
    return sorted(districts, key=lambda d: (d.year is None, d.year or 0, d.district_id))


def _name(name: str) -> str:
    return name if len(name) <= MAX_NAME_CHARS else name[:MAX_NAME_CHARS - 1] + "…"


def _districts(heat: HeatPlan) -> Table:
    t = table("Per district (by year; flags: r = rural, o = mostly built before 1965)", "district", "name",
              "r/o", "dwellings n", "strategy", "year", "investment M€", f"gas saved {MM3}",
              "electricity added GWh/yr", text_cols=3)
    t.columns[1].no_wrap = True
    t.columns[4].justify = "left"
    t.columns[4].no_wrap = True
    rows = district_order(heat.districts)
    for d in rows[:MAX_SITE_ROWS]:
        flags = ("r" if d.rural else "") + ("o" if d.old_stock else "")
        row(t, d.district_id, _name(d.name), flags, fmt.num(d.dwellings, 0), strategy_short(d.strategy),
            str(d.year) if d.year is not None else "–", fmt.num(d.cost_meur), fmt.num(d.gas_saved_mm3, 2),
            fmt.num(d.electricity_added_gwh))
    if len(rows) > MAX_SITE_ROWS:
        t.caption = f"… and {len(rows) - MAX_SITE_ROWS} more districts (see --json)"
        t.caption_justify = "left"
    return t


def render_heat_group(heat: HeatPlan) -> Group:
    """All sections of the heat report as one rich renderable (``render_plan`` appends it)."""
    tables = [_gas_targets(heat), _periods(heat)]
    if heat.capacity:
        tables.append(_capacity(heat))
    if heat.deadlines:
        tables.append(_deadlines(heat))
    tables.append(_strategies(heat))
    if heat.coupling is not None:
        tables.append(_coupling(heat.couplings or [heat.coupling]))
    tables.append(_districts(heat))
    parts: list[object] = [_header(heat)]
    for t in tables:
        parts.append(_fit_headers(t))
        if t.caption:
            parts.append(Text(""))  # a caption ends a table without the blank line a table gives
    return Group(*parts)  # type: ignore[arg-type]


def render_heat(heat: HeatPlan, console: Console) -> None:
    """Print the heat report on ``console`` (reads well at 100 columns without colour).

    Parameters
    ----------
    heat : HeatPlan
        The heat side of a plan: districts [dwellings, million m³/yr, GWh/yr, TJ/yr, M€] and totals.
    console : rich.console.Console
        Where to print; a 100-column console without colour gives the snapshot text.
    """
    console.print(render_heat_group(heat))


def heat_report_text(heat: HeatPlan, width: int = 100) -> str:
    """The heat report as plain text (no colour) at ``width`` [columns], for snapshots and files."""
    return render_to_text(render_heat_group(heat), width)
