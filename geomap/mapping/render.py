"""Static PNG of a map page through Playwright driving the system Chromium."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geomap.errors import OutputError

log = logging.getLogger(__name__)

#: Flags for a quiet, CI-friendly headless Chromium.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: Schemes a page may load when remote requests are blocked.
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


def chromium_path() -> str:
    """Path of the ``chromium`` executable, or OutputError."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise OutputError("Chromium not found on PATH: install the 'chromium' package to render maps")
    return path


def check_png_support() -> None:
    """OutputError unless a PNG can be rendered (playwright importable, Chromium on PATH).

    Cheap: it starts nothing, so commands call it before any work."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        raise OutputError("a PNG needs the optional dependency playwright: pip install 'geomap[browser]'") from exc
    chromium_path()


@contextmanager
def chromium_browser() -> Iterator[object]:
    """A Playwright Browser on the system Chromium; OutputError if either is missing."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise OutputError("a PNG needs the optional dependency playwright: pip install 'geomap[browser]'") from exc
    executable = chromium_path()
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        except PlaywrightError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unknown error"
            raise OutputError(f"cannot start Chromium ({executable}): {first}") from exc
        try:
            yield browser
        finally:
            browser.close()


def block_remote(page) -> None:
    """Abort every request that would leave the machine (tests, reproducible shots)."""

    def handle(route) -> None:
        if route.request.url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", handle)


def wait_for_map(page, timeout_ms: int = 15_000) -> None:
    """Wait until Leaflet has drawn the map and settled (tiles may still be failing)."""
    page.wait_for_selector(".leaflet-container", timeout=timeout_ms)
    page.wait_for_function(
        "() => !!window.L && document.querySelectorAll('.leaflet-container .leaflet-map-pane').length > 0",
        timeout=timeout_ms,
    )
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    idle_ms = min(timeout_ms, 5_000)
    try:
        page.wait_for_load_state("networkidle", timeout=idle_ms)
    except PlaywrightTimeout:  # slow tiles should not fail a screenshot
        log.debug("the page's network was still busy after %d ms; taking the screenshot anyway", idle_ms)
    page.wait_for_timeout(400)  # let cluster/zoom animations finish


def screenshot(
    browser,
    html_path: str | os.PathLike[str],
    *,
    width: int = 1200,
    height: int = 800,
    offline: bool = False,
    timeout_ms: int = 15_000,
) -> bytes:
    """PNG bytes of the page at *html_path*; ``offline`` blocks all non-local requests."""
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        if offline:
            block_remote(page)
        page.goto(Path(html_path).resolve().as_uri(), wait_until="load", timeout=timeout_ms)
        wait_for_map(page, timeout_ms)
        return page.screenshot(full_page=False)
    finally:
        page.close()


def render_png(
    html_path: str | os.PathLike[str],
    png_path: str | os.PathLike[str],
    *,
    width: int = 1200,
    height: int = 800,
    offline: bool = False,
    browser=None,
) -> Path:
    """Screenshot a written map page to *png_path* (atomic); returns the PNG path.

    ``offline`` blocks non-local requests (reproducible shots); pass an open
    Playwright ``browser`` (e.g. from :func:`chromium_browser`) to reuse it.
    """
    from geomap.io.atomic import write_data

    html_path = Path(html_path)
    if not html_path.is_file():
        raise OutputError(f"cannot render {html_path}: no such file")

    def shoot(b) -> bytes:
        from playwright.sync_api import Error as PlaywrightError  # a browser exists: so does playwright

        try:
            return screenshot(b, html_path, width=width, height=height, offline=offline)
        except PlaywrightError as exc:  # a timeout, a crashed page, a closed browser
            first = (str(exc).strip().splitlines() or ["unknown error"])[0]
            raise OutputError(f"cannot render {html_path}: {first}") from exc

    if browser is not None:
        data = shoot(browser)
    else:
        with chromium_browser() as b:
            data = shoot(b)
    return write_data(png_path, data)
