"""The independent checkers, in plain Python: they re-derive every rule from the scenario and the
sites and share no code with the model builders, so a bug there cannot hide itself here.

``plan`` checks one year's plan, ``phasing`` a plan over several target years (each year through
``plan``, plus what spans years), ``heat`` the districts and each year's coupled electricity target;
``result.check_result`` runs the ones a plan needs.

May import: ``models`` only — that is what keeps them independent.
"""
