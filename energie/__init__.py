"""The planning engine: energy accounting, optimiser, checker and reports.

What belongs here: turning validated inputs into a MILP (pure builders, one
constraint family per function), solving it through one solver adapter,
re-checking every plan with an independent checker, explaining which rules
bind, and rendering results. The questions asked of a plan (what-if, explain,
alternatives, sweep) live in ``energie.scenarios``, the renderers in
``energie.reports``. File formats live in ``sites``; the data types in ``models``.
"""

from energie.api import example, plan
from energie.optimise import plan_inputs
from energie.phasing import plan_phased

__all__ = ["example", "plan", "plan_inputs", "plan_phased"]
