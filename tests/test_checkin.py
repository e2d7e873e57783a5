"""会中: the check-in desk run as staff run it (`build.py checkin`), driven through Chromium as a USB scanner
drives it (the payload typed, then Enter), with the chair's board open beside it; the records it writes
read back by `make`."""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.error
import urllib.request
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

from conftest import ROOT, SAMPLE, new_project, open_pdf, run

CHROMIUM = Path("/usr/bin/chromium")
BEFORE = "2026-12-08T08:40:00"  # the sample starts at 09:00
AFTER = "2026-12-08T09:12:00"
RECORDS = ("signin.csv", "recollected.csv", "disposed.csv", "summary.md")  # the sample's records after the meeting


def fresh_sample(base: Path) -> Path:
    """The sample meeting before it is held: no sign-in, recollection or disposal records yet."""
    root = new_project(base, sample=True)
    for name in RECORDS:
        (root / "content" / SAMPLE / name).unlink()
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Desk:
    """A running desk: `build.py checkin` in a process of its own."""

    def __init__(self, root: Path, now: str = BEFORE, *args: str):
        self.root, self.port = root, free_port()
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "--project", str(root), "checkin", SAMPLE, "--no-browser",
             "--port", str(self.port), *args],
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "HUIWU_NOW": now})
        self.out = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(self.proc.stderr.read())
            line = self.proc.stdout.readline()
            self.out += line
            if "Ctrl-C" in line:
                break
        self.url = f"http://127.0.0.1:{self.port}"
        self.wait_up()

    def wait_up(self) -> None:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("desk did not start")

    def scan(self, text: str, staff: str = "", mode: str = "both", query: str = "") -> dict:
        body = json.dumps({"text": text, "staff": staff, "mode": mode, "station": "test"}).encode()
        req = urllib.request.Request(f"{self.url}/api/scan{query}", body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r)

    def state(self) -> dict:
        with urllib.request.urlopen(f"{self.url}/api/state", timeout=10) as r:
            return json.load(r)

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=15)
        finally:
            self.proc.stdout.close()
            self.proc.stderr.close()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()


@pytest.fixture(scope="module")
def payloads(sample_build) -> dict[str, str]:
    """name → the payload of the QR code on that person's badge, decoded from badges.pdf itself."""
    found = {}
    pdf = pypdfium2.PdfDocument(sample_build / "badges.pdf")
    for page in pdf:
        for code in zxingcpp.read_barcodes(page.render(scale=3).to_pil()):
            text = bytes(code.bytes).decode("utf-8")  # the badges' UTF-8 (the reader's own guess may differ)
            found[text.rsplit(":", 1)[1]] = text
    pdf.close()
    assert len(found) > 60
    return found


def csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield b
        b.close()


def scan_at_desk(page, text: str) -> dict[str, str]:
    """Type as a USB scanner types (the payload, then Enter) and read the answer shown."""
    before = page.evaluate("document.getElementById('recent').children.length")
    page.locator("#scan").press_sequentially(text, delay=0)
    page.locator("#scan").press("Enter")
    page.wait_for_function(f"document.getElementById('recent').children.length > {before}")
    return {"status": page.get_attribute("#answer", "data-status"), "headline": page.inner_text("#answer-headline"),
            "lines": page.inner_text("#answer-lines")}


