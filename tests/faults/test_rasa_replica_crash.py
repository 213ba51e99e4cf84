"""A Rasa replica is killed (SIGKILL) while citizens talk: the api sends every message to the
other replica, which reads the same conversations from PostgreSQL; every message still gets
exactly one reply."""

from __future__ import annotations

import secrets
import threading

from tests.faults.accounting import assert_each_message_answered_once
from tests.faults.conftest import OA_SECRET, wait_for
from tests.harness.zalo import Citizen

TURNS = ["xin chao", "ai duoc tro giup phap ly mien phi", "nha 4 nguoi o nong thon thu nhap 5tr", "cam on"]
CITIZENS = 8


def test_killing_a_rasa_replica_during_load_loses_and_duplicates_nothing(system, fake_zalo):
    citizens = [Citizen(system.api_url, fake_zalo, OA_SECRET, "5" + secrets.token_hex(9))
                for _ in range(CITIZENS)]
    failures: list[str] = []
    answered = [0]
    lock = threading.Lock()

    def talk(citizen: Citizen) -> None:
        try:
            for text in TURNS:
                citizen.ask(text, timeout=120)
                with lock:
                    answered[0] += 1
        except AssertionError as error:
            failures.append(str(error))

    threads = [threading.Thread(target=talk, args=(c,)) for c in citizens]
    for thread in threads:
        thread.start()
    wait_for(lambda: answered[0] >= CITIZENS // 2, 180, "the first replies")
    system.kill("rasa1")  # mid-conversation, some messages in flight on it
    for thread in threads:
        thread.join(timeout=600)
    assert not failures, failures
    assert answered[0] == CITIZENS * len(TURNS)
    for citizen in citizens:
        assert_each_message_answered_once(system, citizen, turns=len(TURNS))
