"""The action server as `make run` starts it (scripts/start_actions.sh → actions/server.py), as a
process of its own on a spare port (issue 11, finding 1).

It listens on loopback only; `/webhook` and `/actions` need `Authorization: Bearer
<ACTION_WEBHOOK_SECRET>` (the same length but one character wrong is refused too); `/health`
stays open and says nothing but "ok". An action that fails answers 500 without echoing the
request (rasa_sdk's own handler sent the whole tracker back, and Rasa logs that body).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.harness.system import free_port, listening_sockets

ROOT = Path(__file__).resolve().parents[2]
NAME = "Quách Thị Diễm Kiều"
PHONE = "0912468135"


@dataclass
class ActionServer:
    url: str
    secret: str
    process: subprocess.Popen
    log: Path

    def call(self, body: dict, secret: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {secret}"} if secret is not None else {}
        return httpx.post(f"{self.url}/webhook", json=body, headers=headers, timeout=30)


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ActionServer]:
    port, dead = free_port(), free_port()
    secret = "hook-" + secrets.token_urlsafe(24)
    log = tmp_path_factory.mktemp("actions") / "actions.log"
    env = {k: v for k, v in os.environ.items() if k not in ("ACTIONS_HOST", "SANIC_HOST")} | {
        "ENVIRONMENT": "development",
        "ACTIONS_PORT": str(port),
        "ACTION_WEBHOOK_SECRET": secret,
        "API_URL": f"http://127.0.0.1:{dead}",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(["bash", "scripts/start_actions.sh"], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = ActionServer(f"http://127.0.0.1:{port}", secret, process, log)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, log.read_text(errors="replace")
            try:
                if httpx.get(f"{server.url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.5)
        yield server
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


def _call(action: str, slots: dict | None = None) -> dict:
    return {
        "next_action": action, "sender_id": "web:t", "version": "3.6.21", "domain": {},
        "tracker": {"sender_id": "web:t", "slots": slots or {}, "latest_message": {"text": "xin chào"},
                    "events": [], "paused": False, "followup_action": None, "active_loop": {},
                    "latest_action_name": None},
    }


def test_it_listens_on_loopback_only(action_server: ActionServer) -> None:
    sockets = listening_sockets(action_server.process.pid)
    port = int(action_server.url.rsplit(":", 1)[1])
    assert (("127.0.0.1", port)) in sockets, sockets
    assert all(ipaddress.ip_address(address).is_loopback for address, _ in sockets), sockets


def test_webhook_and_actions_need_the_shared_secret(action_server: ActionServer) -> None:
    secret = action_server.secret
    wrong = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    body = _call("action_ask_intake_full_name")
    for attempt in (None, wrong, secret + "x", secret[:-1], "Bearer " + secret):
        refused = action_server.call(body, attempt)
        assert refused.status_code == 401, (attempt, refused.status_code, refused.text)
        assert refused.headers["www-authenticate"] == "Bearer"
    raw = httpx.post(f"{action_server.url}/webhook", json=body, headers={"Authorization": secret}, timeout=10)
    assert raw.status_code == 401  # the scheme is part of it
    assert httpx.get(f"{action_server.url}/actions", timeout=10).status_code == 401
    ran = action_server.call(body, secret)
    assert ran.status_code == 200, ran.text
    assert ran.json()["responses"], ran.json()  # the form asks for the name
    assert httpx.get(f"{action_server.url}/health", timeout=10).json() == {"status": "ok"}


def test_a_failed_action_does_not_echo_the_request(action_server: ActionServer) -> None:
    broken = _call("action_ask_intake_phone", {"intake_full_name": NAME, "intake_phone": PHONE})
    del broken["tracker"]["sender_id"]  # rasa_sdk's Tracker.from_dict fails on it
    answered = action_server.call(broken, action_server.secret)
    assert answered.status_code == 500
    assert NAME not in answered.text and PHONE not in answered.text, answered.text
    time.sleep(0.5)
    logged = action_server.log.read_text(errors="replace")
    assert "Action call failed" in logged  # the failure itself is logged...
    assert NAME not in logged and PHONE not in logged  # ...without what the citizen typed
