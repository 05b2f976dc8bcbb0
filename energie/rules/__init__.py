"""Rules: their stable, readable names (``names``) and how much of each a plan uses and whether it
binds (``uses``), read from prepared data and the chosen set — no solver.

May import: ``models``, ``energie.facts``.
"""
