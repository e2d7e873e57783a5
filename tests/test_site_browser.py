"""The site in a real browser (Debian's Chromium, driven by Playwright): opened from file:// and from a
sub-path, searched in Chinese, the seat finder by name and by pinyin initials, no console errors, and no
markup from the sources ever runs. Screenshots go to output/screenshots/ for a person to look at."""

from __future__ import annotations

import csv
import functools
import http.server
import re
import threading
import unicodedata
from pathlib import Path

import pytest
import test_site
from playwright.sync_api import Page, sync_playwright
from test_site import Quiet

from conftest import ROOT, SAMPLE

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "output" / "screenshots"


@pytest.fixture(scope="session")
def site_build(tmp_path_factory, sample_build) -> Path:
    return test_site.build_site(tmp_path_factory, sample_build)  # the same build as the static checks


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.exists(), "缺少 /usr/bin/chromium：请运行 make（以 root 运行 tools/setup-system.sh 会安装 chromium）"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield b
        b.close()


class Watch:
    """A page whose console errors, uncaught exceptions and dialogs (alert) are recorded."""

    def __init__(self, browser, **options):
        self.page: Page = browser.new_page(**options)
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def close(self) -> None:
        self.page.close()
        assert not self.errors, self.errors
        assert not self.dialogs, self.dialogs


@pytest.fixture
def watch(browser):
    opened: list[Watch] = []

    def make(**options) -> Watch:
        opened.append(Watch(browser, **options))
        return opened[-1]

    yield make
    for w in opened:
        w.close()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def site(build: Path) -> Path:
    return build / "output" / "site"


def test_search_from_file_url_and_click_through_to_the_meeting(site_build, watch):
    w = watch(viewport={"width": 1100, "height": 900})
    page = w.page
    page.goto((site(site_build) / "index.html").as_uri())
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    shot(page, "home")
    page.fill("#site-q", "经济工作")
    page.press("#site-q", "Enter")
    page.wait_for_selector("#search-results li")
    assert page.url.endswith("search.html?q=%E7%BB%8F%E6%B5%8E%E5%B7%A5%E4%BD%9C")
    marks = page.locator("#search-results mark").all_inner_texts()
    assert marks and set(marks) == {"经济工作"}
    assert "找到" in page.inner_text("#search-status")
    shot(page, "search")
    page.locator("#search-results li", has_text="会议通知").locator("a").click()
    page.wait_for_load_state()
    assert page.url == (site(site_build) / SAMPLE / "index.html").as_uri() + "#notice"
    assert page.inner_text("h1") == "2026年全市经济工作会议"
    shot(page, "meeting")
    page.pdf(path=SHOTS / "meeting-print.pdf", format="A4")


@pytest.mark.parametrize("query", ["会", "纪要", "２０２７年", "经济 市长"])
def test_short_queries_full_width_digits_and_several_words_find_something(site_build, watch, query):
    page = watch().page
    page.goto((site(site_build) / "search.html").as_uri() + "?q=" + query)
    page.wait_for_selector("#search-results li")
    for word in unicodedata.normalize("NFKC", query).split():  # ２０２７ is found as 2027
        assert word in page.locator("#search-results mark").all_inner_texts()


def test_a_query_that_matches_nothing_says_so(site_build, watch):
    page = watch().page
    page.goto((site(site_build) / "search.html").as_uri() + "?q=不存在的词语")
    assert "没有找到“不存在的词语”" in page.inner_text("#search-status")
    assert page.locator("#search-results li").count() == 0


def sample_people() -> dict[str, str]:
    with open(ROOT / "content" / SAMPLE / "attendees.csv", encoding="utf-8-sig") as f:
        return {r["姓名"]: r["类别"] for r in csv.DictReader(f) if r["状态"] == "参会"}


@pytest.mark.parametrize("name, typed", [("曾庆华", "zqh"), ("欧阳振宇", "oyzy"), ("周卫东", "周卫东"),
                                         ("上官婉清", "上官")])
