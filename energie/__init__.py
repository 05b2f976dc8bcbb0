"""The planning engine: one problem over years × municipalities × heat, planned, checked, asked and shown.

Floors, each importing only the floors below it (each ``__init__`` says what it may import):

- ``facts``: pure numbers and prepared data (accounting, eligibility, heat options, municipal needs);
- ``rules``: rule names and how much of each a plan uses;
- ``engines``: the solver adapter (CBC, HiGHS) and the time budget;
- ``model``: the one problem, built from contributions (never solves);
- ``check``: the independent checkers (``models`` only);
- ``planner``: the one pipeline (prepare → build → solve → assemble → check) and its entry points;
- ``scenarios``: the questions asked of a plan (what-if, explain, alternatives, sweep);
- ``reports``: terminal, HTML, Excel, maps and JSON/GeoPackage (read results only).

Top level: ``api`` (the Python API: ``energie.plan`` for every scenario) and ``fmt`` (number
formatting). File formats live in ``sites``; the data types in ``models``.
"""

from energie.api import example, plan
from energie.planner.plans import plan_inputs, plan_phased

__all__ = ["example", "plan", "plan_inputs", "plan_phased"]
