"""Sweeps on a Dask distributed cluster (``energie sweep --engine dask``).

Every point is the same picklable ``ScenarioRun`` solved by the same top-level
``run_scenario`` as in the local process pool (``energie.scenarios.sweep_local``); Dask only
carries runs to workers and plans back. Results are put in the order of the
runs, not of completion, so a cluster gives the same rows as this machine.

Why Dask distributed rather than Ray (measured 2026-11-23 on the 2-core
benchmark machine, Python 3.11, dask/distributed 2026.8.0, ray 2.60.0, median
of 3): ``dask[distributed]`` is pure Python (two wheels of 1.5 + 1.0 MB, 43 MB
installed with its dependencies) against Ray's 79 MB binary wheel (258 MB
installed); a two-worker ``LocalCluster`` is up in 0.35 s against 3.1 s for
``ray.init`` (its own GCS, raylet and worker processes), and shut down in
0.09 s against 1.3 s; and ``Client.submit`` / ``as_completed`` are the
``concurrent.futures`` calls the local pool already uses.

``distributed`` is imported only when an engine is opened, so the planner runs
without it; asking for it when it is not installed is an ``InputError`` that
says what to install.

Before the first point, every worker is asked for its ``worker_identity``
(energieplanner version, a digest of the planner's source files as they were
when first asked in that process, the versions of Python, PuLP, highspy and
pydantic). A worker that differs from this process would give other plans, or
none, so the sweep is refused and the message names the workers (first five,
then "…"). Workers that join later are checked by each point on its worker
(an error row). A worker that joins later without the planner at all cannot
even unpickle a point: Dask closes it and gives the point to another worker
(seen with a planner-less worker joining a running sweep: all points solved).
"""

from __future__ import annotations

import hashlib
import os
import platform
import socket
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import CancelledError
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import metadata, util
from pathlib import Path
from typing import TYPE_CHECKING, Any

from energie.scenarios.sweep_runs import PointResult, ProgressFn, ScenarioRun, run_scenario, split_sites
from models import InfeasibleError, InputError, Plan, Site, SolverError

if TYPE_CHECKING:
    from distributed import Client

INSTALL_HINT = "pip install 'energieplanner[distributed]'"
#: The packages whose code runs on a worker (``cli`` does not).
SOURCE_PACKAGES = ("energie", "models", "sites")
#: Files that make up a package's behaviour: code and the built-in catalogue.
SOURCE_SUFFIXES = (".py", ".toml")
#: Libraries whose version changes a plan or the pickles that carry it.
LIBRARIES = ("pulp", "highspy", "pydantic")
#: Most workers named in one message.
MAX_NAMED = 5

SolveFn = Callable[[ScenarioRun], Plan]


def source_digest() -> str:
    """SHA-256 (first 12 hex digits) over the relative paths and bytes of the ``.py`` and
    ``.toml`` files of ``SOURCE_PACKAGES`` as this interpreter imports them."""
    return _source_digest()


