"""The real app under uvicorn in a thread of the test process, so that a test can hand it fakes
(an httpx.MockTransport for Rasa, a fake index). Used by the web-chat page tests and the operator
console tests (the whole system in processes: tests/harness/system.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.harness.system import free_port

START_TIMEOUT_SECONDS = 30.0


@contextmanager
def serve_in_thread(app: object, name: str) -> Iterator[str]:
    """Serve *app* on a free 127.0.0.1 port until the block ends; yields its base URL."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"{name}-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        pytest.fail(f"uvicorn did not start for the {name} tests")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
