"""Reports of a sweep: a terminal table (≤ 100 columns), CSV text and a PNG chart.

Reads only ``SweepResult`` (no solver), so every output can be tested without solving.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from energie import fmt
from energie.reports.rich_tables import render_to_text, row, table
from energie.scenarios.sweep import SweepResult, SweepRow
from models import PlanStatus
from models.errors import preview_ids

#: Rows that need a second look (colour only; the status word says the same in plain text).
_ROW_STYLE = {PlanStatus.FEASIBLE.value: "yellow", PlanStatus.SHORTFALL.value: "red", "error": "bold red"}

#: CSV columns, units in the names; ``None`` is written as an empty cell.
CSV_COLUMNS = (
    "param", "value", "target_gwh", "achieved_gwh", "shortfall_gwh", "status", "cost_meur", "objective_meur",
    "impact_meur", "marginal_meur_per_gwh", "marginal_eur_per_mwh", "sites_chosen", "area_ha", "turbines",
    "solve_s", "gap", "error",
)


def _param_label(result: SweepResult) -> str:
    return "target\nGWh" if result.is_target_sweep else result.key.rsplit(".", 1)[-1]


def _decimals(values: list[float]) -> int:
    """The fewest decimals (≤ 6) that show every swept value as typed."""
    for d in range(7):
        if all(abs(round(v, d) - v) < 1e-9 for v in values):
            return d
    return 6


def _count(value: int | None) -> str:
    return "–" if value is None else str(value)


def _table_of(result: SweepResult, show_times: bool) -> Table:
    marginal = result.is_target_sweep
    what = "the electricity target" if marginal else result.key
    # two-line headers: eleven columns fit in 100 without cutting a word
    cols = [_param_label(result), "achieved\nGWh", "status", "invest\nM€", "objective\nM€"]
    if marginal:
        cols += ["marginal\nM€/GWh", "marginal\n€/MWh"]
    cols += ["sites\nchosen", "new\nha", "new\nwt"]
    if show_times:
        cols.append("solve\ns")
    t = table(f"Sweep of {what} ({result.scenario_name}, {result.range_text})", *cols)
    t.columns[0].justify = "right"
    t.columns[2].justify = "left"
    t.padding = (0, 1, 0, 0)  # with the space between columns, two spaces: 11 columns in 100
    decimals = _decimals([r.value for r in result.rows])
    for r in result.rows:
        cells = [fmt.num(r.value, decimals), fmt.num(r.achieved_gwh), r.status, fmt.num(r.cost_meur, 2),
                 fmt.num(r.objective_meur, 2)]
        if marginal:
            cells += [fmt.num(r.marginal_meur_per_gwh, 3), fmt.num(r.marginal_eur_per_mwh, 1)]
        cells += [_count(r.sites_chosen), fmt.num(r.area_ha), _count(r.turbines)]
        if show_times:
            cells.append("–" if r.solve_s is None else fmt.num(r.solve_s, 2))
        row(t, *cells)
        t.rows[-1].style = _ROW_STYLE.get(r.status)
    return t


def _workers(result: SweepResult) -> str:
    plural = "s" if result.workers != 1 else ""
    if result.engine == "dask":
        return f"{result.workers} Dask worker{plural}"
    return f"{result.workers} worker process{'es' if plural else ''}"


def _notes(result: SweepResult, show_times: bool) -> list[str]:
    rows = result.rows
    key = (f"targets.{result.year}.electricity_gwh" if result.is_target_sweep and result.year is not None
           else result.key)
    when = "" if result.year is None else f" (each row: the plan as it stands in {result.year})"
    notes = [f"{len(rows)} points of {key} = {result.range_text}{when}; solver {result.solver}"
             + (f"; {_workers(result)}, wall {fmt.seconds(result.wall_s)}" if show_times else "") + "."]
    notes.append("invest = investment in the chosen candidates; objective = invest + weighted landscape "
                 "impact (what the optimiser minimises); new ha = new solar field area, new wt = new wind "
                 "turbines.")
    if result.is_target_sweep:
        notes.append(
            "Marginal cost from the row above: Δ invest / Δ achieved yield. €/MWh "
            f"annualises the investment over {result.lifetime_years} years at "
            f"{fmt.pct(result.discount_rate)} real (annuity factor {fmt.num(result.crf, 4)}): "
            f"ΔM€ × 1e6 × {fmt.num(result.crf, 4)} / (ΔGWh × 1000) (--discount-rate, --lifetime-years); "
            "investment only (no O&M), an average over the step. '–' where the yield does not change or a "
            "target is not met.")
        if any((r.marginal_meur_per_gwh or 0.0) < 0 for r in rows):
            notes.append("A negative marginal cost: the plan for the higher target invests less but has more "
                         "landscape impact; the optimiser minimises the objective (investment + weighted impact), not "
                         "investment alone.")
    short = [r for r in rows if r.status == PlanStatus.SHORTFALL.value]
    if short:
        decimals = _decimals([r.value for r in rows])
        where = preview_ids(fmt.num(r.value, decimals) for r in short)
        if result.is_target_sweep and short == rows[len(rows) - len(short):]:
            where = f"{fmt.num(short[0].value, decimals)} and up"
        reach = result.max_reachable_gwh
        limit = (f"the rules allow at most {fmt.num(reach)} GWh" if result.is_target_sweep and reach is not None
                 else "the target cannot be met under the rules")
        notes.append(f"SHORTFALL at {len(short)} point{'s' if len(short) != 1 else ''} ({where}): {limit}; "
                     "those rows show the cheapest plan reaching the maximum reachable yield"
                     + (", and have no marginal cost." if result.is_target_sweep else "."))
    feasible = [r for r in rows if r.status == PlanStatus.FEASIBLE.value]
    if feasible:
        worst = max((r.gap or 0.0) for r in feasible)
        notes.append(f"{len(feasible)} point{'s' if len(feasible) != 1 else ''} stopped at the time limit "
                     f"(feasible, not proven least-cost; gap up to {fmt.gap(worst)}); raise --time-limit.")
    for r in rows:
        if r.status == "error":
            notes.append(f"ERROR at {fmt.num(r.value, _decimals([r.value]))}: {r.error}")
    return notes


def render_sweep(result: SweepResult, show_times: bool = True) -> Group:
    """The sweep table and its notes; ``show_times=False`` leaves out solve and wall times
    (reproducible text for diffs and snapshots)."""
    notes = [Padding(Text(n), (0, 0, 0, 2)) for n in _notes(result, show_times)]
    return Group(_table_of(result, show_times), *notes)


def sweep_text(result: SweepResult, width: int = 100, show_times: bool = True) -> str:
    return render_to_text(render_sweep(result, show_times), width)


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def sweep_csv(result: SweepResult) -> str:
    """One row per point, columns ``CSV_COLUMNS`` (machine-readable: full precision, '.' decimals)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in result.rows:
        cells = {"param": result.key, **{k: getattr(r, k) for k in CSV_COLUMNS if k != "param"}}
        writer.writerow([_csv_cell(cells[k]) for k in CSV_COLUMNS])
    return buf.getvalue()