def test_the_desk_answers_every_case_and_the_board_follows_within_a_second(tmp_path, payloads, browser):
    root = fresh_sample(tmp_path)
    desk = Desk(root)
    try:
        errors: list[str] = []
        page, board = browser.new_page(), browser.new_page()
        for p in (page, board):
            p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            p.on("pageerror", lambda e: errors.append(str(e)))
        board.goto(f"{desk.url}/board")
        board.wait_for_function("document.getElementById('counts').dataset.change !== '-1'")
        counts = board.locator("#counts")
        assert counts.locator("[data-key=实到] dd").inner_text() == "0"
        page.goto(desk.url)

        first = scan_at_desk(page, payloads["周卫东"])
        started = time.monotonic()
        board.wait_for_function("document.querySelector('#counts [data-key=实到] dd').textContent === '1'",
                                timeout=1000)
        assert time.monotonic() - started < 1.0
        assert first["status"] == "ok" and first["headline"] == "周卫东"
        assert "签到成功" in first["lines"] and "座位：主席台1排3号" in first["lines"]
        assert re.search(r"份号 000001", first["lines"])  # the 秘密 material's copy, handed over

        again = scan_at_desk(page, payloads["周卫东"])
        assert again["status"] == "already" and "已于8:40签到" in again["lines"]

        other = scan_at_desk(page, payloads["周卫东"].replace(SAMPLE, "2027-01-diaodu"))
        assert other["status"] == "wrong" and other["headline"] == "这是另一个会议的证件"

        leave = scan_at_desk(page, "韩立新")
        assert leave["status"] == "leave" and "登记的替会人员：刘国强" in leave["lines"]
        page.get_by_role("button", name="为替会人员刘国强签到").click()
        page.wait_for_function("document.getElementById('answer-headline').textContent === '刘国强'")
        assert "替会（代韩立新）" in page.inner_text("#answer-lines")

        stranger = scan_at_desk(page, "张三丰")
        assert stranger["status"] == "unknown" and stranger["headline"] == "名单中没有“张三丰”"
        page.get_by_role("button", name="名单外签到").click()
        page.fill("#walkin input[name=unit]", "<b>市档案馆</b>")
        page.fill("#walkin input[name=title]", "副馆长")
        page.get_by_role("button", name="登记签到").click()
        page.wait_for_function("document.getElementById('answer-lines').textContent.includes('名单外签到成功')")
        assert page.locator("#answer b").count() == 0  # markup typed in is shown as text

        back = scan_at_desk(page, f"huiwu-copy:{SAMPLE}:经济运行情况:000001")
        assert back["status"] == "wrong" and back["headline"] == "请先填写回收人"
        page.fill("#staff", "廖婷婷")
        back = scan_at_desk(page, f"huiwu-copy:{SAMPLE}:经济运行情况:000001")
        assert back["status"] == "returned" and "应领：周卫东（市政府）" in back["lines"]

        board.wait_for_function("document.querySelector('#counts [data-key=名单外] dd').textContent === '1'")
        assert board.locator("#counts [data-key=替会] dd").inner_text() == "1"
        missing = board.locator("#missing tr").all_inner_texts()
        assert len(missing) == 68 - 7 - 1 and any("周卫东" in r for r in missing) is False
        printed = PdfReader(io.BytesIO(board.pdf(format="A4")))  # 打印到会情况: one page for the chair
        assert len(printed.pages) == 1
        text = unicodedata.normalize("NFKC", printed.pages[0].extract_text())  # 人, not the radical ⼈
        for said in ("到会情况", f"未到（{len(missing)}人）", "替会（1人）：刘国强（代韩立新）"):
            assert unicodedata.normalize("NFKC", said) in text
        assert not errors, errors
    finally:
        assert desk.stop() == 0
    signed = {r["姓名"]: r for r in csv_rows(root / "content" / SAMPLE / "signin.csv")}
    assert set(signed) == {"周卫东", "刘国强", "张三丰"}
    assert signed["刘国强"]["备注"] == "替韩立新" and signed["张三丰"]["单位"] == "<b>市档案馆</b>"
    returned = csv_rows(root / "content" / SAMPLE / "recollected.csv")
    assert [(r["份号"], r["回收人"]) for r in returned] == [("000001", "廖婷婷")]


def test_a_late_arrival_is_marked_with_the_minutes(tmp_path, payloads):
    desk = Desk(fresh_sample(tmp_path), AFTER)
    try:
        answer = desk.scan(payloads["王芳"])
        assert answer["status"] == "late" and answer["lines"][0] == "签到成功，迟到 12 分钟"
        assert [(p["name"], p["minutes"]) for p in desk.state()["late"]] == [("王芳", 12)]
    finally:
        desk.stop()


