"""Blocks of a document (api/documents/render.py) as an A4 PDF, with fpdf2 and a TrueType font
that has the Vietnamese letters (api/documents/fonts.py). Text is drawn as text (searchable,
copyable): `pdftotext` or pypdf read it back."""

from __future__ import annotations

from collections.abc import Container, Sequence

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from api.documents.fonts import FontFiles
from api.documents.render import Block

FAMILY = "doc"
LINE = 6.2  # mm per line of body text
SIGNATURE_SPACE = 32  # mm left blank for a signature or a fingerprint (điểm chỉ)
BOX, TICKED = "☐", "☒"


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def _dotted(pdf: FPDF, x1: float, x2: float, y: float) -> None:
    pdf.set_draw_color(120, 120, 120)
    pdf.set_dash_pattern(dash=0.4, gap=0.9)
    pdf.line(x1, y, x2, y)
    pdf.set_dash_pattern()
    pdf.set_draw_color(0, 0, 0)


def _write_lines(pdf: FPDF, count: int) -> None:
    """Empty dotted lines to write on, full width."""
    for _ in range(count):
        pdf.ln(LINE + 1)
        _dotted(pdf, pdf.l_margin, pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(2)


def _next(pdf: FPDF) -> dict:
    return {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


def _field(pdf: FPDF, block: Block) -> None:
    pdf.set_font(FAMILY, "B", 11)
    label = f"{block.label}: "
    width = min(pdf.get_string_width(label) + 1, pdf.epw * 0.55)
    pdf.cell(width, LINE, label)
    pdf.set_font(FAMILY, "", 11)
    if block.blank:
        _dotted(pdf, pdf.get_x(), pdf.w - pdf.r_margin, pdf.get_y() + LINE - 1)
        pdf.ln(LINE + 0.8)
        return
    pdf.multi_cell(0, LINE, block.value, **_next(pdf))
    pdf.ln(0.8)


def _paragraph(pdf: FPDF, block: Block) -> None:
    if block.label:
        pdf.set_font(FAMILY, "B", 11)
        pdf.cell(0, LINE, f"{block.label}:", **_next(pdf))
    pdf.set_font(FAMILY, "", 11)
    if block.blank:
        _write_lines(pdf, block.lines)
        return
    pdf.multi_cell(0, LINE, block.text, align="J", **_next(pdf))
    pdf.ln(1.5)


def _checks(pdf: FPDF, block: Block) -> None:
    if block.label:
        pdf.set_font(FAMILY, "B", 11)
        pdf.multi_cell(0, LINE, f"{block.label}:", **_next(pdf))
    pdf.set_font(FAMILY, "", 11)
    marks = [f"{TICKED if option in block.checked else BOX} {option}" for option in block.items]
    pdf.multi_cell(0, LINE + 1, "      ".join(marks), **_next(pdf))
    pdf.ln(1)


def _items(pdf: FPDF, items: Sequence[str], size: float = 11) -> None:
    pdf.set_font(FAMILY, "", size)
    for item in items:
        pdf.set_x(pdf.l_margin + 3)
        pdf.cell(5, LINE, "–")
        pdf.multi_cell(0, LINE, item, **_next(pdf))


def _signatures(pdf: FPDF, block: Block) -> None:
    if pdf.will_page_break(SIGNATURE_SPACE + 14):
        pdf.add_page()
    half = pdf.epw / 2
    top = pdf.get_y() + 2
    for column, signer in enumerate((block.left, block.right)):
        if signer is None:
            continue
        pdf.set_xy(pdf.l_margin + column * half, top)
        pdf.set_font(FAMILY, "B", 11)
        pdf.cell(half, LINE, signer.title, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font(FAMILY, "", 9.5)
        pdf.cell(half, LINE - 1, signer.hint, align="C")
    pdf.set_xy(pdf.l_margin, top + 2 * LINE + SIGNATURE_SPACE)


def _drawable(blocks: Sequence[Block], cmap: Container[int]) -> list[Block]:
    """The blocks with every character the font cannot draw replaced by "?" (tabs by a space), so
    that fpdf2 never logs the missing ones: they come from what citizens typed."""
    def clean(text: str) -> str:
        text = text.replace("\t", " ").replace("\r", "")
        return "".join(ch if ch == "\n" or ord(ch) in cmap else "?" for ch in text)

    cleaned = []
    for block in blocks:
        data = block.model_dump()
        for key in ("text", "label", "value", "note"):
            data[key] = clean(data[key])
        data["items"] = [clean(item) for item in data["items"]]
        data["checked"] = [clean(item) for item in data["checked"]]
        cleaned.append(Block.model_validate(data))
    return cleaned


def document_pdf(title: str, blocks: Sequence[Block], font: FontFiles, *, subject: str = "") -> bytes:
    pdf = _Pdf(orientation="P", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_subject(subject)
    pdf.set_creator("Trợ lý trợ giúp pháp lý")
    pdf.set_margins(20, 15, 15)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font(FAMILY, "", str(font.regular))
    pdf.add_font(FAMILY, "B", str(font.bold))
    pdf.alias_nb_pages()
    pdf.add_page()
    regular, bold = pdf.fonts[FAMILY].cmap, pdf.fonts[FAMILY + "B"].cmap
    for block in _drawable(blocks, regular.keys() & bold.keys()):
        if block.kind == "center":
            pdf.set_font(FAMILY, "B" if block.bold else "", 12)
            pdf.multi_cell(0, LINE, block.text, align="C", **_next(pdf))
        elif block.kind == "title":
            pdf.ln(5)
            pdf.set_font(FAMILY, "B", 15)
            pdf.multi_cell(0, LINE + 2, block.text, align="C", **_next(pdf))
            pdf.ln(4)
        elif block.kind == "line":
            pdf.set_font(FAMILY, "", 11)
            pdf.multi_cell(0, LINE, block.text, **_next(pdf))
            pdf.ln(1)
        elif block.kind == "heading":
            pdf.ln(2.5)
            pdf.set_font(FAMILY, "B", 12)
            pdf.multi_cell(0, LINE, block.text, **_next(pdf))
            pdf.ln(0.5)
        elif block.kind == "field":
            _field(pdf, block)
        elif block.kind == "paragraph":
            _paragraph(pdf, block)
        elif block.kind == "checks":
            _checks(pdf, block)
        elif block.kind == "papers":
            _items(pdf, block.items)
            if block.note:
                pdf.set_font(FAMILY, "", 9.5)
                pdf.multi_cell(0, LINE - 1, block.note, **_next(pdf))
        elif block.kind == "events":
            if block.blank:
                _items(pdf, ["Chưa có."], 9.5)
            else:
                _items(pdf, block.items, 9.5)
        elif block.kind == "signatures":
            _signatures(pdf, block)
        elif block.kind == "note":
            pdf.ln(1)
            pdf.set_font(FAMILY, "", 8.5)
            pdf.set_text_color(70, 70, 70)
            pdf.multi_cell(0, LINE - 1.6, block.text, **_next(pdf))
            pdf.set_text_color(0, 0, 0)
    return bytes(pdf.output())
