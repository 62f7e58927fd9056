"""Browser fixtures: the real app on a loopback port, driven by Debian's Chromium through Playwright."""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from core.db import db
from tests.browser.screens import DESKTOP, PHONE

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-artifacts/screenshots"))


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _chromium_missing() -> str | None:
    if not (Path(CHROMIUM).exists() and shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the machine
        return f"Playwright or axe-playwright-python is not installed: {exc}"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _chromium_missing()
    if reason:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture()
def live_app(tmp_path):
    instance = tmp_path / "instance"
    # A development server, as `make run` starts: links in mails go to the loopback address and the live port.
    # Its tasks (mails, image copies, exports, rankings) run in the server right after each commit, where
    # `make run` has a queue worker beside it; a real worker is driven in tests/reliability/.
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'browser.db'}", "INSTANCE_PATH": str(instance),
                      "APP_ENV": "development", "QUEUE_IMMEDIATE": True})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    return app


@pytest.fixture()
def server(live_app):
    with LiveServer(live_app) as live:
        yield live
    with live_app.app_context():
        db.engine.dispose()


@pytest.fixture()
def demo(live_app):
    """Load the demo data into the live app's database."""
    with live_app.app_context():
        from demo.build import load_demo

        load_demo("browser-demo-password")
        db.session.commit()
    return "browser-demo-password"


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture()
def check_a11y():
    """Run axe on the page; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _check(page):
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        details = "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in bad)
        assert not bad, f"accessibility violations on {page.url}:\n{details}"

    return _check


@pytest.fixture()
def shoot():
    """Save a screenshot at desktop width and at 360 px, for a person to review."""

    def _shoot(page, name: str):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        original = page.viewport_size
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
            if label == "phone":
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow}px at 360 px"
        page.set_viewport_size(original)

    return _shoot
