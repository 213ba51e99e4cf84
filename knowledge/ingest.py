"""Parse the Pháp điển Markdown corpus into article records (JSONL).

Two formats (see ``/work/shared/corpus/README.md``):

* topic files of the official compiled code: headings ``Điều 4.5.LQ.7. <title>`` followed by a
  provenance line ``(Điều 7 Luật số 11/2017/QH14 Trợ giúp pháp lý ngày ... có hiệu lực thi hành
  kể từ ngày 01/01/2018)``.  About one heading in eight is glued to the end of the previous body
  line, so the heading+provenance pair is the anchor, wherever the heading starts.
* single documents (OCR): YAML front matter with ``sohieu``/``loai_van_ban``/``ngay_hieu_luc``
  and plain ``Điều N. <title>`` headings (usually as ``### Điều N.``).

Malformed articles are reported and skipped; one bad file never stops the run.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from .text import nfc

log = logging.getLogger(__name__)

__all__ = [
    "ArticleRecord",
    "FileReport",
    "iter_corpus_files",
    "parse_corpus",
    "parse_file",
    "parse_text",
    "read_jsonl",
    "write_jsonl",
]

DOC_TYPES = (
    "Bộ luật",
    "Luật",
    "Pháp lệnh",
    "Nghị quyết liên tịch",
    "Nghị quyết",
    "Nghị định",
    "Thông tư liên tịch",
    "Thông tư",
    "Quyết định",
    "Chỉ thị",
    "Lệnh",
)
_TYPE_ALT = "|".join(re.escape(t) for t in DOC_TYPES)
_DATE = r"\d{1,2}/\d{1,2}/\d{4}"

# Pháp điển heading followed (after optional blank lines) by its provenance line.
_PD_ID = r"\d+\.\d+\.[A-ZĐ]+\.\d+(?:\.\d+)*[a-z]?"
_ANCHOR = re.compile(
    r"Điều\s+(?P<pid>" + _PD_ID + r")\.[ \t]*(?P<title>[^\n]*?)[ \t]*\n\s*"
    r"\((?P<prov>Điều\s+\d+[a-z]?\s[^()]*)\)"
)
_HEADING_ANY = re.compile(r"Điều\s+(" + _PD_ID + r")\.")
_PROV_HEAD = re.compile(
    r"^Điều\s+(?P<art>\d+[a-z]?)\s+(?P<type>" + _TYPE_ALT + r")\s+(?:số\s+)?(?P<num>[^\s,]+?)"
    r"(?:\s+(?P<title>.*?))?(?:\s+ngày\s+(?P<issued>" + _DATE + r")(?:\s+của\s+(?P<issuer>.*))?)?$"
)
_EFFECTIVE = re.compile(r",?\s*có hiệu lực thi hành kể từ ngày\s+(?P<eff>" + _DATE + r")")
_AMEND = re.compile(
    r"(?P<what>(?:có nội dung |được |bị )[^,]*?(?:,\s*(?:có nội dung |được |bị )[^,]*?)*)\s+bởi\s+"
    r"Điều\s+(?P<art>\d+[a-z]?)\s+(?P<type>" + _TYPE_ALT + r")\s+(?:số\s+)?(?P<num>[^\s,]+)"
    r"\s+có hiệu lực thi hành kể từ ngày\s+(?P<eff>" + _DATE + r")"
)
_XREF = re.compile(r"\(Điều này có nội dung liên quan đến\s+([^()]*(?:\([^()]*\)[^()]*)*)\)")
_TITLE_IN_TEXT = (
    r"\b(?P<type>" + _TYPE_ALT + r")\s+(?P<title>[A-ZĐÀ-Ỹ][^\n;,.()]{2,120}?)\s+số\s+{num}(?![\w/-])"
)
_XREF_TITLE = (
    r"\b(?P<type>" + _TYPE_ALT + r")\s+(?:số\s+)?{num}\s+(?P<title>[^\n;,()]{2,200}?)\s+ban hành ngày"
)
_STRUCT_LINE = re.compile(r"^(?:Chương\s+[IVXLCĐ\d\]]+|Mục\s+\d+|Phần\s+(?:thứ\s+\S+|[IVXLC]+))(?:\s.*)?$")
_SINGLE_HEADING = re.compile(
    r"^(?P<hashes>#{1,6}\s*)?\**Điều\s+(?P<art>\d+[a-z]?)\s*[.:]\s*(?P<title>.*?)\**\s*$", re.M
)
_DOCNUM_IN = re.compile(r"\b(\d+[a-z]?/\d{4}/[A-ZĐ][A-ZĐ0-9-]*)\b")


@dataclass
class ArticleRecord:
    id: str  # unique key: Pháp điển id, or "<document number>:<article>"
    phapdien_id: str | None  # e.g. "4.5.LQ.7"; None for single documents
    article: str  # original article number, e.g. "7", "7a"
    document_number: str  # e.g. "11/2017/QH14"
    document_type: str  # e.g. "Luật"
    document_title: str  # e.g. "Trợ giúp pháp lý" (without the type)
    issue_date: str | None  # ISO dates
    effective_date: str | None
    title: str  # article title (may be "")
    body: str
    cross_references: list[str] = field(default_factory=list)
    amendments: list[dict] = field(default_factory=list)
    source_file: str = ""
    topic: str = ""  # title of the source file (Pháp điển topic)

    @property
    def key(self) -> str:
        """``<document number>:<article>``, as used by ``expected_articles`` in the dev set."""
        return f"{self.document_number}:{self.article}"

    def heading(self) -> str:
        return (
            f"Điều {self.article}. {self.title}".strip().rstrip(".") if self.title else f"Điều {self.article}"
        )


@dataclass
class FileReport:
    file: str
    format: str = ""
    headings: int = 0  # article headings found (anchors)
    line_start_headings: int = 0  # of which at the start of a line (the rest were glued)
    parsed: int = 0
    skipped: list[str] = field(default_factory=list)
    error: str | None = None


def _iso(d: str | None) -> str | None:
    if not d:
        return None
    try:
        day, month, year = (int(x) for x in d.strip().replace(".", "/").split("/"))
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    import yaml

    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError:
        meta = {}
    rest = text[end + 4 :]
    return (meta if isinstance(meta, dict) else {}), rest


def _clean_lines(text: str) -> str:
    lines = [ln.strip() for ln in text.replace("\r", "").split("\n")]
    out: list[str] = []
    for ln in lines:
        if not ln:
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(ln)
    return "\n".join(out).strip()


def _is_structure_line(line: str) -> bool:
    if _STRUCT_LINE.match(line) and len(line) < 150:
        return True
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and line.upper() == line and len(line) < 200


def _strip_trailing_structure(body: str) -> str:
    """Drop chapter/section headings (``Chương II``, ``Mục 1``, upper-case captions) that precede
    the next article and were captured at the end of this body."""
    lines = body.split("\n")
    while lines and (not lines[-1].strip() or _is_structure_line(lines[-1].strip())):
        lines.pop()
    return "\n".join(lines).strip()


def _find_titles(text: str, numbers: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Titles of documents whose provenance lines never carry one (e.g. Luật Thi hành án dân sự
    26/2008/QH12): "... Luật Thi hành án dân sự số 26/2008/QH12" or cross-references
    "... của Luật 26/2008/QH12 Thi hành án dân sự ban hành ngày ..."."""
    found: dict[str, tuple[str, str]] = {}
    for num in numbers:
        esc = re.escape(num)
        votes: Counter[tuple[str, str]] = Counter()
        for pat in (_TITLE_IN_TEXT, _XREF_TITLE):
            for m in re.finditer(pat.replace("{num}", esc), text):
                title = m.group("title").strip()
                title = re.sub(r"^(?:số|của)\s+", "", title)
                if 2 <= len(title) <= 200:
                    votes[(m.group("type"), title)] += 1
        if votes:
            found[num] = votes.most_common(1)[0][0]
    return found


