"""The questions asked of a plan: what-if, explain, compare, alternatives and parameter sweeps.

What belongs here: studies that re-plan any scenario (edited by ``overrides``) through the one
pipeline (``energie.planner.pipeline.run_plan``) and compare the plans, returning result types that
``energie.reports`` renders. Where a study edits the built problem itself (alternatives add their
cost cap and distance, explain relaxes integrality for the duals) it uses ``energie.model`` and the
solver adapter. They never import ``energie.reports``: rendering is the caller's step (``cli``).

May import: ``models``, ``sites`` (scenario files), ``energie.planner``, ``energie.model``,
``energie.engines``, ``energie.facts``, ``energie.rules``.
"""
