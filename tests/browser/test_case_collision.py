"""Real Chromium, two people on one case: each sees the other live, and the second draft warns."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.browser.server import Hub, running_hub
from tests.browser.test_inbox_live import CHROMIUM, CHROMIUM_ARGS, _post_mention

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed: see test_inbox_live"),
]


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with running_hub(tmp_path_factory.mktemp("hub")) as running:
        yield running


def _open_case(browser: Browser, hub: Hub, username: str, case_id: int) -> Page:
    page = browser.new_context(locale="en-CA").new_page()
    page.goto(hub.url + "login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", hub.password)
    page.click("main button[type=submit]")
    page.goto(f"{hub.url}cases/{case_id}/")
    return page


def test_it_shows_each_viewer_to_the_other_and_warns_before_overwriting(hub: Hub) -> None:
    case_id = _post_mention(hub, "My mortgage statement shows the wrong rate since October, please fix it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        first = _open_case(browser, hub, hub.username, case_id)
        expect(first.locator("[data-intent]")).not_to_have_attribute("data-intent", "", timeout=20_000)
        first.reload()
        second = _open_case(browser, hub, "camille", case_id)
        expect(first.locator("[data-viewer=camille]")).to_be_visible(timeout=15_000)
        expect(second.locator(f"[data-viewer={hub.username}]")).to_be_visible(timeout=15_000)

        first.fill("#draft-text", "We are sorry: an advisor will call you today.")
        first.click("form[action$='/draft'] button[type=submit]")
        expect(first.locator(".draft")).to_contain_text("v1")

        second.fill("#draft-text", "Thanks, we are looking into it.")
        second.click("form[action$='/draft'] button[type=submit]")
        expect(second.locator("body")).to_contain_text("wrote version 1 meanwhile")
        second.fill("#draft-text", "Thanks, we are looking into it.")
        second.check("form[action$='/draft'] input[name=force]")
        second.click("form[action$='/draft'] button[type=submit]")
        expect(second.locator(".draft")).to_contain_text("v2")
        browser.close()
