"""Lifetimes and repowering in the one problem: what a site in operation means once sites retire.

A candidate whose lifetime can end within the horizon (``Horizon.can_retire``) has build variables
``s[i, b]`` (built in period b) and its ``w[i, k]`` follows from them:

- ``built_once[<id>]``: Σ_b s[i, b] ≤ 1 (no re-building of the same candidate);
- ``operates[<id>,<year>]``: w[i, k] = Σ s[i, b] over the build periods b ≤ k with year_k <
  year_b + lifetime (in operation in k when built recently enough);
- ``repowers_once[<id>]``: at most one of several candidates repowering the same site is built.

Every other candidate keeps ``stays`` (``energie.model.contributions``). A repowering candidate, and
any candidate too close to a retiring turbine, has no ``w`` before that site's retirement period
(``energie.model.horizon``), so it never runs together with it.

Caps and spacing hold per period once something of theirs can retire, since the set in operation
no longer only grows (``periods_for``); without retirement the last period implies every earlier
one and the names stay ``lik_area[<type>]`` and ``spacing[<a>,<b>]``.
"""

from __future__ import annotations

from collections import defaultdict

import pulp

from energie.model.horizon import Horizon
from energie.model.problem import Problem


def add_operation_constraints(p: Problem) -> None:
    """``built_once``, ``operates`` for candidates that can retire; ``repowers_once`` per repowered site."""
    h = p.horizon
    for i in p.retiring():
        sid = h.candidates[i].site_id
        k0 = h.candidate_from[i]
        builds = [p.s[i, b] for b in range(k0, h.n_periods)]
        if len(builds) > 1:
            p.add(f"built_once[{sid}]", pulp.lpSum(builds) <= 1)
        for k in range(k0, h.n_periods):
            running = [p.s[i, b] for b in range(k0, k + 1) if h.end_period(i, b) > k]
            p.add(f"operates[{sid},{h.years[k]}]", p.w[i, k] - pulp.lpSum(running) == 0)
    by_old: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(h.candidates):
        if f.site.repowers is not None:
            by_old[f.site.repowers].append(i)
    for old, idx in sorted(by_old.items()):
        if len(idx) > 1:
            p.add(f"repowers_once[{old}]", pulp.lpSum(p.built_by(i, p.last) for i in idx) <= 1)


def periods_for(h: Horizon, candidates: list[int], locked_ids: set[str]) -> list[int] | None:
    """The periods a cap or spacing rule must hold in: ``None`` (the last one only, unnamed by year)
    when none of ``candidates`` can retire and none of the locked-in ``locked_ids`` retires; else
    every period."""
    retires = any(h.can_retire(i) for i in candidates) or any(
        h.locked_until.get(sid, h.n_periods) < h.n_periods for sid in locked_ids)
    return list(range(h.n_periods)) if retires else None


def locked_use_in(h: Horizon, k: int, lik: str) -> tuple[float, int]:
    """Solar-field area [ha] and turbines of the locked-in sites in operation in period ``k`` in ``lik``."""
    here = [f for f in h.locked_in(k) if f.lik_type == lik]
    return sum(f.area_ha for f in here), sum(f.kind == "wind_turbine" for f in here)


__all__ = ["add_operation_constraints", "locked_use_in", "periods_for"]
