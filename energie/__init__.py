"""The planning engine: energy accounting, optimiser, checker and reports.

What belongs here: turning validated inputs into a MILP (pure builders, one
constraint family per function), solving it through one solver adapter,
re-checking every plan with an independent checker, explaining which rules
bind, and rendering results. File formats live in ``sites``; the data types in
``models``.
"""

from energie.optimise import plan, plan_inputs

__all__ = ["plan", "plan_inputs"]
