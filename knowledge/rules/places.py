"""What a citizen types in the intake form as the province and the phone number.

Defined once in `knowledge.vocabulary` (shared by the bot, the api and the pages); kept here
under the old names for the bot: `match_province` finds a province inside a sentence,
`normalize_phone` gives the number as people read it ("0912345678") or None.

>>> match_province("tp hcm"), match_province("sai gon"), match_province("o lao cai a")
('Thành phố Hồ Chí Minh', 'Thành phố Hồ Chí Minh', 'Lào Cai')
>>> match_province("Atlantis") is None
True
>>> normalize_phone("0912.345.678"), normalize_phone("+84 912 345 678"), normalize_phone("84912345678")
('0912345678', '0912345678', '0912345678')
>>> normalize_phone("12345") is None
True
"""

from __future__ import annotations

from knowledge.vocabulary import PROVINCE_NAMES, find_phone, local_phone, mask_phone
from knowledge.vocabulary import find_province as match_province

__all__ = ["PROVINCE_NAMES", "mask_phone", "match_province", "normalize_phone"]


def normalize_phone(raw: str | None) -> str | None:
    """A Vietnamese phone number (also inside a sentence) in its local form, or None."""
    phone = find_phone(raw)
    return local_phone(phone) if phone else None
