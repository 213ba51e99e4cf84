"""ActionServerHealth: GET /health with a short timeout, "up" cached, "down" re-checked soon."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from api.clients.action_server import DOWN_RECHECK_SECONDS, ActionServerDownError, ActionServerHealth


class FakeActions:
    """The action server's /health; `up` switches it; every probe is recorded."""

    def __init__(self) -> None:
        self.up = True
        self.status = 200
        self.probes: list[httpx.Request] = []
        self.delay = 0.0

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.probes.append(request)
        if self.delay:
            await asyncio.sleep(self.delay)
        if not self.up:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(self.status, json={"status": "ok"})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def checker(fake: FakeActions, clock: Clock, **kwargs) -> ActionServerHealth:
    http = httpx.AsyncClient(transport=httpx.MockTransport(fake.handle))
    return ActionServerHealth("http://actions:5055/", http, clock=clock, **kwargs)


def test_probes_health_with_a_short_timeout() -> None:
    fake = FakeActions()
    health = checker(fake, Clock(), timeout_seconds=1.0)
    assert asyncio.run(health.is_up()) is True
    (probe,) = fake.probes
    assert str(probe.url) == "http://actions:5055/health"
    assert probe.extensions["timeout"]["read"] == 1.0


def test_up_is_cached_then_checked_again() -> None:
    fake, clock = FakeActions(), Clock()
    health = checker(fake, clock, up_cache_seconds=2.0)

    async def scenario() -> list[bool]:
        results = [await health.is_up()]
        fake.up = False
        clock.now += 1.9
        results.append(await health.is_up())  # still the cached "up"
        clock.now += 0.2
        results.append(await health.is_up())  # cache expired: probed, down
        return results

    assert asyncio.run(scenario()) == [True, True, False]
    assert len(fake.probes) == 2


def test_down_is_rechecked_after_half_a_second() -> None:
    fake, clock = FakeActions(), Clock()
    fake.up = False
    health = checker(fake, clock, up_cache_seconds=2.0)

    async def scenario() -> list[bool]:
        results = [await health.is_up()]
        fake.up = True
        clock.now += DOWN_RECHECK_SECONDS / 2
        results.append(await health.is_up())  # "down" is trusted only briefly ...
        clock.now += DOWN_RECHECK_SECONDS / 2 + 0.01
        results.append(await health.is_up())  # ... then checked again
        return results

    assert DOWN_RECHECK_SECONDS <= 0.5
    assert asyncio.run(scenario()) == [False, False, True]
    assert len(fake.probes) == 2


def test_fresh_bypasses_the_cache() -> None:
    fake, clock = FakeActions(), Clock()
    health = checker(fake, clock, up_cache_seconds=60.0)

    async def scenario() -> list[bool]:
        first = await health.is_up()
        fake.up = False
        clock.now += 0.01
        return [first, await health.is_up(fresh=True), await health.is_up()]

    assert asyncio.run(scenario()) == [True, False, False]
    assert len(fake.probes) == 2


@pytest.mark.parametrize("status", [404, 500, 503])
def test_an_error_status_counts_as_down(status: int) -> None:
    fake = FakeActions()
    fake.status = status
    health = checker(fake, Clock())
    assert asyncio.run(health.is_up()) is False
    with pytest.raises(ActionServerDownError):
        asyncio.run(health.ensure_up(fresh=True))


def test_a_timeout_counts_as_down() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    health = ActionServerHealth("http://actions:5055", httpx.AsyncClient(transport=httpx.MockTransport(slow)))
    assert asyncio.run(health.is_up()) is False


def test_concurrent_callers_share_one_probe() -> None:
    fake = FakeActions()
    fake.delay = 0.05
    health = checker(fake, Clock())

    async def scenario() -> list[bool]:
        return list(await asyncio.gather(*(health.is_up() for _ in range(10))))

    assert asyncio.run(scenario()) == [True] * 10
    assert len(fake.probes) == 1


def test_empty_url_turns_the_check_off() -> None:
    fake = FakeActions()
    fake.up = False
    health = ActionServerHealth(" ", httpx.AsyncClient(transport=httpx.MockTransport(fake.handle)))
    assert asyncio.run(health.is_up(fresh=True)) is True
    assert fake.probes == []
