"""A real headless browser for tests: Debian's chromium driven by playwright (never a downloaded one).

``browser()`` yields a playwright ``Browser`` or skips the test with the reason (fails instead
when the environment variable ``CI`` is ``"true"``: CI installs chromium in ``.ci/run``).
``open_page`` loads a file and records every request, console message and page error.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("ENERGIE_CHROMIUM", "/usr/bin/chromium")
#: No first-run UI, no background traffic (updates, sync, QUIC probes): the only requests a page
#: makes are its own.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run the browser tests: .ci/run installs chromium)")
    pytest.skip(reason)


@contextmanager
def browser() -> Iterator[Any]:
    """Chromium at ``CHROMIUM`` through playwright's sync API."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium, or set ENERGIE_CHROMIUM)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@dataclass
class PageLog:
    """What a page did while loading and afterwards."""

    requests: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Console errors and warnings, and uncaught page errors."""
        return ([f"console {kind}: {text}" for kind, text in self.console if kind in ("error", "warning")]
                + [f"pageerror: {e}" for e in self.errors])


def open_page(b: Any, path: Path, width: int = 1280, height: int = 900) -> tuple[Any, PageLog]:
    """Open ``path`` (file://) in a fresh context and wait until it has loaded."""
    context = b.new_context(viewport={"width": width, "height": height}, service_workers="block")
    page = context.new_page()
    log = PageLog()
    page.on("request", lambda r: log.requests.append(r.url))
    page.on("console", lambda m: log.console.append((m.type, m.text)))
    page.on("pageerror", lambda e: log.errors.append(str(e)))
    page.goto(path.resolve().as_uri(), wait_until="load")
    return page, log


def offline_requests(log: PageLog, path: Path) -> list[str]:
    """Requests other than the file itself and ``data:``/``blob:`` URLs."""
    own = path.resolve().as_uri()
    return [u for u in log.requests if u.split("#")[0] != own and not u.startswith(("data:", "blob:"))]


def is_blank_png(data: bytes) -> bool:
    """True when a PNG is one colour (or not a PNG at all)."""
    import io

    from PIL import Image

    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return True
    with Image.open(io.BytesIO(data)) as image:
        lo_hi = image.convert("L").getextrema()
    return bool(lo_hi[0] == lo_hi[1])


def keep_artifact(path: Path) -> Path | None:
    """Copy ``path`` into ``$ENERGIE_ARTIFACTS`` when it is set (CI keeps the folder)."""
    folder = os.environ.get("ENERGIE_ARTIFACTS")
    if not folder:
        return None
    Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(path, Path(folder) / path.name))
