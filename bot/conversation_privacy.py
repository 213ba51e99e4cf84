"""What a stored conversation may keep: pure functions over Rasa's serialised events (dicts).

**Redaction of a finished intake.** The assistant tells the citizen "tôi không lưu thông tin nào
của bạn" when they refuse consent or stop the intake ("thôi"), and after a submitted request the
personal data lives in the case store only. The tracker store makes that true: once an intake is
*closed*, the stored conversation no longer holds what the citizen typed for it.

An intake window opens at ``action_intake_start`` and is closed by

* ``action_submit_legal_aid_request`` or ``action_intake_cancel`` when the action emptied the
  intake slots (``reset_events()`` in actions/intake_actions.py sets ``intake_nonce`` to None): a
  submitted case, a refused consent, a cancel. A failed submit keeps the slots for "Gửi lại" and
  closes nothing;
* a new ``action_intake_start`` (an abandoned intake started again).

In a closed window every user message (text, ``parse_data.text``, entities) and every value a
personal intake slot was set to is replaced by ``PLACEHOLDER``, and so is the confirmation summary
the bot showed. Elsewhere in the conversation, user and bot messages that contain the typed name,
phone (in any spacing), commune or description are replaced as well. Intents, action names, the
number and order of events are kept: the dialogue goes on as before, and the SQL store can update
its rows in place (Rasa's SQL store counts rows to find which events are new).

**Retention.** Conversations are kept ``CONVERSATION_RETENTION_DAYS`` (default 30) after their
last event; in a conversation still in use, the events of earlier sessions older than that go too.
"""

from __future__ import annotations

import copy
import math
import re
import time
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

PLACEHOLDER = "[đã xóa]"
INTAKE_START = "action_intake_start"
CLOSING_ACTIONS = frozenset({"action_submit_legal_aid_request", "action_intake_cancel"})
BOUNDARY_ACTIONS = CLOSING_ACTIONS | {INTAKE_START}
SUMMARY_ACTION = "action_ask_intake_confirm"
RESET_SLOT = "intake_nonce"  # emptied by reset_events() when the intake's answers are dropped
PERSONAL_SLOTS = frozenset({
    "intake_full_name", "intake_phone", "intake_province", "intake_commune", "intake_group",
    "intake_topic", "intake_description",
})
# slots whose typed value is looked for in messages outside the intake (province, group and
# topic are categories: "Lào Cai" in another question is not the citizen's identity)
SEARCHED_SLOTS = ("intake_full_name", "intake_phone", "intake_commune", "intake_description")
PHONE_SLOT = "intake_phone"
MIN_TEXT_VALUE = 4  # shorter values ("An") would match inside unrelated words
MIN_PHONE_DIGITS = 8

DEFAULT_RETENTION_DAYS = 30.0
DEFAULT_RETENTION_CHECK_SECONDS = 3600.0
RETENTION_DAYS_ENV = "CONVERSATION_RETENTION_DAYS"
RETENTION_CHECK_ENV = "CONVERSATION_RETENTION_CHECK_SECONDS"
SESSION_STARTED = "session_started"

Event = Mapping[str, Any]


# --- intake windows ---------------------------------------------------------------------------


def _is_action(event: Event, names: frozenset[str] | set[str]) -> bool:
    return event.get("event") == "action" and event.get("name") in names


def _action_events_end(events: Sequence[Event], index: int) -> int:
    """Index of the last event the action at *index* produced (up to the next action or message)."""
    end = index
    for later in range(index + 1, len(events)):
        if events[later].get("event") in ("action", "user"):
            break
        end = later
    return end


def _resets_intake(events: Sequence[Event], index: int, end: int) -> bool:
    return any(
        e.get("event") == "slot" and e.get("name") == RESET_SLOT and e.get("value") is None
        for e in events[index + 1:end + 1]
    )


