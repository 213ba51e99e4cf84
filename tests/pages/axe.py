"""axe-core in the browser tests: `assert_no_axe_violations(page)` (issue 14, "Done when").

The engine is the pinned npm package `axe-core` (tests/pages/node/package.json and its lock
file), installed by `scripts/install_browser.sh` (`make browser`, part of `make test-pages` and
the e2e targets) with `npm ci` into tests/pages/node/node_modules, which git ignores. Nothing is
vendored; when the package is missing the check FAILS and says how to install it.

Use it in any Playwright test, after the page shows what should be checked::

    from tests.pages.axe import assert_no_axe_violations

    page.goto(f"{server.base_url}/center")
    ...  # sign in, open a case, run an analysis: axe checks what the DOM holds now
    assert_no_axe_violations(page)                       # the whole document, all rules
    assert_no_axe_violations(page, include=["#detail"])  # only part of it
    assert_no_axe_violations(page, disable=["color-contrast"])  # say in the test why

`run_axe(page, ...)` returns axe's raw results (a dict: `violations`, `incomplete`, `passes`…)
when a test needs more than the assertion. The script is evaluated through Playwright (not as a
<script> tag), so the pages' strict Content-Security-Policy needs no exception. Every rule axe
runs by default is on (WCAG 2.x A/AA and best practices, e.g. `region`, `landmark-one-main`,
`page-has-heading-one`); a violation of any impact fails, with the rule, its help and the
offending elements in the message.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

NODE_DIR = Path(__file__).resolve().parent / "node"
AXE_SCRIPT = NODE_DIR / "node_modules" / "axe-core" / "axe.min.js"
PINNED_VERSION = json.loads((NODE_DIR / "package.json").read_text(encoding="utf-8"))["dependencies"][
    "axe-core"
]
INSTALL_HINT = "Run `make browser` (scripts/install_browser.sh: `npm ci --prefix tests/pages/node`)."


@lru_cache(maxsize=1)
def axe_source() -> str:
    """The pinned axe.min.js; an AssertionError with the way to install it when it is missing."""
    if not AXE_SCRIPT.is_file():
        raise AssertionError(f"axe-core is not installed ({AXE_SCRIPT} is missing). {INSTALL_HINT}")
    installed = json.loads((AXE_SCRIPT.parent / "package.json").read_text(encoding="utf-8"))["version"]
    if installed != PINNED_VERSION:
        raise AssertionError(f"axe-core {installed} is installed, {PINNED_VERSION} is pinned. {INSTALL_HINT}")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def run_axe(
    page: Any,
    *,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    disable: list[str] | None = None,
) -> dict[str, Any]:
    """axe.run on *page* (a Playwright Page); *include*/*exclude* are CSS selectors, *disable*
    rule ids. Returns axe's results as a dict."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source() + "\n;true")
    context: dict[str, Any] = {}
    if include:
        context["include"] = [[selector] for selector in include]
    if exclude:
        context["exclude"] = [[selector] for selector in exclude]
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    return page.evaluate(
        "async ([context, options]) => JSON.parse(JSON.stringify("
        "await window.axe.run(Object.keys(context).length ? context : document, options)))",
        [context, options],
    )


def describe(violations: list[dict[str, Any]]) -> str:
    """One block per violated rule: id, impact, help, and up to five offending elements."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']} {violation['helpUrl']}"
        )
        for node in violation.get("nodes", [])[:5]:
            lines.append(f"    {node.get('target')}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Any, **kwargs: Any) -> dict[str, Any]:
    """Fails with a readable list when axe finds any violation (arguments as for `run_axe`)."""
    results = run_axe(page, **kwargs)
    violations = results.get("violations", [])
    assert violations == [], f"axe-core {PINNED_VERSION} on {page.url}:\n{describe(violations)}"
    return results
