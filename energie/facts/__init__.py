"""Facts: pure numbers and prepared data, no solver.

Energy accounting (``accounting``, ``heat_accounting``), eligibility and conflicts of the sites
(``prepare``, ``spacing``), heat options per district (``heat``), municipal needs (``region``) and
the warnings before a hopeless solve (``presolve``). Every default states its source.

May import: ``models``, numpy, shapely. Never the model builders, solver, planner or reports.
"""
