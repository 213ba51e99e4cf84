"""Issue 11, findings 1–4 ("Done when"): the service boundary of the running system.

One system for this module, of the profile of the e2e run (`make test-e2e`: embedded,
`make test-e2e-prod`: production with PostgreSQL, Redis and two Rasa replicas), started by
tests/harness/system.py as separate processes, each with its own log file and its own secrets.
It shows, while the system serves citizens:

* the action server and Rasa refuse every call without their secret or token (401), on every
  route that matters (a forged `action_submit_legal_aid_request`, a conversation's tracker, the
  REST channel speaking as `zalo:<id>`, `/model/parse`);
* neither listens on anything but loopback (their listening sockets, read from /proc; no
  connection to any other address is made);
* no line of any process's log holds a name or phone number typed in the web chat, in a web
  intake up to the submitted case, or in Zalo messages (embedded and production profile), nor
  one of the system's secrets;
* 200 citizens asking a legal question within one minute, with the rate limit at its default,
  are all answered (see the test's docstring for how the limit is shown to be on).

The file name sorts before the other e2e modules: this system is stopped before the session's
honcho system (tests/e2e/conftest.py) starts, so that two systems never share the two cores.
"""

from __future__ import annotations

import ipaddress
import json
import re
import secrets
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from knowledge.case_code import CODE_PATTERN
from knowledge.text import fold
from tests.e2e.conftest import PROFILE, ZALO_APP_SECRET, ZALO_OA_SECRET
from tests.fakes.zalo_api import FakeZaloApi
from tests.harness.chat import WebCitizen
from tests.harness.system import LocalSystem, listening_sockets
from tests.harness.zalo import Citizen, zalo_env

pytestmark = pytest.mark.slow

WEB_NAME, WEB_PHONE = "Quách Thị Diễm Kiều", "0912 468 135"
ZALO_NAME, ZALO_PHONE = "Lục Văn Khải", "0978 135 246"
QUESTION = "nha toi ho ngheo co duoc tro giup phap ly mien phi khong"
DESCRIPTION = "hang xom lan dat nha toi o thon Khuoi Phuc, xay tuong sang 2 met"  # typed, distinctive
API_DOWN = "chưa tra cứu được"
CITIZENS = 200
PUBLIC_LIMIT = 60  # RATE_LIMIT_PER_IP_PER_MINUTE's default; the harness does not change it
_last_public_call = 0.0  # monotonic time of this module's last rate-limited call from 127.0.0.1


@pytest.fixture(scope="module")
def running(tmp_path_factory, fake_zalo: FakeZaloApi) -> Iterator[LocalSystem]:
    system = LocalSystem(
        tmp_path_factory.mktemp(f"boundary-{PROFILE}"),
        profile=PROFILE,
        extra_env=zalo_env(fake_zalo, oa_secret=ZALO_OA_SECRET, app_secret=ZALO_APP_SECRET),
    )
    try:
        system.start_all()
        yield system
    finally:
        system.stop()


def _admin(system: LocalSystem) -> dict[str, str]:
    return {"Authorization": f"Bearer {system.admin_token}"}


def _case_count(system: LocalSystem) -> int:
    response = httpx.get(f"{system.api_url}/api/v1/cases", headers=_admin(system), timeout=30)
    assert response.status_code == 200, response.text
    return int(response.json()["count"])


def _wrong(secret: str) -> str:
    """The same length, one character changed (a constant-time compare must still say no)."""
    last = "A" if secret[-1] != "A" else "B"
    return secret[:-1] + last


@pytest.fixture(scope="module")
def conversations(running: LocalSystem, fake_zalo: FakeZaloApi) -> dict[str, str]:
    """What citizens type, with names and phone numbers: web chat, a web intake up to its case,
    Zalo messages and a Zalo intake left at the province question (its tracker keeps the data)."""
    global _last_public_call
    api = running.api_url
    chatting = WebCitizen(api)
    reply = chatting.ask(f"Tôi là {WEB_NAME}, số điện thoại {WEB_PHONE}, hàng xóm lấn đất nhà tôi")
    assert reply, "no answer in the web chat"

    intake = WebCitizen(api)
    for says, expect in [
        ("toi muon gui yeu cau tro giup phap ly", "họ và tên"),
        (WEB_NAME, "Số điện thoại"),
        (WEB_PHONE, "tỉnh"),
        ("lao cai", "xã"),
        ("xa tan lap", "Hộ nghèo"),
        ("ho ngheo", "Đất đai"),
        ("dat dai", "kể"),
        (DESCRIPTION, "13/2023/NĐ-CP"),
        ("dong y", "Lào Cai"),
    ]:
        text = intake.ask(says)
        assert expect in text, (says, text)
    submitted = intake.ask("gui")
    assert CODE_PATTERN.search(submitted), submitted
    _last_public_call = time.monotonic()

    user = "75" + secrets.token_hex(8)
    zalo = Citizen(api, fake_zalo, ZALO_OA_SECRET, user_id=user)
    assert zalo.ask(f"Chào, tôi là {ZALO_NAME}, số {ZALO_PHONE}")
    for says, expect in [
        ("toi muon gui yeu cau tro giup phap ly", "họ và tên"),
        (ZALO_NAME, "Số điện thoại"),
        (ZALO_PHONE, "tỉnh"),
    ]:
        text = zalo.ask(says)
        assert expect in text, (says, text)
    return {"zalo_sender": f"zalo:{user}"}


