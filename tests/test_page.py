"""The search page in a real browser: Debian's chromium driven by Playwright, headless."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_server import Server, serving

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]

if CHROMIUM is None:
    message = "chromium is not installed: run `make browser` (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)  # in CI a missing browser is a failure, not a skip
    pytest.skip(message, allow_module_level=True)


@pytest.fixture(scope="module")
def server(built_db: Path) -> Iterator[Server]:
    with serving(built_db) as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def test_typing_a_query_and_pressing_enter_shows_the_answer_and_its_citation(page, server: Server) -> None:
    page.goto(server.base + "/")
    page.get_by_label("Question or error message").fill("hour alocated quota exeeded")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=*")
    best = page.get_by_role("region", name="Best answer")
    assert "hour allocated quota exceeded" in best.locator("h1").inner_text()
    assert "Wait 5 hours" in best.inner_text()
    citation = best.locator(".citation")
    assert "coding-plan-faq.txt, lines 61–65" in citation.inner_text()


def test_a_citation_of_one_line_names_that_line(page, server: Server) -> None:
    page.goto(server.base + "/?q=Coding+Plan+is+currently+only+available+for+Coding+Agents")
    citation = page.get_by_role("region", name="Best answer").locator(".citation")
    assert "coding-plan-vs-standard-key.md, line 56" in citation.inner_text()
    assert "–" not in citation.locator("a").last.inner_text()


def test_following_the_citation_highlights_the_cited_lines(page, server: Server) -> None:
    page.goto(server.base + "/?q=403+invalid+api-key&product=coding-plan")
    link = page.get_by_role("region", name="Best answer").locator(".citation a").last
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url("**/docs/**")
    start, end = (int(n) for n in href.split("#L", 1)[1].split("-L"))
    highlighted = page.locator(".line.hl")
    assert highlighted.count() == end - start + 1
    assert highlighted.first.get_attribute("id") == f"L{start}"
    assert "403 invalid api-key" in highlighted.first.inner_text()
    assert highlighted.first.is_visible()


def test_the_product_choice_changes_the_answer(page, server: Server) -> None:
    page.goto(server.base + "/")
    page.get_by_label("Question or error message").fill("how do I check my usage")
    page.get_by_label("Product").select_option("coding-plan")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**product=coding-plan**")
    assert "Coding Plan page" in page.get_by_role("region", name="Best answer").inner_text()
    page.get_by_label("Product").select_option("token-plan")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**product=token-plan**")
    assert "Token Plan" in page.get_by_role("region", name="Best answer").inner_text()


def test_an_error_both_products_document_links_to_the_other_products_answer(page, server: Server) -> None:
    page.goto(server.base + "/?q=" + "Error: 401 invalid access token or token expired")
    best = page.get_by_role("region", name="Best answer")
    assert "Coding Plan's answer" in best.get_by_role("note").inner_text()
    best.get_by_role("link", name="Token Plan's answer").click()
    page.wait_for_url("**product=token-plan**")
    assert page.get_by_label("Product").input_value() == "token-plan"
    best = page.get_by_role("region", name="Best answer")
    assert "Token Plan" in best.locator(".kind").text_content() and best.get_by_role("note").count() == 0


def test_an_unanswerable_query_says_so_plainly(page, server: Server) -> None:
    page.goto(server.base + "/?q=" + "How do I configure nginx as a reverse proxy?")
    assert "No documented answer fits." in page.get_by_role("region", name="No answer").inner_text()
    assert page.get_by_role("region", name="Best answer").count() == 0


def test_script_typed_into_the_box_shows_as_text(page, server: Server) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server.base + "/")
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    page.get_by_label("Question or error message").fill(payload)
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert dialogs == []
    assert page.get_by_label("Question or error message").input_value() == payload


def test_the_page_works_at_phone_width_and_without_javascript(browser, server: Server) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(server.base + "/?q=Can+I+get+a+refund%3F&product=token-plan")
    assert "does not support refunds" in page.get_by_role("region", name="Best answer").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    context.close()
