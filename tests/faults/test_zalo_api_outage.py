"""The Zalo OA API answers 500 for a while: the replies wait in the outbox and arrive once it is
back, each exactly once."""

from __future__ import annotations

import secrets
import time

from tests.faults.accounting import assert_each_message_answered_once
from tests.faults.conftest import OA_SECRET, wait_for
from tests.harness.zalo import Citizen

OUTAGE_SECONDS = 12.0


def test_replies_held_back_by_a_zalo_outage_are_delivered_later_exactly_once(system, fake_zalo):
    citizens = [Citizen(system.api_url, fake_zalo, OA_SECRET, "6" + secrets.token_hex(9)) for _ in range(3)]
    failed_before = fake_zalo.failed_sends
    fake_zalo.fail_sends_for(OUTAGE_SECONDS)
    started = time.monotonic()
    for citizen in citizens:
        citizen.say("nha toi ho ngheo co duoc tro giup phap ly ko")

    wait_for(lambda: fake_zalo.failed_sends > failed_before, 60, "a send attempt during the outage")
    assert all(c.texts() == [] for c in citizens), "a reply got through the outage"
    for citizen in citizens:
        replies = citizen.wait_replies(timeout=120)
        assert time.monotonic() - started >= OUTAGE_SECONDS - 0.5
        assert any("Điều 7" in text and "11/2017/QH14" in text for text in replies), replies
    time.sleep(6)  # a duplicate, if any, would arrive now
    for citizen in citizens:
        assert_each_message_answered_once(system, citizen, turns=1)
