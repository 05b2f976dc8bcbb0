"""The error hierarchy every layer raises and the CLI turns into exit codes.

``InputError`` (exit 2): the user's files or options are wrong; the message
names the file, the ids (at most five, then "…") and the fix.
``InfeasibleError`` / ``SolverError`` (exit 1): the inputs are valid but no
plan could be made.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def preview_ids(ids: Iterable[object], limit: int = 5) -> str:
    """Return up to ``limit`` ids joined by commas, then "…" and the count left."""
    items = [str(i) for i in ids]
    shown = ", ".join(items[:limit])
    if len(items) > limit:
        shown += f", … ({len(items) - limit} more)"
    return shown


class PlannerError(Exception):
    """Base class for every error energieplanner raises on purpose."""

    exit_code = 1


class InputError(PlannerError):
    """Invalid user input. ``problems`` holds one line per problem found."""

    exit_code = 2

    def __init__(self, message: str, problems: Sequence[str] = (), source: str | None = None):
        self.problems = list(problems)
        self.source = source
        head = f"{source}: {message}" if source else message
        if self.problems:
            body = "\n".join(f"  - {p}" for p in self.problems[:50])
            if len(self.problems) > 50:
                body += f"\n  - … and {len(self.problems) - 50} more problems"
            head = f"{head}\n{body}"
        super().__init__(head)


class InfeasibleError(PlannerError):
    """The rules admit no plan at all (not raised for an unmet target: that is a shortfall)."""


class SolverError(PlannerError):
    """The solver failed, found no solution in time, or returned a plan that fails the checker."""
