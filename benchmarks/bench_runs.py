"""Parent-side plumbing shared by ``bench_region.py`` and ``bench_outputs.py``: ``--render`` from a
saved JSON, the working folder, and pointing the workers at the source snapshot (``bench_plan._snapshot``)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bench_plan as bp


def render_saved(saved_json: Path, out: Path | None,
                 markdown: Callable[[list[dict[str, Any]], dict[str, Any]], str]) -> int:
    """``--render``: rewrite the Markdown (``out``, default next to the JSON) from an earlier run's
    JSON and print it; returns the exit code."""
    saved = json.loads(saved_json.read_text())
    text = markdown(saved["results"], saved["meta"])
    (out or saved_json.with_suffix(".md")).write_text(text)
    print(text)
    return 0


def working_folder(workdir: Path | None, prefix: str) -> tuple[tempfile.TemporaryDirectory[str] | None, Path]:
    """``workdir`` (created), or a temporary folder the caller cleans up (returned first)."""
    tmp = tempfile.TemporaryDirectory(prefix=prefix) if workdir is None else None
    folder = Path(tmp.name) if tmp else workdir
    assert folder is not None
    folder.mkdir(parents=True, exist_ok=True)
    return tmp, folder


def use_snapshot(src: Path) -> None:
    """Workers started by ``bench_plan._spawn`` import the project from ``src``, ahead of the editable install."""
    bp._ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(src), os.environ.get("PYTHONPATH", ""))
                                                          if p))


def check_snapshot(src: Path, digest: str) -> None:
    """Stop when the copy in ``src`` is not the source whose digest the header reports."""
    if bp._source_digest(src) != digest:
        raise SystemExit("the working tree changed while it was being copied; run again")
