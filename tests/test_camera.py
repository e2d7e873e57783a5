"""The check-in desk's camera in a real browser: Chromium's fake webcam plays the first badge of the sample's
badges.pdf, and huiwu/checkin/static/camera.js must read its QR code, Chinese name and all, with the decoder
and its wasm served from our own /static/ (nothing requested from any other host), and no console errors."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
import zxingcpp
from camera_feed import badge_png, y4m_from_image
from PIL import Image
from playwright.sync_api import Page, sync_playwright
from test_site import Quiet

from conftest import ROOT, SAMPLE

CHROMIUM = Path("/usr/bin/chromium")
STATIC = ROOT / "huiwu" / "checkin" / "static"
PAGE = """<!doctype html>
<html lang="zh-CN"><meta charset="utf-8"><title>扫码</title><link rel="icon" href="data:,">
<video width="640" height="360"></video>
<script src="/static/vendor/zxing-wasm/zxing-reader.iife.js"></script>
<script src="/static/camera.js"></script>
<script>window.read = [];</script>
</html>
"""
START = """() => huiwuCamera.start(document.querySelector("video"), text => read.push([text, performance.now()]))
    .then(() => "", error => error.message)"""


@pytest.fixture(scope="module")
def badge(sample_build, tmp_path_factory) -> tuple[Path, str]:
    """The fake webcam's video of the first badge, and that badge's payload as read from the PNG by zxing-cpp
    (the Python package) and decoded from its bytes as UTF-8."""
    folder = tmp_path_factory.mktemp("camera")
    png = badge_png(sample_build / "badges.pdf", folder / "badge.png")
    (code,) = zxingcpp.read_barcodes(Image.open(png))  # exactly one badge in the picture
    payload = code.bytes.decode("utf-8")
    assert payload.startswith(f"huiwu:{SAMPLE}:0001:") and not payload.isascii(), payload  # a Chinese name
    return y4m_from_image(png, folder / "badge.y4m"), payload


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """The test page and huiwu/checkin/static/ served on 127.0.0.1: the page's base URL."""
    root = tmp_path_factory.mktemp("desk")
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    (root / "static").symlink_to(STATIC)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(badge):
    assert CHROMIUM.exists(), "缺少 /usr/bin/chromium：请运行 make（以 root 运行 tools/setup-system.sh 会安装 chromium）"
    fake_camera = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                   f"--use-file-for-fake-video-capture={badge[0]}"]
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", *fake_camera])
        yield b
        b.close()


class Desk:
    """A fresh page of the desk whose console errors and requested URLs are recorded."""

    def __init__(self, browser, base: str):
        self.base = base
        self.page: Page = browser.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(base)

    def close(self) -> None:
        self.page.close()
        assert not self.errors, self.errors
        assert self.requests and all(url.startswith(self.base) for url in self.requests), self.requests


@pytest.fixture
def desk_page(browser, desk):
    """The desk in a new page; on leaving, no console errors and no request beyond the desk's server."""
    d = Desk(browser, desk)
    yield d
    d.close()


def test_the_camera_reads_the_first_badge_and_not_again_within_3_seconds(desk_page, badge):
    page = desk_page.page
    assert page.evaluate(START) == ""
    page.wait_for_function("read.length >= 2", timeout=10_000)  # the badge stays in view: read again after 3 s
    (first, at), (second, again) = page.evaluate("read.slice(0, 2)")
    assert first == second == badge[1]
    assert again - at >= 3000, again - at
    assert f"{desk_page.base}static/vendor/zxing-wasm/zxing_reader.wasm" in desk_page.requests  # not the CDN's
    assert page.evaluate("() => { huiwuCamera.stop(); return document.querySelector('video').srcObject; }") is None


@pytest.mark.parametrize("error, message", [
    ("NotAllowedError", "无法打开摄像头：未获准使用摄像头，请在浏览器中允许本页使用摄像头"),
    ("NotFoundError", "无法打开摄像头：没有找到摄像头"),
])
def test_a_refused_or_missing_camera_is_told_in_chinese(desk_page, error, message):
    page = desk_page.page
    page.evaluate("""error => { navigator.mediaDevices.getUserMedia =
        () => Promise.reject(new DOMException("Requested device not available", error)); }""", error)
    assert page.evaluate(START) == message


def test_the_desk_signs_in_the_badge_its_camera_sees(browser, badge, tmp_path):
    """The real desk (build.py checkin): its camera button reads the badge the fake webcam shows and signs its
    holder in; signin.csv then names them."""
    from test_checkin import Desk as Running
    from test_checkin import csv_rows, fresh_sample

    running = Running(fresh_sample(tmp_path))
    name = badge[1].rsplit(":", 1)[1]
    try:
        page = browser.new_page()
        page.goto(running.url)
        page.get_by_role("button", name="摄像头扫码").click()
        page.wait_for_function(f"document.getElementById('answer-headline').textContent === {name!r}", timeout=15000)
        assert page.get_attribute("#answer", "data-status") == "ok"
        page.close()
        assert running.state()["counts"]["实到"] == 1
    finally:
        running.stop()
    assert [r["姓名"] for r in csv_rows(running.root / "content" / SAMPLE / "signin.csv")] == [name]
