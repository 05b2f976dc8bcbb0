"""Command-line interface (Typer): parse options, call ``energie``, render, exit.

What belongs here: thin commands only. Errors from the library become a
readable message and an exit code (2 bad input, 1 shortfall or solver
trouble), never a traceback. Nothing imports ``cli``.
"""