def closed_intakes(events: Sequence[Event]) -> list[tuple[int, int]]:
    """The (first, last) event indices of every closed intake window, oldest first."""
    windows: list[tuple[int, int]] = []
    start: int | None = None
    previous_end = -1
    for index, event in enumerate(events):
        if _is_action(event, {INTAKE_START}):
            if start is not None:  # started again: the abandoned intake is closed
                windows.append((start, index - 1))
                previous_end = index - 1
            start = index
        elif _is_action(event, CLOSING_ACTIONS):
            end = _action_events_end(events, index)
            if _resets_intake(events, index, end):
                # no start in the stored events (dropped by retention): everything since the
                # previous window belongs to this intake
                windows.append((start if start is not None else previous_end + 1, end))
                previous_end, start = end, None
    return windows


def touches_intake_boundary(events: Sequence[Event]) -> bool:
    """Whether *events* (the new events of a save) may close an intake: then redact()."""
    return any(_is_action(e, BOUNDARY_ACTIONS) for e in events)


# --- matching typed values --------------------------------------------------------------------


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def _digits_joined(text: str) -> str:
    """Digits with the separators people type inside a number removed: "0912 345.678" → "0912345678"."""
    return re.sub(r"(?<=\d)[\s.\-()]+(?=\d)", "", text)


@dataclass(frozen=True)
class TypedValues:
    """What the citizen typed in closed intakes, in the forms it is searched for."""

    texts: frozenset[str] = field(default_factory=frozenset)  # folded names, communes, descriptions
    phones: frozenset[str] = field(default_factory=frozenset)  # national significant digits

    def found_in(self, text: Any) -> bool:
        if not isinstance(text, str) or not text or text == PLACEHOLDER:
            return False
        folded = _fold(text)
        if any(re.search(rf"(?<!\w){re.escape(value)}(?!\w)", folded) for value in self.texts):
            return True
        joined = _digits_joined(text)
        return any(phone in joined for phone in self.phones)


def _phone_digits(value: str) -> str | None:
    digits = re.sub(r"\D", "", _digits_joined(value))
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    return digits[-9:]  # without 0 / 84 / +84 / 0084


def typed_values(events: Sequence[Event], windows: Sequence[tuple[int, int]]) -> TypedValues:
    texts: set[str] = set()
    phones: set[str] = set()
    for first, last in windows:
        for event in events[first:last + 1]:
            if event.get("event") != "slot" or event.get("name") not in SEARCHED_SLOTS:
                continue
            value = event.get("value")
            if not isinstance(value, str) or value == PLACEHOLDER:
                continue
            if event.get("name") == PHONE_SLOT:
                phone = _phone_digits(value)
                if phone:
                    phones.add(phone)
            folded = _fold(value)
            if len(folded) >= MIN_TEXT_VALUE:
                texts.add(folded)
    return TypedValues(frozenset(texts), frozenset(phones))


# --- redaction --------------------------------------------------------------------------------


def _redacted_user(event: Event) -> dict[str, Any]:
    out = copy.deepcopy(dict(event))
    out["text"] = PLACEHOLDER
    parse_data = out.get("parse_data")
    if isinstance(parse_data, dict):
        parse_data["text"] = PLACEHOLDER
        parse_data["entities"] = []
    return out


def _redacted_bot(event: Event) -> dict[str, Any]:
    out = copy.deepcopy(dict(event))
    out["text"] = PLACEHOLDER
    return out


def _redacted_slot(event: Event) -> dict[str, Any]:
    out = copy.deepcopy(dict(event))
    out["value"] = PLACEHOLDER
    return out


def _user_redacted(event: Event) -> bool:
    parse_data = event.get("parse_data") or {}
    return (event.get("text") in (None, PLACEHOLDER)
            and parse_data.get("text") in (None, PLACEHOLDER) and not parse_data.get("entities"))


