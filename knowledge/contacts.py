"""Contacts a citizen can always reach: the national legal-aid hotline (knowledge/data).

The data is ``national_hotline`` in ``knowledge/data/legal_aid_centres.yml`` (one source of truth,
with its source); this module only reads it and words it.

>>> hotline = national_hotline()
>>> hotline.number
'1800.1233'
>>> hotline_sentence().startswith("Bạn có thể gọi Tổng đài trợ giúp pháp lý quốc gia 1800.1233 (miễn phí")
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["CENTRES_FILE", "NationalHotline", "hotline_sentence", "national_hotline"]

CENTRES_FILE = Path(__file__).resolve().parent / "data" / "legal_aid_centres.yml"


@dataclass(frozen=True)
class NationalHotline:
    name: str
    number: str
    free: bool
    hours: str
    operator: str
    source: str


@lru_cache(maxsize=1)
def national_hotline(path: Path = CENTRES_FILE) -> NationalHotline:
    import yaml

    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["national_hotline"]
    return NationalHotline(
        name=str(raw["name"]), number=str(raw["number"]), free=bool(raw.get("free")),
        hours=str(raw["hours"]), operator=str(raw["operator"]), source=str(raw["source"]),
    )


def hotline_sentence() -> str:
    """One sentence with the number, whether it is free, the hours and who runs it."""
    h = national_hotline()
    cost = "miễn phí, " if h.free else ""
    return f"Bạn có thể gọi {h.name} {h.number} ({cost}{h.hours}) do {h.operator} vận hành."
