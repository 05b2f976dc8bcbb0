"""The solver engines: the one adapter that knows PuLP, CBC and HiGHS (``solver``: honest status,
gap, bound, version) and what every planner shares around it (``budget``: one checked solve, one
time budget, the solver overrides).

May import: ``models``, pulp, highspy.
"""
