"""Waits until the api, Rasa and the action server are healthy, then prints the URL.

Run by the supervisor next to the three services; it keeps running (a finished process
would make honcho stop the others) and shows progress while Rasa loads its model.
"""

from __future__ import annotations

import os
import signal
import sys
import time

import httpx

POLL_SECONDS = 2.0
REPORT_EVERY_SECONDS = 10.0
GIVE_UP_SECONDS = 900.0

_NAMES = {"rasa": "Rasa", "actions": "máy chủ hành động", "index": "kho tri thức"}


def _describe(components: dict[str, str]) -> str:
    waiting = [f"{_NAMES.get(name, name)}: {state}" for name, state in components.items() if state != "ok"]
    return ", ".join(waiting) or "ok"


def wait(api_url: str, public_url: str) -> bool:
    started = time.monotonic()
    last_report = 0.0
    while (elapsed := time.monotonic() - started) < GIVE_UP_SECONDS:
        try:
            body = httpx.get(f"{api_url}/healthz", timeout=5.0).json()
        except (httpx.HTTPError, ValueError):
            body = {"status": "starting", "components": {"api": "starting"}}
        if body.get("status") == "ok":
            print(f"\n✅ Hệ thống đã sẵn sàng / ready: {public_url}  (sau {elapsed:.0f} s)\n", flush=True)
            return True
        if elapsed - last_report >= REPORT_EVERY_SECONDS:
            print(f"… đang khởi động ({elapsed:.0f} s): {_describe(body.get('components', {}))}", flush=True)
            last_report = elapsed
        time.sleep(POLL_SECONDS)
    print("⚠️  Hệ thống chưa sẵn sàng sau 15 phút; xem nhật ký ở trên / not ready, see the logs.", flush=True)
    return False


def main() -> None:
    port = os.environ.get("API_PORT", "8000")
    wait(f"http://127.0.0.1:{port}", os.environ.get("PUBLIC_URL", f"http://localhost:{port}"))
    if "--exit" in sys.argv:
        return
    signal.pause()


if __name__ == "__main__":
    main()
