"""A TrueType font that has every Vietnamese letter, for the PDFs (regular and bold).

Looked for, in order: `DOCUMENT_FONT` / `DOCUMENT_FONT_BOLD` (paths), then DejaVu Sans (Debian
package fonts-dejavu-core, which fontconfig — hence Chromium — pulls in), Noto Sans and
Liberation Sans in the usual system folders. None found: `find_font()` is None and the PDF
endpoints answer 503 with the fix; the print page still works (the browser has its fonts).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
FAMILIES = (
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
)


@dataclass(frozen=True)
class FontFiles:
    regular: Path
    bold: Path


def _search(name: str) -> Path | None:
    for folder in FONT_DIRS:
        if folder.is_dir():
            for path in sorted(folder.rglob(name)):
                if path.is_file():
                    return path
    return None


def find_font() -> FontFiles | None:
    configured = os.environ.get("DOCUMENT_FONT", "").strip()
    if configured and Path(configured).is_file():
        bold = os.environ.get("DOCUMENT_FONT_BOLD", "").strip()
        return FontFiles(Path(configured), Path(bold) if bold and Path(bold).is_file() else Path(configured))
    for regular_name, bold_name in FAMILIES:
        regular = _search(regular_name)
        if regular is not None:
            return FontFiles(regular, _search(bold_name) or regular)
    return None
