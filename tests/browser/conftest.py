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


DEMO_PASSWORD = "browser-demo-password"


def _app_on(database: Path, instance: Path):
    # A development server, as `make run` starts: links in mails go to the loopback address and the live port.
    # Its tasks (mails, image copies, exports, rankings) run in the server right after each commit, where
    # `make run` has a queue worker beside it; a real worker is driven in tests/reliability/.
    return create_app({"DATABASE_URL": f"sqlite:///{database}", "INSTANCE_PATH": str(instance),
                       "APP_ENV": "development", "QUEUE_IMMEDIATE": True})


class _Templates:
    """A migrated database, and one with the demo loaded (with its instance folder: files, mails), made once per
    test process and copied for each test: the migrations and the demo are the slow part of a browser test."""

    def __init__(self, root: Path):
        self.root = root
        self.migrated = root / "migrated.db"
        self.demo = root / "demo.db"
        self.demo_instance = root / "demo-instance"

    def migrated_database(self) -> Path:
        if not self.migrated.exists():
            app = _app_on(self.root / "migrating.db", self.root / "migrating-instance")
            with app.app_context():
                from flask_migrate import upgrade

                upgrade()
                db.engine.dispose()
            (self.root / "migrating.db").rename(self.migrated)
        return self.migrated

    def demo_database(self) -> tuple[Path, Path]:
        if not self.demo.exists():
            loading = self.root / "demo-loading.db"
            shutil.copyfile(self.migrated_database(), loading)
            app = _app_on(loading, self.demo_instance)
            with app.app_context():
                from demo.build import load_demo

                load_demo(DEMO_PASSWORD)
                db.session.commit()
                db.session.remove()
                db.engine.dispose()
            loading.rename(self.demo)
        return self.demo, self.demo_instance


@pytest.fixture(scope="session")
def templates(tmp_path_factory):
    return _Templates(tmp_path_factory.mktemp("browser-templates"))


@pytest.fixture()
def live_app(tmp_path, templates):
    database = tmp_path / "browser.db"
    shutil.copyfile(templates.migrated_database(), database)
    app = _app_on(database, tmp_path / "instance")
    app.config["TEST_DATABASE_PATH"] = str(database)
    return app


@pytest.fixture()
def server(live_app):
    with LiveServer(live_app) as live:
        yield live
    with live_app.app_context():
        db.engine.dispose()


@pytest.fixture()
def demo(live_app, templates):
    """The demo data in the live app's database and instance folder (a copy of the one loaded once per process)."""
    database, instance = templates.demo_database()
    with live_app.app_context():
        db.session.remove()
        db.engine.dispose()  # no connection stays open on the file replaced below
    shutil.copyfile(database, live_app.config["TEST_DATABASE_PATH"])
    shutil.copytree(instance, live_app.instance_path, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("secret_key"))
    return DEMO_PASSWORD


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
