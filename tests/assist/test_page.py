"""The console page (/operator) over HTTP: strict headers, no inline script, fixed assets."""

from __future__ import annotations

import re

import pytest

from knowledge.vocabulary import GROUPS, RELATIONS, SELF_RELATION, TOPICS
from tests.assist.conftest import Assist

PATHS = {
    "/operator": "text/html",
    "/operator/static/operator.js": "text/javascript",
    "/operator/static/operator.css": "text/css",
    "/operator/static/staff.js": "text/javascript",  # api/static/shared/staff.js
    "/operator/meta.json": "application/json",
}


@pytest.mark.parametrize(("path", "media_type"), PATHS.items())
def test_security_headers(assist: Assist, path: str, media_type: str) -> None:
    response = assist.client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    csp = response.headers["content-security-policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
    assert directives["default-src"] == ["'self'"] and directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


def test_page_source_is_clean(assist: Assist) -> None:
    html = assist.client.get("/operator").text
    script = "".join(assist.client.get(f"/operator/static/{n}").text for n in ("staff.js", "operator.js"))
    assert re.findall(r"<script\b[^>]*>", html) == [
        '<script src="/operator/static/staff.js" defer>', '<script src="/operator/static/operator.js" defer>'
    ]
    assert re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S) == ["", ""]
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html), "a resource from another site"
    assert "innerHTML" not in re.sub(r"[Nn]othing here (?:ever )?assigns innerHTML", "", script)
    assert "insertAdjacentHTML" not in script and "document.write" not in script
    assert "Người gọi đồng ý cho lưu thông tin cá nhân" in html


def test_unknown_paths(assist: Assist) -> None:
    assert assist.client.get("/operator/static/..%2Fchat.html").status_code == 404
    assert assist.client.get("/operator/static/app.js").status_code == 404
    slash = assist.client.get("/operator/", follow_redirects=False)
    assert slash.status_code == 307 and slash.headers["location"] == "/operator"
    other = assist.client.get("/operator/x")
    assert other.status_code == 404 and other.headers["x-frame-options"] == "DENY"


def test_meta(assist: Assist) -> None:
    meta = assist.client.get("/operator/meta.json").json()
    assert len(meta["provinces"]) == 34
    assert set(meta) == {"provinces", "groups", "topics", "relations"}  # only what the form uses
    groups = {g["value"]: g["label"] for g in meta["groups"]}
    assert groups["khoan_7c_nguoi_cao_tuoi"] == "Điểm c khoản 7 — Người cao tuổi"
    # codes and labels of the one vocabulary (knowledge/vocabulary.py), nothing of the page's own
    assert list(groups) == list(GROUPS.codes)
    assert [(t["value"], t["label"]) for t in meta["topics"]] == list(TOPICS.labels().items())
    relations = {r["value"]: r for r in meta["relations"]}
    assert SELF_RELATION not in relations and set(relations) == set(RELATIONS.codes) - {SELF_RELATION}
    assert "mẹ" in relations["cha_me"]["words"]  # what the form reads "mẹ tôi …" with
