"""Terminal report of ``explain``: the price of landscape protection (≤ 100 columns, no colour)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from energie import fmt
from energie.facts.accounting import DISCOUNT_RATE, LIFETIME_YEARS
from energie.reports.rich_tables import render_to_text, row, table
from energie.scenarios.explain import Explanation, TargetPrice
from models import PlanStatus


def _prices(e: Explanation) -> Table:
    short = e.baseline.status is PlanStatus.SHORTFALL
    if short:
        b = e.baseline
        several = hasattr(b, "periods") or bool(b.heat) or bool(getattr(b, "municipalities", None))
        if several:  # several targets fall short: what each relaxation closes of them together
            t = table("Rules relaxed one step: the shortfall each closes (the baseline is a shortfall)", "rule",
                      "relaxed by", "closes GWh", "status", text_cols=2)
            t.caption = Text("closes GWh: the fall of every target's shortfall together (region and municipalities "
                             "in every target year, gas at 8.79 GWh per million m³); below 0: the relaxed plan "
                             "meets an earlier year better and a later one less")
            t.caption_justify = "left"
        else:
            t = table("Rules relaxed one step: extra reachable yield (the baseline is a shortfall)", "rule",
                      "relaxed by", "extra GWh", "status", text_cols=2)
        for p in e.prices:
            row(t, p.rule, p.relaxation, fmt.num(p.extra_reachable_gwh), p.status)
        return t
    t = table("The price of landscape protection: each binding rule relaxed one step", "rule", "relaxed by",
              "plan M€", "saving M€", "€/MWh", text_cols=2)
    for p in e.prices:
        row(t, p.rule, p.relaxation, fmt.num(p.objective_meur, 2), fmt.num(p.saving_meur, 2),
            fmt.num(p.saving_eur_per_mwh, 2))
    if not e.prices:
        t.caption = "no rule binds: relaxing any of them would not make the plan cheaper"
        t.caption_justify = "left"
    elif any(p.saving_meur is not None and p.saving_meur < -1e-6 for p in e.prices):
        # not monotone by construction: a landscape type opened to fields brings new lower-step
        # fields, and the strict zonneladder wants every lower step built before land
        t.caption = ("a negative saving: relaxing that rule admits new roof or built-up/multifunctional "
                     "fields, which the strict zonneladder then requires before any field on land")
        t.caption_justify = "left"
    return t


def _target(e: Explanation) -> Table | Text:
    if e.targets_by_year:
        t = table("Marginal value of the energy target per year", "year", "method", "M€ per GWh/yr", "€/MWh",
                  text_cols=2)
        for tp in e.targets_by_year:
            for label, value in _methods(tp):
                row(t, str(tp.year), label, fmt.num(value, 3), fmt.num(tp.eur_per_mwh(value), 1))
        return t
    one = e.target
    if one is None:
        b = e.baseline
        short = [str(q.year) for q in b.periods if q.status is PlanStatus.SHORTFALL] if hasattr(b, "periods") else []
        if short:
            return Text(f"Marginal value of the target: not computed; the plan falls short in {', '.join(short)}, "
                        "and a marginal cost needs every target met (what each rule's relaxation closes is above).")
        return Text("Marginal value of the target: not computed (no target, or the target is not met).")
    t = table("Marginal value of the energy target", "method", "M€ per GWh/yr", "€/MWh", text_cols=1)
    for label, value in _methods(one):
        row(t, label, fmt.num(value, 3), fmt.num(one.eur_per_mwh(value), 1))
    return t


def _methods(tp: TargetPrice) -> list[tuple[str, float | None]]:
    return [
        ("LP dual, integer choices fixed", tp.dual_integers_fixed_meur_per_gwh),
        ("LP dual, relaxation", tp.dual_lp_relaxation_meur_per_gwh),
        (f"re-solve with target +{fmt.num(tp.step_gwh)} GWh", tp.step_cost_meur_per_gwh),
    ]


def render_explanation(e: Explanation) -> Group:
    b = e.baseline
    head = Text(f"Explain: {b.scenario_name}, baseline {b.status.value}, objective "
                f"{fmt.num(b.objective_meur, 2)} M€\n", style="bold")
    notes = Text(
        f"Savings are in investment + weighted landscape impact (M€). €/MWh annualises a saving over "
        f"{LIFETIME_YEARS} years at {DISCOUNT_RATE:.0%} real (annuity factor {e.crf:.4f}) and divides it by the "
        "yearly yield of the baseline's new sites. The LP dual with integer choices fixed is zero whenever "
        "the chosen sites overshoot the target, which binary choices nearly always do; the re-solve is the "
        "figure to quote.\n")
    return Group(head, _prices(e), _target(e), notes)


def explanation_text(e: Explanation, width: int = 100) -> str:
    return render_to_text(render_explanation(e), width)
