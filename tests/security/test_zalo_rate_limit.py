"""Per-sender rate limit on the Zalo webhook: over the limit the event is acknowledged 200 (Zalo
retries anything else and may disable the webhook) but dropped — not stored, not answered."""

from __future__ import annotations

from tests.zalo.conftest import (  # noqa: F401 - fixtures used by name
    USER,
    ZaloApp,
    event,
    fake_rasa,
    fake_zalo,
    wait_until,
    zapp,
)


def test_events_over_the_per_user_limit_are_acked_but_dropped(zapp: ZaloApp) -> None:  # noqa: F811
    zapp.start(rate_limit_per_zalo_user_per_minute=2)
    answers = [zapp.post(event(text=f"tin {n}")) for n in range(4)]
    assert [r.status_code for r in answers] == [200, 200, 200, 200]
    assert [r.json()["status"] for r in answers] == ["queued", "queued", "rate_limited", "rate_limited"]
    other = zapp.post(event(text="người khác", user="8731456120345678902"))
    assert other.json() == {"status": "queued"}  # counted per sender
    wait_until(zapp.settled, what="inbox and outbox settled")
    assert len(zapp.inbox()) == 3
    assert zapp.rasa.messages_from(USER) == ["tin 0", "tin 1"]


def test_bad_signature_is_refused_before_counting(zapp: ZaloApp) -> None:  # noqa: F811
    zapp.start(rate_limit_per_zalo_user_per_minute=1)
    for _ in range(3):
        assert zapp.post(event(), secret="not-the-oa-secret").status_code == 401
    assert zapp.post(event(text="xin chào")).json() == {"status": "queued"}  # forged events used no quota


def test_zero_turns_the_zalo_limit_off(zapp: ZaloApp) -> None:  # noqa: F811
    zapp.start(rate_limit_per_zalo_user_per_minute=0)
    assert all(zapp.post(event(text=f"tin {n}")).json() == {"status": "queued"} for n in range(25))
