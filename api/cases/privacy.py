"""Masking of citizens' names and phone numbers in lists and logs.

Policy (see `api/cases/README.md`): lists always masked (a masked phone shows none of its last 4
digits); detail view and CSV export show full values only to reviewers and admins; logs carry only
the case code and `phone_ref`. The masks themselves are defined once in `knowledge.vocabulary`.
"""

from __future__ import annotations

import hashlib

from knowledge.vocabulary import mask_name, mask_phone

__all__ = ["mask_name", "mask_phone", "phone_ref"]


def phone_ref(phone: str | None) -> str:
    """A short, stable, non-reversible reference for logs: lets an operator correlate lines."""
    if not phone:
        return "-"
    return "tel#" + hashlib.sha256(phone.encode()).hexdigest()[:8]
