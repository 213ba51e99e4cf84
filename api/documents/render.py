"""A document template (YAML, api/documents/templates) filled with a case's values: blocks (pure).

The same blocks feed the print page (/center/in, as JSON) and the PDF (api/documents/pdf.py).
Placeholders are `{name}` of api.documents.values.case_values; only plain names are replaced
(no attribute or index access), and a value is never read as a template.

>>> template = Template.model_validate({"title": "T", "file_name": "t", "blocks": [
...     {"kind": "field", "label": "Họ và tên", "value": "{full_name}"},
...     {"kind": "field", "label": "Năm sinh", "value": "{birth_year}"},
...     {"kind": "checks", "options": ["Tư vấn pháp luật", "Tham gia tố tụng"], "value": "{legal_aid_form}"},
...     {"kind": "papers"}],
...     "papers": {"always": ["Đơn."], "groups": {"khoan_2_ho_ngheo": ["Giấy chứng nhận hộ nghèo."]}}})
>>> values = {"full_name": "Lò Văn {code}", "legal_aid_form": "Tham gia tố tụng", "group": "khoan_2_ho_ngheo"}
>>> blocks = render(template, values)
>>> [(b.label, b.value, b.blank) for b in blocks[:2]]
[('Họ và tên', 'Lò Văn {code}', False), ('Năm sinh', '', True)]
>>> blocks[2].checked, blocks[3].items
(['Tham gia tố tụng'], ['Giấy chứng nhận hộ nghèo.', 'Đơn.'])
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field

SHIPPED_DIR = Path(__file__).resolve().parent / "templates"
KINDS = ("don-yeu-cau", "phieu-ho-so")
DocumentKind = Literal["don-yeu-cau", "phieu-ho-so"]
TEMPLATES_ENV = "DOCUMENT_TEMPLATES_DIR"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

BlockKind = Literal[
    "center", "title", "line", "heading", "field", "paragraph", "checks", "papers", "signatures", "note",
    "events",
]


class Signer(BaseModel):
    title: str
    hint: str = ""


class TemplateBlock(BaseModel):
    kind: BlockKind
    text: str = ""
    label: str = ""
    value: str = ""
    bold: bool = False
    lines: int = Field(3, ge=1, le=20, description="paragraph: lines to write on when empty")
    options: list[str] = Field(default_factory=list)
    left: Signer | None = None
    right: Signer | None = None


class Papers(BaseModel):
    always: list[str] = Field(default_factory=list)
    lost: str = ""
    groups: dict[str, list[str]] = Field(default_factory=dict)
    unknown: list[str] = Field(default_factory=list)


class Template(BaseModel):
    title: str
    file_name: str = Field(pattern=r"^[a-z0-9-]+$")
    blocks: list[TemplateBlock]
    papers: Papers = Field(default_factory=Papers)


class Block(BaseModel):
    """A filled block: what the print page and the PDF draw."""

    kind: BlockKind
    text: str = ""
    label: str = ""
    value: str = ""
    blank: bool = Field(False, description="No value: draw a line to write on")
    bold: bool = False
    lines: int = 3
    items: list[str] = Field(default_factory=list, description="papers, events, checks' options")
    checked: list[str] = Field(default_factory=list)
    note: str = ""
    left: Signer | None = None
    right: Signer | None = None


def fill(text: str, values: Mapping[str, str]) -> str:
    """`{name}` → its value ("" when unknown), in one pass: a value is never filled again."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), ""), text)


def papers_for(papers: Papers, group: str | None) -> list[str]:
    proof = papers.groups.get(group or "") or papers.unknown
    return [*proof, *papers.always]


def render(template: Template, values: Mapping[str, str], *, events: list[str] | None = None) -> list[Block]:
    blocks = []
    for item in template.blocks:
        block = Block(
            kind=item.kind, text=fill(item.text, values), label=fill(item.label, values), bold=item.bold,
            value=fill(item.value, values), lines=item.lines, left=item.left, right=item.right,
        )
        if item.kind == "field":
            block.blank = not block.value.strip()
        elif item.kind == "paragraph":
            block.blank = not block.text.strip()
        elif item.kind == "checks":
            block.items = [fill(option, values) for option in item.options]
            chosen = block.value.strip().casefold()
            block.checked = [option for option in block.items if chosen and option.casefold() == chosen]
        elif item.kind == "papers":
            block.items = papers_for(template.papers, values.get("group"))
            block.note = template.papers.lost
        elif item.kind == "events":
            block.items = list(events or [])
            block.blank = not block.items
        blocks.append(block)
    return blocks


def templates_dir() -> Path | None:
    """A centre's own templates (`DOCUMENT_TEMPLATES_DIR`), if set."""
    value = os.environ.get(TEMPLATES_ENV, "").strip()
    return Path(value) if value else None


class TemplateError(ValueError):
    """A template file that is not valid YAML or not a valid template."""


def load_template(kind: DocumentKind, folder: Path | None = None) -> Template:
    """The centre's template of *kind* when its folder has one, else the shipped one."""
    for base in (folder, SHIPPED_DIR):
        path = base / f"{kind}.yml" if base is not None else None
        if path is not None and path.is_file():
            try:
                return Template.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
            except (yaml.YAMLError, ValueError) as error:
                raise TemplateError(f"{path}: {type(error).__name__}") from error
    raise FileNotFoundError(f"{kind}.yml")
