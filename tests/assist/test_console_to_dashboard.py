"""From the hotline console (/operator) to the centre dashboard (/center) in one headless Chromium:
a case the operator logs from a call shows up for the centre's reviewer, marked as a hotline case.

Reuses the app (fake Rasa, fake index, temporary SQLite) and the page watch of
tests/assist/test_console.py; the browser is the session one of tests/conftest.py.

Run: `.venv/bin/python -m pytest tests/assist/test_console_to_dashboard.py -q`.
"""

from __future__ import annotations

from api.cases.security import Role, create_token
from tests.assist import test_console as console_suite
from tests.assist.test_console import STORY, Console, analyse, expect, sign_in

# the fixtures of the console suite, used here under their own names (a fresh app for this module)
console = console_suite.console
page = console_suite.page

SCREENSHOT = "/tmp/operator-to-center.png"


def _reviewer_token(console: Console) -> str:
    """A reviewer of the legal-aid centre, made in the running app's own case store."""
    with console.app.state.db.session() as session:
        _, token = create_token(session, name="Lò Thị Mai - TT TGPL Lào Cai", role=Role.reviewer)
    return token


def test_a_hotline_case_reaches_the_centre_dashboard(page, console: Console) -> None:
    # the operator logs the call as a case
    sign_in(page, console)
    analyse(page, STORY)
    expect(page.locator("#c-name")).to_have_value("Nguyễn Thị Hoa")
    page.fill("#c-phone", "0912 345 678")
    page.select_option("#c-province", "Lào Cai")
    page.check("#c-consent")
    page.click("#save-case")
    expect(page.locator("#case-result")).to_contain_text("Mã hồ sơ: TGPL-")
    code = page.locator("#case-result .case-code").inner_text()
    assert code.startswith("TGPL-"), code

    # the centre's reviewer signs in to the dashboard in the same browser and finds it
    page.goto(f"{console.base_url}/center")
    page.fill("#token", _reviewer_token(console))
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#view-list:not([hidden])")
    row = page.locator(f"#cases-body tr[data-code='{code}']")
    expect(row).to_have_count(1)
    expect(row.locator("td[data-label='Mã hồ sơ']")).to_contain_text(code)
    expect(row.locator("td[data-label='Mã hồ sơ']")).to_contain_text("Tổng đài")
    requester = row.locator("td[data-label='Người được trợ giúp']")
    expect(requester).to_contain_text("Nguyễn T** H**")  # the list masks name and phone
    expect(requester).not_to_contain_text("Nguyễn Thị Hoa")
    expect(row.locator("td[data-label='Tỉnh/thành phố']")).to_contain_text("Lào Cai")

    # its detail names the channel
    row.locator(f"a:has-text('{code}')").click()
    page.wait_for_selector("#view-detail:not([hidden])")
    expect(page.locator("#d-code")).to_have_text(code)
    channel = page.locator("#d-fields dt:has-text('Kênh tiếp nhận') + dd")
    expect(channel).to_have_text("Tổng đài")
    expect(page.locator("#d-fields")).to_contain_text("Nguyễn Thị Hoa")  # in full for a reviewer
    expect(page.locator("#d-description")).to_have_text(STORY)
    page.screenshot(path=SCREENSHOT, full_page=True)
