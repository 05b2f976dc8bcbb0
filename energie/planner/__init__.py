"""The one planning pipeline: prepare → build → solve (elastic shortfall) → assemble → check.

``run_plan`` plans any scenario — one year or per-year targets, with or without
``[municipalities]`` and ``[heat]`` — and returns a ``Plan`` (one plan year) or a ``PhasedPlan``.

May import: ``models``, ``energie.model`` (the problem), the solver adapter, the independent
checkers and the result helpers (``rules``, ``regional``, ``heat_results``). Never reports.
"""
