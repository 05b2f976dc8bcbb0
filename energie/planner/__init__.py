"""The one planning pipeline: prepare → build → solve (elastic shortfall) → assemble → check.

``pipeline.run_plan`` plans any scenario — one year or per-year targets, with or without
``[municipalities]`` and ``[heat]`` — and returns a ``Plan`` (one plan year) or a ``PhasedPlan``;
``plans`` holds the entry points by kind of scenario (``plan``, ``plan_phased``, ``plan_with_heat``);
``elastic`` the one shortfall scheme; ``outcome``, ``assemble``, ``phased``, ``municipalities`` and
``heat_results`` turn solved values into result objects.

May import: ``models``, ``sites`` (loaded inputs), ``energie.facts``, ``energie.rules``,
``energie.engines``, ``energie.model``, ``energie.check``. Never scenarios or reports.
"""
