"""The one planning problem, built from contributions; it never solves and does no I/O.

``horizon`` prepares the dimensions (periods × municipalities × heat districts) from validated
inputs; ``problem`` holds the PuLP problem, its variables by dimension and its elastic targets;
``contributions`` adds each constraint family and the objective. A one-year scenario without
municipalities or heat is the same code with dimensions of size one and zero.

May import: ``models``, ``energie.facts`` (prepared facts), pulp. Never the solver adapter, the
planner, the scenario operations or the reports.
"""