# --- finding 1: the action server -------------------------------------------------------------


def _forged_submit() -> dict:
    slots = {
        "intake_full_name": "Kẻ Mạo Danh", "intake_phone": "0911111111", "intake_province": "Lào Cai",
        "intake_commune": "Xã Tân Lập", "intake_group": "khoan_2_ho_ngheo", "intake_topic": "đất đai",
        "intake_description": "hồ sơ giả mạo", "intake_consent": True, "intake_confirm": "submit",
    }
    return {
        "next_action": "action_submit_legal_aid_request", "sender_id": "web:forged", "version": "3.6.21",
        "tracker": {"sender_id": "web:forged", "slots": slots, "latest_message": {"text": "gui"},
                    "events": [], "paused": False, "followup_action": None, "active_loop": {},
                    "latest_action_name": None},
        "domain": {},
    }


def test_action_server_refuses_calls_without_the_shared_secret(running: LocalSystem) -> None:
    base = f"http://127.0.0.1:{running.actions_port}"
    before = _case_count(running)
    body = _forged_submit()
    refused = [{}, {"Authorization": f"Bearer {_wrong(running.webhook_secret)}"},
               {"Authorization": running.webhook_secret}, {"Authorization": f"Bearer {running.rasa_token}"}]
    for headers in refused:
        forged = httpx.post(f"{base}/webhook", json=body, headers=headers, timeout=10)
        assert forged.status_code == 401, (headers, forged.status_code, forged.text)
        assert httpx.get(f"{base}/actions", headers=headers, timeout=10).status_code == 401
    assert _case_count(running) == before  # nothing was created
    assert httpx.get(f"{base}/health", timeout=10).json() == {"status": "ok"}  # the open liveness probe
    listed = httpx.get(f"{base}/actions", headers={"Authorization": f"Bearer {running.webhook_secret}"})
    assert listed.status_code == 200 and {"name": "action_submit_legal_aid_request"} in listed.json()


# --- finding 2: Rasa ------------------------------------------------------------------------------


def test_rasa_refuses_calls_without_its_token(running: LocalSystem, conversations: dict[str, str]) -> None:
    sender = conversations["zalo_sender"]
    wrong = _wrong(running.rasa_token)
    for base in running.rasa_urls:
        tracker = f"{base}/conversations/{sender}/tracker"
        assert httpx.get(tracker, timeout=30).status_code == 401
        assert httpx.get(tracker, params={"token": wrong}, timeout=30).status_code == 401
        allowed = httpx.get(tracker, params={"token": running.rasa_token}, timeout=30)
        assert allowed.status_code == 200, allowed.text
        assert ZALO_NAME in json.dumps(allowed.json(), ensure_ascii=False)  # what the token protects
        assert httpx.post(f"{base}/model/parse", json={"text": "xin chào"}, timeout=30).status_code == 401

        speak_as = {"sender": sender, "message": "toi muon huy yeu cau"}
        webhook = f"{base}/webhooks/rest/webhook"
        for headers in ({}, {"Authorization": f"Bearer {wrong}"}, {"Authorization": running.rasa_token},
                        {"Authorization": f"Bearer {running.webhook_secret}"}):
            refused = httpx.post(webhook, json=speak_as, headers=headers, timeout=30)
            assert refused.status_code == 401, (headers, refused.status_code, refused.text)
        query_token = httpx.post(webhook, json=speak_as, params={"token": running.rasa_token}, timeout=30)
        assert query_token.status_code == 401  # the channel wants the header
        # the conversation was not touched
        after = httpx.get(tracker, params={"token": running.rasa_token}, timeout=30)
        assert after.json()["events"] == allowed.json()["events"]


# --- finding 1 and 2: listening sockets -----------------------------------------------------------


def test_rasa_and_the_action_server_listen_on_loopback_only(running: LocalSystem) -> None:
    pids = running.pids()
    for name in [*running.rasa_names(), "actions"]:
        sockets = listening_sockets(pids[name])
        port = running.services[name].port
        assert port in {p for _, p in sockets}, (name, sockets)  # the check sees the real socket
        outside = {(address, p) for address, p in sockets if not ipaddress.ip_address(address).is_loopback}
        assert not outside, f"{name} listens beyond loopback: {outside}"


# --- finding 4: logs ------------------------------------------------------------------------------


