"""In-memory sliding-window rate limiter (one api process; each uvicorn worker counts on its own).

`SlidingWindowLimiter(limit, window_seconds, clock=...)`: `hit(key)` records one request of *key*
and returns None when allowed, or the seconds to wait (for `Retry-After`) when the key already made
*limit* requests in the last *window_seconds*. A refused request is not counted. `limit <= 0`
turns the limiter off. The clock is injectable so the tests never sleep.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

RATE_LIMITED = "Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau ít phút."
BODY_TOO_LARGE = "Dữ liệu gửi lên quá lớn. Bạn hãy rút gọn nội dung rồi gửi lại."


class SlidingWindowLimiter:
    """At most `limit` hits per key within any `window_seconds`; thread-safe."""

    def __init__(
        self,
        limit: int,
        window_seconds: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def hit(self, key: str) -> float | None:
        """Count one request of *key*: None if allowed, else seconds until one is allowed again."""
        if not self.enabled:
            return None
        now = self.clock()
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                if len(self._hits) >= self.max_keys:
                    self._prune(now)
                hits = self._hits[key] = deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(hits[0] + self.window - now, 0.0)
            hits.append(now)
            return None

    def _prune(self, now: float) -> None:
        """Forget keys with no hit in the window (bounds memory under many distinct senders)."""
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window]:
            del self._hits[key]
        if len(self._hits) >= self.max_keys:  # still full: drop the oldest entries
            for key in list(self._hits)[: len(self._hits) // 2]:
                del self._hits[key]

    def __len__(self) -> int:
        return len(self._hits)


def retry_after_header(seconds: float) -> str:
    """Whole seconds, at least 1 (RFC 9110 delay-seconds)."""
    return str(max(1, math.ceil(seconds)))
