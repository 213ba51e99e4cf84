"""Masking of citizens' names and phone numbers in lists and logs.

Policy (see `api/cases/README.md`): lists always masked (a masked phone shows none of its last 4
digits); detail view and CSV export show full
values only to reviewers and admins; logs carry only the case code and `phone_ref`.
"""

from __future__ import annotations

import hashlib

from api.cases.normalize import local_phone
from knowledge.text import nfc


def mask_name(name: str | None) -> str | None:
    """Keep the family name, then only initials: "Nguyễn Văn An" → "Nguyễn V** A**"."""
    if not name:
        return name
    words = nfc(name).split()
    if len(words) == 1:
        return words[0][0] + "**"
    return " ".join([words[0], *(w[0] + "**" for w in words[1:])])


def mask_phone(phone: str | None) -> str | None:
    """"+84912345667" → "091*******": the first 3 digits of the local form (the network or area
    code), never any of the last 4, which are the secret of the citizens' status lookup."""
    if not phone:
        return phone
    local = local_phone(phone)
    shown = max(0, min(3, len(local) - 7))
    return local[:shown] + "*" * (len(local) - shown)


def phone_ref(phone: str | None) -> str:
    """A short, stable, non-reversible reference for logs: lets an operator correlate lines."""
    if not phone:
        return "-"
    return "tel#" + hashlib.sha256(phone.encode()).hexdigest()[:8]
