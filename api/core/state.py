"""Long-lived objects of one api process: HTTP client, start time, the knowledge index, the
action server health check."""

from __future__ import annotations

import gc
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from api.clients.action_server import ActionServerHealth

log = logging.getLogger(__name__)


def freeze_long_lived_objects() -> None:
    """Keep the loaded index (and the model code) out of the garbage collector's full passes.

    With the index in memory the api holds ~460 000 tracked objects and one full collection takes
    ~200 ms, during which the event loop stops: a webhook that arrives then waits for it (the
    p99 acknowledgement time under load). Objects alive now never become garbage, so they are
    moved to the permanent generation (`gc.freeze`); later garbage is collected as before.
    """
    gc.collect()
    gc.freeze()


@dataclass
class KnowledgeHolder:
    """Loads the knowledge index once, in a background thread, so start-up stays fast."""

    data_dir: Path | None
    index: Any = None
    error: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _loading: bool = False

    def start_loading(self) -> None:
        with self._lock:
            if self._loading or self.index is not None:
                return
            self._loading = True
        threading.Thread(target=self._load, name="knowledge-loader", daemon=True).start()

    def _load(self) -> None:
        try:
            from knowledge.search import KnowledgeIndex

            self.index = KnowledgeIndex.load(self.data_dir)
            freeze_long_lived_objects()
            log.info("Knowledge index loaded")
        except Exception as error:  # noqa: BLE001 - reported through /healthz, never to a client
            self.error = str(error)
            log.warning("Knowledge index not available: %s", error)
        finally:
            self._loading = False

    @property
    def state(self) -> str:
        if self.index is not None:
            return "ok"
        if self._loading:
            return "starting"
        return "missing"


@dataclass
class AppState:
    http: httpx.AsyncClient
    knowledge: KnowledgeHolder
    actions: ActionServerHealth
    started_at: float = field(default_factory=time.monotonic)

    def uptime(self) -> float:
        return time.monotonic() - self.started_at
