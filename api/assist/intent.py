"""The caller's intent from Rasa `POST /model/parse` (Rasa runs with `--enable-api`).

The console must keep working during a call while Rasa restarts or loads its model, so
:func:`parse_intent` never raises: it asks the replicas in order with a short timeout and falls
back to ``unknown`` (confidence 0). A replica that failed is skipped for a few seconds, so a
hanging replica costs one timeout, not one per keystroke of the live analysis.

Only the replica address and the error type are logged, never the text.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import httpx

from api.clients.rasa import auth_params

log = logging.getLogger(__name__)

UNKNOWN = "unknown"
COOLDOWN_SECONDS = 5.0

# What the operator reads for each intent of domain.yml.
INTENT_LABELS: dict[str, str] = {
    "greet": "Chào hỏi",
    "goodbye": "Chào tạm biệt",
    "thank": "Cảm ơn",
    "ask_legal_aid_eligibility": "Hỏi có được trợ giúp pháp lý không",
    "ask_legal_aid_procedure": "Hỏi thủ tục yêu cầu trợ giúp pháp lý",
    "ask_mediation": "Hỏi về hòa giải ở cơ sở",
    "ask_poverty_standard": "Hỏi về chuẩn nghèo, hộ nghèo",
    "ask_civil_enforcement": "Hỏi về thi hành án dân sự",
    "request_legal_aid": "Yêu cầu trợ giúp pháp lý",
    "check_case_status": "Tra cứu tình trạng hồ sơ",
    "ask_contact": "Hỏi địa chỉ, số điện thoại liên hệ",
    "request_human": "Muốn gặp cán bộ",
    "out_of_scope": "Ngoài phạm vi",
    UNKNOWN: "Chưa xác định (Rasa chưa sẵn sàng)",
}


@dataclass(frozen=True)
class Intent:
    name: str
    confidence: float
    source: str  # "rasa" or "unavailable"

    @property
    def label(self) -> str:
        return INTENT_LABELS.get(self.name, self.name)


@dataclass
class ReplicaHealth:
    """Replicas that failed recently (base URL → monotonic time until which they are skipped)."""

    down_until: dict[str, float] = field(default_factory=dict)

    def usable(self, base: str, now: float) -> bool:
        return self.down_until.get(base, 0.0) <= now

    def failed(self, base: str, now: float) -> None:
        self.down_until[base] = now + COOLDOWN_SECONDS

    def ok(self, base: str) -> None:
        self.down_until.pop(base, None)


UNAVAILABLE = Intent(UNKNOWN, 0.0, "unavailable")


def _intent(body: object) -> Intent | None:
    if not isinstance(body, dict):
        return None
    intent = body.get("intent")
    if not isinstance(intent, dict) or not intent.get("name"):
        return None
    try:
        confidence = float(intent.get("confidence") or 0.0)
    except (TypeError, ValueError):
        confidence = 0.0
    return Intent(str(intent["name"]), max(0.0, min(1.0, confidence)), "rasa")


async def parse_intent(
    http: httpx.AsyncClient,
    base_urls: list[str],
    text: str,
    *,
    timeout: float,
    health: ReplicaHealth,
    token: str | None = None,
) -> Intent:
    """The intent from the first replica that answers; ``unknown`` when none does.

    *token*: Rasa's `--auth-token` (RASA_AUTH_TOKEN), sent as Rasa's `token` query parameter.
    """
    now = time.monotonic()
    candidates = [b for b in base_urls if health.usable(b, now)]
    for base in candidates:
        try:
            response = await http.post(
                f"{base}/model/parse", json={"text": text}, params=auth_params(token), timeout=timeout
            )
        except httpx.HTTPError as error:
            log.warning("Rasa parse on %s failed: %s", base, type(error).__name__)
            health.failed(base, time.monotonic())
            continue
        if response.status_code != 200:  # 409: no model loaded yet; 5xx: restarting
            log.warning("Rasa parse on %s answered %s", base, response.status_code)
            health.failed(base, time.monotonic())
            continue
        try:
            intent = _intent(response.json())
        except ValueError:
            intent = None
        if intent is None:
            health.failed(base, time.monotonic())
            continue
        health.ok(base)
        return intent
    return UNAVAILABLE
