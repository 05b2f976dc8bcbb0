"""The one place that formats and rounds numbers for people (reports, tables)."""

from __future__ import annotations


def num(value: float | None, decimals: int = 1) -> str:
    """Thousands separated by a thin comma, fixed decimals; ``None`` → "–"."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return "0" + text[2:] if text.startswith("-0") and float(text.replace(",", "")) == 0 else text


def pct(value: float | None, decimals: int = 1) -> str:
    """A fraction [-] as a percentage."""
    return "–" if value is None else f"{100.0 * value:.{decimals}f} %"


def gap(value: float | None) -> str:
    """A relative MIP gap: "0 %" when proven, else a percentage with enough digits."""
    if value is None:
        return "–"
    if value < 5e-7:
        return "0 %"
    return f"{100.0 * value:.3g} %"


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"
