"""The whole system as a user starts it: Rasa, the action server and the api under honcho.

Runs on ports of its own so that it does not collide with a system already running.
Needs the trained model and the knowledge index (`make setup` builds both).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
PORTS = {"RASA_PORT": "15005", "ACTIONS_PORT": "15055", "API_PORT": "18000"}
API = f"http://127.0.0.1:{PORTS['API_PORT']}"
STARTUP_SECONDS = 420

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def system(tmp_path_factory) -> Iterator[str]:
    log_path = tmp_path_factory.mktemp("e2e") / "honcho.log"
    derived = {"RASA_URLS", "ACTION_SERVER_URL", "API_URL", "ACTION_ENDPOINT_URL"}  # from the ports
    env = {k: v for k, v in os.environ.items() if k not in derived} | PORTS | {"API_HOST": "127.0.0.1"}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(ROOT / ".venv/bin/honcho"), "start", "-f", "Procfile", "rasa", "actions", "api"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            status: dict = {}
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    status = httpx.get(f"{API}/healthz", timeout=5).json()
                    if status.get("status") == "ok":
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(3)
            else:
                pytest.fail(f"system not healthy: {status}\n{log_path.read_text(errors='replace')[-4000:]}")
            yield API
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _chat(api: str, sender: str, text: str) -> list[dict]:
    response = httpx.post(f"{api}/api/v1/chat", json={"sender_id": sender, "text": text}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()["messages"]


def test_greeting_is_answered_in_vietnamese(system):
    messages = _chat(system, "e2e-greet", "xin chao")
    text = " ".join(m["text"] for m in messages)
    assert messages and any(ch in text for ch in "àáảãạăâđêôơư"), text


def test_poor_household_question_cites_article_7_of_the_legal_aid_law(system):
    messages = _chat(system, "e2e-eligibility", "nha toi ho ngheo co duoc tro giup phap ly mien phi ko")
    text = "\n".join(m["text"] for m in messages)
    assert "Điều 7" in text and "11/2017/QH14" in text, text


def test_out_of_scope_question_gets_no_legal_answer(system):
    messages = _chat(system, "e2e-oos", "hom nay thoi tiet ha noi the nao")
    text = "\n".join(m["text"] for m in messages)
    assert "Căn cứ" not in text, text
