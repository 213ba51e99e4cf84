"""The 34 province-level units of Viet Nam after 1 July 2025: defined once in
`knowledge.vocabulary` (shared with the action server and the pages), re-exported here.

>>> match_province("tp hcm")
'Thành phố Hồ Chí Minh'
>>> match_province("Atlantis") is None
True
"""

from __future__ import annotations

from knowledge.vocabulary import CENTRAL_CITIES, PROVINCE_NAMES, PROVINCES, Province, match_province

__all__ = ["CENTRAL_CITIES", "PROVINCES", "PROVINCE_NAMES", "Province", "match_province"]
