"""`make watch`, the live preview, through Chromium: a saved edit reloads the page with the new value; a
mistake shows over the page with its file:line and clears once fixed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from conftest import BARE, ROOT, SAMPLE, TODAY, copy_project, descendants, gone, leftovers, new_project, write_meeting

CHROMIUM = Path("/usr/bin/chromium")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_watch(root: Path, port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    """`build.py watch` in a session of its own (as a terminal runs it), once its first build is done."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--project", str(root), "watch", "--no-browser",
                             "--port", str(port)], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env={**os.environ, "HUIWU_TODAY": TODAY, **(env or {})}, start_new_session=True)
    for line in proc.stdout:
        if "实时预览" in line:
            break
    return proc


def test_an_edit_reloads_the_page_and_a_mistake_shows_until_fixed(tmp_path, sample_build):
    root = copy_project(sample_build.parents[1], tmp_path)  # built: the preview starts with nothing to do
    port = free_port()
    proc = start_watch(root, port, {"TZ": "UTC"})
    table = root / "content" / SAMPLE / "attendees.csv"
    meeting = root / "content" / SAMPLE / "meeting.md"
    listed, front = table.read_text(encoding="utf-8-sig"), meeting.read_text(encoding="utf-8")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"http://127.0.0.1:{port}/{SAMPLE}/seats.html")
            assert "青阳区人民政府区长" in page.evaluate("document.body.textContent")
            page.evaluate("window.huiwuBefore = true")  # gone once the page reloads
            table.write_text(listed.replace("王芳,青阳区人民政府,区长", "王芳,青阳区人民政府,代区长"), encoding="utf-8-sig")
            page.wait_for_function("document.body?.textContent.includes('青阳区人民政府代区长')", timeout=120_000)
            assert page.evaluate("window.huiwuBefore") is None

            meeting.write_text(front.replace('start: "2026-12-08 09:00"', 'start: "12-08 09:00"'), encoding="utf-8")
            page.wait_for_selector("#huiwu-problems", timeout=120_000)
            shown = page.inner_text("#huiwu-problems")
            assert f"content/{SAMPLE}/meeting.md:6: start（开始时间）" in shown and "缺少完整年份" in shown
            assert "代区长" in page.evaluate("document.querySelector('main').textContent")  # the last good page stays beneath
            meeting.write_text(front, encoding="utf-8")
            page.wait_for_function("!document.getElementById('huiwu-problems')", timeout=120_000)
            page.wait_for_load_state()
            assert "青阳区人民政府代区长" in page.evaluate("document.body.textContent")
            assert not errors, errors
            browser.close()
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal: the whole group, render workers too
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "已停止实时预览" in out
    assert "Traceback" not in out and "KeyboardInterrupt" not in out


def test_a_first_build_that_fails_shows_its_messages_and_the_site_appears_once_fixed(tmp_path):
    root = new_project(tmp_path)
    meeting = write_meeting(root, "t", BARE.replace('"2026-12-08 09:00"', '"12-08 09:00"')) / "meeting.md"
    port = free_port()
    proc = start_watch(root, port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector("#huiwu-problems")
            assert "content/t/meeting.md:" in page.inner_text("#huiwu-problems")
            meeting.write_text(BARE, encoding="utf-8")
            page.wait_for_function("document.body?.textContent.includes('测试会议')", timeout=120_000)
            assert page.locator("#huiwu-problems").count() == 0
            browser.close()
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.communicate(timeout=30)


def test_a_port_in_use_is_told_before_anything_is_built(tmp_path):
    import socket

    root = new_project(tmp_path)
    write_meeting(root, "t", BARE)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(root), "watch", "--no-browser",
                                 "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and f"端口 {port} 已被占用" in result.stderr and "Traceback" not in result.stderr
    assert not (root / "output").exists()


def test_the_page_comes_first_and_the_pdfs_after(tmp_path, sample_build):
    """Once the sources check out, the site page is written and the browser told (pending: the PDFs are
    being made), before any PDF is rendered; a second message follows when they are written."""
    import json
    import threading
    import time
    import urllib.request

    from pypdf import PdfReader

    root = copy_project(sample_build.parents[1], tmp_path)
    port = free_port()
    proc = start_watch(root, port, {"TZ": "UTC"})
    told: list[tuple[dict, bool, bool]] = []  # message; the page had the edit then; the 签到表 had it then
    seats = root / "output" / "site" / SAMPLE / "seats.html"
    signin = root / "output" / SAMPLE / "signin.pdf"

    def listen() -> None:
        for _ in range(100):  # the server may take a moment to listen
            try:
                stream = urllib.request.urlopen(f"http://127.0.0.1:{port}/__live/events")
                break
            except OSError:
                time.sleep(0.1)
        with stream:
            for line in stream:
                if line.startswith(b"data: "):
                    told.append((json.loads(line[6:]), "代区长" in seats.read_text(encoding="utf-8"),
                                 "代区长" in "".join(p.extract_text() for p in PdfReader(signin).pages)))

    try:
        threading.Thread(target=listen, daemon=True).start()
        deadline = time.monotonic() + 60
        while not told and time.monotonic() < deadline:
            time.sleep(0.05)
        assert told, "the preview never told the page anything"
        first = told[-1][0]["version"]
        table = root / "content" / SAMPLE / "attendees.csv"
        table.write_text(table.read_text(encoding="utf-8-sig").replace("王芳,青阳区人民政府,区长",
                                                                     "王芳,青阳区人民政府,代区长"), encoding="utf-8-sig")
        deadline = time.monotonic() + 120
        while not any(m["version"] > first and not m["pending"] for m, _, _ in told) and time.monotonic() < deadline:
            time.sleep(0.05)
        after = [(m["version"], m["pending"], page, pdf) for m, page, pdf in told if m["version"] > first]
        assert after[0][:3] == (first + 1, True, True)  # the page, told while the PDFs are being made
        assert after[-1][:2] == (first + 2, False) and after[-1][3]  # then the PDFs, with the edit
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.communicate(timeout=30)


def test_a_preview_the_system_stops_ends_with_its_workers_and_leaves_no_fonts_behind(tmp_path, sample_build):
    """Closing the terminal window (SIGHUP) or the system stopping it (SIGTERM) ends the preview as Ctrl+C
    does; killed outright, its render workers still end. WeasyPrint's copies of the fonts never stay behind."""
    root = copy_project(sample_build.parents[1], tmp_path)
    table = root / "content" / SAMPLE / "attendees.csv"
    listed = table.read_text(encoding="utf-8-sig")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    for n, sig in enumerate((signal.SIGTERM, signal.SIGHUP, signal.SIGKILL)):
        table.write_text(listed.replace("王芳,青阳区人民政府,区长", f"王芳,青阳区人民政府,区长{n}"), encoding="utf-8-sig")
        proc = start_watch(root, free_port(), {"TZ": "UTC", "TMPDIR": str(scratch)})  # its first build renders
        workers = descendants(proc.pid)
        assert len(workers) == 2
        proc.send_signal(sig)  # to the preview alone, not its group: the workers are told by it, or by Linux
        out, _ = proc.communicate(timeout=60)
        assert all(gone(pid) for pid in workers), sig.name
        if sig != signal.SIGKILL:
            assert "已停止实时预览" in out and "Traceback" not in out, out
            assert not leftovers(scratch), sig.name  # no copy of the fonts left