def test_make_after_the_desk_agrees_with_the_board(tmp_path, payloads):
    """Half the list scanned in, one person handed their materials, a copy back: the 到会统计, the 纪要's
    lists, the 分发登记表 and the 回收登记表 that make then builds state what the desk recorded."""
    root = fresh_sample(tmp_path)
    desk = Desk(root, AFTER)
    try:
        names = sorted(payloads)[::2]
        for name in names:
            desk.scan(payloads[name], mode="signin")
        desk.scan(payloads["周卫东"], mode="hand")
        desk.scan(f"huiwu-copy:{SAMPLE}:经济运行情况:000003", staff="廖婷婷")
        shown = desk.state()
    finally:
        desk.stop()
    result = run(root, "build", "--only", "attendance,minutes,recollection,materials", env={"HUIWU_TODAY": "2026-12-09"})
    assert result.returncode == 0, result.stderr
    out = root / "output" / SAMPLE
    text = pdf_text(out / "attendance.pdf")
    c = shown["counts"]
    assert f"应到{c['应到']}人实到{c['实到']}人请假{c['请假']}人缺席{c['未到']}人迟到{c['迟到']}人" in text
    assert c["实到"] > 20 and c["迟到"] == c["实到"]  # all scanned at 9:12, after the 9:00 start
    minutes = pdf_text(out / "minutes.pdf")
    attending = [r["姓名"] for r in csv_rows(ROOT / "content" / SAMPLE / "attendees.csv")
                 if r["类别"] == "出席" and r["状态"] == "参会"]
    assert all((name in minutes) == (name in names) for name in attending), minutes
    assert "收回1份" in pdf_text(out / "recollection.pdf")
    register = pdf_text(out / "materials-register.pdf")
    assert re.search(r"000001市政府周卫东9:12已领", register), register[:400]
    assert register.count("已领") == 2  # the 秘密 copy and the agenda


def pdf_text(path: Path) -> str:
    with open_pdf(path) as pdf:
        return "".join(p.extract_text() for p in pdf.pages).replace(" ", "")