def _parse_provenance(prov: str) -> dict | None:
    prov = " ".join(prov.split())
    eff = _EFFECTIVE.search(prov)
    if not eff:
        return None
    head = prov[: eff.start()].strip().rstrip(",")
    tail = prov[eff.end() :]
    m = _PROV_HEAD.match(head)
    if not m:
        return None
    title = (m.group("title") or "").strip()
    amendments = [
        {
            "change": " ".join(a.group("what").split()),
            "article": a.group("art"),
            "document_type": a.group("type"),
            "document_number": a.group("num"),
            "effective_date": _iso(a.group("eff")),
        }
        for a in _AMEND.finditer(tail)
    ]
    return {
        "article": m.group("art"),
        "document_type": m.group("type"),
        "document_number": m.group("num").rstrip(".,;"),
        "document_title": title,
        "issue_date": _iso(m.group("issued")),
        "effective_date": _iso(eff.group("eff")),
        "amendments": amendments,
    }


def _parse_topic(text: str, meta: dict, source: str, report: FileReport) -> list[ArticleRecord]:
    report.format = "phapdien"
    start = text.find("## VĂN BẢN")
    start = 0 if start < 0 else start
    end = text.find("## Danh sách điều khoản")
    end = len(text) if end < 0 else end
    body_text = text[start:end]
    anchors = list(_ANCHOR.finditer(body_text))
    report.headings = len(anchors)
    report.line_start_headings = sum(1 for a in anchors if a.start() == 0 or body_text[a.start() - 1] == "\n")
    topic = str(meta.get("title") or "").strip()
    provs = [_parse_provenance(a.group("prov")) for a in anchors]
    # document titles: from any provenance carrying one, else from the text
    titles: dict[str, tuple[str, str]] = {}
    for p in provs:
        if p and p["document_title"] and p["document_number"] not in titles:
            titles[p["document_number"]] = (p["document_type"], p["document_title"])
    issued = {p["document_number"]: p["issue_date"] for p in provs if p and p["issue_date"]}
    missing = {p["document_number"] for p in provs if p and p["document_number"] not in titles}
    titles.update(_find_titles(text, missing))
    records: list[ArticleRecord] = []
    for i, (a, p) in enumerate(zip(anchors, provs, strict=False)):
        pid = a.group("pid")
        if p is None:
            report.skipped.append(
                f"{pid}: dòng nguồn gốc không đọc được: {' '.join(a.group('prov').split())[:120]}"
            )
            continue
        stop = anchors[i + 1].start() if i + 1 < len(anchors) else len(body_text)
        raw = body_text[a.end() : stop]
        xrefs: list[str] = []
        for xm in _XREF.finditer(raw):
            xrefs.extend(_HEADING_ANY.findall(xm.group(1)))
        raw = _XREF.sub("\n", raw)
        body = _strip_trailing_structure(_clean_lines(raw))
        if not body:
            repealed = any("bãi bỏ" in am["change"] for am in p["amendments"])
            report.skipped.append(
                f"{pid}: nội dung điều trống" + (" (điều đã bị bãi bỏ)" if repealed else "")
            )
            continue
        doc_title = p["document_title"]
        if p["document_number"] in titles:
            doc_title = titles[p["document_number"]][1]
        if not doc_title:
            doc_title = topic
        records.append(
            ArticleRecord(
                id=pid,
                phapdien_id=pid,
                article=p["article"],
                document_number=p["document_number"],
                document_type=p["document_type"],
                document_title=doc_title,
                issue_date=p["issue_date"] or issued.get(p["document_number"]),
                effective_date=p["effective_date"],
                title=" ".join(a.group("title").split()).rstrip("."),
                body=body,
                cross_references=list(dict.fromkeys(xrefs)),
                amendments=p["amendments"],
                source_file=source,
                topic=topic,
            )
        )
    return records