def _plotted(rows: list[SweepRow]) -> list[SweepRow]:
    return [r for r in rows if r.cost_meur is not None]


def save_sweep_chart(result: SweepResult, path: str | Path) -> None:
    """Investment and objective [M€] (top) and new solar field area [ha] (bottom) against the
    swept value, as PNG. Black and white: line styles and markers, no colour coding; shortfall
    points are hollow and the maximum reachable yield is marked."""
    # the Agg canvas directly, no pyplot: no global backend state, no GUI, no warnings
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = _plotted(result.rows)
    fig = Figure(figsize=(8.0, 6.0), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    top, bottom = fig.subplots(2, 1, sharex=True)
    x = [r.value for r in rows]
    meets = [r.status != PlanStatus.SHORTFALL.value for r in rows]
    for ax, series in ((top, (("cost_meur", "investment", "o", "-"), ("objective_meur", "objective", "s", "--"))),
                       (bottom, (("area_ha", "new solar field area", "^", "-"),))):
        for attr, label, marker, style in series:
            y = [getattr(r, attr) for r in rows]
            ax.plot(x, y, color="black", linestyle=style, linewidth=1.2, marker=marker, label=label)
            ax.plot([v for v, m in zip(x, meets) if not m], [v for v, m in zip(y, meets) if not m], marker,
                    color="black", markerfacecolor="white", linestyle="none")
        ax.grid(True, color="0.85", linewidth=0.6)
    reach = result.max_reachable_gwh
    if result.is_target_sweep and reach is not None:
        for ax in (top, bottom):
            ax.axvline(reach, color="0.4", linestyle=":", linewidth=1.2)
        top.annotate(f"max reachable {fmt.num(reach)} GWh/yr\n(hollow: shortfall)", xy=(reach, 0.05),
                     xycoords=("data", "axes fraction"), xytext=(-6, 0), textcoords="offset points",
                     ha="right", fontsize=8)
    top.set_ylabel("cost [M€]")
    top.legend(loc="upper left", fontsize=8, frameon=False)
    bottom.set_ylabel("new solar field area [ha]")
    bottom.set_xlabel("electricity target [GWh/yr]" if result.is_target_sweep else result.key)
    what = "the electricity target" if result.is_target_sweep else result.key
    fig.suptitle(f"{result.scenario_name}: cost and land use against {what}", fontsize=11)
    fig.savefig(path, format="png")


__all__ = ["CSV_COLUMNS", "render_sweep", "save_sweep_chart", "sweep_csv", "sweep_text"]