def _phone_forms(phone: str) -> list[str]:
    digits = re.sub(r"\D", "", phone)
    national = digits[1:]
    return [phone, digits, "+84" + national, "84" + national, national,
            f"{digits[:4]}.{digits[4:7]}.{digits[7:]}", f"{digits[:3]} {digits[3:6]} {digits[6:]}"]


def _name_forms(name: str) -> list[str]:
    given = " ".join(name.split()[-2:])
    return [name, unicodedata.normalize("NFD", name), given]


def test_no_process_log_holds_what_the_citizens_typed(
    running: LocalSystem, conversations: dict[str, str]
) -> None:
    time.sleep(2)  # late log lines (the Zalo worker's, Rasa's) are written now
    logs = sorted(running.work.glob("*.log"))
    names = {path.stem for path in logs}
    assert set(running.services) <= names, names  # every process wrote its log
    assert all(path.stat().st_size > 0 for path in logs)
    for path in logs:
        raw = Path(path).read_text(errors="replace")
        texts = [raw, unicodedata.normalize("NFC", raw)]
        folded = fold(raw)
        for text in texts:
            for value in [*_name_forms(WEB_NAME), *_name_forms(ZALO_NAME),
                          *_phone_forms(WEB_PHONE), *_phone_forms(ZALO_PHONE)]:
                assert value not in text, f"{value!r} in {path.name}"
        for value in (WEB_NAME, ZALO_NAME):
            assert fold(value) not in folded, f"{fold(value)!r} in {path.name}"
        assert "khuoi phuc" not in folded, f"the typed description in {path.name}"
        for secret in (running.rasa_token, running.webhook_secret, running.action_token, running.admin_token):
            assert secret not in raw, f"a secret in {path.name}"  # e.g. Rasa's ?token= in a logged URL


# --- finding 3: 200 citizens in a minute, rate limit on -------------------------------------------


def test_200_citizens_in_one_minute_are_all_answered_with_the_rate_limit_on(
    running: LocalSystem, fake_zalo: FakeZaloApi
) -> None:
    """200 Zalo citizens (200 sender ids) send a legal question within one minute; each gets the
    real answer (Điều 7, Luật 11/2017/QH14), none the apology "chưa tra cứu được".

    Every one of those answers is looked up by the action server with `POST /api/v1/answer`
    from 127.0.0.1. The public entry counts per citizen: the Zalo webhook per Zalo user, the
    web chat per IP — all test traffic comes from 127.0.0.1, so Zalo is the channel on which 200
    distinct citizens can be simulated honestly, with no limit raised or switched off. That the
    per-IP limit is on, at its default of 60, and that the internal calls did not count against
    it is shown right after the answers: from 127.0.0.1, the same IP the action server used for
    ~200 lookups in the last minute(s), exactly 60 public `GET /api/v1/answer` are served and
    the 61st is refused (429). Before the fix the internal calls filled that bucket: past the
    60th citizen of a minute, each got the apology.
    """
    # the module's earlier web chats (public, counted per IP) must have left the window
    time.sleep(max(0.0, _last_public_call + 61.0 - time.monotonic()))
    run = secrets.token_hex(3)
    citizens = [Citizen(running.api_url, fake_zalo, ZALO_OA_SECRET, user_id=f"76{run}{n:05d}")
                for n in range(CITIZENS)]
    started = time.monotonic()
    for citizen in citizens:
        citizen.say(QUESTION, retry_seconds=30)
    sent_in = time.monotonic() - started
    assert sent_in < 60, f"the {CITIZENS} questions took {sent_in:.0f}s to send"

    deadline = time.monotonic() + 600
    while any(not c.texts() for c in citizens):
        assert time.monotonic() < deadline, (
            f"{sum(not c.texts() for c in citizens)} citizens without any answer\n{running.log_tail()}")
        time.sleep(0.5)
    answered_in = time.monotonic() - started
    time.sleep(3)  # a second message of an answer arrives now
    apologies = [c.user_id for c in citizens if any(API_DOWN in t for t in c.texts())]
    assert not apologies, f"{len(apologies)} of {CITIZENS} got the apology"
    unanswered = [c.user_id for c in citizens
                  if not any("Điều 7" in t and "11/2017/QH14" in t for t in c.texts())]
    assert not unanswered, f"{len(unanswered)} without the legal answer, e.g. {citizens[0].texts()}"

    public = []
    for _ in range(PUBLIC_LIMIT + 1):
        response = httpx.get(f"{running.api_url}/api/v1/answer", params={"q": "hoa giai la gi"}, timeout=30)
        public.append(response.status_code)
    assert public == [200] * PUBLIC_LIMIT + [429], (public, f"answers took {answered_in:.0f}s")
    print(json.dumps({"profile": PROFILE, "citizens": CITIZENS, "sent_s": round(sent_in, 1),
                      "all_answered_s": round(answered_in, 1)}))