def _single_meta(meta: dict, text: str) -> dict:
    title = str(meta.get("title") or "").strip()
    num = str(meta.get("sohieu") or "").strip()
    if not num:
        m = _DOCNUM_IN.search(title) or _DOCNUM_IN.search(text[:3000])
        num = m.group(1) if m else ""
    dtype = str(meta.get("loai_van_ban") or "").strip()
    if not dtype:
        for t in DOC_TYPES:
            if title.lower().startswith(t.lower()) or re.search(r"^#\s*" + t.upper() + r"\s*$", text, re.M):
                dtype = t
                break
    # "Thông tư 60/2026/TT-BTC - Hướng dẫn ..." → "Hướng dẫn ..."
    clean_title = (
        re.sub(r"^(?:" + _TYPE_ALT + r")\s+(?:số\s+)?" + re.escape(num) + r"\s*[-–—:]\s*", "", title)
        if num
        else title
    )
    issued = meta.get("ngay_ban_hanh") or meta.get("date")
    eff = meta.get("ngay_hieu_luc") or meta.get("hieu_luc")
    return {
        "document_number": num,
        "document_type": dtype,
        "document_title": clean_title,
        "issue_date": issued.isoformat() if isinstance(issued, date) else _iso(str(issued or "")),
        "effective_date": eff.isoformat() if isinstance(eff, date) else _iso(str(eff or "")),
    }