@lru_cache(maxsize=1)
def _source_digest() -> str:
    digest = hashlib.sha256()
    for package in SOURCE_PACKAGES:
        spec = util.find_spec(package)
        roots = list(spec.submodule_search_locations or []) if spec else []
        for root in map(Path, roots):
            for path in sorted(p for p in root.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file()
                               and "__pycache__" not in p.parts):
                digest.update(f"{package}/{path.relative_to(root).as_posix()}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def worker_identity() -> dict[str, str]:
    """What must be equal on the client and every worker for equal plans (runs on the workers)."""
    return {"energieplanner": _version("energieplanner"), "source": source_digest(),
            "python": ".".join(platform.python_version_tuple()[:2]),
            **{lib: _version(lib) for lib in LIBRARIES}}


def _difference(here: Mapping[str, str], there: Mapping[str, str]) -> str:
    return ", ".join(f"{key} {there.get(key, '?')} (here {value})" for key, value in here.items()
                     if there.get(key) != value)


class WorkerMismatch(Exception):
    """A worker's ``worker_identity`` differs from the client's (raised on the worker)."""


def identity_problems(here: Mapping[str, str], workers: Mapping[str, Any]) -> list[str]:
    """One line per worker whose identity differs from ``here`` or that could not report one
    (the value is then the exception it raised, e.g. ``ModuleNotFoundError`` without the planner)."""
    problems = []
    for address, there in sorted(workers.items()):
        # distributed hands back an exception the worker could not unpickle as Exception(repr)
        if isinstance(there, ImportError) or (isinstance(there, BaseException)
                                              and ("No module named" in str(there) or "ModuleNotFoundError" in str(there))):
            problems.append(f"{address}: energieplanner is not installed there ({there})")
        elif isinstance(there, BaseException):
            problems.append(f"{address}: could not report its version ({type(there).__name__}: {there})")
        elif there != here:
            problems.append(f"{address}: {_difference(here, there)}")
    return problems


def _named(problems: list[str]) -> list[str]:
    return problems[:MAX_NAMED] + (["…"] if len(problems) > MAX_NAMED else [])


def _solve_point(expected: dict[str, str], sites: tuple[Site, ...], run: ScenarioRun, fn: SolveFn) -> Plan:
    """On a worker: check the worker, then solve ``run`` with the scattered ``sites``."""
    mine = worker_identity()
    if mine != expected:
        raise WorkerMismatch(f"this worker runs another energieplanner: {_difference(expected, mine)}; "
                             "install the client's version on every worker")
    return fn(replace(run, sites=sites))


def _settle(future: Any) -> PointResult:
    """A point's outcome. Like the local pool, solver trouble is the point's; so is trouble of the
    worker that held it (it died, lacks the planner, or the scheduler went away). Input errors
    and bugs are raised: they would hit every point alike."""
    from distributed import KilledWorker

    try:
        return PointResult(future.result())
    except (SolverError, InfeasibleError, WorkerMismatch) as err:
        return PointResult(None, str(err))
    except ImportError as err:
        return PointResult(None, f"the worker could not load energieplanner ({err}); {INSTALL_HINT} "
                                 "with the client's version on every worker")
    except KilledWorker as err:
        return PointResult(None, f"the worker process died while solving this point ({err}); the "
                                 "worker's log says why (memory limit, crash)")
    except CancelledError:
        return PointResult(None, "cancelled: the Dask scheduler dropped this point (connection lost or "
                                 "scheduler restarted)")


@dataclass(frozen=True)
class DaskEngine:
    """A connected Dask client; ``workers`` = workers the cluster had when the sweep started."""

    client: Client
    workers: int
    description: str
    identity: dict[str, str]
    name: str = "dask"

    def solve(self, runs: Sequence[ScenarioRun], progress: ProgressFn | None = None,
              fn: SolveFn = run_scenario) -> list[PointResult]:
        """Solve every run on the cluster; results in the order of ``runs``.

        ``fn`` (top-level, picklable) solves one run; tests pass another to make a worker fail.
        The sites, shared by all points, are scattered to every worker once.
        """
        from distributed import as_completed

        total = len(runs)
        site_sets, site_index = split_sites(runs)
        try:
            scattered = [self.client.scatter([s], broadcast=True, hash=False)[0] for s in site_sets]
        except Exception as err:  # a worker that joined after the check and cannot unpickle sites
            raise InputError(f"could not send the sites to the Dask workers ({err}); every worker needs this "
                             f"energieplanner: {INSTALL_HINT} with the client's version") from None
        tag = uuid.uuid4().hex[:8]
        index = {self.client.submit(_solve_point, self.identity, scattered[site_index[i]], replace(run, sites=()),
                                    fn, key=f"energie-sweep-{tag}-{i}", pure=False): i
                 for i, run in enumerate(runs)}
        results: list[PointResult | None] = [None] * total
        try:
            for done, future in enumerate(as_completed(index, loop=self.client.loop), start=1):
                results[index[future]] = _settle(future)
                if progress:
                    progress(done, total)
        except BaseException:
            self.client.cancel([*index, *scattered])  # do not leave the cluster busy for nobody
            raise
        return [r for r in results if r is not None]


def _unreachable(address: str, timeout_s: float, why: object) -> InputError:
    return InputError(
        f"cannot reach the Dask scheduler at {address} within {timeout_s:g} s ({why}). Check the address "
        "(`dask scheduler` prints it as 'Scheduler at: tcp://HOST:8786'), that the scheduler runs and that "
        "its port is open to this computer; raise --connect-timeout for a slow network, or leave --scheduler "
        "out to start a local cluster")


def _probe(address: str, timeout_s: float) -> None:
    """Fail fast with a clear message when nothing listens at a tcp:// or tls:// address
    (the Dask client would retry until its timeout and then say only 'Timed out')."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        if scheme not in ("tcp", "tls"):
            return
        host, port = parse_host_port(location)
    except ValueError as err:
        raise InputError(f"--scheduler '{address}' is not a Dask scheduler address ({err}); give "
                         "tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786") from None
    try:
        socket.create_connection((host, int(port)), timeout=timeout_s).close()
    except OSError as err:
        raise _unreachable(address, timeout_s, err.strerror or err) from None


def _check_workers(client: Client, address: str, timeout_s: float) -> tuple[int, dict[str, str]]:
    """(number of workers, the client's identity), or an InputError naming the mismatched workers."""
    try:
        client.wait_for_workers(1, timeout=timeout_s)
    except TimeoutError:
        raise InputError(f"the Dask scheduler at {address} has no workers after {timeout_s:g} s; start "
                         f"some with `dask worker {address} --nthreads 1` on machines with this "
                         "energieplanner installed") from None
    here = worker_identity()
    reports = client.run(worker_identity, on_error="return")
    problems = identity_problems(here, reports)
    if problems:
        raise InputError(
            f"{len(problems)} of {len(reports)} Dask workers at {address} do not run this energieplanner "
            f"(here: {', '.join(f'{k} {v}' for k, v in here.items())}); their plans could differ or fail. "
            "Install the same version on every worker (e.g. `pip install` of the same commit, with "
            f"'[distributed]') and restart them", _named(problems))
    return len(reports), here


@contextmanager
def open_dask_engine(scheduler: str | None, workers: int | None, connect_timeout_s: float) -> Iterator[DaskEngine]:
    """A Dask engine for one sweep: connected to ``scheduler`` (``tcp://HOST:PORT``), or, when it is
    ``None``, to a ``LocalCluster`` of ``workers`` single-threaded processes (default: CPUs) started
    here and stopped on exit."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError(f"--engine dask needs Dask distributed, which is not installed: {INSTALL_HINT}") from None
    with ExitStack() as stack:
        if scheduler is None:
            n = workers or os.cpu_count() or 1
            # ":0": any free port for the scheduler's HTTP server (None still binds 8787, which a
            # second sweep or a running cluster on this computer already holds)
            cluster = stack.enter_context(LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                                       dashboard_address=":0"))
            client = stack.enter_context(Client(cluster, set_as_default=False))
            address, description = cluster.scheduler_address, f"a local Dask cluster of {n} workers"
        else:
            address = scheduler.strip()
            _probe(address, connect_timeout_s)
            try:
                client = stack.enter_context(Client(address, timeout=connect_timeout_s, set_as_default=False))
            except (OSError, TimeoutError) as err:
                raise _unreachable(address, connect_timeout_s, err) from None
            description = f"the Dask scheduler at {address}"
        n_workers, identity = _check_workers(client, address, connect_timeout_s)
        yield DaskEngine(client, n_workers, description, identity)


__all__ = ["INSTALL_HINT", "DaskEngine", "WorkerMismatch", "identity_problems", "open_dask_engine",
           "source_digest", "worker_identity"]
