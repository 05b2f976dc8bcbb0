"""Stable, readable names of the rules (the constraint names of LP files and reports)."""

from __future__ import annotations

#: The region's electricity target of a one-year scenario (per year: ``res_target[electricity,2030]``).
TARGET_RULE = "res_target[electricity]"


def municipal_rule(gemeente: str) -> str:
    """Readable constraint name of a municipality's own target (in a one-year view of the plan)."""
    return f"municipal_target[{gemeente}]"


__all__ = ["TARGET_RULE", "municipal_rule"]