def _parse_single(text: str, meta: dict, source: str, report: FileReport) -> list[ArticleRecord]:
    report.format = "single"
    info = _single_meta(meta, text)
    if not info["document_number"]:
        raise ValueError("không xác định được số hiệu văn bản (thiếu 'sohieu')")
    heads = []
    last = 0
    for m in _SINGLE_HEADING.finditer(text):
        n = int(re.match(r"\d+", m.group("art")).group())
        title = m.group("title").strip()
        if m.group("hashes"):
            heads.append(m)
            last = n
        elif n == last + 1 and title[:1].isupper() and not title.startswith(("Nghị định này", "Luật này")):
            heads.append(m)  # an OCR heading that lost its "###"
            last = n
    report.headings = len(heads)
    report.line_start_headings = len(heads)
    records: list[ArticleRecord] = []
    seen: Counter[str] = Counter()
    for i, m in enumerate(heads):
        art = m.group("art")
        stop = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        body = _strip_trailing_structure(_clean_lines(text[m.end() : stop]))
        if not body:
            report.skipped.append(f"Điều {art}: nội dung điều trống")
            continue
        seen[art] += 1
        rid = f"{info['document_number']}:{art}" + (f"#{seen[art]}" if seen[art] > 1 else "")
        records.append(
            ArticleRecord(
                id=rid,
                phapdien_id=None,
                article=art,
                title=m.group("title").strip().rstrip("."),
                body=body,
                source_file=source,
                topic=info["document_title"],
                **info,
            )
        )
    return records


def parse_text(text: str, source: str = "<text>") -> tuple[list[ArticleRecord], FileReport]:
    """Parse one Markdown file's text (either format)."""
    report = FileReport(file=source)
    text = nfc(text.replace("\r\n", "\n"))
    meta, rest = _front_matter(text)
    if (
        "sohieu" in meta
        or "loai_van_ban" in meta
        or (not _ANCHOR.search(rest) and _SINGLE_HEADING.search(rest))
    ):
        records = _parse_single(rest, meta, source, report)
    else:
        records = _parse_topic(rest, meta, source, report)
    report.parsed = len(records)
    return records, report


def parse_file(path: Path) -> tuple[list[ArticleRecord], FileReport]:
    """Parse one file; never raises for bad content (the report carries the error)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        return parse_text(text, path.name)
    except Exception as e:  # noqa: BLE001 - one bad file must not stop ingestion
        log.warning("Bỏ qua tệp %s: %s", path, e)
        return [], FileReport(file=path.name, error=f"{type(e).__name__}: {e}")


def iter_corpus_files(path: Path) -> list[Path]:
    path = Path(path)
    if path.is_file():
        return [path]
    return sorted(p for p in path.glob("*.md") if p.name.lower() != "readme.md")


def parse_corpus(path: Path, *, progress: bool = True) -> tuple[list[ArticleRecord], list[FileReport]]:
    files = iter_corpus_files(path)
    records: list[ArticleRecord] = []
    reports: list[FileReport] = []
    seen: set[str] = set()
    iterator: Iterable[Path] = files
    if progress:
        from tqdm import tqdm

        iterator = tqdm(files, desc="Đọc văn bản", unit="tệp")
    for f in iterator:
        recs, rep = parse_file(f)
        for r in recs:
            if r.id in seen:
                rep.skipped.append(f"{r.id}: trùng mã điều, đã bỏ qua")
                rep.parsed -= 1
                continue
            seen.add(r.id)
            records.append(r)
        reports.append(rep)
    return records, reports


def write_jsonl(records: Iterable[ArticleRecord], out: Path) -> int:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(asdict(r), ensure_ascii=False) + "\n")
            n += 1
    return n


def read_jsonl(path: Path) -> Iterator[ArticleRecord]:
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield ArticleRecord(**json.loads(line))
