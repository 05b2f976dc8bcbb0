"""Terminal report of a what-if comparison (rich; 100 columns, no colour)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from energie import fmt
from energie.reports.rich_tables import SHORT_KIND, render_to_text, row, table
from energie.scenarios.compare import Comparison, DistrictChange, HorizonComparison, PlanComparison
from models import PlanStatus

_LABELS = {
    "yield_gwh": ("yield (locked-in + chosen)", "GWh"),
    "area_ha": ("new solar-field area", "ha"),
    "turbines": ("new turbines", ""),
    "cost_meur": ("investment in new sites", "M€"),
    "impact_meur": ("landscape impact", "M€-eq"),
    "objective_meur": ("objective", "M€"),
}


def _signed(value: float, decimals: int = 1) -> str:
    text = fmt.num(value, decimals)
    return text if text.startswith("-") or text == fmt.num(0.0, decimals) else "+" + text


def _headline(c: PlanComparison, what: str) -> Text:
    lines = Text(f"What-if: {what}\n", style="bold")
    for label, p in (("baseline", c.base), ("variant ", c.variant)):
        lines.append(f"{label}  {p.scenario_name}: {p.status.value}, objective {fmt.num(p.objective_meur, 2)} M€")
        if p.targets:
            t = next(iter(p.targets.values()))
            lines.append(f", target {fmt.num(t.target_gwh)} GWh, achieved {fmt.num(t.achieved_gwh)} GWh")
        lines.append("\n")
    v = c.variant
    if v.status is PlanStatus.SHORTFALL:
        binding = [r.rule for r in v.rules if r.binding and r.family != "target"]
        lines.append(f"The variant cannot meet its target: at most {fmt.num(v.max_reachable_gwh)} GWh under its "
                     f"rules; binding: {', '.join(binding[:6]) or 'none'}\n", style="bold")
    return lines


def _metrics(c: PlanComparison) -> Table:
    t = table("Change in figures", "figure", "baseline", "variant", "change", "unit")
    for key, (label, unit) in _LABELS.items():
        d = 0 if key == "turbines" else (2 if key in ("objective_meur", "impact_meur") else 1)
        row(t, label, fmt.num(c.metrics_base[key], d), fmt.num(c.metrics_variant[key], d),
            _signed(c.delta(key), d), unit)
    return t


def _sites(c: PlanComparison) -> Table:
    t = table("Sites added (+) and removed (−)", "", "site", "name", "kind", "landscape", "GWh", "ha", "M€",
              text_cols=5)
    for sign, group in (("+", c.added), ("−", c.removed)):
        for s in group:
            row(t, sign, s.site_id, s.name[:26], SHORT_KIND.get(s.kind, s.kind), s.lik_type, fmt.num(s.yield_gwh),
                fmt.num(s.area_ha) if s.kind == "solar_field" else "", fmt.num(s.cost_meur))
    if not (c.added or c.removed):
        t.caption = "the same sites in both plans"
        t.caption_justify = "left"
    return t


def _rules(c: PlanComparison) -> Table:
    t = table("Rules that changed", "rule", "used before", "used after", "limit before", "limit after",
              "binding before", "binding after")
    for ch in c.rule_changes:
        a, b = ch.base, ch.variant
        row(t, ch.rule, fmt.num(a.used) if a else "–", fmt.num(b.used) if b else "–",
            fmt.num(a.limit) if a else "–", fmt.num(b.limit) if b else "–",
            ("yes" if a.binding else "no") if a else "–", ("yes" if b.binding else "no") if b else "–")
    if not c.rule_changes:
        t.caption = "no rule changed its use, limit or binding"
        t.caption_justify = "left"
    return t


def _replacement(c: PlanComparison) -> Text:
    r = c.replacement
    if r is None:
        return Text()
    text = Text(f"Dropped: {', '.join(r.dropped_ids)} ({fmt.num(r.dropped_yield_gwh)} GWh in the baseline plan)\n")
    if c.variant.status is PlanStatus.SHORTFALL:
        short = next(iter(c.variant.targets.values())).shortfall_gwh if c.variant.targets else 0.0
        text.append(f"No full replacement exists under the rules: the target falls {fmt.num(short)} GWh short; "
                    "see the binding rules of the variant.\n", style="bold")
    elif r.same_yield:
        text.append(f"Replaced with at least the same yield: new sites give {fmt.num(r.added_yield_gwh)} GWh"
                    f" (net {fmt.num(r.net_replacement_gwh)} GWh after other changes).\n", style="bold")
    else:
        text.append(f"Replaced with less yield ({fmt.num(r.net_replacement_gwh)} GWh net): the target still "
                    "holds because the baseline had room above it.\n", style="bold")
    return text


def _districts(changes: list[DistrictChange]) -> Table | None:
    if not changes:
        return None
    t = table("Districts whose heat strategy or year changed", "district", "name", "before", "after", text_cols=4)
    for ch in changes:
        before = f"{ch.base_strategy} {ch.base_year}" if ch.base_strategy else "stays on gas"
        after = f"{ch.variant_strategy} {ch.variant_year}" if ch.variant_strategy else "stays on gas"
        row(t, ch.district_id, ch.name[:24], before, after)
    return t


def _horizon(c: HorizonComparison, what: str) -> Group:
    head = Text(f"What-if: {what}\n", style="bold")
    for label, p in (("baseline", c.base), ("variant ", c.variant)):
        short = [q.year for q in p.periods if q.status is PlanStatus.SHORTFALL]
        head.append(f"{label}  {p.scenario_name}: {p.status.value}"
                    f"{' in ' + ', '.join(map(str, short)) if short else ''}, objective over the years "
                    f"{fmt.num(p.objective_meur, 2)} M€, investment {fmt.num(p.cost_meur, 1)} M€\n")
    head.append(f"change in objective: {_signed(c.objective_delta_meur, 2)} M€\n")
    parts: list[object] = [head]
    for year, yc in c.years:
        q = next(p for p in c.variant.periods if p.year == year)
        note = Text(f"In {year} (the plan as it stands then)", style="bold")
        if q.status is PlanStatus.SHORTFALL:
            note.append(f": the variant falls {fmt.num(q.shortfall_gwh)} GWh short", style="bold")
        parts += [note, _replacement(yc), _metrics(yc), _sites(yc)]
    if c.years:
        parts += [Text(f"Rules in {c.years[-1][0]}", style="bold"), _rules(c.years[-1][1])]
    extra = _districts(c.district_changes)
    if extra is not None:
        parts.append(extra)
    return Group(*parts)  # type: ignore[arg-type]


def render_comparison(c: Comparison, what: str) -> Group:
    """A what-if comparison: one year, or year by year for plans over several target years."""
    if isinstance(c, HorizonComparison):
        return _horizon(c, what)
    parts: list[object] = [_headline(c, what), _replacement(c), _metrics(c), _sites(c), _rules(c)]
    extra = _districts(c.district_changes)
    if extra is not None:
        parts.append(extra)
    return Group(*parts)  # type: ignore[arg-type]


def comparison_text(c: Comparison, what: str, width: int = 100) -> str:
    """Plain text (no colour) for snapshots and files."""
    return render_to_text(render_comparison(c, what), width)
