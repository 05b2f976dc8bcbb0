"""Rendering results: the terminal report, HTML page, Excel workbook, maps and JSON/GeoPackage layers.

What belongs here: code that reads a finished result (``models.Plan``, ``PhasedPlan``, ``HeatPlan``
and the result types of ``energie.scenarios``) and its inputs, and renders it. It may import
``models``, those result types, ``energie.fmt``, ``energie.facts.accounting`` and the prepared data's
constants (``energie.facts.prepare``, ``energie.rules.uses``); never the solver, the model builders or the
planners, so that every report can be snapshot-tested without solving. Styles and scripts of the
HTML page are package data in ``static/``.
"""
