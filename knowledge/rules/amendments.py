"""The amendment registry: changes to the law that the corpus lacks, read by date.

The data lives in ``knowledge/data/amendments.yml`` (format described at its top); this module is
the pure part: typed entries and the question "what is the status of this provision on that day?".
Only :func:`load_registry` touches the disk (PyYAML, imported lazily: both environments have it).

>>> registry = default_registry()
>>> from datetime import date
>>> six_a = Provision("11/2017/QH14", "7", "6a")
>>> registry.in_force(six_a, date(2025, 6, 30)), registry.in_force(six_a, date(2025, 7, 1))
(False, True)
>>> registry.status(Provision("11/2017/QH14", "7", "7", "g"), date(2026, 1, 5)).label()
'bị bãi bỏ từ 01/07/2025 bởi Luật Phòng, chống mua bán người số 53/2024/QH15'
>>> registry.status(Provision("62/2015/NĐ-CP"), date(2026, 12, 2)).label()
'hết hiệu lực từ 01/07/2026 (khoản 2 Điều 114 Nghị định số 152/2026/NĐ-CP)'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_REGISTRY_PATH",
    "Amendment",
    "AmendmentRegistry",
    "Change",
    "Provision",
    "ProvisionStatus",
    "RegistryError",
    "default_registry",
    "load_registry",
    "parse_registry",
]

DEFAULT_REGISTRY_PATH = Path(__file__).resolve().parents[1] / "data" / "amendments.yml"


class RegistryError(ValueError):
    """The registry file is not valid; the message names the entry and the field."""


class Change(Enum):
    ADDED = "added"
    REPLACED = "replaced"
    REPEALED = "repealed"
    ENDED = "ended"
    SUPERSEDED = "superseded"
    AFFECTED = "affected"


@dataclass(frozen=True)
class Provision:
    """A document, or one of its articles, clauses or points. ``document="*"`` = every document."""

    document: str
    article: str | None = None
    clause: str | None = None
    point: str | None = None

    def contains(self, other: Provision) -> bool:
        """True when *other* is this provision or a part of it.

        >>> Provision("11/2017/QH14", "7").contains(Provision("11/2017/QH14", "7", "6a"))
        True
        >>> Provision("11/2017/QH14", "7", "7", "g").contains(Provision("11/2017/QH14", "7", "7"))
        False
        """
        if self.document not in ("*", other.document):
            return False
        pairs = ((self.article, other.article), (self.clause, other.clause), (self.point, other.point))
        for mine, theirs in pairs:
            if mine is None:
                return True
            if mine != theirs:
                return False
        return True


@dataclass(frozen=True)
class Amendment:
    id: str
    target: Provision
    target_title: str
    change: Change
    effective: date
    by_document: str | None
    by_title: str
    by_article: str | None
    by_clause: str | None
    text: str | None
    note: str
    source: str

    def by_label(self) -> str:
        """``Luật Phòng, chống mua bán người số 53/2024/QH15``, ``khoản 2 Điều 114 Nghị định số …``."""
        name = f"{_short_title(self.by_title)} số {self.by_document}" if self.by_document else self.by_title
        where = [f"khoản {self.by_clause}"] if self.by_clause else []
        where += [f"Điều {self.by_article}"] if self.by_article else []
        return " ".join([*where, name])


_DOCUMENT_KINDS = ("Nghị định", "Thông tư", "Quyết định", "Nghị quyết")


def _short_title(title: str) -> str:
    """Decrees and circulars are named by kind and number; laws keep their title."""
    return next((kind for kind in _DOCUMENT_KINDS if title.startswith(kind)), title)


@dataclass(frozen=True)
class ProvisionStatus:
    """What the registry says about one provision on one day.

    ``in_force`` is False when the provision did not exist yet (``added`` later), was repealed, or
    its document ended or was superseded. ``applied`` are the amendments already in effect,
    ``pending`` the ones that start later.
    """

    provision: Provision
    on_date: date
    in_force: bool
    applied: tuple[Amendment, ...] = ()
    pending: tuple[Amendment, ...] = ()

    def label(self) -> str:
        """Short Vietnamese status: "" when nothing changed; else what changed, when and by what.

        A change to a part of the provision (khoản 6a added to Điều 7) reads "có nội dung được sửa
        đổi, bổ sung bởi …"; a change to the provision itself or its whole document says what it was.
        """
        parts: list[str] = []
        for amendment in self.applied:
            day = f"{amendment.effective:%d/%m/%Y}"
            by = amendment.by_label()
            whole = amendment.target.contains(self.provision)
            if amendment.change is Change.AFFECTED:
                continue
            if whole and amendment.change is Change.ENDED:
                return f"hết hiệu lực từ {day} ({by})"
            if whole and amendment.change is Change.SUPERSEDED:
                return f"không còn là văn bản hiện hành từ {day}: {by}"
            if whole and amendment.change is Change.REPEALED:
                return f"bị bãi bỏ từ {day} bởi {by}"
            if whole and amendment.change is Change.ADDED:
                return f"được bổ sung bởi {by}, hiệu lực từ {day}"
            if whole and amendment.change is Change.REPLACED:
                return f"được sửa đổi bởi {by}, hiệu lực từ {day}"
            part = f"có nội dung được sửa đổi, bổ sung bởi {by} từ {day}"
            if part not in parts:
                parts.append(part)
        if parts:
            return "; ".join(parts)
        if not self.in_force and self.pending:
            first = self.pending[0]
            return f"có hiệu lực từ {first.effective:%d/%m/%Y} ({first.by_label()})"
        return ""

    @property
    def notes(self) -> tuple[str, ...]:
        """Citizen-readable notes of the applied amendments on this provision (or on a part of it, or
        ending its document), in date order; an ``affected`` entry on a wider provision is left to
        the caller, who knows whether it concerns the person (e.g. only minors)."""
        return tuple(
            a.note for a in self.applied
            if a.note and (a.change is not Change.AFFECTED or a.target == self.provision)
        )


@dataclass(frozen=True)
class AmendmentRegistry:
    amendments: tuple[Amendment, ...]

    def about(self, provision: Provision) -> tuple[Amendment, ...]:
        """Entries on *provision*, on a part of it, or on something that contains it (date order)."""
        found = [
            a for a in self.amendments
            if a.target.contains(provision) or provision.contains(a.target)
        ]
        return tuple(sorted(found, key=lambda a: (a.effective, a.id)))

    def status(self, provision: Provision, on_date: date) -> ProvisionStatus:
        relevant = [a for a in self.about(provision) if a.target.document != "*"]
        applied = tuple(a for a in relevant if a.effective <= on_date)
        pending = tuple(a for a in relevant if a.effective > on_date)
        in_force = True
        for amendment in relevant:
            covers = amendment.target.contains(provision)
            if amendment.change is Change.ADDED and covers and amendment.effective > on_date:
                in_force = False
            ends = amendment.change in (Change.REPEALED, Change.ENDED, Change.SUPERSEDED)
            if ends and covers and amendment.effective <= on_date:
                in_force = False
        return ProvisionStatus(provision, on_date, in_force, applied, pending)

    def in_force(self, provision: Provision, on_date: date) -> bool:
        return self.status(provision, on_date).in_force

    def get(self, amendment_id: str) -> Amendment:
        for amendment in self.amendments:
            if amendment.id == amendment_id:
                return amendment
        raise KeyError(amendment_id)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return " ".join(str(value).split()) or None


def _date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise RegistryError(f"{where}: ngày không hợp lệ {value!r} (cần YYYY-MM-DD)") from error


def parse_registry(raw: Any) -> AmendmentRegistry:
    """Validate the YAML structure (a mapping with ``amendments``) into typed entries.

    >>> parse_registry({"version": 1, "amendments": []}).amendments
    ()
    >>> parse_registry({"amendments": [{"id": "x"}]})
    Traceback (most recent call last):
    ...
    knowledge.rules.amendments.RegistryError: x: thiếu trường 'target'
    """
    if not isinstance(raw, dict) or not isinstance(raw.get("amendments"), list):
        raise RegistryError("sổ sửa đổi phải có danh sách 'amendments'")
    entries: list[Amendment] = []
    seen: set[str] = set()
    for index, item in enumerate(raw["amendments"]):
        where = str(item.get("id") or f"mục {index + 1}") if isinstance(item, dict) else f"mục {index + 1}"
        if not isinstance(item, dict):
            raise RegistryError(f"{where}: phải là một bảng khóa–giá trị")
        for key in ("id", "target", "change", "effective", "by", "source"):
            if key not in item:
                raise RegistryError(f"{where}: thiếu trường {key!r}")
        if item["id"] in seen:
            raise RegistryError(f"{where}: id bị trùng")
        seen.add(item["id"])
        target, by = item["target"], item["by"]
        if not isinstance(target, dict) or not target.get("document"):
            raise RegistryError(f"{where}: 'target' cần có 'document'")
        if not isinstance(by, dict) or not (by.get("title") or by.get("document")):
            raise RegistryError(f"{where}: 'by' cần có 'title' hoặc 'document'")
        try:
            change = Change(item["change"])
        except ValueError as error:
            allowed = ", ".join(c.value for c in Change)
            raise RegistryError(f"{where}: 'change' phải là một trong: {allowed}") from error
        if change in (Change.ADDED, Change.REPLACED) and not item.get("text"):
            raise RegistryError(f"{where}: '{change.value}' cần 'text' (nội dung mới)")
        entries.append(
            Amendment(
                id=str(item["id"]),
                target=Provision(
                    str(target["document"]), _text(target.get("article")), _text(target.get("clause")),
                    _text(target.get("point")),
                ),
                target_title=_text(target.get("title")) or "",
                change=change,
                effective=_date(item["effective"], where),
                by_document=_text(by.get("document")),
                by_title=_text(by.get("title")) or "",
                by_article=_text(by.get("article")),
                by_clause=_text(by.get("clause")),
                text=_text(item.get("text")),
                note=_text(item.get("note")) or "",
                source=_text(item["source"]) or "",
            )
        )
    return AmendmentRegistry(tuple(entries))


def load_registry(path: Path | str = DEFAULT_REGISTRY_PATH) -> AmendmentRegistry:
    import yaml  # lazy: the rest of the rule engine needs only the standard library

    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise RegistryError(f"{path}: YAML không hợp lệ: {error}") from error
    return parse_registry(raw)


@lru_cache(maxsize=1)
def default_registry() -> AmendmentRegistry:
    """The registry shipped in ``knowledge/data/amendments.yml`` (read once)."""
    return load_registry(DEFAULT_REGISTRY_PATH)