def redactions(events: Sequence[Event]) -> dict[int, dict[str, Any]]:
    """Index → replacement for every event that still holds something typed in a closed intake.

    Empty when there is nothing (more) to redact: applying the result again changes nothing.
    """
    windows = closed_intakes(events)
    if not windows:
        return {}
    inside = [False] * len(events)
    for first, last in windows:
        for index in range(first, last + 1):
            inside[index] = True
    values = typed_values(events, windows)
    out: dict[int, dict[str, Any]] = {}
    after_summary = False
    for index, event in enumerate(events):
        if event.get("event") == "action":
            after_summary = event.get("name") == SUMMARY_ACTION
            continue
        replacement = _replacement(event, inside=inside[index], after_summary=after_summary, values=values)
        if replacement is not None:
            out[index] = replacement
    return out


def _replacement(
    event: Event, *, inside: bool, after_summary: bool, values: TypedValues
) -> dict[str, Any] | None:
    """The redacted form of one event, or None when it keeps nothing to redact."""
    kind = event.get("event")
    if kind == "user":
        parse_data = event.get("parse_data") or {}
        said = [event.get("text"), parse_data.get("text"),
                *(str(e.get("value")) for e in parse_data.get("entities") or [] if isinstance(e, dict))]
        hit = inside or any(values.found_in(text) for text in said)
        return _redacted_user(event) if hit and not _user_redacted(event) else None
    if kind == "bot":
        hit = (inside and after_summary) or values.found_in(event.get("text"))
        return _redacted_bot(event) if hit and event.get("text") != PLACEHOLDER else None
    if kind == "slot" and inside and event.get("name") in PERSONAL_SLOTS:
        return _redacted_slot(event) if event.get("value") not in (None, PLACEHOLDER) else None
    return None


def redact(events: Sequence[Event]) -> list[dict[str, Any]]:
    """*events* with every closed intake's personal values replaced by PLACEHOLDER (a copy)."""
    replaced = redactions(events)
    return [replaced.get(index, dict(event)) for index, event in enumerate(events)]


# --- retention --------------------------------------------------------------------------------


def _positive_seconds(env: Mapping[str, str], name: str, default: float, unit: float) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default * unit
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be greater than 0, not {raw!r}")
    return value * unit


@dataclass(frozen=True)
class Retention:
    """How long conversations are kept, and how often the stores look for expired ones."""

    days: float = DEFAULT_RETENTION_DAYS
    check_seconds: float = DEFAULT_RETENTION_CHECK_SECONDS

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Retention:
        return cls(
            days=_positive_seconds(env, RETENTION_DAYS_ENV, DEFAULT_RETENTION_DAYS, 1.0),
            check_seconds=_positive_seconds(env, RETENTION_CHECK_ENV, DEFAULT_RETENTION_CHECK_SECONDS, 1.0),
        )

    def cutoff(self, now: float) -> float:
        """Events with a timestamp before this are past the retention period."""
        return now - self.days * 86400.0


def _timestamp(event: Event) -> float | None:
    value = event.get("timestamp")
    return float(value) if isinstance(value, (int, float)) else None


def retained_events(events: Sequence[Event], cutoff: float) -> list[dict[str, Any]] | None:
    """What a conversation keeps at *cutoff*: None when its last event is older (the whole
    conversation goes); otherwise without the events of earlier sessions older than *cutoff*."""
    stamps = [_timestamp(e) for e in events]
    known = [s for s in stamps if s is not None]
    if not known or max(known) < cutoff:
        return None
    last_session = max(
        (i for i, e in enumerate(events) if e.get("event") == SESSION_STARTED), default=0
    )
    return [
        dict(event) for index, (event, stamp) in enumerate(zip(events, stamps, strict=True))
        if index >= last_session or stamp is None or stamp >= cutoff
    ]


class Throttle:
    """`due()` is true at most once every *seconds* (the first call is due)."""

    def __init__(self, seconds: float, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self.seconds = seconds
        self.clock = clock
        self._last: float | None = None

    def due(self) -> bool:
        now = self.clock()
        if self._last is not None and now - self._last < self.seconds:
            return False
        self._last = now
        return True
