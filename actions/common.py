"""Shared helpers of the custom actions: what the user said, eligibility facts, clocks, provinces.

The rule engine (``knowledge.rules``) is pure logic and is called directly; systems of record
(knowledge index, cases) are reached through the api (``actions.clients.api_client``).
"""

from __future__ import annotations

import dataclasses
import os
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker

from knowledge.rules import AgeGroup, EligibilityFacts, apply_answer, facts_from_text
from knowledge.rules.questions import GROUP_OPTIONS, KHOAN_7_OPTIONS, Question
from knowledge.vocabulary import find_province

ROOT = Path(__file__).resolve().parent.parent
CENTRES_FILE = ROOT / "knowledge" / "data" / "legal_aid_centres.yml"
TIMEZONE = os.environ.get("OFFICE_TIMEZONE", "Asia/Ho_Chi_Minh")
DEFAULT_OFFICE_HOURS = "Mon-Fri 07:30-11:30,13:30-17:00"

REQUEST_BUTTON = {"title": "Gửi yêu cầu trợ giúp pháp lý", "payload": "/request_legal_aid"}
HUMAN_BUTTON = {"title": "Gặp cán bộ", "payload": "/request_human"}
CONTACT_BUTTON = {"title": "Tìm Trung tâm trợ giúp pháp lý", "payload": "/ask_contact"}
MEDIATION_BUTTON = {"title": "Hòa giải ở cơ sở", "payload": "/ask_mediation"}


# --- clocks (patched in tests) -------------------------------------------------------------


def now() -> datetime:
    """Current time in the office timezone."""
    return datetime.now(ZoneInfo(TIMEZONE))


def today() -> date:
    """The date the poverty standard is read for; env ``POVERTY_CHECK_DATE`` (YYYY-MM-DD) overrides."""
    fixed = os.environ.get("POVERTY_CHECK_DATE", "").strip()
    if fixed:
        return date.fromisoformat(fixed)
    return now().date()


# --- what the user said --------------------------------------------------------------------


def latest_text(tracker: Tracker) -> str:
    return str((tracker.latest_message or {}).get("text") or "")


def latest_entity(tracker: Tracker, name: str) -> str | None:
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == name and entity.get("value") not in (None, ""):
            return str(entity["value"])
    return None


def user_turns(tracker: Tracker) -> list[dict[str, Any]]:
    """Every user event of the conversation, oldest first."""
    return [e for e in tracker.events if e.get("event") == "user"]


# --- eligibility facts ---------------------------------------------------------------------


def question_for(key: str | None) -> Question | None:
    """The option list a "Khác" (group=none) answer refers to."""
    if key == "k7_group":
        return Question("k7_group", "", KHOAN_7_OPTIONS, ())
    if key == "group":
        return Question("group", "", GROUP_OPTIONS, ())
    return None


def _entities(event: dict[str, Any]) -> dict[str, str]:
    parse = event.get("parse_data") or {}
    found = {}
    for entity in parse.get("entities") or []:
        if entity.get("entity") and entity.get("value") not in (None, ""):
            found[entity["entity"]] = str(entity["value"])
    return found


def apply_turn(facts: EligibilityFacts, text: str, entities: dict[str, str]) -> EligibilityFacts:
    """Facts after one user message: a button answer, or whatever the free text states."""
    answer = entities.get("answer")
    if answer:
        try:
            return apply_answer(facts, answer, question_for(entities.get("question_key")))
        except (ValueError, KeyError):
            return facts
    if text.startswith("/"):
        return facts
    return facts.merge(facts_from_text(text))


def collect_facts(tracker: Tracker, *, skip_latest: bool = False) -> EligibilityFacts:
    """Facts from every user message of the conversation (later statements win)."""
    facts = EligibilityFacts()
    turns = user_turns(tracker)
    for event in turns[:-1] if skip_latest else turns:
        facts = apply_turn(facts, str(event.get("text") or ""), _entities(event))
    return facts


def facts_to_dict(facts: EligibilityFacts) -> dict[str, Any]:
    known = facts.known()
    if isinstance(known.get("age_group"), AgeGroup):
        known["age_group"] = known["age_group"].value
    if "ruled_out" in known:
        known["ruled_out"] = list(known["ruled_out"])
    return known


def facts_from_dict(data: dict[str, Any] | None) -> EligibilityFacts:
    if not data:
        return EligibilityFacts()
    names = {f.name for f in dataclasses.fields(EligibilityFacts)}
    values = {k: v for k, v in data.items() if k in names}
    if values.get("age_group"):
        values["age_group"] = AgeGroup(values["age_group"])
    if "ruled_out" in values:
        values["ruled_out"] = tuple(values["ruled_out"])
    return EligibilityFacts(**values)


def buttons(options) -> list[dict[str, str]]:
    """Rasa buttons for rule-engine options (payloads ``apply_answer`` understands)."""
    result = []
    for option in options:
        result.append({"title": option.title, "payload": f'/inform{{"answer":"{option.value}"}}'})
    return result


# --- office hours --------------------------------------------------------------------------

_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def parse_office_hours(spec: str) -> tuple[set[int], list[tuple[time, time]]]:
    """"Mon-Fri 07:30-11:30,13:30-17:00" → ({0..4}, [(07:30, 11:30), (13:30, 17:00)])."""
    spec = spec.strip()
    days_part, _, hours_part = spec.partition(" ")
    days: set[int] = set()
    for chunk in days_part.lower().split(","):
        first, _, last = chunk.partition("-")
        start = _DAYS.index(first[:3])
        end = _DAYS.index(last[:3]) if last else start
        days.update(range(start, end + 1))
    spans = []
    for chunk in hours_part.replace(" ", "").split(","):
        begin, _, end_text = chunk.partition("-")
        spans.append((time.fromisoformat(begin), time.fromisoformat(end_text)))
    return days, spans


def office_hours_spec() -> str:
    return os.environ.get("OFFICE_HOURS", "").strip() or DEFAULT_OFFICE_HOURS


def in_office_hours(moment: datetime | None = None) -> bool:
    moment = moment or now()
    days, spans = parse_office_hours(office_hours_spec())
    if moment.weekday() not in days:
        return False
    current = moment.time()
    return any(begin <= current < end for begin, end in spans)


def office_hours_text() -> str:
    days, spans = parse_office_hours(office_hours_spec())
    names = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
    ordered = sorted(days)
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 1:
        day_text = f"{names[ordered[0]]} đến {names[ordered[-1]]}"
    else:
        day_text = ", ".join(names[d] for d in ordered)
    hours = ", ".join(f"{b.strftime('%H:%M')}–{e.strftime('%H:%M')}" for b, e in spans)
    return f"{day_text}, {hours}"


# --- provinces and legal-aid centres -------------------------------------------------------


@lru_cache(maxsize=1)
def centres() -> tuple[dict[str, Any], ...]:
    import yaml

    with CENTRES_FILE.open(encoding="utf-8") as handle:
        return tuple(yaml.safe_load(handle)["centres"])


def match_province(text: str) -> str | None:
    """The province-level unit named in *text* (diacritics optional, old merged names too):
    knowledge.vocabulary, the one list of the 34 units."""
    return find_province(text)


def centre_for(province: str) -> dict[str, Any] | None:
    for centre in centres():
        if centre["province"] == province:
            return centre
    return None
