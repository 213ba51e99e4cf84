"""Staff pages: the legal-aid centre dashboard at `/center` (issue #5 item 7, issue #7).

The pages hold no case data and need no token: `index.html`, `app.js`, `charts.js` and
`center.css` under `api/static/center/` (and the staff pages' shared helpers,
`api/static/shared/staff.js`) are plain files (no build step, nothing from a CDN). The
browser keeps the staff token in `sessionStorage` and sends it as `Authorization: Bearer …` to
the case api (`/api/v1/cases…`, `/api/v1/stats`), which checks it. `/center/meta.json` gives the
page the vocabulary it needs from the single sources in `api/cases`: status labels, allowed
transitions, the field each final status requires, and the 34 provinces.

Every answer here carries strict security headers (`PAGE_SECURITY_HEADERS`, api/core/headers.py,
shared with the web chat page): a Content-Security-Policy without inline script or style
(`default-src 'self'`, `frame-ancestors 'none'`), `nosniff`, `X-Frame-Options: DENY`,
`Referrer-Policy: no-referrer` and `Cache-Control: no-store`. The scripts insert every
value from the api as text (`textContent`), never as HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse

from api.cases.provinces import PROVINCE_NAMES
from api.cases.status import FINAL_STATUSES, REQUIRED_FIELDS, STATUS_LABELS, TRANSITIONS, CaseStatus
from api.core.headers import PAGE_SECURITY_HEADERS

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
CENTER_DIR = STATIC_DIR / "center"
# Files every staff page serves under its own /static/ (the helpers of the dashboard, its reports
# and print pages and the hotline console): one copy in api/static/shared/.
SHARED_DIR = STATIC_DIR / "shared"
SHARED_ASSETS: dict[str, str] = {"staff.js": "text/javascript; charset=utf-8"}

SECURITY_HEADERS = PAGE_SECURITY_HEADERS  # one implementation: api/core/headers.py
# The only files served from CENTER_DIR, with their media types (no directory listing, no guessing).
ASSETS: dict[str, str] = {
    "app.js": "text/javascript; charset=utf-8",
    "charts.js": "text/javascript; charset=utf-8",
    "center.css": "text/css; charset=utf-8",
    # reports (issue 14 item 11) and printable case documents (item 12)
    "reports.js": "text/javascript; charset=utf-8",
    "reports.css": "text/css; charset=utf-8",
    "print.js": "text/javascript; charset=utf-8",
    "print.css": "text/css; charset=utf-8",
}
# Other pages of the dashboard: path under /center → file in CENTER_DIR.
PAGES: dict[str, str] = {"bao-cao": "reports.html", "in": "print.html"}
HTML = "text/html; charset=utf-8"


def asset_file(folder: Path, name: str, assets: dict[str, str], headers: dict[str, str]) -> FileResponse:
    """One of the listed *assets* of *folder* (no directory listing, no guessing), else a 404."""
    media_type = assets.get(name)
    if media_type is None:
        raise HTTPException(status_code=404, detail="Không tìm thấy tệp.", headers=SECURITY_HEADERS)
    return FileResponse(folder / name, media_type=media_type, headers=headers)


def page_router(
    *, prefix: str, folder: Path, assets: dict[str, str], meta: Callable[[], dict],
    pages: dict[str, str] | None = None,
) -> APIRouter:
    """A staff page: `prefix` serves folder/index.html, `prefix/<path>` the listed other *pages*,
    `/static/{name}` only the listed *assets* and SHARED_ASSETS, `/meta.json` the page's vocabulary;
    `prefix/` redirects to `prefix`, anything else is a 404. Every answer carries SECURITY_HEADERS."""
    router = APIRouter(prefix=prefix, include_in_schema=False)

    def html_file(name: str) -> Callable[[], FileResponse]:
        def serve() -> FileResponse:  # no parameter: nothing from the request names the file
            return FileResponse(folder / name, media_type=HTML, headers=SECURITY_HEADERS)

        return serve

    for path, name in (pages or {}).items():
        router.add_api_route(f"/{path}", html_file(name), methods=["GET"])

    @router.get("")
    def page() -> FileResponse:
        html = folder / "index.html"
        return FileResponse(html, media_type="text/html; charset=utf-8", headers=SECURITY_HEADERS)

    @router.get("/static/{name}")
    def asset(name: str) -> FileResponse:
        if name in SHARED_ASSETS:
            return asset_file(SHARED_DIR, name, SHARED_ASSETS, SECURITY_HEADERS)
        return asset_file(folder, name, assets, SECURITY_HEADERS)

    @router.get("/meta.json")
    def meta_json() -> JSONResponse:
        return JSONResponse(meta(), headers=SECURITY_HEADERS)

    @router.get("/{rest:path}", response_model=None)
    def not_found(rest: str) -> JSONResponse | RedirectResponse:
        if rest == "":
            return RedirectResponse(prefix, status_code=307, headers=SECURITY_HEADERS)
        return JSONResponse({"detail": "Không tìm thấy trang."}, status_code=404, headers=SECURITY_HEADERS)

    return router


def center_meta() -> dict:
    """Labels and rules the page shows; taken from api/cases so they never drift apart."""
    statuses = []
    for status in CaseStatus:
        required = REQUIRED_FIELDS.get(status)
        statuses.append({
            "value": status.value,
            "label": STATUS_LABELS[status],
            "final": status in FINAL_STATUSES,
            "next": [s.value for s in CaseStatus if s in TRANSITIONS[status]],
            "requires": required[0] if required else None,
        })
    return {"statuses": statuses, "provinces": list(PROVINCE_NAMES)}


# The dashboard: one HTML page; the scripts switch between sign-in, list, detail and charts.
router = page_router(prefix="/center", folder=CENTER_DIR, assets=ASSETS, meta=center_meta, pages=PAGES)
