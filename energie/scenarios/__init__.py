"""The questions asked of a plan: what-if, explain, compare, alternatives and parameter sweeps.

What belongs here: studies that re-plan a scenario (edited by ``overrides``) and compare the
plans, returning result types that ``energie.reports`` renders. They call the planner entry
points (``energie.optimise.plan``, ``energie.phasing.plan_phased``, …) and, where a study edits
the problem itself (explain, alternatives), the model builders and the solver adapter. They never
import ``energie.reports``: rendering is the caller's step (``cli``). One exception remains:
``alternatives.alternatives_to_json`` writes each plan with ``energie.reports.export.plan_to_json``
(the function belongs in ``energie.reports.alternatives``).
"""