def test_seat_finder_lights_up_the_seat_by_name_or_initials(site_build, watch, name, typed):
    assert name in sample_people()
    page = watch(viewport={"width": 1100, "height": 900}).page
    page.goto((site(site_build) / SAMPLE / "seats.html").as_uri())
    page.fill("#seat-q", typed)
    status = page.inner_text("#seat-status")
    assert re.fullmatch(rf"{name}：(主席台|会场)第\d+排第\d+座", status), status
    lit = page.locator("#seat-map .seat.hit")
    assert lit.count() == 1
    title = lit.locator("title").text_content() or ""
    assert name in title and status.split("：")[1] in title
    if typed == "oyzy":
        shot(page, "seats")


def test_seat_finder_offers_a_choice_when_several_match(site_build, watch):
    page = watch().page
    page.goto((site(site_build) / SAMPLE / "seats.html").as_uri())
    page.fill("#seat-q", "王")
    buttons = page.locator("#seat-matches button")
    assert buttons.count() >= 2 and page.locator("#seat-map .seat.hit").count() == 0
    buttons.filter(has_text="王建华").click()
    assert page.inner_text("#seat-status").startswith("王建华：")
    page.fill("#seat-q", "xyz")
    assert "没有找到" in page.inner_text("#seat-status")


def test_without_javascript_the_pages_still_show_the_map_and_the_list(site_build, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site(site_build) / SAMPLE / "seats.html").as_uri())
    assert page.locator("#seat-map").is_visible() and page.locator("#seat-list").is_visible()
    assert not page.locator("#seat-form").is_visible()
    page.goto((site(site_build) / SAMPLE / "index.html").as_uri())
    assert page.locator("#downloads a[href^='files/']").count() == 6  # the attendees' documents, the 意见征集表
    context.close()


def test_phone_width_has_no_sideways_scrolling(site_build, watch):
    page = watch(viewport={"width": 390, "height": 844}).page
    for name in ("index.html", f"{SAMPLE}/index.html", f"{SAMPLE}/seats.html", "search.html"):
        page.goto((site(site_build) / name).as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    page.goto((site(site_build) / SAMPLE / "index.html").as_uri())
    shot(page, "meeting-phone")


def test_markup_from_the_sources_never_runs(site_build, watch):
    w = watch()
    for name in ("index.html", "inj/index.html", "inj/seats.html", "search.html?q=alert", "search.html?q=<script>"):
        w.page.goto((site(site_build) / name.split("?")[0]).as_uri() + ("?" + name.split("?")[1] if "?" in name else ""))
        assert w.page.locator("script:not([src])").count() == 0
        assert w.page.locator("img, [onerror]").count() == 0
    w.page.goto((site(site_build) / "inj" / "seats.html").as_uri())
    w.page.fill("#seat-q", "zs")
    assert w.page.inner_text("#seat-status").startswith("张三：主席台")
    w.page.goto((site(site_build) / "search.html").as_uri() + "?q=alert")
    w.page.wait_for_selector("#search-results li")
    assert "<script>alert(1)</script>" in w.page.inner_text("#search-results")  # shown as text
    assert w.page.locator("#search-results script, #search-results img").count() == 0
    assert w.dialogs == []


def test_the_site_works_from_a_sub_path_of_a_web_server(site_build, watch):
    handler = functools.partial(Quiet, directory=str(site_build / "output"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = watch().page
        base = f"http://127.0.0.1:{server.server_address[1]}/site/"
        page.goto(base + "index.html")
        page.click(f"a[href='{SAMPLE}/index.html']")
        page.click("a[href='seats.html'] >> nth=0")
        page.fill("#seat-q", "wf")
        assert page.inner_text("#seat-status").startswith("王芳：会场第")
        page.fill("#site-q", "纪要")
        page.press("#site-q", "Enter")
        page.wait_for_selector("#search-results li")
        assert page.url.startswith(base + "search.html")
        page.locator("#search-results a").first.click()
        page.wait_for_load_state()
        assert page.url.startswith(base + SAMPLE + "/")
    finally:
        server.shutdown()
        server.server_close()