def test_two_stations_and_a_thousand_scans_give_one_row_per_person(tmp_path, payloads):
    desk = Desk(fresh_sample(tmp_path))
    people = sorted(payloads)
    answers: list[dict] = []

    def station(offset: int) -> None:
        for i in range(500):
            answers.append(desk.scan(payloads[people[(i + offset) % len(people)]], mode="signin"))

    try:
        threads = [threading.Thread(target=station, args=(k,)) for k in (0, 37)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        desk.stop()
    rows = csv_rows(desk.root / "content" / SAMPLE / "signin.csv")
    assert len(answers) == 1000
    assert sorted(r["姓名"] for r in rows) == people  # each once, nobody lost
    assert sum(a["status"] in ("ok", "late") for a in answers) == len(people)


def test_a_killed_desk_loses_no_acknowledged_scan_and_never_leaves_half_a_csv(tmp_path, payloads):
    root = fresh_sample(tmp_path)
    desk = Desk(root)
    target = root / "content" / SAMPLE / "signin.csv"
    acknowledged: list[str] = []
    torn: list[str] = []
    stop = threading.Event()

    def scanning() -> None:
        for name in sorted(payloads):
            try:
                desk.scan(payloads[name], mode="signin")
            except (urllib.error.URLError, ConnectionError, OSError, http.client.HTTPException):
                return  # killed before it answered (a cut-off answer too): this scan was not acknowledged
            acknowledged.append(name)

    def reading() -> None:
        while not stop.is_set():
            if target.exists():
                data = target.read_bytes().decode("utf-8-sig")
                rows = list(csv.reader(io.StringIO(data)))
                if not data.endswith("\n") or rows[0] != ["姓名", "单位", "签到时间", "备注"] or any(len(r) != 4 for r in rows):
                    torn.append(data)

    threads = [threading.Thread(target=scanning), threading.Thread(target=reading)]
    for t in threads:
        t.start()
    while len(acknowledged) < 20:
        time.sleep(0.01)
    desk.kill()
    stop.set()
    for t in threads:
        t.join()
    assert not torn
    assert set(acknowledged) <= {r["姓名"] for r in csv_rows(target)}
    again = Desk(root)  # the journal is taken up again: the lock went with the killed process
    try:
        for name in acknowledged:
            assert again.scan(payloads[name], mode="signin")["status"] == "already", name
    finally:
        again.stop()


def test_a_lan_desk_refuses_every_request_without_its_token(tmp_path):
    desk = Desk(fresh_sample(tmp_path), BEFORE, "--lan")
    try:
        token = re.search(r"\?t=([\w-]+)", desk.out)[1]
        for path in ("/", "/board", "/api/state", "/api/events", "/static/desk.js", "/nothing"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"{desk.url}{path}", timeout=5)
            assert refused.value.code == 403
        with pytest.raises(urllib.error.HTTPError) as refused:
            desk.scan("周卫东")
        assert refused.value.code == 403
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{desk.url}/api/state?t=wrong{token}", timeout=5)
        assert refused.value.code == 403
        with urllib.request.urlopen(f"{desk.url}/?t={token}", timeout=5) as r:
            assert r.status == 200 and "set-cookie" in {k.lower() for k in r.headers}
            page = r.read().decode()
        assert f"?t={token}" in page and '<div class="lan-qr"><svg' in page  # the address as a QR code
        assert desk.scan("周卫东", query=f"?t={token}")["status"] == "ok"
    finally:
        desk.stop()


def test_a_huge_or_odd_request_is_refused_and_the_desk_goes_on(tmp_path, payloads):
    desk = Desk(fresh_sample(tmp_path))
    try:
        huge = urllib.request.Request(f"{desk.url}/api/scan", b'{"text": "' + b"x" * 2_000_000 + b'"}',
                                      {"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(huge, timeout=10)
        assert refused.value.code == 413
        odd = urllib.request.Request(f"{desk.url}/api/scan", b"[1, 2", {"Content-Type": "application/json"})
        with urllib.request.urlopen(odd, timeout=10) as r:
            assert json.load(r)["status"] == "wrong"
        long_name = desk.scan("张" * 5000)
        assert long_name["status"] == "unknown" and len(long_name["headline"]) < 300
        assert desk.scan(payloads["周卫东"])["status"] == "ok"
    finally:
        assert desk.stop() == 0


def test_a_second_desk_on_the_same_meeting_is_refused(tmp_path):
    root = fresh_sample(tmp_path)
    desk = Desk(root)
    try:
        second = run(root, "checkin", SAMPLE, "--no-browser", "--port", str(free_port()))
        assert second.returncode == 1 and "Traceback" not in second.stderr
        assert "这个会议的签到台已经在运行" in second.stderr
    finally:
        assert desk.stop() == 0


@pytest.mark.parametrize("args, message", [
    (("nowhere",), "没有名为“nowhere”的会议"),
    ((), "请指明是哪个会议的签到台"),
    ((SAMPLE, "--port", "80"), "--port：端口 80 不可用"),
])
def test_the_desk_names_the_meeting_it_cannot_find(tmp_path, args, message):
    root = fresh_sample(tmp_path)
    (root / "content" / "2027-01-other").mkdir()
    result = run(root, "checkin", *args, "--no-browser")
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_a_sign_in_workbook_is_refused_with_what_to_do(tmp_path):
    root = fresh_sample(tmp_path)
    (root / "content" / SAMPLE / "signin.xlsx").write_bytes(b"PK")
    result = run(root, "checkin", SAMPLE, "--no-browser", "--port", str(free_port()))
    assert result.returncode == 1 and "另存为 signin.csv" in result.stderr


def test_hand_edits_of_the_csv_are_taken_up_at_start(tmp_path, payloads):
    root = fresh_sample(tmp_path)
    desk = Desk(root)
    try:
        desk.scan(payloads["周卫东"], mode="signin")
        desk.scan(payloads["王芳"], mode="signin")
    finally:
        desk.stop()
    target = root / "content" / SAMPLE / "signin.csv"
    text = target.read_text(encoding="utf-8-sig")
    edited = "\n".join(line for line in text.splitlines() if not line.startswith("王芳")) + "\n陈国栋,川北区人民政府,8:35,\n"
    target.write_text(edited, encoding="utf-8-sig")
    again = Desk(root)
    try:
        assert again.scan(payloads["陈国栋"], mode="signin")["lines"][0] == "已于8:35签到"
        assert again.scan(payloads["王芳"], mode="signin")["status"] == "ok"  # deleted by hand: not in
    finally:
        again.stop()
    assert [r["姓名"] for r in csv_rows(target)] == ["周卫东", "陈国栋", "王芳"]



def test_the_desks_records_reach_the_disk_before_it_answers(tmp_path, monkeypatch):
    """A scan's CSV is synced to the disk (the file, then its folder) before the journal returns; a build's
    outputs are not (they are made again by the next make)."""
    from huiwu import render
    from huiwu.checkin.journal import Journal, Row

    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(render.os, "fsync", lambda fd: synced.append(fd) or real(fd))
    render.write_atomic(tmp_path / "plain.pdf", b"x")
    assert synced == []
    journal = Journal(tmp_path)
    try:
        assert journal.add("signin.csv", Row("王芳", ("王芳", "青阳区人民政府", "08:40", "")))
    finally:
        journal.close()
    assert len(synced) == 2 and "王芳" in (tmp_path / "signin.csv").read_text(encoding="utf-8-sig")
