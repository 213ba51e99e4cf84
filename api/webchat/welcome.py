"""The first screen of the web chat: the bot's greeting, a privacy line and the national hotline.

The greeting is `utter_greet` of domain.yml — the response Rasa itself sends for "xin chào" — read
once per process, NFC-normalised. The hotline is knowledge.contacts.national_hotline() (one source,
with its source line, in knowledge/data/legal_aid_centres.yml).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

from api.schemas import BotMessage, Button
from api.webchat.schemas import Hotline, WelcomeResponse

DOMAIN_FILE = Path(__file__).resolve().parents[2] / "domain.yml"
GREETING_RESPONSE = "utter_greet"
PRIVACY = (
    "Hỏi đáp không cần tên hay số điện thoại. Thông tin cá nhân chỉ được lưu khi bạn gửi yêu cầu "
    "và bấm “Đồng ý”."
)


def _nfc(value: object) -> str:
    return unicodedata.normalize("NFC", str(value or "")).strip()


@lru_cache(maxsize=4)
def greeting(domain_file: Path = DOMAIN_FILE) -> tuple[BotMessage, ...]:
    """The first variant of `utter_greet`: its text and buttons."""
    domain = yaml.safe_load(domain_file.read_text(encoding="utf-8"))
    variants = (domain.get("responses") or {}).get(GREETING_RESPONSE) or []
    if not variants:
        raise LookupError(f"{GREETING_RESPONSE} is missing from {domain_file.name}")
    first = variants[0]
    buttons = [
        Button(title=_nfc(b.get("title")), payload=_nfc(b.get("payload"))) for b in first.get("buttons") or []
    ]
    return (BotMessage(text=_nfc(first.get("text")), buttons=buttons),)


def hotline() -> Hotline:
    from knowledge.contacts import national_hotline

    h = national_hotline()
    return Hotline(
        name=_nfc(h.name),
        number=_nfc(h.number),
        tel=re.sub(r"\D", "", h.number),
        free=h.free,
        hours=_nfc(h.hours),
    )


def welcome() -> WelcomeResponse:
    return WelcomeResponse(greeting=list(greeting()), privacy=PRIVACY, hotline=hotline())
