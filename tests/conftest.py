"""Fixtures shared by every suite. Nothing heavy is imported here: the Rasa environment loads it too."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Keys of the case store's encryption at rest for every test (and every process a test starts):
# not the development defaults of scripts/common.sh, which the production profile refuses.
os.environ["CASE_ENCRYPTION_KEYS"] = "Gr_1lhYO-AG8oVpMRNI7snJpLyKTzvjqjf5IaWtUs-A="
os.environ["CASE_BLIND_INDEX_KEY"] = "tests-only-blind-index-key-MCJxyz_eRTnG9HvQ0Kkx3a3w8INmGcF3"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium under Playwright (never `playwright install`), one per test run: the
    dashboard, console and web-chat suites share it (Playwright's sync API cannot start twice in
    one thread); each test opens its own context. Missing pieces fail loudly, never skip."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. "
            "Run `bash scripts/install_browser.sh` (as root) first.",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.fail(
            f"Playwright's Python package is missing ({error}). "
            "Install the api requirements: `.venv/bin/pip install -r requirements/api.lock`.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000
            )
        except Exception as error:  # noqa: BLE001 - any launch failure must fail loudly with the reason
            pytest.fail(f"Chromium ({CHROMIUM}) did not start under Playwright: {error}", pytrace=False)
        yield launched
        launched.close()
