"""Browser fixtures: the app served on a free local port, driven by Debian's Chromium."""
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.browser.helpers import SERVED

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(app):
    """Serve ``app`` on 127.0.0.1 in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    SERVED[url] = app  # what sign_in reads captcha answers from
    yield url
    server.shutdown()
    SERVED.pop(url)


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs Debian's chromium")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _context(browser, request, **options):
    context = browser.new_context(locale="zh-CN", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    refused = []  # what the Content-Security-Policy blocked (app/headers.py): none may be
    context.on("console", lambda message: refused.append(message.text)
               if "Content Security Policy" in message.text else None)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
    assert not refused, f"the page's own content broke its Content-Security-Policy: {refused}"


@pytest.fixture
def page(browser, request):
    """A fresh browser context with a phone-sized viewport (375 px); screenshot kept at the end."""
    yield from _context(browser, request, viewport={"width": 375, "height": 812})


@pytest.fixture
def desk_page(browser, request):
    """A fresh desktop-sized context for staff pages."""
    yield from _context(browser, request, viewport={"width": 1280, "height": 900})
